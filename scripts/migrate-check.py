#!/usr/bin/env python3
"""`orchlint migrate` in every direction, validated by the real tools.

Migrates every project of fixtures/migrate to each target (`--to kubernetes`,
`compose`, `swarm`, `dokku`) and, when given, every project of a corpus folder
to what the advisor recommends (no `--to`), each into a temporary folder. Then:

- Kubernetes manifests: `kubernetes-validate --strict` (the API's OpenAPI
  schemas, unknown fields refused);
- Compose files and Swarm stacks: `docker-compose config --quiet` (Debian's
  docker-compose) and `check-jsonschema --builtin-schema vendor.compose-spec`;
- Dokku scripts: `sh -n`;
- Nomad job files (`--to nomad`): parsed with python-hcl2 (an HCL2 parser
  independent of the crate orchlint writes with), with the structure promised: one
  `job` block named as its file, a known job type, groups with a `count` where the
  type keeps one, and in each group Docker tasks with an image;
- everything: orchlint's own check, no error allowed.

A validator that is not installed is skipped with a message. Prints per run the
projects written and refused per direction and per source kind, the reasons for
refusals, and every construct left for a person (the bullets of each
MIGRATION.md's "No equivalent" section, names stripped) with how often it
occurs. Exits 1 when a file fails a validator or orchlint reports an error.

Usage: scripts/migrate-check.py ORCHLINT KUBERNETES_VALIDATE [CORPUS]
(check-jsonschema is looked up beside KUBERNETES_VALIDATE, then on PATH.)
"""
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGETS = ["kubernetes", "compose", "swarm", "dokku"]
WRITTEN = re.compile(r"^(.*): \d+ files for (\w+) in (.*) \(\d+ left for a person")
REFUSED = re.compile(r"^orchlint: (.*): not migrated to (\w+): (.*)$")


def migrate(orchlint, src, out, target):
    args = [orchlint, "migrate", ".", "--out", out]
    if target:
        args += ["--to", target]
    p = subprocess.run(args, cwd=src, capture_output=True, text=True)
    if p.returncode not in (0, 1):
        sys.exit(f"migrate failed on {src}: {p.stderr}")
    written = [m.groups() for m in map(WRITTEN.match, p.stdout.splitlines()) if m]
    refused = [m.groups() for m in map(REFUSED.match, p.stderr.splitlines()) if m]
    return written, refused


def kind_of(root):
    # The project's root as printed starts with the corpus kind folder.
    return root.split("/", 1)[0]


def tool(name, beside):
    near = os.path.join(os.path.dirname(beside), name) if beside else ""
    if near and os.access(near, os.X_OK):
        return near
    return shutil.which(name)


def run_lines(args, cwd=None):
    p = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    return p.returncode, [l for l in (p.stdout + p.stderr).splitlines() if l.strip()]


def validate(out, tools, homes):
    """Every written file through its validators: (files per kind, failures).
    `homes` maps a project's output folder to its source folder: a Compose file
    is read as if it sat beside the sources (its build contexts and bind mounts
    are relative to them), as MIGRATION.md tells a person to put it."""
    kube, compose, scripts = [], [], []
    for d, _, files in os.walk(out):
        for f in files:
            path = os.path.join(d, f)
            if f in ("compose.yaml", "docker-stack.yml"):
                compose.append(path)
            elif f == "dokku-setup.sh":
                scripts.append(path)
            elif f.endswith(".yaml") and f != "kustomization.yaml":
                kube.append(path)
    bad = []
    if tools["kubernetes-validate"]:
        kube.sort()
        for i in range(0, len(kube), 200):
            _, lines = run_lines([tools["kubernetes-validate"], "--strict", "--quiet"] + kube[i:i + 200])
            bad += ["kubernetes-validate: " + l for l in lines if not l.startswith("INFO")]
    for f in sorted(compose):
        if tools["docker-compose"]:
            home = homes.get(os.path.realpath(os.path.dirname(f)), os.path.dirname(f))
            rc, lines = run_lines([tools["docker-compose"], "--project-directory", home,
                                   "-f", os.path.abspath(f), "config", "--quiet"], cwd=home)
            # Unset variables are warnings (a value for `.env`), not failures.
            # A build context the source names but the tree does not hold (the
            # shared corpus keeps spec files only) is the source's, not the
            # migration's: counted and printed apart, not a failure.
            missing = [l for l in lines if "build path" in l and "does not exist" in l]
            if rc != 0 and missing and len(missing) == len([l for l in lines if "ERROR" in l or "build path" in l]):
                print(f"  build context absent from the source tree (not judged): {os.path.relpath(f, out)}")
            elif rc != 0:
                bad += [f"docker-compose config: {os.path.relpath(f, out)}: {l}" for l in lines]
    if tools["check-jsonschema"]:
        compose.sort()
        for i in range(0, len(compose), 200):
            rc, lines = run_lines([tools["check-jsonschema"], "--builtin-schema", "vendor.compose-spec"]
                                  + compose[i:i + 200])
            if rc != 0:
                bad += [f"check-jsonschema: {l}" for l in lines]
    for f in sorted(scripts):
        rc, lines = run_lines(["sh", "-n", f])
        if rc != 0:
            bad += [f"sh -n: {os.path.relpath(f, out)}: {l}" for l in lines]
    return {"kubernetes": len(kube), "compose/stack": len(compose), "dokku": len(scripts)}, bad


