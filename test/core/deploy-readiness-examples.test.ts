import { DeployReadinessChecks } from '../../lib/core/deploy-readiness-checks';
import { PROFILES } from '../support/app';
import { synthExamples } from '../support/examples';

// The deploy-readiness pack over every example of bin/app.ts, both profiles. The per-stack gates
// run it too (test/support/nag.ts); this file names the pack's findings on their own so a
// reviewer sees which rule an example breaks.
describe.each(PROFILES)('deploy-readiness pack over the examples (%s profile)', (profile) => {
  const examples = synthExamples(profile, { validation: false });
  test.each(examples.stacks.map((s) => [s.name, s] as const))('%s has no deploy-readiness findings', (_name, s) => {
    const report = new DeployReadinessChecks().validateScope(s.stack);
    const findings = report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`));
    expect(findings).toEqual([]);
  });
});
