import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { addExamples, EXAMPLE_STACKS } from '../../bin/app';
import { cfnLintAvailability, cfnLintErrors, LintFinding } from './cfn-lint';
import { ProfileName, ROOT } from './app';
import { synthInChildProcess } from './determinism';
import { synthExamples, SynthesizedExamples } from './examples';
import { formatNag, nagFindings } from './nag';
import { validatorErrors } from './validation-report';

type CfnTemplate = { Resources?: Record<string, { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> }> };

/**
 * What each gate reports for one stack: the gates below and their self-test
 * (test/support/gates-selftest.test.ts) call these very functions. Empty means the gate passes.
 */
export const gate = {
  /** Unacknowledged findings of the four cdk-nag packs. Call after synth. */
  nag(stack: Stack): string[] {
    return formatNag(nagFindings(stack));
  },

  /** Acknowledgements written into the template without a reason a reviewer would accept. */
  acknowledgementReasons(template: CfnTemplate): string[] {
    return Object.entries(template.Resources ?? {}).flatMap(([id, r]) => {
      const rules = (r.Metadata?.cdk_nag as { rules_to_suppress?: Array<{ id: string; reason: string }> } | undefined)?.rules_to_suppress ?? [];
      return rules.filter((rule) => (rule.reason ?? '').trim().length < 20).map((rule) => `${id}: ${rule.id}`);
    });
  },

  /** cfn-lint errors in this stack's template file. */
  cfnLint(findings: LintFinding[], templateFile: string): string[] {
    return findings.filter((f) => f.file === templateFile).map((f) => `${f.rule} ${f.resourcePath}: ${f.message}`);
  },

  /**
   * aws-cdk-lib's built-in validator errors that belong to this stack: its resources (paths under the
   * stack) and its Outputs, Mappings, Conditions and Parameters, which the report attributes to the
   * stack itself. An error with no path at all belongs to every stack.
   */
  validator(assemblyDir: string, stack: Stack): string[] {
    const own = (p: string) => p === stack.node.path || p.startsWith(`${stack.node.path}/`);
    return validatorErrors(assemblyDir)
      .filter((e) => e.paths.length === 0 || e.paths.some(own))
      .map((e) => `${e.rule} at ${e.paths.join(', ')}: ${e.description}`);
  },

  /** The stacks missing from the app, and the app's stacks nobody listed in EXAMPLE_STACKS. */
  stackList(expected: readonly string[], synthesized: readonly string[]): string[] {
    return [
      ...expected.filter((n) => !synthesized.includes(n)).map((n) => `${n}: listed in bin/app.ts EXAMPLE_STACKS but not in the app`),
      ...synthesized.filter((n) => !expected.includes(n)).map((n) => `${n}: in the app but not listed in bin/app.ts EXAMPLE_STACKS`),
    ];
  },

  /** Whether a template synthesized in another process is byte-identical; the difference otherwise. */
  determinism(name: string, here: string, elsewhere: string | undefined): string[] {
    if (elsewhere === undefined) return [`${name}: no template from the second process`];
    if (here === elsewhere) return [];
    const a = here.split('\n');
    const b = elsewhere.split('\n');
    const line = a.findIndex((l, i) => l !== b[i]);
    return [`${name}: differs from line ${line + 1}: ${JSON.stringify(a[line])} vs ${JSON.stringify(b[line])}`];
  },

  /**
   * What differs between a stack's buckets under the project's flags and in a bare App: ownership,
   * ACL, encryption, public access, logging, versioning, and the bucket policies (compared as the
   * set of grants, since '@aws-cdk/aws-iam:minimizePolicies' only merges and sorts statements).
   */
  barePosture(flagged: CfnTemplate, bare: CfnTemplate): string[] {
    const a = bucketPosture(flagged);
    const b = bucketPosture(bare);
    return [...new Set([...Object.keys(a), ...Object.keys(b)])]
      .filter((id) => JSON.stringify(a[id]) !== JSON.stringify(b[id]))
      .map((id) => `${id}: ${JSON.stringify(a[id])} under cdk.json's flags, ${JSON.stringify(b[id])} in a bare App`);
  },
};

/** A bucket's security settings and each bucket policy's grants, by logical id. */
export function bucketPosture(template: CfnTemplate): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [id, r] of Object.entries(template.Resources ?? {})) {
    const p = r.Properties ?? {};
    if (r.Type === 'AWS::S3::Bucket') {
      out[id] = [p.OwnershipControls, p.AccessControl, p.BucketEncryption, p.PublicAccessBlockConfiguration, p.LoggingConfiguration, p.VersioningConfiguration];
    }
    if (r.Type === 'AWS::S3::BucketPolicy') out[id] = policyGrants(p.PolicyDocument);
  }
  return out;
}

