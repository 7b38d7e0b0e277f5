#!/usr/bin/env python3
"""`orchlint migrate` validated by tools other than orchlint.

Migrates every project of fixtures/migrate and, when given, of a corpus folder
into a temporary folder, then
- `--to kubernetes`: validates every written manifest with `kubernetes-validate
  --strict` (the API's OpenAPI schemas, unknown fields refused) and with
  orchlint's own check (no error allowed);
- `--to nomad`: parses every written job file with python-hcl2 (an HCL2 parser
  independent of the crate orchlint writes with) and checks its structure: one
  `job` block named as its file, a known job type, groups with a `count` where
  the type keeps one, and in each group Docker tasks with an image.
Prints per source format how many projects were written and refused, and the
constructs left for a person (the bullets of each MIGRATION.md, their names
stripped), by frequency. Exits 1 when a file fails validation or parsing, or
orchlint reports an error on one.

Usage: scripts/migrate-check.py ORCHLINT KUBERNETES_VALIDATE [CORPUS]
"""
import collections
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def migrate(orchlint, src, out, to="kubernetes"):
    p = subprocess.run([orchlint, "migrate", ".", "--to", to, "--out", out],
                       cwd=src, capture_output=True, text=True)
    if p.returncode not in (0, 1):
        sys.exit(f"migrate failed on {src}: {p.stderr}")
    written = [l for l in p.stdout.splitlines() if f" files for {to} in " in l]
    refused = [l for l in p.stderr.splitlines() if "not migrated" in l]
    return written, refused


def kind_of(line):
    # The project's root as printed starts with the corpus kind folder.
    return line.split("/", 1)[0].split(":", 1)[0]


def left_for_a_person(out):
    """The bullets of every MIGRATION.md's "No equivalent" section under `out`,
    names, numbers and quoted values stripped, counted."""
    left = collections.Counter()
    for d, _, files in os.walk(out):
        if "MIGRATION.md" not in files:
            continue
        section = ""
        for line in open(os.path.join(d, "MIGRATION.md"), encoding="utf-8"):
            if line.startswith("## "):
                section = line[3:].strip()
            elif line.startswith("- ") and section.startswith("No equivalent"):
                what = re.sub(r"^- \S+:\d+:\d+: ", "", line.strip())
                what = re.sub(r"`[^`]*`", "`…`", what)
                what = re.sub(r"\"[^\"]*\"", "\"…\"", what)
                what = re.sub(r"\d+", "N", what)
                left[what[:110]] += 1
    return left


def unquote(v):
    return v[1:-1] if isinstance(v, str) and len(v) >= 2 and v[0] == v[-1] == '"' else v


def labelled(blocks):
    """python-hcl2's labelled blocks (`[{'"name"': {...}}]`) as (name, body) pairs."""
    for b in blocks or []:
        for label, body in b.items():
            if label != "__is_block__":
                yield unquote(label), body


def nomad_job_problems(path, hcl2):
    """What is wrong with one written job file: an empty list when it parses and
    has the structure `migrate --to nomad` promises."""
    try:
        with open(path, encoding="utf-8") as f:
            doc = hcl2.load(f)
    except Exception as e:  # any parse error of the third-party parser
        return [f"{path}: does not parse: {e}"]
    jobs = list(labelled(doc.get("job")))
    if len(jobs) != 1:
        return [f"{path}: {len(jobs)} job blocks"]
    name, job = jobs[0]
    problems = []
    if name + ".nomad.hcl" != os.path.basename(path):
        problems.append(f"{path}: job {name!r} is not named as its file")
    kind = unquote(job.get("type"))
    if kind not in ("service", "system", "batch", "sysbatch"):
        problems.append(f"{path}: job type {kind!r}")
    groups = list(labelled(job.get("group")))
    if not groups:
        problems.append(f"{path}: no group")
    for gname, group in groups:
        counted = isinstance(group.get("count"), int) and group["count"] >= 0
        if counted != (kind in ("service", "batch")):
            problems.append(f"{path}: group {gname!r} of a {kind} job: count {group.get('count')!r}")
        tasks = list(labelled(group.get("task")))
        if not tasks:
            problems.append(f"{path}: group {gname!r} has no task")
        for tname, task in tasks:
            config = (task.get("config") or [{}])[0]
            if unquote(task.get("driver")) != "docker" or not unquote(config.get("image")):
                problems.append(f"{path}: task {tname!r} of group {gname!r} is not a Docker task with an image")
    return problems


