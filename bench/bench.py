#!/usr/bin/env python3
"""orchlint against the floor (and installed peers) on synthetic and real spec sets.

A benchmark, not a test: it prints a table and never fails on the figures.

Sets: 2,000 Kubernetes and 2,000 Compose files (gen-scale-corpus.py, seed 1),
both together (4,000), ../shared/corpus when it is there, and with --big the
40,000-file set (seed 2; slow to write and to scan).

For each set and each orchlint thread count (--threads, default 1,2) it runs
orchlint (`check --format json`, every rule on) and the floor
(`floor --mode parse --threads 2`: walking, reading and parsing the same YAML
and JSON files as fast as Rust can) --runs times as pairs, in alternating
order, and prints the medians: seconds, orchlint / floor (median of the paired
ratios), and peak resident memory of each process (from wait4's rusage).
Then each --formats output (all seven by default) runs --runs times per set
with every rule on (`--select all`), without the cache and with it (first run
and unchanged rerun), for its median time and peak memory. Peers
(kube-linter, kube-score, checkov, trivy, compose-lint, dclint) run once per
set they read, where installed, and are skipped otherwise.

The content cache is timed per set: the median first run (empty cache), unchanged
rerun, rerun after a one-line edit of one Kubernetes manifest and of one Compose
file (put back afterwards; the shared corpus is never edited), and after touching
a file without changing it (--cache-args adds check options, e.g.
"--select all --format human"); with
--changed-since also `check --changed-since HEAD` after a one-line edit on a git
copy of the 4,000-file set, warm cache against --no-cache; with --json the peak
memory and time of a generated 9.6 MB Marathon group JSON, read by the JSON reader
and, for comparison, by the YAML parser.

Usage: bench/bench.py [--runs N] [--threads 1,2] [--big] [--sets k8s,compose,both,corpus]
                      [--formats json,sarif,human,concise,github,gitlab,junit]
                      [--orchlint PATH] [--floor PATH] [--no-build] [--peers]
                      [--cache-only] [--cache-args ARGS] [--changed-since] [--json]
Only the Python standard library is used; it builds orchlint and the floor
with `cargo build --release` unless --no-build (or --orchlint/--floor) is given.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared"))
TOOLS = os.path.join(SHARED, "tools")
SETS_DIR = os.path.join(ROOT, "target", "bench-sets")


def run_measured(cmd, cwd=None):
    """Runs cmd with its output discarded; returns (seconds, peak RSS MiB, exit code)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss is in KiB on Linux.
    return seconds, usage.ru_maxrss / 1024, proc.returncode


