#!/usr/bin/env python3
"""Prints orchlint's advice over a corpus as a Markdown table.

Usage: scripts/advice-table.py BINARY CORPUS_DIR [--before OTHER_BINARY] [--review FILE]

Runs `BINARY advise --format json .` inside CORPUS_DIR and prints, per project:
root, current orchestrator, scale class, estimated hosts, stateful, whether the
current orchestrator fits, and the recommended orchestrator; then the projects
left out with their reason, and summary counts per current orchestrator.
With --before, runs OTHER_BINARY the same way and prints how many verdicts
(fits / recommendation) changed between the two, matching projects by root
and files.
With --review, marks the verdicts a reviewer would not sign. FILE holds lines
`=CODE<TAB>reason` (what is wrong with every verdict marked CODE) and
`CODE<TAB>regex` (a regex searched in "ROOT :: FILE FILE ..." with the files'
base names); a row may carry several codes. Blank lines and `#` lines are skipped.
Binaries older than the `fit` object report fits as `recommendation.fits_current`.
"""
import collections
import json
import os
import re
import shutil
import subprocess
import sys


def advise(binary, corpus):
    # The binary runs inside the corpus: resolve a relative path first.
    if os.sep in binary:
        binary = os.path.abspath(binary)
    else:
        binary = shutil.which(binary) or binary
    out = subprocess.run(
        [binary, "advise", "--format", "json", "."],
        cwd=corpus,
        capture_output=True,
        text=True,
    )
    if out.returncode not in (0, 1):
        sys.exit(f"{binary} advise exited {out.returncode}: {out.stderr.strip()}")
    try:
        return json.loads(out.stdout)
    except ValueError as e:
        sys.exit(f"{binary} advise printed no JSON: {e}")


def row(p):
    fit = p.get("fit")
    rec = p.get("recommendation") or {}
    fits = fit["fits"] if fit else rec.get("fits_current")
    scale = p.get("scale") or {}
    return {
        "root": p["root"],
        "key": (p["root"], tuple(p.get("files") or ())),
        "files": p.get("files") or [],
        "current": p.get("current") or "-",
        "class": scale.get("class", "-"),
        "hosts": scale.get("estimated_hosts", "-"),
        "stateful": p.get("stateful"),
        "fits": fits,
        "recommended": rec.get("orchestrator") or "-",
    }


def label(rows):
    """Several projects can share a root folder (one per file or per group of
    files there): name them by root plus the files, relative to the root."""
    per_root = collections.Counter(r["root"] for r in rows)
    for r in rows:
        if per_root[r["root"]] > 1:
            rel = [f[len(r["root"]) + 1 :] if f.startswith(r["root"] + "/") else f for f in r["files"]]
            more = f" +{len(rel) - 2}" if len(rel) > 2 else ""
            r["label"] = f"{r['root']} ({', '.join(rel[:2])}{more})"
        else:
            r["label"] = r["root"]


# A code marking more rows than this is left to the table's column, not listed.
LIST_AT_MOST = 40


def read_review(path):
    reasons, patterns = collections.OrderedDict(), []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            code, sep, rest = line.partition("\t")
            if not sep or not rest:
                sys.exit(f"{path}:{n}: expected CODE<TAB>text")
            if code.startswith("="):
                reasons[code[1:]] = rest
            else:
                try:
                    patterns.append((code, re.compile(rest), n))
                except re.error as e:
                    sys.exit(f"{path}:{n}: bad regex: {e}")
    for code, _, n in patterns:
        if code not in reasons:
            sys.exit(f"{path}:{n}: code {code} has no `={code}` reason line")
    return reasons, patterns


def mark(rows, patterns):
    used = set()
    for r in rows:
        subject = r["root"] + " :: " + " ".join(os.path.basename(f) for f in r["files"])
        codes = []
        for code, rx, n in patterns:
            if rx.search(subject):
                used.add(n)
                if code not in codes:
                    codes.append(code)
        r["unsigned"] = codes
    return [n for _, _, n in patterns if n not in used]


def yes(v):
    return "yes" if v else ("no" if v is not None else "-")


def cell(s):
    return str(s).replace("|", "\\|")


def table(rows, review):
    head = "| project | current | class | hosts | stateful | fits | recommended |"
    rule = "|---|---|---|---:|---|---|---|"
    if review:
        head += " unsigned |"
        rule += "---|"
    print(head)
    print(rule)
    for r in rows:
        line = (
            f"| {cell(r['label'])} | {r['current']} | {r['class']} | {r['hosts']} "
            f"| {yes(r['stateful'])} | {yes(r['fits'])} | {r['recommended']} |"
        )
        if review:
            line += f" {' '.join(r['unsigned'])} |"
        print(line)


