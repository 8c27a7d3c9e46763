/**
 * The Jest setup `npm run mutate` uses: the project's config, limited to the tests of the folder
 * being mutated (lib/<domain> → test/<domain>, test/support → its self-tests; the example gates
 * synthesize every stack and would make each mutant take minutes). scripts/mutation/ narrows each
 * mutant run further, to the test files that hold its covering tests. Tests that fail on purpose
 * until a merge lands can be listed in MUTATE_IGNORE_TESTS.
 */
const base = require('./jest.config.js');

const IGNORED = (process.env.MUTATE_IGNORE_TESTS ?? '').split(',').filter(Boolean);
const scope = process.env.MUTATE ?? 'lib/core';

function testsFor(s) {
  if (s === 'test/support') return ['<rootDir>/test/support/**/*.test.ts'];
  const domain = /^lib\/([a-z]+)/.exec(s)?.[1];
  // A list of files from several folders: the tests of each folder named.
  const domains = s.split(',').map((f) => /^lib\/([a-z]+)/.exec(f)?.[1] ?? 'core');
  return [...new Set(domain && !s.includes(',') ? [domain] : domains)].map((d) => `<rootDir>/test/${d}/**/*.test.ts`);
}

module.exports = {
  ...base,
  roots: ['<rootDir>/test'],
  // MUTATE_TESTS (comma-separated globs from the project root) narrows the tests further, e.g. to one rule pack's own files.
  testMatch: process.env.MUTATE_TESTS ? process.env.MUTATE_TESTS.split(',').map((g) => `<rootDir>/${g}`) : testsFor(scope),
  testPathIgnorePatterns: ['/node_modules/', 'deploy-readiness-examples\\.test\\.ts$', ...IGNORED],
  setupFilesAfterEnv: [...base.setupFilesAfterEnv, '<rootDir>/scripts/mutation/record-tests.cjs'],
  testSequencer: '<rootDir>/scripts/mutation/sequencer.cjs',
  // An absolute path: Stryker loads the environment itself, without Jest's <rootDir> expansion.
  testEnvironment: require('node:path').join(__dirname, 'scripts/mutation/environment.cjs'),
  reporters: ['default'],
};
