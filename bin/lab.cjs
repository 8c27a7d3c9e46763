#!/usr/bin/env node
// Package bin shim: runs bin/lab.ts through the repository's TypeScript hook (esbuild, no type-check).
require('../scripts/register-ts.js');
require('./lab.ts');
