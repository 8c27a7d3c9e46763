import { cfnLintAvailability, cfnLintErrors, LintFinding } from './cfn-lint';
import { ProfileName } from './app';
import { synthExamples, SynthesizedExamples } from './examples';
import { formatNag, nagFindings } from './nag';
import { validatorErrors } from './validation-report';

/**
 * The gates every stack of bin/app.ts passes, in one profile. Synthesizes the app once (plus once
 * more for the determinism check) and runs cfn-lint once over all templates.
 */
export function describeExampleGates(profile: ProfileName): void {
  const examples: SynthesizedExamples = synthExamples(profile);
  const lint = cfnLintAvailability();
  if (!lint.ok) console.warn(`cfn-lint gate skipped locally: ${lint.reason}`);
  let lintErrors: LintFinding[] | undefined;
  let secondSynth: SynthesizedExamples | undefined;

  describe(`example gates (${profile} profile)`, () => {
    test('bin/app.ts defines example stacks', () => {
      expect(examples.stacks.length).toBeGreaterThan(0);
    });

    describe.each(examples.stacks.map((s) => [s.name, s] as const))('%s', (_name, s) => {
      test('matches its snapshot', () => {
        expect(s.template).toMatchSnapshot();
      });

      test('is environment-agnostic', () => {
        expect(s.stack.environment).toBe('aws://unknown-account/unknown-region');
      });

      test('has no unacknowledged cdk-nag findings (AwsSolutions, HIPAA Security)', () => {
        expect(formatNag(nagFindings(s.stack))).toEqual([]);
      });

      test('every acknowledged finding in the template carries a reason', () => {
        const resources = (s.template.Resources ?? {}) as Record<string, { Metadata?: { cdk_nag?: { rules_to_suppress: Array<{ id: string; reason: string }> } } }>;
        const weak = Object.entries(resources).flatMap(([id, r]) => (r.Metadata?.cdk_nag?.rules_to_suppress ?? [])
          .filter((rule) => rule.reason.trim().length < 20)
          .map((rule) => `${id}: ${rule.id}`));
        expect(weak).toEqual([]);
      });

      (lint.ok ? test : test.skip)('has zero cfn-lint errors', () => {
        lintErrors ??= cfnLintErrors(examples.stacks.map((x) => x.templateFile));
        const mine = lintErrors.filter((f) => f.file === s.templateFile).map((f) => `${f.rule} ${f.resourcePath}: ${f.message}`);
        expect(mine).toEqual([]);
      });

      test("has zero errors from aws-cdk-lib's built-in validator", () => {
        const mine = validatorErrors(examples.outdir)
          .filter((e) => e.paths.length === 0 || e.paths.some((p) => p.startsWith(`${s.stack.node.path}/`)))
          .map((e) => `${e.rule} at ${e.paths.join(', ')}: ${e.description}`);
        expect(mine).toEqual([]);
      });

      test('synthesizes deterministically (byte-identical on a second synth)', () => {
        secondSynth ??= synthExamples(profile, { validation: false });
        const again = secondSynth.stacks.find((x) => x.name === s.name);
        expect(again?.templateText).toBe(s.templateText);
      });
    });
  });
}
