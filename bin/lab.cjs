#!/usr/bin/env node
// Package bin shim: runs bin/lab.ts through the repository's TypeScript hook (esbuild, no type-check).
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS shim is what npm's bin runs */
require('../scripts/register-ts.js');
require('./lab.ts');