def check_run(orchlint, name, src, target, tools):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out")
        written, refused = migrate(orchlint, src, out, target)
        homes = {os.path.realpath(d): os.path.join(src, root) for root, _, d in written}
        counts, bad = validate(out, tools, homes) if os.path.isdir(out) else ({}, [])
        errors = []
        if os.path.isdir(out):
            chk = subprocess.run([orchlint, "check", "--isolated", "--no-cache", "--exit-zero",
                                  "--format", "json", out], capture_output=True, text=True)
            errors = [d for d in json.loads(chk.stdout)["diagnostics"] if d["severity"] == "error"]
        left = left_for_a_person(out) if os.path.isdir(out) else collections.Counter()
    files = ", ".join(f"{n} {k}" for k, n in counts.items() if n)
    print(f"{name} --to {target or '(the recommendation)'}: {len(written)} projects written"
          f" ({files or 'no files'}), {len(refused)} refused; validator failures: {len(bad)};"
          f" orchlint errors: {len(errors)}")
    per_dir = collections.Counter(t for _, t, _ in written)
    ref_dir = collections.Counter(t for _, t, _ in refused)
    for t in sorted(set(per_dir) | set(ref_dir)):
        per_kind = collections.Counter(kind_of(r) for r, tt, _ in written if tt == t)
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(per_kind.items()))
        print(f"  to {t:10} written {per_dir[t]:4}  refused {ref_dir[t]:4}   ({kinds})")
    reasons = collections.Counter(f"{t}: {why[:150]}" for _, t, why in refused)
    for r, n in reasons.most_common():
        print(f"  refused {n:4}: {r}")
    print(f"  left for a person ({sum(left.values())} in all, {len(left)} kinds), by frequency:")
    for what, n in left.most_common():
        print(f"    {n:4}  {what}")
    for l in bad[:30]:
        print("  INVALID:", l)
    for e in errors[:30]:
        print(f"  ERROR: {e['file']}:{e['start']['line']}: {e['rule']} {e['message']}")
    return bool(bad) or bool(errors)


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
        per_kind = collections.Counter(kind_of(w[0]) for w in written)
        refused_kind = collections.Counter(kind_of(r[0]) for r in refused)
        name = os.path.relpath(src, ROOT)
        print(f"{name} --to nomad: {len(written)} projects written ({len(jobs)} job files), "
              f"{len(refused)} refused; python-hcl2 parse or structure failures: {len(bad)}")
        for k in sorted(set(per_kind) | set(refused_kind)):
            print(f"  {k:12} written {per_kind[k]:4}  refused {refused_kind[k]:4}")
        reasons = collections.Counter(r[2] for r in refused)
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
    orchlint, kv = os.path.abspath(sys.argv[1]), sys.argv[2]
    tools = {
        "kubernetes-validate": kv if os.access(kv, os.X_OK) else shutil.which(kv),
        "check-jsonschema": tool("check-jsonschema", kv),
        "docker-compose": shutil.which("docker-compose"),
    }
    for name, path in tools.items():
        if not path:
            print(f"{name} is not installed: its validation is skipped")
    failed = False
    fixtures = os.path.join(ROOT, "fixtures", "migrate")
    for target in TARGETS:
        failed |= check_run(orchlint, "fixtures/migrate", fixtures, target, tools)
    if len(sys.argv) > 3 and os.path.isdir(sys.argv[3]):
        failed |= check_run(orchlint, "corpus", os.path.abspath(sys.argv[3]), None, tools)
    elif len(sys.argv) > 3:
        print(f"no corpus at {sys.argv[3]}: only the fixtures are migrated")
    nomad_sources = [fixtures]
    if len(sys.argv) > 3 and os.path.isdir(sys.argv[3]):
        nomad_sources.append(os.path.abspath(sys.argv[3]))
    for src in nomad_sources:
        failed |= not check_nomad(orchlint, src)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
