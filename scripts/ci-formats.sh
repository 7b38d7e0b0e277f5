#!/usr/bin/env bash
# The CI-facing outputs, checked with the real consumers' tools:
#  1. orchlint's SARIF for a fixture repository must pass Microsoft's SARIF
#     Multitool (`validate --rule-kind "Gh;Sarif"`) with no error and no warning.
#  2. The pre-commit hook (.pre-commit-hooks.yaml) must fail on a repository with
#     bad specs and pass on a clean one, run by the real pre-commit with the
#     hook's language (python) installing orchlint from the wheel.
# Usage: scripts/ci-formats.sh path/to/orchlint path/to/orchlint.whl
#        (from the repository root; scripts/ci-wheel.sh builds the wheel)
set -euo pipefail
cd "$(dirname "$0")/.."

orchlint="$(realpath "$1")"
wheel="$(realpath "$2")"
MULTITOOL_VERSION=5.7.0
PRE_COMMIT_VERSION=4.7.0
tools="$PWD/target/ci-tools"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$tools"

echo "== SARIF: Sarif.Multitool $MULTITOOL_VERSION validate --rule-kind Gh;Sarif"
npm install --prefix "$tools/npm" --no-audit --no-fund --loglevel=error \
  "@microsoft/sarif-multitool-linux@$MULTITOOL_VERSION" >/dev/null
multitool="$tools/npm/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
chmod +x "$multitool"
# A self-contained .NET program: without ICU it must not look for it.
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

# Validates a SARIF file; prints the Multitool's console output and the number of
# error and warning results it logged (its exit code is 0 either way).
validate() {
  local input="$1" log="$2"
  # The input comes first: list options such as --log would swallow it.
  "$multitool" validate "$input" --rule-kind "Gh;Sarif" --output "$log" --log ForceOverwrite
  python3 - "$log" <<'EOF'
import json, sys
log = json.load(open(sys.argv[1], encoding="utf-8"))
bad = [r for run in log.get("runs", []) for r in run.get("results", [])
       # A result without a level is a warning (SARIF 3.27.10).
       if r.get("level", "warning") in ("error", "warning")]
for r in bad:
    print(f"  {r.get('level', 'warning')} {r.get('ruleId')}: {r.get('message')}")
print(f"validation: {len(bad)} error/warning result(s)")
sys.exit(1 if bad else 0)
EOF
}

status=0
"$orchlint" check fixtures/ci/repo --isolated --format "sarif=$work/orchlint.sarif" --format concise || status=$?
if [ "$status" -ne 1 ]; then
  echo "orchlint should report the fixture repository's findings (exit 1), got $status" >&2
  exit 1
fi
python3 - "$work/orchlint.sarif" <<'EOF'
import json, sys
results = json.load(open(sys.argv[1], encoding="utf-8"))["runs"][0]["results"]
assert len(results) >= 5, f"expected the fixture's findings in the SARIF, got {len(results)}"
# The fixture suppresses one finding with a reason: the Multitool checks its form.
suppressed = [r for r in results if r.get("suppressions")]
assert suppressed and suppressed[0]["suppressions"][0].get("justification"), "expected a suppressed result"
print(f"orchlint SARIF: {len(results)} results, {len(suppressed)} suppressed")
EOF
validate "$work/orchlint.sarif" "$work/validation.sarif"

# The validator must catch a broken log, or the check above proves nothing.
python3 - "$work/orchlint.sarif" "$work/broken.sarif" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
del doc["$schema"]
region = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
del region["startLine"]
json.dump(doc, open(sys.argv[2], "w", encoding="utf-8"))
EOF
if validate "$work/broken.sarif" "$work/broken-validation.sarif" >/dev/null; then
  echo "the SARIF Multitool accepted a broken log: the validation is not working" >&2
  exit 1
fi
echo "(a deliberately broken SARIF log is rejected, as it should be)"