def check_nomad(orchlint, src):
    """Migrates `src` to Nomad and parses what was written; true when all is well."""
    try:
        import hcl2
    except ImportError:
        sys.exit("python-hcl2 is not installed: `pip install python-hcl2==8.1.4`")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out")
        written, refused = migrate(orchlint, src, out, "nomad")
        jobs = sorted(os.path.join(d, f) for d, _, files in os.walk(out)
                      for f in files if f.endswith(".nomad.hcl"))
        bad = [p for j in jobs for p in nomad_job_problems(j, hcl2)]
        per_kind = collections.Counter(kind_of(l) for l in written)
        refused_kind = collections.Counter(kind_of(l.split("orchlint: ", 1)[-1]) for l in refused)
        name = os.path.relpath(src, ROOT)
        print(f"{name} --to nomad: {len(written)} projects written ({len(jobs)} job files), "
              f"{len(refused)} refused; python-hcl2 parse or structure failures: {len(bad)}")
        for k in sorted(set(per_kind) | set(refused_kind)):
            print(f"  {k:12} written {per_kind[k]:4}  refused {refused_kind[k]:4}")
        reasons = collections.Counter(l.split(": not migrated to nomad: ", 1)[-1] for l in refused)
        for r, n in reasons.most_common():
            print(f"  refused {n:4}: {r}")
        # The source system of each project, as its MIGRATION.md names it.
        systems = collections.Counter()
        for d, _, files in os.walk(out):
            if "MIGRATION.md" in files:
                with open(os.path.join(d, "MIGRATION.md"), encoding="utf-8") as f:
                    m = re.match(r"# Migrating `[^`]*` from (.*) to Nomad", f.readline())
                systems[m.group(1) if m else "?"] += 1
        for system, n in systems.most_common():
            print(f"  from {system}: {n}")
        left = left_for_a_person(out)
        print(f"  left for a person ({sum(left.values())} in all), by frequency:")
        for what, n in left.most_common():
            print(f"    {n:4}  {what}")
        for l in bad[:20]:
            print("  INVALID:", l)
        return not bad


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    orchlint, validate = os.path.abspath(sys.argv[1]), sys.argv[2]
    sources = [os.path.join(ROOT, "fixtures", "migrate")]
    if len(sys.argv) > 3 and os.path.isdir(sys.argv[3]):
        sources.append(os.path.abspath(sys.argv[3]))
    elif len(sys.argv) > 3:
        print(f"no corpus at {sys.argv[3]}: only the fixtures are migrated")
    failed = False
    for src in sources:
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "out")
            written, refused = migrate(orchlint, src, out)
            manifests = []
            for d, _, files in os.walk(out):
                manifests += [os.path.join(d, f) for f in files
                              if f.endswith(".yaml") and f != "kustomization.yaml"]
            manifests.sort()
            bad = []
            for i in range(0, len(manifests), 200):
                p = subprocess.run([validate, "--strict", "--quiet"] + manifests[i:i + 200],
                                   capture_output=True, text=True)
                bad += [l for l in (p.stdout + p.stderr).splitlines()
                        if l.strip() and not l.startswith("INFO")]
            chk = subprocess.run([orchlint, "check", "--isolated", "--no-cache", "--exit-zero",
                                  "--format", "json", out], capture_output=True, text=True)
            errors = [d for d in json.loads(chk.stdout)["diagnostics"] if d["severity"] == "error"]
            per_kind = collections.Counter(kind_of(l) for l in written)
            refused_kind = collections.Counter(kind_of(l.split("orchlint: ", 1)[-1]) for l in refused)
            left = left_for_a_person(out)
            name = os.path.relpath(src, ROOT)
            print(f"{name}: {len(written)} projects written ({len(manifests)} manifests), "
                  f"{len(refused)} refused; kubernetes-validate --strict failures: {len(bad)}; "
                  f"orchlint errors: {len(errors)}")
            for k in sorted(set(per_kind) | set(refused_kind)):
                print(f"  {k:12} written {per_kind[k]:4}  refused {refused_kind[k]:4}")
            reasons = collections.Counter(l.split(": not migrated to kubernetes: ", 1)[-1] for l in refused)
            for r, n in reasons.most_common():
                print(f"  refused {n:4}: {r}")
            print("  left for a person, by frequency:")
            for what, n in left.most_common(12):
                print(f"    {n:4}  {what}")
            for l in bad[:20]:
                print("  INVALID:", l)
            for e in errors[:20]:
                print(f"  ERROR: {e['file']}:{e['start']['line']}: {e['rule']} {e['message']}")
            failed |= bool(bad) or bool(errors)
    for src in sources:
        failed |= not check_nomad(orchlint, src)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
