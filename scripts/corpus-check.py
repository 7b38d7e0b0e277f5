#!/usr/bin/env python3
"""Runs orchlint over a corpus of real specs and fails on crashes, usage/internal
errors (exit 2), and parse findings on files that are valid YAML or JSON.

Usage: scripts/corpus-check.py BINARY CORPUS_DIR
Prints the number of files scanned and the findings per rule.
"""
import collections
import json
import subprocess
import sys


def loads_elsewhere(path):
    """True when Python's json (for .json) or PyYAML reads the file: it is valid."""
    try:
        with open(path, "rb") as f:
            data = f.read()
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    if path.endswith(".json"):
        try:
            json.loads(text)
            return True
        except ValueError:
            return False
    try:
        import yaml  # PyYAML, installed by .ci/run
    except ImportError:
        print("corpus-check: PyYAML missing; cannot tell valid YAML apart", file=sys.stderr)
        sys.exit(2)
    try:
        list(yaml.safe_load_all(text))
        return True
    except yaml.YAMLError:
        return False


def main():
    binary, corpus = sys.argv[1], sys.argv[2]
    run = subprocess.run(
        [binary, "check", corpus, "--format", "json", "--fail-level", "never"],
        capture_output=True,
        text=True,
    )
    if run.returncode != 0:
        print(f"corpus-check: orchlint exited {run.returncode}\n{run.stderr}", file=sys.stderr)
        return 1
    if "panicked" in run.stderr:
        print(f"corpus-check: panic\n{run.stderr}", file=sys.stderr)
        return 1
    doc = json.loads(run.stdout)
    failures = []
    for d in doc["diagnostics"]:
        if d["rule"] in ("syntax/invalid-syntax", "scan/unreadable-file"):
            if loads_elsewhere(d["file"]):
                failures.append(f'{d["file"]}:{d["start"]["line"]}:{d["start"]["column"]}: {d["message"]}')
    per_rule = collections.Counter(d["rule"] for d in doc["diagnostics"])
    print(f'files scanned: {doc["summary"]["files_scanned"]}, findings: {len(doc["diagnostics"])}')
    for rule, n in sorted(per_rule.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {n:5}  {rule}")
    if failures:
        print("parse findings on valid files:", file=sys.stderr)
        for f in failures:
            print("  " + f, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