echo "== pre-commit $PRE_COMMIT_VERSION: the hook installed from the wheel"
if [ ! -x "$tools/venv/bin/pre-commit" ] || ! "$tools/venv/bin/pre-commit" --version | grep -q " $PRE_COMMIT_VERSION\$"; then
  rm -rf "$tools/venv"
  python3 -m venv "$tools/venv"
  "$tools/venv/bin/pip" install --quiet --disable-pip-version-check "pre-commit==$PRE_COMMIT_VERSION"
fi
# The hook's `files` pattern (a Python regex, as pre-commit reads it) passes
# exactly the names orchlint reads: .yaml, .yml and .json, in any case.
"$tools/venv/bin/python" - <<'PY'
import re, yaml
hook = yaml.safe_load(open(".pre-commit-hooks.yaml", encoding="utf-8"))[0]
files = re.compile(hook["files"])
yes = ["compose.yaml", "k8s/app.yml", "marathon/app.json", "DOCKER-COMPOSE.YML", "a b/c.Yaml"]
no = ["README.md", "Dockerfile", "values.toml", "app.json5", "compose.yaml.orig", "yaml"]
wrong = [n for n in yes if not files.search(n)] + [n for n in no if files.search(n)]
assert not wrong, f"files pattern {hook['files']!r} is wrong for {wrong}"
print(f"hook files pattern {hook['files']!r}: passes {len(yes)} spec names, rejects {len(no)} others")
PY
export PRE_COMMIT_HOME="$work/pre-commit-home"

# `pre-commit try-repo` on this checkout would `pip install` the repository,
# which builds the wheel again with maturin and compiles the whole crate a
# second time (the clone lives at another path, so cargo cannot reuse the
# release build). The hook is run instead exactly as the manifest declares it
# (entry, language, files, ...) from a `repo: local` config whose only
# dependency is the wheel CI just built: pre-commit makes its Python
# environment and pip installs orchlint from the wheel, as it would from PyPI
# with `additional_dependencies: [orchlint==VERSION]`.
"$tools/venv/bin/python" - "$wheel" "$work/hook-config.yaml" <<'PY'
import sys, yaml
wheel, out = sys.argv[1:]
hook = dict(yaml.safe_load(open(".pre-commit-hooks.yaml", encoding="utf-8"))[0])
assert hook["language"] == "python", f"the hook should install with pip, not {hook['language']}"
hook["additional_dependencies"] = [wheel]
yaml.safe_dump({"repos": [{"repo": "local", "hooks": [hook]}]}, open(out, "w", encoding="utf-8"))
PY

# A git repository holding a copy of a fixture; prints its path.
fixture_repo() {
  local repo="$work/$1"
  mkdir -p "$repo"
  cp -R "$2/." "$repo/"
  git -C "$repo" init -q
  git -C "$repo" add .
  git -C "$repo" -c user.name=ci -c user.email=ci@example.invalid -c commit.gpgsign=false commit -qm fixture
  echo "$repo"
}

run_hook() {
  (cd "$1" && "$tools/venv/bin/pre-commit" run --config "$work/hook-config.yaml" orchlint --all-files --color never)
}

bad="$(fixture_repo bad fixtures/ci/repo)"
status=0
run_hook "$bad" >"$work/bad.out" 2>&1 || status=$?
sed -n '/^orchlint\.\.\./,$p' "$work/bad.out"
if [ "$status" -ne 1 ] || ! grep -q "security/privileged-container" "$work/bad.out"; then
  cat "$work/bad.out" >&2
  echo "pre-commit: the hook should fail on the bad fixture with its findings (exit $status)" >&2
  exit 1
fi

clean="$(fixture_repo clean fixtures/ci/clean)"
status=0
run_hook "$clean" >"$work/clean.out" 2>&1 || status=$?
sed -n '/^orchlint\.\.\./,$p' "$work/clean.out"
if [ "$status" -ne 0 ] || ! grep -q "^orchlint\.*Passed" "$work/clean.out"; then
  cat "$work/clean.out" >&2
  echo "pre-commit: the hook should pass on the clean fixture (exit $status)" >&2
  exit 1
fi
echo "CI formats: SARIF valid, pre-commit hook fails on bad specs and passes on clean ones"
