/**
 * Jest test environment for `npm run mutate` only. It does two things Stryker's Jest runner does not:
 *
 * 1. Credits a test file's top-level code to its tests. Stryker records which tests execute each
 *    mutant; code that runs while a test file loads (module-level synth, `beforeAll`) runs outside any
 *    test, so Stryker calls it "static" and then runs such a mutant with none of the tests that read
 *    that synth's result (and `ignoreStatic` drops the rest). In the dry run, what a file executed
 *    outside its tests is credited to every test of that file instead.
 * 2. Bails: Jest's own `bail` exits the process, which Stryker cannot use; once a test fails while a
 *    mutant is active (the mutant is killed), the rest of that mutant run's tests are skipped.
 *
 * Module state outlives the test files of one run: Jest loads the environment outside the per-file
 * module registry.
 */
const path = require('node:path');

const jestConfigDir = path.dirname(require.resolve('jest-config/package.json'));
const { TestEnvironment } = require(require.resolve('jest-environment-node', { paths: [jestConfigDir] }));

let killed; // the id of the last mutant a test failed for

class MutationEnvironment extends TestEnvironment {
  async setup() {
    await super.setup();
    const context = this.strykerContext();
    this.staticBefore = context ? { ...(context.mutantCoverage?.static ?? {}) } : undefined;
  }

  async teardown() {
    this.releaseStatic();
    await super.teardown();
  }

  async handleTestEvent(event, state) {
    await super.handleTestEvent?.(event, state);
    const active = process.env.__STRYKER_ACTIVE_MUTANT__;
    if (active === undefined) {
      if (event.name === 'test_done') this.creditFileToTest();
      return;
    }
    if ((event.name === 'test_done' && event.test.errors.length > 0) || event.name === 'hook_failure') killed = active;
    else if (event.name === 'test_start' && killed === active) event.test.mode = 'skip';
  }

  /** Stryker's instrumenter context, in the dry run only (Stryker wraps this environment then). */
  strykerContext() {
    if (process.env.__STRYKER_ACTIVE_MUTANT__ !== undefined) return undefined;
    const namespace = this.global.__strykerGlobalNamespace__ ?? '__stryker__';
    return this.global[namespace];
  }

  /** Mutants this file executed outside its tests so far: counts above what other files left. */
  fileStatic() {
    const current = this.strykerContext()?.mutantCoverage?.static ?? {};
    return Object.entries(current).filter(([id, hits]) => hits > (this.staticBefore?.[id] ?? 0));
  }

  creditFileToTest() {
    const context = this.strykerContext();
    const test = context?.currentTestId;
    // No mutated code has run in this process yet (the coverage map is created on first use).
    if (!context?.mutantCoverage || !this.staticBefore || test === undefined) return;
    const perTest = (context.mutantCoverage.perTest[test] ??= {});
    for (const [id, hits] of this.fileStatic()) perTest[id] = (perTest[id] ?? 0) + hits - (this.staticBefore[id] ?? 0);
  }

  /** What this file executed outside its tests is now its tests' coverage, no longer "static". */
  releaseStatic() {
    const context = this.strykerContext();
    if (!context?.mutantCoverage || !this.staticBefore) return;
    for (const [id] of this.fileStatic()) {
      if (this.staticBefore[id]) context.mutantCoverage.static[id] = this.staticBefore[id];
      else delete context.mutantCoverage.static[id];
    }
  }
}

module.exports = MutationEnvironment;
