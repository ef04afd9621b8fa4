#!/usr/bin/env python3
"""Times several commands as new processes, run in rounds so that machine load hits each alike.

    paired.py --runs 40 --warmup 3 [--close NAME='shell command'] NAME='command line' ...

Every round runs each command once, in an order that rotates from round to round, so a build
or a burst of load on a shared machine lands on every command rather than on whichever ran
during it. Before each run of NAME its --close command (if any) runs untimed. A run is timed
from just before the spawn to the child's exit, start-up included, with stdin and stdout on
/dev/null; its peak resident memory comes from the kernel's rusage for that child (wait4).
Prints one line per measured run: "NAME ok|fail MS MAXRSS_KIB".
"""
import argparse
import os
import shlex
import subprocess
import sys
import time


def pair(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name, value


def run_once(argv: list[str], timeout: float) -> tuple[bool, float, int]:
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            child.kill()
            pid, status, usage = os.wait4(child.pid, 0)
            child.returncode = -1
            return False, (time.perf_counter() - start) * 1000.0, usage.ru_maxrss
        # A blocking wait4 would be exact but cannot time out; 50 us polls add at most that much.
        time.sleep(0.00005)
    ms = (time.perf_counter() - start) * 1000.0
    child.returncode = os.waitstatus_to_exitcode(status)
    return child.returncode == 0, ms, usage.ru_maxrss


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=15.0)
    parser.add_argument("--close", type=pair, action="append", default=[])
    parser.add_argument("commands", type=pair, nargs="+")
    args = parser.parse_args()
    close = dict(args.close)
    commands = [(name, shlex.split(line)) for name, line in args.commands]
    for r in range(args.warmup + args.runs):
        shift = r % len(commands)
        for name, argv in commands[shift:] + commands[:shift]:
            if name in close:
                subprocess.run(close[name], shell=True, check=False)
            ok, ms, kib = run_once(argv, args.timeout)
            if r >= args.warmup:
                print(f"{name} {'ok' if ok else 'fail'} {ms:.3f} {kib}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
