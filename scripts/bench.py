#!/usr/bin/env python3
"""Times `orchlint check` (release build) over spec sets and reports wall time and
peak memory. A benchmark, not a test: it prints figures and never fails on them.

Usage: scripts/bench.py [--runs N] [DIR ...]
Default sets: ../shared/corpus, and the synthetic Kubernetes and Compose scale sets
written by ../shared/tools/gen-scale-corpus.py into target/scale-corpus.
"""
import argparse
import os
import resource
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "orchlint")
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared"))


def peak_rss_mib_of(cmd):
    """Peak RSS of one run, measured in a fresh child so earlier runs don't count."""
    code = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run([sys.executable, "-c", code] + cmd, capture_output=True, text=True)
    return int(out.stdout.strip()) / 1024


def bench(path, runs):
    cmd = [BIN, "check", path, "--format", "json", "--fail-level", "never"]
    first = subprocess.run(cmd, capture_output=True, text=True)
    if first.returncode != 0:
        print(f"{path}: exit {first.returncode}\n{first.stderr}")
        return
    files = subprocess.run([BIN, "files", path, "--format", "json"], capture_output=True, text=True)
    import json
    rows = json.loads(files.stdout)
    specs = sum(1 for r in rows if r["kind"] != "skipped")
    findings = len(json.loads(first.stdout)["diagnostics"])
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    rss = peak_rss_mib_of(cmd)
    print(
        f"{path}: {len(rows)} candidates, {specs} specs, {findings} findings; "
        f"wall median {statistics.median(times):.3f} s (min {min(times):.3f}, max {max(times):.3f}, {runs} runs); "
        f"peak RSS {rss:.1f} MiB"
    )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("dirs", nargs="*")
    args = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    dirs = args.dirs
    if not dirs:
        corpus = os.path.join(SHARED, "corpus")
        if os.path.isdir(corpus):
            dirs.append(corpus)
        gen = os.path.join(SHARED, "tools", "gen-scale-corpus.py")
        scale = os.path.join(ROOT, "target", "scale-corpus")
        if os.path.exists(gen):
            if not os.path.isdir(scale):
                subprocess.run([sys.executable, gen, scale], check=True, stdout=subprocess.DEVNULL)
            for sub in sorted(os.listdir(scale)):
                dirs.append(os.path.join(scale, sub))
    for d in dirs:
        bench(d, args.runs)


if __name__ == "__main__":
    main()
