#!/usr/bin/env bash
# Installs a released orchlint binary: downloads the standalone archive built
# by the release workflow for this OS and architecture, checks it against the
# SHA-256 published beside it, and unpacks the binary into a directory.
# The GitHub Action (action.yml) runs this; it works on any machine with bash,
# curl and tar (unzip or PowerShell for the Windows archive).
#
# Usage: scripts/install-release.sh VERSION DIR
#   VERSION  a release such as 0.1.0 or v0.1.0
#   DIR      where the binary goes (created if missing)
# Environment:
#   ORCHLINT_RELEASES  base URL of the releases; the archive is fetched from
#                      $ORCHLINT_RELEASES/v$VERSION/orchlint-$TARGET.tar.gz
#                      (required; the Action passes its repository's releases)
#   ORCHLINT_OS, ORCHLINT_ARCH  the platform (default: RUNNER_OS and RUNNER_ARCH
#                      as GitHub runners set them, else `uname -s` and `uname -m`)
set -euo pipefail

if [ "$#" -ne 2 ]; then
  echo "usage: $0 VERSION DIR" >&2
  exit 2
fi
version="${1#v}"
dir="$2"
releases="${ORCHLINT_RELEASES:?set ORCHLINT_RELEASES to the base URL of the releases}"
os="${ORCHLINT_OS:-${RUNNER_OS:-$(uname -s)}}"
arch="${ORCHLINT_ARCH:-${RUNNER_ARCH:-$(uname -m)}}"

# The archive for this platform. Linux gets the static musl binary, which runs
# on any distribution (glibc or not).
case "$os/$arch" in
  Linux/X64 | Linux/x86_64) target=x86_64-unknown-linux-musl ;;
  Linux/ARM64 | Linux/aarch64 | Linux/arm64) target=aarch64-unknown-linux-musl ;;
  macOS/X64 | Darwin/x86_64) target=x86_64-apple-darwin ;;
  macOS/ARM64 | Darwin/arm64) target=aarch64-apple-darwin ;;
  Windows/X64 | MINGW*/x86_64 | MSYS*/x86_64 | CYGWIN*/x86_64) target=x86_64-pc-windows-msvc ;;
  *)
    echo "orchlint has no release archive for $os/$arch; build it from source instead (the Action's \`version: source\`, or \`cargo install --locked orchlint\`)" >&2
    exit 1
    ;;
esac
case "$target" in
  *windows*) archive="orchlint-$target.zip" exe=orchlint.exe ;;
  *) archive="orchlint-$target.tar.gz" exe=orchlint ;;
esac

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
url="$releases/v$version/$archive"
echo "downloading $url"
curl --fail --location --silent --show-error --retry 3 --output "$work/$archive" "$url"
curl --fail --location --silent --show-error --retry 3 --output "$work/$archive.sha256" "$url.sha256"

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1"
  else
    shasum -a 256 "$1"
  fi | cut -d ' ' -f 1
}
expected="$(cut -d ' ' -f 1 < "$work/$archive.sha256" | tr -d '\r\n')"
actual="$(sha256 "$work/$archive")"
if [ -z "$expected" ] || [ "$expected" != "$actual" ]; then
  echo "checksum mismatch for $archive: published ${expected:-nothing}, downloaded $actual" >&2
  exit 1
fi
echo "sha256 $actual verified"

case "$archive" in
  *.zip)
    if command -v unzip >/dev/null 2>&1; then
      unzip -q "$work/$archive" -d "$work/unpacked"
    else
      powershell -NoProfile -Command "Expand-Archive -LiteralPath '$work/$archive' -DestinationPath '$work/unpacked'"
    fi
    ;;
  *) mkdir "$work/unpacked" && tar -xzf "$work/$archive" -C "$work/unpacked" ;;
esac
mkdir -p "$dir"
cp "$work/unpacked/orchlint-$target/$exe" "$dir/$exe"
chmod +x "$dir/$exe"
"$dir/$exe" --version
