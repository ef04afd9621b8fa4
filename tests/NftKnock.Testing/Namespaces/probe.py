"""Crafted packets for the namespace tests, sent with scapy, and what came back.

  probe.py tcp DST PORT FLAGS...    one TCP segment for each FLAGS (scapy letters: S, F, FPU; none for NULL)
  probe.py frag-syn DST PORT SPLIT  an IPv6 SYN in two fragments; the first ends
                                    dstopts: right after two of three Destination Options headers, so
                                             neither nft nor the kernel's own first-fragment check
                                             can follow the header chain to the TCP header,
                                    ports:   after 8 bytes of TCP header (ports and sequence number),
                                    short:   after 16 bytes of TCP header (flags, but not a whole header)
  probe.py udp DST PORT SIZE        one UDP datagram of SIZE bytes through an ordinary socket; prints
                                    how many bytes came back within a second, or "refused" when
                                    ICMP port unreachable came back
  probe.py fingerprint DST PORT PROTO TOS [MAC SRC]
                                    one TCP SYN or UDP datagram (PROTO tcp or udp) with TOS (the IPv6
                                    traffic class) and, for IPv6, a flow label; sent from SRC to MAC at
                                    the link layer when given (for broadcast, anycast or unroutable DST).
                                    Prints the fields of every answer within a second as one JSON list

tcp prints one line per segment, frag-syn one line: every answer from DST within a second,
space separated: tcp:<flags> (SA is a SYN-ACK, RA a reset) or icmp:<type>/<code>, or "none".
Every run sends only the packets it is given and waits less than two seconds.
"""

import json
import random
import socket
import sys
import time

from scapy.all import (  # type: ignore[import-not-found]
    ICMP,
    IP,
    TCP,
    AsyncSniffer,
    UDP,
    Ether,
    ICMPv6DestUnreach,
    ICMPv6ND_NA,
    ICMPv6ND_NS,
    ICMPv6ND_RS,
    ICMPv6ParamProblem,
    IPv6,
    IPv6ExtHdrDestOpt,
    IPv6ExtHdrFragment,
    Raw,
    conf,
    send,
    sendp,
)

conf.verb = 0


def is_v6(host):
    return ":" in host


def interface(host):
    return (conf.route6.route(host) if is_v6(host) else conf.route.route(host))[0]


def answers(host, probes):
    """Sends each probe, a (source port, packets) pair, while sniffing; returns what came back to each."""
    v6 = is_v6(host)
    sniffer = AsyncSniffer(
        iface=interface(host),
        lfilter=lambda p: (IPv6 in p and p[IPv6].src == host) if v6 else (IP in p and p[IP].src == host),
    )
    sniffer.start()
    time.sleep(0.3)
    for _, packets in probes:
        send(packets)
        time.sleep(0.05)
    time.sleep(1)
    seen = {sport: [] for sport, _ in probes}
    icmp = []
    for p in sniffer.stop() or []:
        if TCP in p and p[TCP].dport in seen:
            seen[p[TCP].dport].append(f"tcp:{p[TCP].flags}")
        elif ICMP in p:
            icmp.append(f"icmp:{p[ICMP].type}/{p[ICMP].code}")
        elif ICMPv6DestUnreach in p:
            icmp.append(f"icmp:1/{p[ICMPv6DestUnreach].code}")
        elif ICMPv6ParamProblem in p:
            icmp.append(f"icmp:4/{p[ICMPv6ParamProblem].code}")
    return [" ".join(seen[sport] + icmp) or "none" for sport, _ in probes]


def segment(host, port, flags):
    ip = IPv6(dst=host) if is_v6(host) else IP(dst=host)
    return ip / TCP(sport=random.randint(20000, 60000), dport=port, flags=flags, seq=random.getrandbits(32), window=64240)