def summary(rows):
    per = collections.OrderedDict()
    for r in sorted(rows, key=lambda r: r["current"]):
        s = per.setdefault(
            r["current"], {"n": 0, "fit": 0, "moves": collections.Counter()}
        )
        s["n"] += 1
        s["fit"] += bool(r["fits"])
        if r["recommended"] != r["current"]:
            s["moves"][r["recommended"]] += 1
    print("| current | projects | fit | recommended a move (to) |")
    print("|---|---:|---:|---|")
    for cur, s in per.items():
        moves = sum(s["moves"].values())
        to = ", ".join(f"{k} {v}" for k, v in s["moves"].most_common())
        print(f"| {cur} | {s['n']} | {s['fit']} | {moves}{' (' + to + ')' if to else ''} |")
    n = len(rows)
    fit = sum(bool(r["fits"]) for r in rows)
    moves = sum(r["recommended"] != r["current"] for r in rows)
    print(f"| **all** | {n} | {fit} | {moves} |")


def main(argv):
    opts = {}
    for flag in ("--before", "--review"):
        if flag in argv:
            i = argv.index(flag)
            if i + 1 >= len(argv):
                sys.exit(f"{flag} needs a value")
            opts[flag] = argv[i + 1]
            argv = argv[:i] + argv[i + 2 :]
    before = opts.get("--before")
    review = read_review(opts["--review"]) if "--review" in opts else None
    if len(argv) != 3:
        sys.exit(__doc__.strip().splitlines()[2])
    binary, corpus = argv[1], argv[2]
    data = advise(binary, corpus)
    rows = sorted((row(p) for p in data["projects"]), key=lambda r: r["key"])
    label(rows)
    if review:
        unused = mark(rows, review[1])
        if unused:
            sys.exit(f"review patterns that match no project (lines {unused}): fix or drop them")
    left = data.get("left_out") or []

    print("## Summary\n")
    summary(rows)
    print(
        f"\n{len(rows)} projects advised, "
        f"{data.get('projects_left_out', len(left))} left out.\n"
    )

    if before:
        old = advise(before, corpus)
        old_list = [row(p) for p in old["projects"]]
        old_rows = {r["key"]: r for r in old_list}
        new_rows = {r["key"]: r for r in rows}
        common = sorted(set(old_rows) & set(new_rows))
        fits_changed = [k for k in common if old_rows[k]["fits"] != new_rows[k]["fits"]]
        rec_changed = [
            k for k in common if old_rows[k]["recommended"] != new_rows[k]["recommended"]
        ]
        either = set(fits_changed) | set(rec_changed)
        old_fit = sum(bool(r["fits"]) for r in old_rows.values())
        old_moves = sum(r["recommended"] != r["current"] for r in old_rows.values())
        print("## Before (per current orchestrator)\n")
        summary(old_list)
        print()
        print("## Before and after\n")
        print("| | before | after |")
        print("|---|---:|---:|")
        print(f"| projects advised | {len(old_rows)} | {len(new_rows)} |")
        print(f"| left out | {old.get('projects_left_out', '-')} | {data.get('projects_left_out', '-')} |")
        print(f"| current fits | {old_fit} | {sum(bool(r['fits']) for r in rows)} |")
        print(
            f"| recommended a move | {old_moves} | "
            f"{sum(r['recommended'] != r['current'] for r in rows)} |"
        )
        print(
            f"\nOf {len(common)} projects in both runs: fits changed on {len(fits_changed)}, "
            f"recommendation changed on {len(rec_changed)} ({len(either)} either); "
            f"{len(set(old_rows) - set(new_rows))} projects only before, "
            f"{len(set(new_rows) - set(old_rows))} only after (grouped differently).\n"
        )
        flows = collections.Counter(
            (old_rows[k]["recommended"], new_rows[k]["recommended"]) for k in rec_changed
        )
        if flows:
            print("| recommendation before | after | projects |")
            print("|---|---|---:|")
            for (a, b), n in flows.most_common():
                print(f"| {a} | {b} | {n} |")
            print()

    if review:
        reasons = review[0]
        marked = [r for r in rows if r["unsigned"]]
        print("## Unsigned verdicts\n")
        print(
            f"{len(marked)} of {len(rows)} verdicts are not signed "
            f"({len(rows) - len(marked)} signed). A row may carry several codes.\n"
        )
        print("| code | rows | rows with no other code | why the verdict is not signed |")
        print("|---|---:|---:|---|")
        for code, why in reasons.items():
            n = sum(code in r["unsigned"] for r in rows)
            alone = sum(r["unsigned"] == [code] for r in rows)
            print(f"| {code} | {n} | {alone} | {cell(why)} |")
        print()
        for code in reasons:
            hit = [r for r in rows if code in r["unsigned"]]
            if not hit or len(hit) > LIST_AT_MOST:
                continue
            print(f"**{code}**: " + "; ".join(
                f"{r['label']} ({r['current']} → {r['recommended']}, {r['class']}/{r['hosts']})" for r in hit
            ) + "\n")

    print("## Projects\n")
    table(rows, review)
    print("\n## Left out\n")
    print("| folder | reason |")
    print("|---|---|")
    for lo in sorted(left, key=lambda x: x["root"]):
        print(f"| {cell(lo['root'])} | {cell(lo['reason'])} |")


if __name__ == "__main__":
    main(sys.argv)