def run_timed(cmd, cwd=None):
    """Runs cmd with its output discarded; returns (wall seconds, CPU seconds: user +
    system). On a loaded machine the CPU seconds are the steadier figure."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd)
    _, _, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def build(args):
    orchlint = args.orchlint or os.path.join(ROOT, "target", "release", "orchlint")
    floor = args.floor or os.path.join(ROOT, "target", "floor", "release", "floor")
    if not args.no_build and not args.orchlint:
        subprocess.run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=ROOT, check=True)
    floor_src = os.path.join(TOOLS, "floor", "Cargo.toml")
    if not args.no_build and not args.floor and not args.cache_only and os.path.exists(floor_src):
        subprocess.run(
            ["cargo", "build", "--release", "--locked", "--quiet", "--manifest-path", floor_src,
             "--target-dir", os.path.join(ROOT, "target", "floor")],
            check=True,
        )
    for name, path in (("orchlint", orchlint), ("floor", floor)):
        if name == "floor" and args.cache_only:
            continue
        if not os.access(path, os.X_OK):
            sys.exit(f"bench: {name} not found at {path} (build it, or pass --{name} PATH)")
    return orchlint, floor


def generate(seed, k8s, compose):
    """The gen-scale-corpus set of that seed and size, written once under target/."""
    out = os.path.join(SETS_DIR, f"seed{seed}-k{k8s}-c{compose}")
    if not os.path.isdir(out):
        gen = os.path.join(TOOLS, "gen-scale-corpus.py")
        if not os.path.exists(gen):
            return None
        tmp = out + ".tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        subprocess.run(
            [sys.executable, gen, tmp, "--seed", str(seed), "--k8s", str(k8s), "--compose", str(compose)],
            check=True, stdout=subprocess.DEVNULL,
        )
        os.rename(tmp, out)
    return out


def sets(args):
    """(label, directory, kinds it holds) for each selected set that can be had."""
    wanted = args.sets.split(",")
    out = []
    base = generate(1, 2000, 2000) if {"k8s", "compose", "both"} & set(wanted) else None
    if base is None and {"k8s", "compose", "both"} & set(wanted):
        print("bench: gen-scale-corpus.py not found: synthetic sets skipped")
    if base:
        if "k8s" in wanted:
            out.append(("2,000 Kubernetes (seed 1)", os.path.join(base, "k8s"), {"k8s"}))
        if "compose" in wanted:
            out.append(("2,000 Compose (seed 1)", os.path.join(base, "compose"), {"compose"}))
        if "both" in wanted:
            out.append(("both (seed 1)", base, {"k8s", "compose"}))
    if "corpus" in wanted:
        corpus = os.path.join(SHARED, "corpus")
        if os.path.isdir(corpus):
            out.append(("../shared/corpus", corpus, {"k8s", "compose"}))
        else:
            print("bench: ../shared/corpus not found: its row is skipped")
    if args.big:
        big = generate(2, 20000, 20000)
        if big:
            out.append(("40,000 files (seed 2)", big, {"k8s", "compose"}))
    return out


def floor_files(floor, path):
    """The number of YAML/JSON files the floor finds (its `files=N`)."""
    out = subprocess.run([floor, "--mode", "walk", "--threads", "2", path],
                         capture_output=True, text=True).stdout
    for part in out.split():
        if part.startswith("files="):
            return int(part[len("files="):])
    return 0


def paired(orch_cmd, floor_cmd, runs):
    """Medians over paired runs: orchlint s, floor s, ratio, orchlint MiB, floor MiB."""
    o_s, f_s, ratios, o_m, f_m = [], [], [], [], []
    bad = None
    for i in range(runs):
        order = [("o", orch_cmd), ("f", floor_cmd)]
        if i % 2:
            order.reverse()
        got = {}
        for key, cmd in order:
            got[key] = run_measured(cmd)
        (os_, om, orc), (fs, fm, frc) = got["o"], got["f"]
        # orchlint exits 1 when it has findings at the fail level: that is a result.
        if orc not in (0, 1):
            bad = f"orchlint exit {orc}"
        if frc != 0:
            bad = f"floor exit {frc}"
        o_s.append(os_), f_s.append(fs), ratios.append(os_ / fs if fs else float("nan"))
        o_m.append(om), f_m.append(fm)
    med = statistics.median
    return med(o_s), med(f_s), med(ratios), med(o_m), med(f_m), bad


PEERS = [
    # (name, kinds it reads, command for a directory)
    ("kube-linter", {"k8s"}, lambda d: ["kube-linter", "lint", d]),
    ("kube-score", {"k8s"}, None),  # takes files: see peer_cmd
    ("checkov", {"k8s"}, lambda d: ["checkov", "-d", d, "--framework", "kubernetes",
                                     "--skip-download", "-o", "json", "--quiet"]),
    ("trivy", {"k8s"}, lambda d: ["trivy", "config", "--skip-check-update", "--skip-version-check",
                                   "--disable-telemetry", "--misconfig-scanners", "kubernetes",
                                   "--quiet", "-f", "json", d]),
    ("compose-lint", {"compose"}, None),
    ("dclint", {"compose"}, lambda d: ["dclint", "-r", "-f", "json", "--color=false", d]),
]


def files_named(path, pred):
    found = []
    for dirpath, dirnames, filenames in os.walk(path):
        dirnames[:] = [d for d in dirnames if d != ".git"]
        found.extend(os.path.join(dirpath, f) for f in filenames if pred(f))
    return sorted(found)


def peer_cmd(name, make, path):
    if make:
        return make(path)
    if name == "kube-score":
        files = files_named(path, lambda f: f.endswith((".yaml", ".yml")) and "compose" not in f)
        return ["kube-score", "score", *files] if files else None
    if name == "compose-lint":
        files = files_named(path, lambda f: "compose" in f and f.endswith((".yaml", ".yml")))
        return ["compose-lint", "check", "--format", "json", *files] if files else None
    return None


def spec_file(path, kinds, only=None):
    """A file of the set to edit: its middle Kubernetes manifest when it has any
    (the costlier kind to rescan), else its middle Compose file; `only` picks
    one kind."""
    for want in ("k8s", "compose"):
        if want not in kinds or (only and want != only):
            continue
        files = files_named(path, lambda f: f.endswith((".yaml", ".yml")))
        files = [f for f in files if (want == "k8s") == ("compose" not in os.path.basename(f))]
        if files:
            return files[len(files) // 2]
    return None


def touch_runs(cmd, target, runs):
    """Seconds of `runs` runs, each after touching target (new modification time,
    same bytes)."""
    times = []
    for _ in range(runs):
        os.utime(target)
        times.append(run_timed(cmd))
    return times


def edit_runs(cmd, target, runs, cwd=None):
    """Seconds of `runs` runs, each after a one-line edit (a new comment) of
    target; target's bytes are put back afterwards."""
    with open(target, "rb") as f:
        original = f.read()
    times = []
    try:
        for i in range(runs):
            with open(target, "wb") as f:
                f.write(original + f"# bench edit {i}\n".encode())
            times.append(run_timed(cmd, cwd=cwd))
    finally:
        with open(target, "wb") as f:
            f.write(original)
    return times


