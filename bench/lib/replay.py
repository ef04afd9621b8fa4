#!/usr/bin/env python3
"""Replays what a sniffer saw: every UDP datagram (and the port of every TCP SYN) in a
pcap file, sent again from this namespace's own address to DST, in order, 1 ms apart.

    replay.py CAPTURE.pcap DST

Reads classic pcap with Ethernet frames and IPv4 only. Bounded by the capture: at most
64 packets. Prints how many packets it replayed.
"""
import socket
import struct
import sys
import time


def frames(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    endian = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    offset = 24
    while offset + 16 <= len(data):
        _, _, incl, _ = struct.unpack(endian + "IIII", data[offset:offset + 16])
        offset += 16
        yield data[offset:offset + incl]
        offset += incl


def main():
    path, dst = sys.argv[1], sys.argv[2]
    if not (dst.startswith("198.18.") or dst.startswith("198.19.")):
        sys.exit("replay.py: only 198.18.0.0/15")
    sent = 0
    for frame in frames(path):
        if sent >= 64 or len(frame) < 34 or frame[12:14] != b"\x08\x00":
            continue
        ihl = (frame[14] & 0x0F) * 4
        proto = frame[23]
        l4 = frame[14 + ihl:]
        dport = struct.unpack("!H", l4[2:4])[0]
        if proto == 17:
            payload = l4[8:]
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                s.sendto(payload, (dst, dport))
        elif proto == 6 and l4[13] & 0x12 == 0x02:  # SYN without ACK: a TCP knock
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
                s.setblocking(False)
                try:
                    s.connect((dst, dport))
                except BlockingIOError:
                    pass
        else:
            continue
        sent += 1
        time.sleep(0.001)
    print(f"replayed={sent}")


if __name__ == "__main__":
    main()
