import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { addExamples, EXAMPLE_STACKS } from '../../bin/app';
import { cfnLintAvailability, cfnLintErrors, LintFinding } from './cfn-lint';
import { ProfileName, ROOT } from './app';
import { synthInChildProcess } from './determinism';
import { tempDir } from './temp-dirs';
import { synthExamples, SynthesizedExamples, SynthesizedStack } from './examples';
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

  /** A stack bound to an account or region: the examples must deploy to any environment. */
  environment(stack: Stack): string[] {
    const agnostic = 'aws://unknown-account/unknown-region';
    return stack.environment === agnostic ? [] : [`${stack.node.path}: bound to ${stack.environment}, not ${agnostic}`];
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

/** bin/app.ts's stacks (or `build`'s) in an App with no cdk.json context (production: none at all; lab: only the profile). */
export function synthBareApp(profile: ProfileName, build: (app: App) => App = addExamples): Record<string, CfnTemplate> {
  const outdir = tempDir('cdk-ml-bare-');
  // No feature flags at all; only the profile, which the lab stacks would otherwise default to lab.
  const app = build(new App({ outdir, context: { profile } }));
  const assembly = app.synth();
  return Object.fromEntries(app.node.children.filter(Stack.isStack).map((s) => [
    s.stackName, JSON.parse(fs.readFileSync(path.join(assembly.directory, s.templateFile), 'utf8')) as CfnTemplate,
  ]));
}

/** Where the gated app comes from: a module exporting a function that adds stacks to an App. */
export interface GatedApp {
  readonly modulePath: string;
  readonly exportName: string;
  /** The stacks the app must have, by name. */
  readonly stacks: readonly string[];
}

/** bin/app.ts: `addExamples`, with the stacks listed in `EXAMPLE_STACKS`. */
export const EXAMPLES: GatedApp = { modulePath: path.join(ROOT, 'bin', 'app.ts'), exportName: 'addExamples', stacks: EXAMPLE_STACKS };

/** One gate's check: its test name, and what it finds (empty: the gate passes). `skip` says why it cannot run here. */
export interface GateCheck {
  readonly name: string;
  readonly findings: () => string[];
  readonly skip?: string;
}

export interface GateChecks {
  readonly examples: SynthesizedExamples;
  /** Checks of the whole app. */
  readonly app: GateCheck[];
  /** Checks of each stack, in the app's order. */
  readonly stacks: Array<{ readonly stack: SynthesizedStack; readonly checks: GateCheck[] }>;
}

/**
 * Every gate of one profile as data, so that the gates' self-test can run the very checks the example
 * tests run against a broken app. Synthesizes the app once here; the second process, the bare App and
 * cfn-lint run once, on the first check that needs them.
 */
export function gateChecks(profile: ProfileName, source: GatedApp = EXAMPLES): GateChecks {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module is a parameter
  const build = require(source.modulePath)[source.exportName] as (app: App) => App;
  const examples = synthExamples(profile, { build });
  const lint = cfnLintAvailability();
  let lintErrors: LintFinding[] | undefined;
  let secondProcess: Record<string, string> | undefined;
  let bare: Record<string, CfnTemplate> | undefined;
  const bareApp = () => (bare ??= synthBareApp(profile, build));
  const names = examples.stacks.map((s) => s.name);

  const app: GateCheck[] = [
    { name: 'the app has exactly the stacks bin/app.ts lists in EXAMPLE_STACKS', findings: () => gate.stackList(source.stacks, names) },
    {
      name: 'synthesizes in a bare App (no cdk.json feature flags)',
      findings: () => {
        const inBare = Object.keys(bareApp());
        return [...names.filter((n) => !inBare.includes(n)).map((n) => `${n}: not in the bare App`),
          ...inBare.filter((n) => !names.includes(n)).map((n) => `${n}: only in the bare App`)];
      },
    },
  ];
  const stacks = examples.stacks.map((s) => ({
    stack: s,
    checks: [
      { name: 'is environment-agnostic', findings: () => gate.environment(s.stack) },
      { name: 'has no unacknowledged cdk-nag findings (AwsSolutions, HIPAA Security, NIST 800-53 R5, PCI DSS 3.2.1)', findings: () => gate.nag(s.stack) },
      { name: 'every acknowledged finding in the template carries a reason', findings: () => gate.acknowledgementReasons(s.template as CfnTemplate) },
      {
        name: 'has zero cfn-lint errors',
        skip: lint.ok ? undefined : lint.reason,
        findings: () => gate.cfnLint(lintErrors ??= cfnLintErrors(examples.stacks.map((x) => x.templateFile)), s.templateFile),
      },
      {
        name: "has zero errors from aws-cdk-lib's built-in validator (resources, outputs, mappings, conditions, parameters)",
        findings: () => gate.validator(examples.outdir, s.stack),
      },
      {
        name: 'synthesizes deterministically (byte-identical in a second Node process)',
        findings: () => gate.determinism(s.name, s.templateText,
          (secondProcess ??= synthInChildProcess(source.modulePath, source.exportName, profile))[path.basename(s.templateFile)]),
      },
      {
        name: "keeps its buckets' ownership, ACLs, encryption, logging and policies in a bare App",
        findings: () => {
          const other = bareApp()[s.name];
          return other === undefined ? [`${s.name}: not in the bare App`] : gate.barePosture(s.template as CfnTemplate, other);
        },
      },
    ],
  }));
  return { examples, app, stacks };
}

/** The part of Jest's API the example gates use: the real one, or a recorder in their self-test. */
export interface GateTestApi {
  describe(name: string, body: () => void): void;
  test(name: string, body: () => void): void;
  skip(name: string, body: () => void): void;
}

const JEST: GateTestApi = { describe, test, skip: test.skip };

/**
 * The gates every stack of bin/app.ts passes, in one profile: each check of `gateChecks` as a test
 * that expects no findings, one presence test per listed stack, and the snapshot. `checks` lets a
 * caller that already built them (the self-test) skip a second synth.
 */
export function describeExampleGates(
  profile: ProfileName, source: GatedApp = EXAMPLES, api: GateTestApi = JEST, checks: GateChecks = gateChecks(profile, source),
): void {
  const skipped = checks.stacks[0]?.checks.find((c) => c.skip);
  if (skipped && api === JEST) console.warn(`${skipped.name} skipped locally: ${skipped.skip}`);
  const run = (c: GateCheck) => (c.skip ? api.skip : api.test)(c.name, () => expect(c.findings()).toEqual([]));

  api.describe(`example gates (${profile} profile)`, () => {
    for (const name of source.stacks) {
      api.test(`${name} is in the app`, () => expect(checks.examples.stacks.map((s) => s.name)).toContain(name));
    }
    checks.app.forEach(run);
    for (const { stack, checks: stackChecks } of checks.stacks) {
      api.describe(stack.name, () => {
        api.test('matches its snapshot', () => expect(stack.template).toMatchSnapshot());
        stackChecks.forEach(run);
      });
    }
  });
}