def cache_figures(orchlint, label, path, kinds, runs, extra=()):
    """Medians of the first run (empty cache), an unchanged rerun, a rerun after
    a one-line edit of one Kubernetes file and of one Compose file, and one after
    touching a file (same bytes), wall and CPU seconds. The shared corpus is never
    edited. `extra`: more `check` options (--select, --format)."""
    def medians(pairs):
        return statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)

    def show(name, got, base):
        return (f"{name} {got[0]:.3f} s / {got[1]:.3f} s CPU "
                f"({base[0] / got[0]:.1f}× / {base[1] / got[1]:.1f}× faster)")

    with tempfile.TemporaryDirectory() as tmp:
        cache = os.path.join(tmp, "cache")
        fmt = [] if "--format" in extra else ["--format", "json"]
        cmd = [orchlint, "check", path, *fmt, *extra, "--cache-dir", cache]
        firsts = []
        for _ in range(runs):
            shutil.rmtree(cache, ignore_errors=True)
            firsts.append(run_timed(cmd))
        # Files changed within two seconds of a run are hashed again by the next
        # one: a set written just now settles first.
        time.sleep(2)
        run_timed(cmd)
        again = medians([run_timed(cmd) for _ in range(runs)])
        first = medians(firsts)
        line = (f"{label}: cache first run {first[0]:.3f} s / {first[1]:.3f} s CPU, "
                + show("unchanged rerun", again, first))
        edited = not label.startswith("../shared")
        for kind in ("k8s", "compose"):
            target = spec_file(path, kinds, kind) if edited else None
            if target:
                touched = medians(edit_runs(cmd, target, runs))
                line += ", " + show(f"one file edited ({os.path.relpath(target, path)})",
                                    touched, first)
        target = spec_file(path, kinds) if edited else None
        if target:
            touched = medians(touch_runs(cmd, target, runs))
            line += ", " + show("one file touched", touched, first)
        print(line, flush=True)


