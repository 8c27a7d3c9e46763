// Synthesizes an app in a process of its own, for the determinism gate: a value fixed once per process
// (a random suffix computed at module load) looks deterministic to two synths in one process.
// Usage: node --require ./scripts/register-ts.js test/support/synth-child.ts <module> <export> <profile> <outdir>
// `<export>` is a function that adds stacks to the App it is given (bin/app.ts: addExamples).
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { ProfileName, testApp } from './app';

const [modulePath, exportName, profile, outdir] = process.argv.slice(2);
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the module is named on the command line
const build = require(path.resolve(modulePath))[exportName] as (app: App) => App;
build(testApp({ profile: profile as ProfileName, outdir, validation: false })).synth();
