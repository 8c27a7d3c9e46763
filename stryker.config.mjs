// StrykerJS 9 with the Jest runner: `npm run mutate` (not part of `npm test`; slow by design).
//   MUTATE=lib/core (default) | test/support | a comma-separated list of files or globs
//   CONCURRENCY=n: test runner processes (default: Stryker's, one per core here)
//   MUTATE_NAME=name: names the reports and incremental file of a selection (default: selection)
//   SKIP_MUTATORS=StringLiteral,...: leave mutator kinds out (for a quicker partial run; the report says which)
//   MUTATE_SAMPLE=0.25: run a fixed, reproducible fraction of the mutants, the rest reported "Ignored"
//     (scripts/mutation/sample.mjs; `npm run mutate:summary` prints the estimate's 95 % interval)
import fs from 'node:fs';
import path from 'node:path';
import { installSampling } from './scripts/mutation/sample.mjs';

const scope = process.env.MUTATE ?? 'lib/core';
// Stryker's default concurrency is the number of cores (here 2); CONCURRENCY overrides it.
const concurrency = process.env.CONCURRENCY ? Number(process.env.CONCURRENCY) : undefined;
const skipped = (process.env.SKIP_MUTATORS ?? '').split(',').filter(Boolean);
if (process.env.MUTATE_SAMPLE) await installSampling(Number(process.env.MUTATE_SAMPLE));

function globs(s) {
  if (s === 'test/support') return ['test/support/**/*.ts', '!test/support/**/*.test.ts', '!test/support/fixtures/**'];
  if (s.includes(',') || s.endsWith('.ts')) return s.split(',');
  return [`${s}/**/*.ts`, `!${s}/**/index.ts`];
}
// Reports and the incremental file are named after the scope; MUTATE_NAME names a selection of files.
const name = process.env.MUTATE_NAME ?? (scope.includes(',') || scope.endsWith('.ts') ? 'selection' : scope.replace(/\//g, '-'));

// Where the dry run records each test's file (scripts/mutation/); one file per run, inherited by
// Stryker's test-runner processes through the environment.
fs.mkdirSync('reports/mutation', { recursive: true });
process.env.MUTATION_TEST_INDEX ??= path.resolve(`reports/mutation/.tests-${name}-${process.pid}.tsv`);

export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    configFile: 'stryker.config.jest.cjs',
    enableFindRelatedTests: false,
  },
  coverageAnalysis: 'perTest',
  mutate: globs(scope),
  mutator: { excludedMutations: skipped },
  ...(concurrency ? { concurrency } : {}),
  timeoutMS: 60000,
  ignoreStatic: true,
  // Re-runs only the mutants whose code or covering tests changed since the last run of this scope;
  // `npm run mutate -- --force` runs them all.
  incremental: true,
  incrementalFile: `reports/mutation/${name}.incremental.json`,
  reporters: ['clear-text', 'progress-append-only', 'json', 'html'],
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  htmlReporter: { fileName: `reports/mutation/${name}.html` },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  // node_modules is a symlink shared by every worktree: link it, never copy it.
  symlinkNodeModules: true,
  ignorePatterns: ['cdk.out', 'dist', 'reports', 'coverage', '.stryker-tmp'],
};
