#!/usr/bin/env bash
# CI: `orchlint graph` over a folder of several projects must give one diagram
# that the real renderers accept: the Mermaid flowchart with mermaid-cli (npm, on
# Debian's Chromium; no browser is downloaded) and the DOT digraph with Graphviz
# `dot`. Fails when either refuses it or draws fewer project subgraphs than the
# folder has projects.
# Usage: scripts/ci-graph.sh ORCHLINT   (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."

orchlint="$1"
MERMAID_CLI_VERSION=11.17.0
fixture=fixtures/advise/multi-graph
projects=3
tools="$PWD/target/ci-tools"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$tools"

# Graphviz and Chromium from apt, as .ci/run installs docker-compose.
missing=()
command -v dot >/dev/null || missing+=(graphviz)
command -v chromium >/dev/null || missing+=(chromium)
if [ "${#missing[@]}" -gt 0 ]; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null ||
      { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; }
  else
    echo "graph rendering needs ${missing[*]} and apt-get is not usable here" >&2
    exit 1
  fi
fi

echo "== mermaid-cli $MERMAID_CLI_VERSION (npm, Chromium $(chromium --version 2>/dev/null | awk '{print $2}'))" >&2
PUPPETEER_SKIP_DOWNLOAD=1 npm install --prefix "$tools/npm-mermaid" --no-audit --no-fund \
  --loglevel=error "@mermaid-js/mermaid-cli@$MERMAID_CLI_VERSION" >/dev/null
cat >"$work/puppeteer.json" <<JSON
{"executablePath": "$(command -v chromium)", "args": ["--no-sandbox", "--disable-gpu"]}
JSON

"$orchlint" graph --format mermaid "$fixture" >"$work/graph.mmd"
"$tools/npm-mermaid/node_modules/.bin/mmdc" --quiet -p "$work/puppeteer.json" \
  -i "$work/graph.mmd" -o "$work/mermaid.svg" >&2
drawn="$(grep -o 'class="cluster[ "]' "$work/mermaid.svg" | wc -l)"
if [ "$drawn" -ne "$projects" ]; then
  echo "mermaid-cli drew $drawn subgraphs, expected $projects" >&2
  exit 1
fi
echo "mermaid-cli: rendered, $drawn project subgraphs" >&2

echo "== Graphviz $(dot -V 2>&1 | awk '{print $5}')" >&2
"$orchlint" graph --format dot "$fixture" >"$work/graph.dot"
dot -Tsvg "$work/graph.dot" -o "$work/dot.svg"
drawn="$(grep -c 'class="cluster"' "$work/dot.svg")"
if [ "$drawn" -ne "$projects" ]; then
  echo "dot drew $drawn clusters, expected $projects" >&2
  exit 1
fi
echo "dot: rendered, $drawn project clusters" >&2
