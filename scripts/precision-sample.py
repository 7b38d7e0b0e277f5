#!/usr/bin/env python3
"""Draws the precision review's sample of findings from ../shared/corpus.

Runs `orchlint check --select all --format json` over the corpus and draws N
findings (default 100) with a fixed seed: one from every rule that fires (rules
in name order, while N lasts), the rest in proportion to how often each rule
fires. Prints, per finding, its rule, place, message and the source lines
around it, as Markdown to judge by hand (docs/precision.md keeps the judged
sample). The same binary, corpus and seed always draw the same sample.

Usage: scripts/precision-sample.py BINARY CORPUS [--n 100] [--seed 11]
"""
import argparse
import collections
import json
import os
import random
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("corpus")
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()
    if not os.path.isdir(args.corpus):
        print(f"no corpus at {args.corpus}; nothing to sample", file=sys.stderr)
        return 0
    binary = os.path.abspath(args.binary)
    p = subprocess.run([binary, "check", "--no-cache", "--exit-zero", "--select", "all",
                        "--format", "json", "."], cwd=args.corpus, capture_output=True, text=True)
    if p.returncode != 0:
        print(p.stderr, file=sys.stderr)
        return 2
    diags = json.loads(p.stdout)["diagnostics"]
    by_rule = collections.defaultdict(list)
    for d in diags:
        by_rule[d["rule"]].append(d)
    rng = random.Random(args.seed)
    picked = []
    for rule in sorted(by_rule):
        if len(picked) == args.n:
            break
        picked.append(rng.choice(by_rule[rule]))
    rest = [d for d in diags if d not in picked]
    # The remainder in proportion to frequency: a uniform draw over findings.
    rng.shuffle(rest)
    picked += rest[: max(0, args.n - len(picked))]
    picked.sort(key=lambda d: (d["rule"], d["file"], d["start"]["line"]))
    print(f"{len(diags)} findings from {len(by_rule)} rules; {len(picked)} drawn (seed {args.seed})\n")
    for i, d in enumerate(picked, 1):
        line = d["start"]["line"]
        try:
            with open(os.path.join(args.corpus, d["file"]), encoding="utf-8") as f:
                lines = f.read().split("\n")
        except OSError:
            lines = []
        lo, hi = max(0, line - 3), min(len(lines), line + 2)
        excerpt = "\n".join(f"{n + 1:5} | {lines[n]}" for n in range(lo, hi))
        print(f"### {i}. `{d['rule']}` — {d['file']}:{line}:{d['start']['column']}\n")
        print(f"{d['severity']}: {d['message']}\n")
        print("```\n" + excerpt + "\n```\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
