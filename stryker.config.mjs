// StrykerJS 9 with the Jest runner: `npm run mutate` (not part of `npm test`; slow by design).
//   MUTATE=lib/core (default) | test/support | a comma-separated list of files or globs
//   CONCURRENCY=1 (default) | 2: the machine is shared
//   SKIP_MUTATORS=StringLiteral,...: leave mutator kinds out (for a quicker partial run; the report says which)
const scope = process.env.MUTATE ?? 'lib/core';
const concurrency = Number(process.env.CONCURRENCY ?? 1);
const skipped = (process.env.SKIP_MUTATORS ?? '').split(',').filter(Boolean);

function globs(s) {
  if (s === 'test/support') return ['test/support/**/*.ts', '!test/support/**/*.test.ts'];
  if (s.includes(',') || s.endsWith('.ts')) return s.split(',');
  return [`${s}/**/*.ts`, `!${s}/**/index.ts`];
}
const name = scope.includes(',') || scope.endsWith('.ts') ? 'selection' : scope.replace(/\//g, '-');

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
  concurrency,
  timeoutMS: 60000,
  ignoreStatic: true,
  reporters: ['clear-text', 'progress-append-only', 'json', 'html'],
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  htmlReporter: { fileName: `reports/mutation/${name}.html` },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  // node_modules is a symlink shared by every worktree: link it, never copy it.
  symlinkNodeModules: true,
  ignorePatterns: ['cdk.out', 'dist', 'reports', 'coverage', '.stryker-tmp'],
};
