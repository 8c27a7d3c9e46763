/**
 * Setup file for `npm run mutate` only: during Stryker's dry run (no mutant active) it records which
 * test file each test lives in, so that sequencer.cjs can hand Jest only the files that hold the
 * tests covering a mutant. Without it, every mutant run loads every test file in scope.
 */
const fs = require('node:fs');
const path = require('node:path');

const index = process.env.MUTATION_TEST_INDEX;

if (index && process.env.__STRYKER_ACTIVE_MUTANT__ === undefined) {
  beforeEach(() => {
    const { currentTestName, testPath } = expect.getState();
    if (!currentTestName || !testPath) return;
    fs.appendFileSync(index, `${path.relative(process.cwd(), testPath)}\t${currentTestName}\n`);
  });
}
