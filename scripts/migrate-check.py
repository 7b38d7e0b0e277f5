#!/usr/bin/env python3
"""`orchlint migrate --to kubernetes` validated by the real Kubernetes schema.

Migrates every project of fixtures/migrate and, when given, of a corpus folder
into a temporary folder, then validates every written manifest with
`kubernetes-validate --strict` (the API's OpenAPI schemas, unknown fields
refused) and with orchlint's own check (no error allowed). Prints per source
format how many projects were written and refused, and the constructs left for
a person (the bullets of each MIGRATION.md, their names stripped), by frequency.
Exits 1 when a manifest fails validation or orchlint reports an error on one.

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


def migrate(orchlint, src, out):
    p = subprocess.run([orchlint, "migrate", ".", "--to", "kubernetes", "--out", out],
                       cwd=src, capture_output=True, text=True)
    if p.returncode not in (0, 1):
        sys.exit(f"migrate failed on {src}: {p.stderr}")
    written = [l for l in p.stdout.splitlines() if " files for kubernetes in " in l]
    refused = [l for l in p.stderr.splitlines() if "not migrated" in l]
    return written, refused


def kind_of(line):
    # The project's root as printed starts with the corpus kind folder.
    return line.split("/", 1)[0].split(":", 1)[0]


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
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
