/**
 * Jest test sequencer for `npm run mutate` only. Stryker's Jest runner narrows a mutant run by test
 * name (`testNamePattern`) but still loads every test file, and each file loads aws-cdk-lib afresh.
 * With the index record-tests.cjs wrote in the dry run, this keeps only the files that hold a test
 * the pattern selects, most matching tests first. With no pattern (the dry run, static mutants) or
 * no index, it keeps every file.
 */
const fs = require('node:fs');
const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

class CoveringFilesSequencer extends Sequencer {
  constructor(options) {
    super(options);
    this.pattern = options.globalConfig.testNamePattern;
  }

  sort(tests) {
    const sorted = super.sort(tests);
    const index = process.env.MUTATION_TEST_INDEX;
    if (!this.pattern || !index || !fs.existsSync(index)) return sorted;
    const selects = new RegExp(this.pattern, 'i'); // Jest matches testNamePattern case-insensitively
    const matches = new Map();
    for (const line of fs.readFileSync(index, 'utf8').split('\n')) {
      const tab = line.indexOf('\t');
      if (tab < 0 || !selects.test(line.slice(tab + 1))) continue;
      const file = line.slice(0, tab);
      matches.set(file, (matches.get(file) ?? 0) + 1);
    }
    const count = (test) => matches.get(path.relative(process.cwd(), test.path)) ?? 0;
    const kept = sorted.filter((test) => count(test) > 0);
    // Fall back to every file rather than run nothing if the index misses a name (e.g. a test that
    // was skipped in the dry run).
    return kept.length > 0 ? kept.sort((a, b) => count(b) - count(a)) : sorted;
  }
}

module.exports = CoveringFilesSequencer;
