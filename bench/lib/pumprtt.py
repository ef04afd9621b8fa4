#!/usr/bin/env python3
"""Round-trip time through a ProxyCommand-style relay: what every ssh round trip pays.

    pumprtt.py --rounds 50 -- COMMAND ARG...

Starts COMMAND with pipes (as ssh starts its ProxyCommand), waits for the first byte
from the service (an echo server that greets first), then writes one byte at a time to
the relay's stdin and times until the echo comes back on its stdout. Prints one line
per round: "ok MS".
"""
import argparse
import os
import select
import subprocess
import sys
import time


def read_some(fd, deadline):
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return b""
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            return os.read(fd, 4096)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0)
    out = proc.stdout.fileno()
    try:
        if not read_some(out, time.monotonic() + 10):
            print("fail greeting", flush=True)
            return 1
        for _ in range(args.rounds):
            start = time.perf_counter()
            proc.stdin.write(b"x")
            got = read_some(out, time.monotonic() + 5)
            ms = (time.perf_counter() - start) * 1000.0
            print(f"{'ok' if got else 'fail'} {ms:.3f}", flush=True)
    finally:
        proc.stdin.close()
        proc.kill()
        proc.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
