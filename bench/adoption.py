#!/usr/bin/env python3
"""How many projects of ../shared/corpus would fail CI on adopting orchlint.

A measurement, not a test. orchlint runs `check` over the shared corpus as a CI
job would (the default rule selection and fail level, no configuration), and
each finding at or above the fail level (warning) is charged to the project its
file belongs to (the projects `advise` reports; a file no project holds counts
as a project of its own). Printed: the share of projects, and of repositories
(`<kind>/<owner>__<repo>` folders), that have such a finding, and the rules
that fail the most projects. `--select SEL` measures another selection (e.g.
`all`) for comparison.

Usage: bench/adoption.py [--orchlint PATH] [--select SEL] [--corpus DIR]
"""
import argparse
import collections
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--orchlint", default=os.path.join(ROOT, "target", "release", "orchlint"))
    ap.add_argument("--select", default=None)
    ap.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpus"))
    args = ap.parse_args()
    if not os.path.isdir(args.corpus):
        print(f"no corpus at {args.corpus}; nothing to measure", file=sys.stderr)
        return 0
    corpus = os.path.abspath(args.corpus)
    adv = subprocess.run([args.orchlint, "advise", "--format", "json", "."],
                         capture_output=True, text=True, cwd=corpus)
    if adv.returncode not in (0, 1):
        print(adv.stderr, file=sys.stderr)
        return 2
    project_of = {}
    projects = json.loads(adv.stdout).get("projects", [])
    for i, p in enumerate(projects):
        for f in p.get("files", []):
            project_of[f] = i
    cmd = [args.orchlint, "check", "--no-cache", "--exit-zero", "--format", "json", "."]
    if args.select:
        cmd[2:2] = ["--select", args.select]
    chk = subprocess.run(cmd, capture_output=True, text=True, cwd=corpus)
    if chk.returncode != 0:
        print(chk.stderr, file=sys.stderr)
        return 2
    diags = json.loads(chk.stdout).get("diagnostics", [])
    files = subprocess.run([args.orchlint, "files", "--format", "json", "."],
                           capture_output=True, text=True, cwd=corpus)
    all_files = [f["path"] if isinstance(f, dict) else f for f in json.loads(files.stdout)]
    units = set()
    for f in all_files:
        units.add(project_of.get(f, f))
    failing = set()
    blame = collections.defaultdict(set)
    for d in diags:
        if d.get("severity") not in ("warning", "error"):
            continue
        unit = project_of.get(d["file"], d["file"])
        units.add(unit)
        failing.add(unit)
        blame[d["rule"]].add(unit)
    repo = lambda f: "/".join(f.split("/")[:2])
    repos = {repo(f) for f in all_files}
    failing_repos = {repo(d["file"]) for d in diags if d.get("severity") in ("warning", "error")}
    print(f"selection: {args.select or 'default'}")
    print(f"projects: {len(units)}; failing: {len(failing)} ({100.0 * len(failing) / max(len(units), 1):.1f} %)")
    print(f"repositories: {len(repos)}; failing: {len(failing_repos)} ({100.0 * len(failing_repos) / max(len(repos), 1):.1f} %)")
    print("rules failing the most projects:")
    for rule, us in sorted(blame.items(), key=lambda kv: -len(kv[1]))[:20]:
        print(f"  {len(us):4}  {rule}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