type Statement = { Effect: string; Principal?: unknown; Action?: unknown; Resource?: unknown; Condition?: unknown };

function policyGrants(document: unknown): string[] {
  const list = (x: unknown) => (Array.isArray(x) ? x : [x]);
  const statements = (document as { Statement?: Statement[] } | undefined)?.Statement ?? [];
  return [...new Set(statements.flatMap((s) => list(s.Action).flatMap((action) => list(s.Resource)
    .map((resource) => JSON.stringify([s.Effect, s.Principal, action, resource, s.Condition ?? null])))))].sort();
}

/** bin/app.ts's stacks in an App with no cdk.json context (production: none at all; lab: only the profile). */
export function synthBareApp(profile: ProfileName): Record<string, CfnTemplate> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ml-bare-'));
  // No feature flags at all; only the profile, which the lab stacks would otherwise default to lab.
  const app = addExamples(new App({ outdir, context: { profile } }));
  const assembly = app.synth();
  return Object.fromEntries(app.node.children.filter(Stack.isStack).map((s) => [
    s.stackName, JSON.parse(fs.readFileSync(path.join(assembly.directory, s.templateFile), 'utf8')) as CfnTemplate,
  ]));
}

/**
 * The gates every stack of bin/app.ts passes, in one profile. Synthesizes the app once in this
 * process, once in a child process (determinism) and once in a bare App; runs cfn-lint once over all templates.
 */
export function describeExampleGates(profile: ProfileName): void {
  const examples: SynthesizedExamples = synthExamples(profile);
  const lint = cfnLintAvailability();
  if (!lint.ok) console.warn(`cfn-lint gate skipped locally: ${lint.reason}`);
  let lintErrors: LintFinding[] | undefined;
  let secondProcess: Record<string, string> | undefined;
  let bare: Record<string, CfnTemplate> | undefined;

  describe(`example gates (${profile} profile)`, () => {
    test('the app has exactly the stacks bin/app.ts lists in EXAMPLE_STACKS', () => {
      expect(gate.stackList(EXAMPLE_STACKS, examples.stacks.map((s) => s.name))).toEqual([]);
    });

    test.each([...EXAMPLE_STACKS])('%s is in the app', (name) => {
      expect(examples.stacks.map((s) => s.name)).toContain(name);
    });

    test('synthesizes in a bare App (no cdk.json feature flags)', () => {
      bare = synthBareApp(profile);
      expect(Object.keys(bare).sort()).toEqual(examples.stacks.map((s) => s.name).sort());
    });

    describe.each(examples.stacks.map((s) => [s.name, s] as const))('%s', (_name, s) => {
      test('matches its snapshot', () => {
        expect(s.template).toMatchSnapshot();
      });

      test('is environment-agnostic', () => {
        expect(s.stack.environment).toBe('aws://unknown-account/unknown-region');
      });

      test('has no unacknowledged cdk-nag findings (AwsSolutions, HIPAA Security, NIST 800-53 R5, PCI DSS 3.2.1)', () => {
        expect(gate.nag(s.stack)).toEqual([]);
      });

      test('every acknowledged finding in the template carries a reason', () => {
        expect(gate.acknowledgementReasons(s.template as CfnTemplate)).toEqual([]);
      });

      (lint.ok ? test : test.skip)('has zero cfn-lint errors', () => {
        lintErrors ??= cfnLintErrors(examples.stacks.map((x) => x.templateFile));
        expect(gate.cfnLint(lintErrors, s.templateFile)).toEqual([]);
      });

      test("has zero errors from aws-cdk-lib's built-in validator (resources, outputs, mappings, conditions, parameters)", () => {
        expect(gate.validator(examples.outdir, s.stack)).toEqual([]);
      });

      test('synthesizes deterministically (byte-identical in a second Node process)', () => {
        secondProcess ??= synthInChildProcess(path.join(ROOT, 'bin', 'app.ts'), 'addExamples', profile);
        expect(gate.determinism(s.name, s.templateText, secondProcess[path.basename(s.templateFile)])).toEqual([]);
      });

      test("keeps its buckets' ownership, ACLs, encryption, logging and policies in a bare App", () => {
        bare ??= synthBareApp(profile);
        expect(bare[s.name]).toBeDefined();
        expect(gate.barePosture(s.template as CfnTemplate, bare[s.name])).toEqual([]);
      });
    });
  });
}
