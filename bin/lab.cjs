#!/usr/bin/env node
// Package bin shim: runs bin/lab.ts through the repository's TypeScript hook (esbuild, no type-check).
// The lab needs the repository (its example stacks, the committed model, the SDK clients it develops
// with), so outside a clone it says so in one sentence instead of failing on a missing file.
const fs = require('fs');
const path = require('path');
const hook = path.join(__dirname, '..', 'scripts', 'register-ts.js');
const cli = path.join(__dirname, 'lab.ts');
if (!fs.existsSync(hook) || !fs.existsSync(cli)) {
  process.stderr.write('The lab runs from a clone of the cdk-ml-reference repository: clone it, run `npm ci`, then `npm run lab -- doctor` (or `npm link` there for a `lab` command).\n');
  process.exit(2);
}
require(hook);
require(cli);