def changed_since_figures(orchlint, label, path, runs):
    """`check --changed-since HEAD` on a git copy of the set after a one-line edit
    of one file: with a warm cache, against --no-cache (a whole scan, filtered)."""
    if not shutil.which("git"):
        print("bench: git not found: --changed-since skipped")
        return
    med = statistics.median
    with tempfile.TemporaryDirectory() as tmp:
        repo = os.path.join(tmp, "repo")
        shutil.copytree(path, repo)
        git = ["git", "-C", repo, "-c", "user.name=bench", "-c", "user.email=bench@localhost"]
        subprocess.run(git + ["init", "-q"], check=True)
        subprocess.run(git + ["add", "-A"], check=True)
        subprocess.run(git + ["commit", "-qm", "set"], check=True)
        # Files written in the same second as the index are "racily clean" to git,
        # which then rereads every one of them on each diff; a settled checkout
        # does not: wait, and let git refresh its index.
        time.sleep(2)
        subprocess.run(git + ["update-index", "-q", "--refresh"], check=False)
        cache = os.path.join(tmp, "cache")
        base = [orchlint, "check", ".", "--format", "json", "--changed-since", "HEAD"]
        cached = base + ["--cache-dir", cache]
        run_measured(cached, cwd=repo)
        target = spec_file(repo, {"k8s", "compose"})
        time.sleep(2)
        run_measured(cached, cwd=repo)
        wall = lambda pairs: med(p[0] for p in pairs)
        cpu = lambda pairs: med(p[1] for p in pairs)
        warm = edit_runs(cached, target, runs, cwd=repo)
        cold = edit_runs(base + ["--no-cache"], target, runs, cwd=repo)
        diff = ["git", "-C", repo, "diff", "--name-only", "HEAD", "--"]
        alone = edit_runs(diff, target, runs)
        one = [orchlint, "check", target, "--format", "json", "--no-cache"]
        single = [run_timed(one) for _ in range(runs)]
        print(f"{label}: --changed-since HEAD after a one-line edit: warm cache "
              f"{wall(warm):.3f} s / {cpu(warm):.3f} s CPU, --no-cache {wall(cold):.3f} s / "
              f"{cpu(cold):.3f} s CPU ({wall(cold) / wall(warm):.1f}× / {cpu(cold) / cpu(warm):.1f}× "
              f"faster); git diff alone {wall(alone):.3f} s, checking the edited file alone "
              f"{wall(single):.3f} s / {cpu(single):.3f} s CPU", flush=True)


def marathon_group(size_mb):
    """A Marathon group JSON of about size_mb MB (groups of apps with containers,
    ports, env, labels and health checks), written once under target/."""
    out = os.path.join(SETS_DIR, f"marathon-group-{size_mb}mb.json")
    if os.path.exists(out):
        return out
    os.makedirs(SETS_DIR, exist_ok=True)
    groups, size, g = [], 0, 0
    while size < size_mb * 1_000_000:
        apps = []
        for a in range(50):
            app = {
                "id": f"/big/g{g}/app{a}",
                "cmd": f"exec server --port $PORT0 --name app{a}",
                "cpus": 0.1 + (a % 4) / 10, "mem": 64 * (1 + a % 3), "instances": 1 + a % 3,
                "container": {"type": "DOCKER", "docker": {
                    "image": f"registry.example.org/team{g % 7}/app{a}:1.{a}",
                    "network": "BRIDGE",
                    "portMappings": [{"containerPort": 8080, "hostPort": 0, "protocol": "tcp"}]}},
                "env": {f"KEY_{k}": f"value-{g}-{a}-{k}" for k in range(4)},
                "labels": {"team": f"team{g % 7}", "tier": "web"},
                "healthChecks": [{"protocol": "HTTP", "path": "/health", "portIndex": 0,
                                  "gracePeriodSeconds": 30, "intervalSeconds": 10}],
            }
            apps.append(app)
        group = {"id": f"/big/g{g}", "apps": apps}
        size += len(json.dumps(group, indent=2))
        groups.append(group)
        g += 1
    text = json.dumps({"id": "/big", "groups": groups}, indent=2)
    while len(text) > size_mb * 1_000_000 and len(groups) > 1:
        groups.pop()
        text = json.dumps({"id": "/big", "groups": groups}, indent=2)
    with open(out + ".tmp", "w") as f:
        f.write(text)
    os.rename(out + ".tmp", out)
    return out


