#!/usr/bin/env python3
"""Summarizes paired.py's output: each command's median and minimum, and the median over rounds of
each command's time divided by BASE's time in the same round.

    paired.py --runs 30 --warmup 2 nft='nft -j list table inet nftknock' status='nftknock status --json' \\
        | ratios.py nft
"""
import statistics
import sys

base = sys.argv[1]
runs: dict[str, list[float]] = {}
for line in sys.stdin:
    name, ok, ms, _ = line.split()
    if ok == "ok":
        runs.setdefault(name, []).append(float(ms))
for name, ms in runs.items():
    print(f"{name}: median {statistics.median(ms):.1f} ms, min {min(ms):.1f} ms, {len(ms)} runs")
for name, ms in runs.items():
    if name != base:
        ratios = [a / b for a, b in zip(ms, runs[base])]
        print(f"{name} / {base}: median of the rounds' ratios {statistics.median(ratios):.3f}, max {max(ratios):.3f}")
