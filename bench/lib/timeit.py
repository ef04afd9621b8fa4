#!/usr/bin/env python3
"""Times a command, started as a new process each run, from this already running driver.

    timeit.py --runs 20 --warmup 3 [--close 'shell command'] -- COMMAND ARG...

Before every run (warm-up included) the --close command runs untimed, to shut the door
again. Each run is timed from just before the process is spawned to its exit, so the
child's own start-up counts, as it does for a user. stdin and stdout are /dev/null.
Prints one line per measured run: "ok MS" or "fail MS".

The driver blocks in waitpid for the child's exit. (subprocess.run with a timeout polls
instead, sleeping 0.5, 1, 2 ... up to 50 ms between looks, which rounded every time up to
the next step of that ladder; the timeout is a timer that kills the child.)
"""
import argparse
import subprocess
import sys
import threading
import time


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--close", default="")
    parser.add_argument("--timeout", type=float, default=15.0)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command")
    for i in range(args.warmup + args.runs):
        if args.close:
            subprocess.run(args.close, shell=True, check=False)
        start = time.perf_counter()
        child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        killer = threading.Timer(args.timeout, child.kill)
        killer.start()
        rc = child.wait()
        ms = (time.perf_counter() - start) * 1000.0
        expired = not killer.is_alive()
        killer.cancel()
        if expired:
            rc = -1
        if i >= args.warmup:
            print(f"{'ok' if rc == 0 else 'fail'} {ms:.3f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
