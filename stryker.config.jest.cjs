/**
 * The Jest setup `npm run mutate` uses: the project's config, limited to the unit tests of the
 * folders being mutated (the example gates synthesize every stack and would make each mutant
 * take minutes). Tests that fail on purpose until a merge lands are listed in IGNORED.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS config file
const base = require('./jest.config.js');

const IGNORED = (process.env.MUTATE_IGNORE_TESTS ?? '').split(',').filter(Boolean);

module.exports = {
  ...base,
  roots: ['<rootDir>/test'],
  testMatch: ['<rootDir>/test/core/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', 'deploy-readiness-examples\\.test\\.ts$', ...IGNORED],
  reporters: ['default'],
};