def json_figures(orchlint, runs):
    """Peak memory and seconds of checking a 9.6 MB Marathon group JSON (under the
    default 10 MiB file size limit), read by the
    JSON reader, and the same text read by the YAML parser (a comment line first
    makes it YAML), medians of runs."""
    path = marathon_group(9.6)
    med = statistics.median
    mib = os.path.getsize(path) / 2**20
    with tempfile.TemporaryDirectory() as tmp:
        as_yaml = os.path.join(tmp, "marathon.yaml")
        with open(path) as src, open(as_yaml, "w") as dst:
            dst.write("# read as YAML\n" + src.read())
        for label, p in (("JSON reader", path), ("YAML parser", as_yaml)):
            got = [run_measured([orchlint, "check", p, "--format", "json", "--no-cache",
                                 "--exit-zero"]) for _ in range(runs)]
            print(f"Marathon group JSON ({mib:.1f} MiB), {label}: {med(g[0] for g in got):.2f} s, "
                  f"peak {med(g[1] for g in got):.0f} MiB (exit {got[0][2]})", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="paired runs per row (default 5)")
    ap.add_argument("--threads", default="1,2", help="orchlint thread counts (default 1,2)")
    ap.add_argument("--sets", default="k8s,compose,both,corpus")
    ap.add_argument("--big", action="store_true", help="add the 40,000-file set (slow)")
    ap.add_argument("--orchlint", help="orchlint binary (default: target/release/orchlint, built)")
    ap.add_argument("--floor", help="floor binary (default: built from ../shared/tools/floor)")
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--peers", action="store_true", help="also time the installed peers")
    ap.add_argument("--formats", default="json,sarif,human,concise,github,gitlab,junit",
                    help="formats whose time and peak memory are measured per set "
                         "(2 threads, --select all, without and with the cache)")
    ap.add_argument("--changed-since", action="store_true",
                    help="also time check --changed-since HEAD on a git copy of the 4,000-file set")
    ap.add_argument("--json", action="store_true",
                    help="also time a 9.6 MB Marathon group JSON (peak memory and seconds)")
    ap.add_argument("--cache-only", action="store_true",
                    help="only the cache's figures (no table against the floor)")
    ap.add_argument("--cache-args", default="",
                    help="more check options for the cache's figures, e.g. "
                         "'--select all --format human'")
    args = ap.parse_args()
    orchlint, floor = build(args)
    threads = [int(t) for t in args.threads.split(",")]
    if args.cache_only:
        print(f"orchlint: {orchlint}; medians of {args.runs} runs; {os.cpu_count()} cores; "
              f"load average {os.getloadavg()[0]:.2f}")
        chosen = sets(args)
        for label, path, kinds in chosen:
            cache_figures(orchlint, label, path, kinds, args.runs, args.cache_args.split())
        if args.changed_since:
            for label, path, kinds in chosen:
                if label.startswith("both"):
                    changed_since_figures(orchlint, label, path, args.runs)
        if args.json:
            json_figures(orchlint, args.runs)
        return

    print(f"orchlint: {orchlint}; floor: {floor} --mode parse --threads 2; "
          f"medians of {args.runs} paired runs; {os.cpu_count()} cores; "
          f"load average {os.getloadavg()[0]:.2f}")
    header = ("| set | files | threads | orchlint s | floor s | orchlint ÷ floor "
              "| orchlint peak MiB | floor peak MiB |")
    print(header)
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    chosen = sets(args)
    per_set = {}
    for label, path, _ in chosen:
        n = floor_files(floor, path)
        floor_cmd = [floor, "--mode", "parse", "--threads", "2", path]
        for t in threads:
            # Every rule on, nothing reused: the content cache would answer the
            # repeated runs from its entry (`--no-cache`; timed on its own below).
            orch_cmd = [orchlint, "check", path, "--format", "json", "--no-cache",
                        "--threads", str(t)]
            o, f, ratio, om, fm, bad = paired(orch_cmd, floor_cmd, args.runs)
            per_set.setdefault(label, {})[t] = o
            note = f" ({bad})" if bad else ""
            print(f"| {label} | {n:,} | {t} | {o:.3f} | {f:.3f} | {ratio:.2f}×{note} "
                  f"| {om:.0f} | {fm:.0f} |", flush=True)
    if 1 in threads and 2 in threads:
        for label, by in per_set.items():
            print(f"{label}: 2 threads are {by[1] / by[2]:.2f}× as fast as 1")

    # Peak memory per output format, every rule on (`--select all`): the report
    # is streamed chunk by chunk, so no format should cost much more than
    # another, nor grow with the set. Without the cache, and with it (a first
    # run into an empty cache, then an unchanged rerun); medians of --runs.
    formats = [f for f in args.formats.split(",") if f]
    if formats:
        print("\n| set | format | --no-cache s | --no-cache peak MiB | cache first s | "
              "cache first peak MiB | cache rerun s | cache rerun peak MiB |")
        print("|---|---|---:|---:|---:|---:|---:|---:|")
        med = statistics.median
        for label, path, _ in chosen:
            for fmt in formats:
                cmd = [orchlint, "check", path, "--format", fmt, "--select", "all",
                       "--threads", "2", "--color", "never"]
                plain = [run_measured(cmd + ["--no-cache"]) for _ in range(args.runs)]
                first, again = [], []
                with tempfile.TemporaryDirectory() as tmp:
                    cached = cmd + ["--cache-dir", os.path.join(tmp, "cache")]
                    for _ in range(args.runs):
                        shutil.rmtree(os.path.join(tmp, "cache"), ignore_errors=True)
                        first.append(run_measured(cached))
                    again = [run_measured(cached) for _ in range(args.runs)]
                cells = []
                for runs in (plain, first, again):
                    cells += [f"{med(r[0] for r in runs):.3f}", f"{med(r[1] for r in runs):.0f}"]
                print(f"| {label} | {fmt} | " + " | ".join(cells) + " |", flush=True)

    # The content cache, per set: first run (empty cache), unchanged rerun, and a
    # rerun after editing one file; then --changed-since on a git copy.
    print()
    for label, path, kinds in chosen:
        cache_figures(orchlint, label, path, kinds, args.runs, args.cache_args.split())
    if args.changed_since:
        for label, path, kinds in chosen:
            if label.startswith("both"):
                changed_since_figures(orchlint, label, path, args.runs)
    if args.json:
        json_figures(orchlint, args.runs)

    if args.peers:
        print("\n| peer | set | seconds | peak MiB | ÷ orchlint (2 threads) |")
        print("|---|---|---:|---:|---:|")
        for name, kinds, make in PEERS:
            if not shutil.which(name):
                print(f"| {name} | not installed: skipped | | | |")
                continue
            for label, path, have in chosen:
                if not kinds & have:
                    continue
                cmd = peer_cmd(name, make, path)
                if cmd is None:
                    continue
                s, mib, rc = run_measured(cmd)
                base = per_set.get(label, {}).get(2) or per_set.get(label, {}).get(threads[0])
                rel = f"{s / base:.1f}×" if base else ""
                print(f"| {name} | {label} | {s:.2f} (exit {rc}) | {mib:.0f} | {rel} |", flush=True)


if __name__ == "__main__":
    main()
