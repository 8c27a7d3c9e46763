/**
 * Jest test environment for `npm run mutate` only: Jest's own `bail` cannot be used under Stryker
 * (it exits the process), so once a test fails while a mutant is active (the mutant is killed),
 * every later test of that mutant run is skipped instead of synthesized. Module state outlives the
 * test files of one run because Jest loads the environment outside the per-file module registry.
 */
const path = require('node:path');

const jestConfigDir = path.dirname(require.resolve('jest-config/package.json'));
const { TestEnvironment } = require(require.resolve('jest-environment-node', { paths: [jestConfigDir] }));

let killed; // the id of the last mutant a test failed for

class BailEnvironment extends TestEnvironment {
  async handleTestEvent(event, state) {
    await super.handleTestEvent?.(event, state);
    const active = process.env.__STRYKER_ACTIVE_MUTANT__;
    if (active === undefined) return;
    if ((event.name === 'test_done' && event.test.errors.length > 0) || event.name === 'hook_failure') killed = active;
    else if (event.name === 'test_start' && killed === active) event.test.mode = 'skip';
  }
}

module.exports = BailEnvironment;
