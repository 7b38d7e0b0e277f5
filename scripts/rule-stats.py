#!/usr/bin/env python3
"""Rule counts per family and format, and findings per rule on the corpus.

Reads `orchlint rules --format json` for the counts (how many rules, how many in
the default set, per family and per format), then runs `check --select all`
over the corpus and prints the findings per rule; with --before OTHER_BINARY
the same table for that binary sits beside it (rules it lacks show `-`).

Usage: scripts/rule-stats.py BINARY CORPUS [--before OTHER_BINARY]
"""
import argparse
import collections
import json
import os
import subprocess
import sys


def findings(binary, corpus, select_all):
    cmd = [os.path.abspath(binary), "check", "--no-cache", "--exit-zero", "--format", "json", "."]
    if select_all:
        cmd[2:2] = ["--select", "all"]
    p = subprocess.run(cmd, cwd=corpus, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(p.stderr)
    return collections.Counter(d["rule"] for d in json.loads(p.stdout)["diagnostics"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("corpus")
    ap.add_argument("--before")
    args = ap.parse_args()
    rules = json.loads(subprocess.run([args.binary, "rules", "--format", "json", "--isolated"],
                                      capture_output=True, text=True, check=True).stdout)
    fam = collections.Counter(r["family"] for r in rules)
    fam_default = collections.Counter(r["family"] for r in rules if r.get("default", True))
    fmt = collections.Counter(f for r in rules for f in r["formats"])
    print(f"{len(rules)} rules, {sum(1 for r in rules if r.get('default', True))} in the default set")
    print("\nper family (all / default):")
    for k in sorted(fam):
        print(f"  {k:15} {fam[k]:4} {fam_default[k]:4}")
    print("\nper format:")
    for k in sorted(fmt):
        print(f"  {k:15} {fmt[k]:4}")
    if not os.path.isdir(args.corpus):
        print(f"\nno corpus at {args.corpus}; findings not counted")
        return 0
    after = findings(args.binary, args.corpus, True)
    # A binary from before rule tiers runs every rule without --select.
    before = findings(args.before, args.corpus, False) if args.before else None
    print(f"\nfindings per rule on the corpus (--select all): {sum(after.values())}"
          + (f" (before: {sum(before.values())})" if before is not None else ""))
    names = sorted(set(after) | set(before or {}), key=lambda r: (-after.get(r, 0), r))
    for r in names:
        b = "" if before is None else f"{before.get(r, '-'):>6}  "
        print(f"  {b}{after.get(r, 0):6}  {r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
