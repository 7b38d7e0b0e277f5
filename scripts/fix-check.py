#!/usr/bin/env python3
"""Runs `orchlint check --fix --unsafe-fixes` over a copy of a corpus of real specs
and fails when a fixed file no longer reads as YAML or JSON (but did before), when
a second `--fix` changes anything, or on a crash or an internal error.

Usage: scripts/fix-check.py BINARY CORPUS_DIR
Prints how many findings were fixed in how many files.
"""
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from importlib import import_module

loads_elsewhere = import_module("corpus-check").loads_elsewhere


def snapshot(root):
    """Each file's bytes, by path relative to root."""
    out = {}
    for dirpath, _, names in os.walk(root):
        for n in names:
            p = os.path.join(dirpath, n)
            with open(p, "rb") as f:
                out[os.path.relpath(p, root)] = f.read()
    return out


def fix(binary, root):
    run = subprocess.run(
        [binary, "check", ".", "--fix", "--unsafe-fixes", "--fail-level", "never"],
        cwd=root,
        capture_output=True,
        text=True,
    )
    if run.returncode != 0 or "panicked" in run.stderr:
        print(f"fix-check: orchlint exited {run.returncode}\n{run.stderr}", file=sys.stderr)
        sys.exit(1)
    m = re.search(r"^Fixed (\d+) findings? ", run.stderr, re.M)
    if not m:
        print(f"fix-check: no summary on stderr\n{run.stderr}", file=sys.stderr)
        sys.exit(1)
    return int(m.group(1))


def main():
    binary, corpus = os.path.abspath(sys.argv[1]), sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        root = os.path.join(tmp, "corpus")
        shutil.copytree(corpus, root)
        for dirpath, _, names in os.walk(root):
            for n in names:
                p = os.path.join(dirpath, n)
                os.chmod(p, os.stat(p).st_mode | stat.S_IWUSR)
        before = snapshot(root)
        fixed = fix(binary, root)
        after = snapshot(root)
        changed = [p for p in after if after[p] != before.get(p)]
        broken = [
            p
            for p in changed
            if loads_elsewhere(os.path.join(corpus, p)) and not loads_elsewhere(os.path.join(root, p))
        ]
        print(f"fixed {fixed} findings in {len(changed)} files")
        if broken:
            print("fixed files that no longer read:", file=sys.stderr)
            for p in broken:
                print("  " + p, file=sys.stderr)
            return 1
        again = fix(binary, root)
        if again != 0 or snapshot(root) != after:
            print(f"fix-check: a second --fix changed files ({again} fixes)", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
