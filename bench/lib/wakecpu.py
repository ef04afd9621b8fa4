#!/usr/bin/env python3
"""CPU of each wake of a running process that prints one line per wake.

    wakecpu.py --wakes 7 --timeout 120 -- COMMAND ARG...

Starts COMMAND (which must exec in place, as `ip netns exec` and `env` do, so its PID is the
measured process), reads its standard output, and at each line reads the process's CPU from
/proc: user + system, its own and its reaped children's (nft runs are waited for before the
line is printed). Prints one line per wake after the first, the CPU in ms between that wake's
line and the previous one's; the first wake includes the start and is left out. Stops the
process with SIGTERM after the last wake, or at the timeout.
"""
import argparse
import os
import subprocess
import sys
import threading


def cpu_ms(pid: int) -> float:
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    # utime, stime, cutime, cstime are fields 14 to 17 of the whole line.
    return sum(int(x) for x in fields[11:15]) * 1000.0 / os.sysconf("SC_CLK_TCK")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--wakes", type=int, default=7)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, text=True)
    timer = threading.Timer(args.timeout, process.kill)
    timer.start()
    try:
        marks = []
        while len(marks) < args.wakes + 1:
            if not process.stdout.readline():
                print("wakecpu: the process ended before its wakes were counted", file=sys.stderr)
                return 1
            marks.append(cpu_ms(process.pid))
        for before, after in zip(marks, marks[1:]):
            print(f"{after - before:.1f}")
        return 0
    finally:
        timer.cancel()
        process.terminate()
        process.wait()


if __name__ == "__main__":
    sys.exit(main())