def fragmented_syn(host, port, split):
    """The SYN behind a fragment header, cut where the rules of a first fragment are weakest."""
    syn = segment(host, port, "S")
    if split == "dstopts":
        options = IPv6ExtHdrDestOpt() / IPv6ExtHdrDestOpt() / IPv6ExtHdrDestOpt()
        whole = IPv6(src=syn.src, dst=host) / options / syn[TCP]
        cut = 16
    else:
        whole = IPv6(src=syn.src, dst=host) / syn[TCP]
        cut = {"ports": 8, "short": 16}[split]
    whole = IPv6(bytes(whole))  # fixes lengths and the TCP checksum over the whole chain
    body = bytes(whole.payload)
    first_header = whole.nh
    ident = random.getrandbits(32)
    head = IPv6(src=whole.src, dst=host) / IPv6ExtHdrFragment(nh=first_header, offset=0, m=1, id=ident) / Raw(body[:cut])
    tail = IPv6(src=whole.src, dst=host) / IPv6ExtHdrFragment(nh=first_header, offset=cut // 8, m=0, id=ident) / Raw(body[cut:])
    return syn.sport, [head, tail]


def udp(host, port, size):
    family = socket.AF_INET6 if is_v6(host) else socket.AF_INET
    with socket.socket(family, socket.SOCK_DGRAM) as s:
        s.settimeout(1)
        s.connect((host, port))
        s.send(bytes(random.getrandbits(8) for _ in range(size)))
        got = 0
        try:
            while got < size:
                got += len(s.recv(65535))
        except ConnectionRefusedError:
            return "refused"
        except (TimeoutError, socket.timeout):
            pass
        return str(got)


def fingerprint(host, proto, port, tos, mac, source):
    """The header fields of what answers one probe: what tells one closed port's answer from another's."""
    v6 = is_v6(host)
    ip = IPv6(dst=host, tc=tos, fl=0x12345) if v6 else IP(dst=host, tos=tos)
    if mac is None:
        iface = interface(host)
    else:
        iface = next(name for _, name in socket.if_nameindex() if name != "lo")
        ip.src = source
    seq = random.getrandbits(31)
    sport = random.randint(20000, 60000)
    if proto == "tcp":
        probe = ip / TCP(sport=sport, dport=port, flags="S", seq=seq, window=64240)
    else:
        probe = ip / UDP(sport=sport, dport=port) / Raw(b"fingerprint")
    mine = probe.src
    neighbours = (ICMPv6ND_NS, ICMPv6ND_NA, ICMPv6ND_RS)
    sniffer = AsyncSniffer(
        iface=iface,
        lfilter=lambda p: (IPv6 in p and p[IPv6].dst == mine and not any(t in p for t in neighbours))
        if v6
        else (IP in p and p[IP].dst == mine),
    )
    sniffer.start()
    time.sleep(0.3)
    if mac is None:
        send(probe)
    else:
        sendp(Ether(dst=mac) / probe, iface=iface)
    time.sleep(1)
    return json.dumps([fields(p, v6, seq) for p in sniffer.stop() or []], sort_keys=True)


def fields(p, v6, seq):
    """One answer's fields; values that differ from packet to packet by design (IDs, hashes) as what they are."""
    h = p[IPv6] if v6 else p[IP]
    d = {"src": h.src}
    if v6:
        d.update(tc=h.tc, flowlabel="hash" if h.fl else "0", hlim=h.hlim, plen=h.plen)
    else:
        d.update(tos=h.tos, ttl=h.ttl, id="0" if h.id == 0 else "random", df=bool(h.flags.DF), len=h.len)
    if TCP in p:
        t = p[TCP]
        d.update(tcp=str(t.flags), seq=t.seq, ack=t.ack - seq, window=t.window, options=len(t.options), urgent=t.urgptr)
    elif ICMP in p:
        d.update(icmp=f"{p[ICMP].type}/{p[ICMP].code}")
    elif ICMPv6DestUnreach in p:
        d.update(icmp=f"1/{p[ICMPv6DestUnreach].code}")
    return d


def main(argv):
    command, host, port = argv[1], argv[2], int(argv[3])
    if command == "tcp":
        segments = [segment(host, port, "" if flags == "none" else flags) for flags in argv[4:]]
        return "\n".join(answers(host, [(s.sport, [s]) for s in segments]))
    if command == "frag-syn":
        sport, fragments = fragmented_syn(host, port, argv[4])
        return answers(host, [(sport, fragments)])[0]
    if command == "udp":
        return udp(host, port, int(argv[4]))
    if command == "fingerprint":
        return fingerprint(host, argv[4], port, int(argv[5]), *(argv[6:8] if len(argv) > 7 else (None, None)))
    raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    print(main(sys.argv))
