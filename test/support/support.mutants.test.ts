import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { CfnWaitConditionHandle, Stack } from 'aws-cdk-lib';
import * as binApp from '../../bin/app';
import { addExamples, EXAMPLE_STACKS } from '../../bin/app';
import { ROOT } from './app';
import { CHROMIUM_ARGS } from './chromium';
import { synthInChildProcess } from './determinism';
import { documentedDefaults, undocumentedOptionalProps } from './documented-defaults';
import * as examples from './examples';
import { describeExampleGates, EXAMPLES, gate, GateChecks, GateTestApi, synthBareApp } from './gates';
import * as nag from './nag';
import { runSystemPython } from './python-xgboost';
import { ReadmeSample, readmeSamples, runnableSample, typeCheckSamples } from './readme-samples';
import { testStack } from './stack';
import { withEnv } from './env';
import * as tempDirs from './temp-dirs';
import { tempDir } from './temp-dirs';
import { validatorErrors } from './validation-report';

// Tests written for mutants StrykerJS found alive in test/support (MUTATE=test/support npm run mutate);
// each names the helper decision it pins. The tool probes are driven through the environment (a fake
// executable on PATH, a fake xgboost module on PYTHONPATH, CI), never by needing the tools themselves.

const scratch = () => tempDir('support-mutants-');

/** A directory holding one executable shell script `name`, for a PATH. */
function fakeTool(name: string, script: string): string {
  const dir = scratch();
  fs.writeFileSync(path.join(dir, name), `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  return dir;
}

/**
 * A fresh copy of a helper module, so that its once-per-process probe runs again. Jest gives a test a
 * copy of process.env that child processes do not see: the copy's spawnSync passes it on explicitly.
 * `mocks` lends the copy modules this file has already loaded (aws-cdk-lib and the app take seconds).
 */
function fresh<T>(modulePath: string, mocks: Record<string, unknown> = {}): T {
  let loaded: T | undefined;
  jest.isolateModules(() => {
    jest.doMock('child_process', () => {
      const real = jest.requireActual<typeof import('child_process')>('child_process');
      return { ...real, spawnSync: (command: string, args: string[], options: object) => real.spawnSync(command, args, { ...options, env: process.env }) };
    });
    for (const [name, module] of Object.entries(mocks)) jest.doMock(name, () => module);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh module registry per probe
    loaded = require(modulePath) as T;
  });
  for (const name of ['child_process', ...Object.keys(mocks)]) jest.dontMock(name);
  return loaded!;
}

/** A fresh gates.ts (with its own cfn-lint probe), lent the heavy modules this file has loaded and the temp-dir registry. */
const freshGates = () => fresh<typeof import('./gates')>('./gates', {
  'aws-cdk-lib': cdk, '../../bin/app': binApp, './examples': examples, './nag': nag, './temp-dirs': tempDirs,
});

/** Points os.tmpdir() (which reads the real environment, not Jest's copy) at a new empty directory. */
function privateTmpdir(): string {
  const dir = scratch();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the core module itself, not an import wrapper
  jest.spyOn(require('os') as typeof os, 'tmpdir').mockReturnValue(dir);
  return dir;
}

type CfnLintModule = typeof import('./cfn-lint');
type XgboostModule = typeof import('./python-xgboost');

describe('cfn-lint, driven through a fake cfn-lint on PATH', () => {
  // Answers --version; given the gate's arguments, prints the findings file FAKE_FINDINGS (none if unset).
  const working = fakeTool('cfn-lint', [
    'if [ "$1" = "--version" ]; then echo "cfn-lint 1.2.3"; exit 0; fi',
    'if [ "$*" != "--format json --non-zero-exit-code none -- a.json b.json" ]; then echo "unexpected arguments: $*" >&2; exit 9; fi',
    'if [ -n "$FAKE_FINDINGS" ]; then cat "$FAKE_FINDINGS"; fi',
  ].join('\n'));
  const broken = fakeTool('cfn-lint', 'echo "boom" >&2; exit 2');
  const onPath = (dir: string) => `${dir}:/usr/bin:/bin`;

  test('a working cfn-lint is available with its version, probed once, also under CI=true', () => {
    withEnv({ PATH: onPath(working), CI: 'true' }, () => {
      const lint = fresh<CfnLintModule>('./cfn-lint');
      const first = lint.cfnLintAvailability();
      expect(first).toEqual({ ok: true, reason: 'cfn-lint 1.2.3' });
      expect(lint.cfnLintAvailability()).toBe(first);
    });
  });

  test('a cfn-lint that fails or is not on PATH skips locally with the reason, and is an error under CI=true', () => {
    withEnv({ PATH: onPath(broken), CI: undefined }, () => {
      expect(fresh<CfnLintModule>('./cfn-lint').cfnLintAvailability()).toEqual({ ok: false, reason: 'cfn-lint not runnable (boom)' });
    });
    withEnv({ PATH: scratch(), CI: undefined }, () => {
      expect(fresh<CfnLintModule>('./cfn-lint').cfnLintAvailability()).toEqual({ ok: false, reason: 'cfn-lint not runnable (spawnSync cfn-lint ENOENT)' });
    });
    withEnv({ PATH: onPath(broken), CI: 'true' }, () => {
      expect(() => fresh<CfnLintModule>('./cfn-lint').cfnLintAvailability())
        .toThrow('cfn-lint not runnable (boom): CI must run cfn-lint; install it (pip install cfn-lint) on this machine');
    });
  });

  test('findings are read from its JSON: file, rule, level, message and the resource path joined with "/"', () => {
    const findings = path.join(scratch(), 'findings.json');
    fs.writeFileSync(findings, JSON.stringify([
      { Filename: 'a.json', Level: 'Error', Message: "'soon' is not of type 'integer'", Rule: { Id: 'E3012' }, Location: { Path: ['Resources', 'Q', 'Properties', 'VisibilityTimeout'] } },
      { Filename: 'b.json', Level: 'Warning', Message: 'no location', Rule: { Id: 'W1001' } },
      { Filename: 'b.json', Level: 'Informational', Message: 'no path', Rule: { Id: 'I3011' }, Location: {} },
    ]));
    withEnv({ PATH: onPath(working), FAKE_FINDINGS: findings }, () => {
      const lint = fresh<CfnLintModule>('./cfn-lint');
      expect(lint.cfnLint(['a.json', 'b.json'])).toEqual([
        { file: 'a.json', rule: 'E3012', level: 'Error', message: "'soon' is not of type 'integer'", resourcePath: 'Resources/Q/Properties/VisibilityTimeout' },
        { file: 'b.json', rule: 'W1001', level: 'Warning', message: 'no location', resourcePath: '' },
        { file: 'b.json', rule: 'I3011', level: 'Informational', message: 'no path', resourcePath: '' },
      ]);
      expect(lint.cfnLintErrors(['a.json', 'b.json']).map((f) => f.rule)).toEqual(['E3012']);
    });
  });

  test('no output is no finding, and a cfn-lint that exits non-zero is an error with its stderr', () => {
    withEnv({ PATH: onPath(working), FAKE_FINDINGS: undefined }, () => {
      expect(fresh<CfnLintModule>('./cfn-lint').cfnLint(['a.json', 'b.json'])).toEqual([]);
    });
    withEnv({ PATH: onPath(broken) }, () => {
      expect(() => fresh<CfnLintModule>('./cfn-lint').cfnLint(['a.json'])).toThrow('cfn-lint failed (2): boom\n');
    });
  });
});

describe('xgboost on the system Python, driven through a fake xgboost module on PYTHONPATH', () => {
  // The probe imports xgboost and numpy: both are fakes here, so no real one is needed.
  const fakeXgboost = (source: string) => {
    const dir = scratch();
    fs.writeFileSync(path.join(dir, 'xgboost.py'), `${source}\n`);
    fs.writeFileSync(path.join(dir, 'numpy.py'), '');
    return dir;
  };
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  test('an importable xgboost runs the tests, reports its version and prints nothing, also under CI=true', () => {
    withEnv({ PYTHONPATH: fakeXgboost("__version__ = '9.9.9'"), CI: 'true' }, () => {
      const xgb = fresh<XgboostModule>('./python-xgboost');
      expect(xgb.pythonXgboost()).toEqual({ ok: true, reason: 'xgboost 9.9.9' });
      expect(xgb.xgboostTest()).toBe(test);
    });
    expect(warn).not.toHaveBeenCalled();
  });

  test('an xgboost that fails to import skips locally, printing the last line of the error once', () => {
    withEnv({ PYTHONPATH: fakeXgboost("raise ImportError('no xgboost in this fake')"), CI: undefined }, () => {
      const xgb = fresh<XgboostModule>('./python-xgboost');
      const reason = '/usr/bin/python3 cannot import xgboost (ImportError: no xgboost in this fake); install it with: apt-get install -y python3-xgboost';
      expect(xgb.pythonXgboost()).toEqual({ ok: false, reason });
      expect(xgb.xgboostTest()).toBe(test.skip);
      expect(warn.mock.calls).toEqual([[`Skipping the xgboost tests: ${reason}`]]);
    });
  });

  test('a failure with nothing on stderr is reported as unknown', () => {
    withEnv({ PYTHONPATH: fakeXgboost('import sys\nsys.exit(4)'), CI: undefined }, () => {
      expect(fresh<XgboostModule>('./python-xgboost').pythonXgboost().reason)
        .toBe('/usr/bin/python3 cannot import xgboost (unknown); install it with: apt-get install -y python3-xgboost');
    });
  });

  test('under CI=true an xgboost that cannot be imported is an error, not a skip', () => {
    withEnv({ PYTHONPATH: fakeXgboost("raise ImportError('no xgboost in this fake')"), CI: 'true' }, () => {
      expect(() => fresh<XgboostModule>('./python-xgboost').pythonXgboost()).toThrow(
        '/usr/bin/python3 cannot import xgboost (ImportError: no xgboost in this fake); install it with: apt-get install -y python3-xgboost: CI must run the xgboost tests');
    });
    expect(warn).not.toHaveBeenCalled();
  });

  test('runSystemPython returns a large output whole', () => {
    expect(runSystemPython(['-c', "print('x' * 100000)"])).toBe(`${'x'.repeat(100000)}\n`);
  });
});

describe('Chromium', () => {
  test('is started with exactly the flags a root, offline machine needs', () => {
    expect(CHROMIUM_ARGS).toEqual([
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ]);
  });
});

/** An assembly directory holding only a validation-report.json with these plugin reports. */
function assemblyWith(pluginReports: unknown[]): string {
  const dir = scratch();
  fs.writeFileSync(path.join(dir, 'validation-report.json'), JSON.stringify({ pluginReports }));
  return dir;
}

describe('validatorErrors', () => {
  const dir = assemblyWith([
    {
      pluginName: 'CloudFormation Validate',
      violations: [
        { ruleName: 'NoSeverity', description: 'd1', violatingConstructs: [{ constructPath: 'Test/A/Resource' }] },
        { ruleName: 'IsError', description: 'd2', severity: 'error', violatingConstructs: [{}] },
        { ruleName: 'IsFatal', description: 'd3', severity: 'fatal' },
        { ruleName: 'IsWarning', description: 'd4', severity: 'warning' },
        { ruleName: 'IsInfo', description: 'd5', severity: 'info' },
      ],
    },
    { pluginName: 'AwsSolutions', violations: [{ ruleName: 'AwsSolutions-S1', description: 'd6', severity: 'error' }] },
  ]);

  test("keeps the built-in validator's errors (no severity, error or fatal), with '?' for a construct without a path", () => {
    expect(validatorErrors(dir)).toEqual([
      { plugin: 'CloudFormation Validate', rule: 'NoSeverity', description: 'd1', paths: ['Test/A/Resource'] },
      { plugin: 'CloudFormation Validate', rule: 'IsError', description: 'd2', paths: ['?'] },
      { plugin: 'CloudFormation Validate', rule: 'IsFatal', description: 'd3', paths: [] },
    ]);
  });

  test("allPlugins adds the other plugins' errors", () => {
    expect(validatorErrors(dir, { allPlugins: true }).map((e) => `${e.plugin}: ${e.rule}`)).toEqual([
      'CloudFormation Validate: NoSeverity', 'CloudFormation Validate: IsError', 'CloudFormation Validate: IsFatal', 'AwsSolutions: AwsSolutions-S1',
    ]);
  });
});

describe('the gate functions on hand-made input', () => {
  test("the validator gate gives a stack the errors with no path and those with any path under it, listing every path", () => {
    const dir = assemblyWith([{
      pluginName: 'CloudFormation Validate',
      violations: [
        { ruleName: 'R1', description: 'no path' },
        { ruleName: 'R2', description: 'two paths', violatingConstructs: [{ constructPath: 'Other/X' }, { constructPath: 'Test/B/Resource' }] },
        { ruleName: 'R3', description: 'elsewhere', violatingConstructs: [{ constructPath: 'Other/Y' }] },
      ],
    }]);
    expect(gate.validator(dir, testStack())).toEqual(['R1 at : no path', 'R2 at Other/X, Test/B/Resource: two paths']);
  });

  test('an acknowledgement reason needs 20 characters besides blanks', () => {
    const withReason = (reason?: string) => ({ Type: 'AWS::S3::Bucket', Metadata: { cdk_nag: { rules_to_suppress: [{ id: 'AwsSolutions-S1', reason }] } } });
    expect(gate.acknowledgementReasons({ Resources: {
      Nineteen: withReason('x'.repeat(19)),
      Twenty: withReason('x'.repeat(20)),
      Padded: withReason(`   ${'x'.repeat(10)}${' '.repeat(20)}`),
      Missing: withReason(undefined),
    } } as Parameters<typeof gate.acknowledgementReasons>[0])).toEqual(['Nineteen: AwsSolutions-S1', 'Padded: AwsSolutions-S1', 'Missing: AwsSolutions-S1']);
  });

  test('the determinism gate reports a missing template, and the first differing line (1-based) of both texts', () => {
    expect(gate.determinism('S', 'a\nb', undefined)).toEqual(['S: no template from the second process']);
    expect(gate.determinism('S', 'a\nb\nc', 'a\nB\nc')).toEqual(['S: differs from line 2: "b" vs "B"']);
  });

  test('the bare-App gate names the bucket and both postures, and ignores resources that are not buckets or bucket policies', () => {
    const bucketOf = (ownership: string) => ({ Type: 'AWS::S3::Bucket', Properties: { OwnershipControls: { Rules: [{ ObjectOwnership: ownership }] } } });
    const queue = { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 30 } };
    expect(gate.barePosture({ Resources: { B: bucketOf('BucketOwnerEnforced'), Q: queue } }, { Resources: { B: bucketOf('ObjectWriter') } })).toEqual([
      'B: [{"Rules":[{"ObjectOwnership":"BucketOwnerEnforced"}]},null,null,null,null,null] under cdk.json\'s flags, '
        + '[{"Rules":[{"ObjectOwnership":"ObjectWriter"}]},null,null,null,null,null] in a bare App',
    ]);
  });

  test('the bare-App gate compares the conditions of bucket-policy grants', () => {
    const policyOf = (condition?: unknown) => ({ Type: 'AWS::S3::BucketPolicy', Properties: { PolicyDocument: { Statement: [
      { Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Resource: '*', ...(condition ? { Condition: condition } : {}) },
    ] } } });
    const tls = { Bool: { 'aws:SecureTransport': 'false' } };
    expect(gate.barePosture({ Resources: { P: policyOf(tls) } }, { Resources: { P: policyOf(tls) } })).toEqual([]);
    expect(gate.barePosture({ Resources: { P: policyOf(tls) } }, { Resources: { P: policyOf() } })).toEqual([
      'P: ["[\\"Deny\\",{\\"AWS\\":\\"*\\"},\\"s3:*\\",\\"*\\",{\\"Bool\\":{\\"aws:SecureTransport\\":\\"false\\"}}]"] under cdk.json\'s flags, '
        + '["[\\"Deny\\",{\\"AWS\\":\\"*\\"},\\"s3:*\\",\\"*\\",null]"] in a bare App',
    ]);
  });
});

describe('the gated app', () => {
  afterEach(() => jest.restoreAllMocks());
  // A module adding a small stack that shows the child's profile and environment, prints a long
  // warning, and adds a stack only when cdk.json's flags are absent.
  const moduleDir = scratch();
  const modulePath = path.join(moduleDir, 'probe-app.js');
  fs.writeFileSync(modulePath, [
    `const { CfnWaitConditionHandle, Stack } = require(${JSON.stringify(require.resolve('aws-cdk-lib'))});`,
    'exports.addProbe = (app) => {',
    "  const description = `profile ${app.node.tryGetContext('profile')}, marker ${process.env.SUPPORT_MUTANTS_MARKER}`;",
    "  new CfnWaitConditionHandle(new Stack(app, 'Probe', { description }), 'Nothing');",
    "  if (app.node.tryGetContext('@aws-cdk/aws-iam:minimizePolicies') !== true) new CfnWaitConditionHandle(new Stack(app, 'BareOnly'), 'Nothing');",
    "  if (process.env.SUPPORT_MUTANTS_MARKER) console.warn('a long warning, as aws-cdk-lib prints for a deprecated API: ' + 'x'.repeat(200));",
    '  return app;',
    '};',
    '',
  ].join('\n'));
  const source = { modulePath, exportName: 'addProbe', stacks: ['Probe'] };

  test('EXAMPLES is addExamples of bin/app.ts with the stacks of EXAMPLE_STACKS', () => {
    expect(EXAMPLES).toEqual({ modulePath: path.join(ROOT, 'bin', 'app.ts'), exportName: 'addExamples', stacks: EXAMPLE_STACKS });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect(require(EXAMPLES.modulePath)[EXAMPLES.exportName]).toBe(addExamples);
  });

  test("a second process synthesizes in the temp dir with cdk.json's flags, the profile and this environment, and returns only the templates", () => {
    const tmp = privateTmpdir();
    const templates = withEnv({ SUPPORT_MUTANTS_MARKER: 'from-the-parent' }, () => synthInChildProcess(modulePath, 'addProbe', 'production'));
    expect(Object.keys(templates)).toEqual(['Probe.template.json']);
    expect(JSON.parse(templates['Probe.template.json']).Description).toBe('profile production, marker from-the-parent');
    expect(fs.readdirSync(tmp)).toEqual([expect.stringMatching(/^cdk-ml-child-/)]);
  });

  test('a second process that fails is an error with its exit code and stderr', () => {
    expect(() => synthInChildProcess(modulePath, 'noSuchExport', 'production')).toThrow(/^synth in a child process failed \(1\): [^]*TypeError/);
  });

  test('the bare App has the profile, none of the flags, and synthesizes in the temp dir', () => {
    const tmp = privateTmpdir();
    const bare = synthBareApp('production', (app) => {
      const flag = app.node.tryGetContext('@aws-cdk/aws-iam:minimizePolicies');
      new CfnWaitConditionHandle(new Stack(app, 'Bare', { description: `profile ${app.node.tryGetContext('profile')}, flag ${flag}` }), 'Nothing');
      return app;
    });
    expect(Object.keys(bare)).toEqual(['Bare']);
    expect((bare.Bare as { Description?: string }).Description).toBe('profile production, flag undefined');
    expect(fs.readdirSync(tmp)).toEqual([expect.stringMatching(/^cdk-ml-bare-/)]);
  });

  describe('gateChecks', () => {
    // A cfn-lint that does not answer: the lint gate is skipped here, whatever this machine has.
    const checks = withEnv({ PATH: fakeTool('cfn-lint', 'exit 1'), CI: undefined }, () => freshGates().gateChecks('production', source));

    test('names the app checks and the seven checks of each stack', () => {
      expect(checks.app.map((c) => c.name)).toEqual([
        'the app has exactly the stacks bin/app.ts lists in EXAMPLE_STACKS',
        'synthesizes in a bare App (no cdk.json feature flags)',
      ]);
      expect(checks.stacks[0].checks.map((c) => c.name)).toEqual([
        'is environment-agnostic',
        'has no unacknowledged cdk-nag findings (AwsSolutions, HIPAA Security, NIST 800-53 R5, PCI DSS 3.2.1)',
        'every acknowledged finding in the template carries a reason',
        'has zero cfn-lint errors',
        "has zero errors from aws-cdk-lib's built-in validator (resources, outputs, mappings, conditions, parameters)",
        'synthesizes deterministically (byte-identical in a second Node process)',
        "keeps its buckets' ownership, ACLs, encryption, logging and policies in a bare App",
      ]);
      expect(checks.stacks[0].checks.map((c) => c.skip)).toEqual([undefined, undefined, undefined, 'cfn-lint not runnable ()', undefined, undefined, undefined]);
    });

    test('the bare-App check reports a stack only the bare App has', () => {
      expect(checks.app[1].findings()).toEqual(['BareOnly: only in the bare App']);
    });
  });
});

describe('describeExampleGates', () => {
  type Recorded = { kind: 'test' | 'skip'; name: string; body: () => void };
  const recorder = () => {
    const recorded: Recorded[] = [];
    const api: GateTestApi = {
      describe: (_name, body) => body(),
      test: (name, body) => recorded.push({ kind: 'test', name, body }),
      skip: (name, body) => recorded.push({ kind: 'skip', name, body }),
    };
    return { recorded, api };
  };
  /** One stack "Hand" whose template cannot be read, with a passing check and a skipped one. */
  const handChecks = (): GateChecks => ({
    examples: { stacks: [{ name: 'Hand' }] } as unknown as GateChecks['examples'],
    app: [],
    stacks: [{
      stack: { name: 'Hand', get template(): Record<string, unknown> { throw new Error('the snapshot test read the template'); } } as unknown as GateChecks['stacks'][0]['stack'],
      checks: [
        { name: 'is environment-agnostic', findings: () => [] },
        { name: 'has zero cfn-lint errors', skip: 'cfn-lint not runnable (boom)', findings: () => ['not run'] },
      ],
    }],
  });
  const handSource = { modulePath: 'unused', exportName: 'unused', stacks: ['Hand'] };
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  test("with Jest's own API, a skipped check prints why it is skipped here", () => {
    // gates.ts keeps Jest's describe/test/test.skip from when it loads: load a copy while they are recorders.
    const { recorded, api } = recorder();
    const g = globalThis as unknown as Record<string, unknown>;
    const saved = { describe: g.describe, test: g.test };
    let isolated: typeof import('./gates');
    try {
      g.describe = api.describe;
      g.test = Object.assign(api.test, { skip: api.skip });
      isolated = freshGates();
    } finally {
      Object.assign(g, saved);
    }
    isolated.describeExampleGates('production', handSource, undefined, handChecks());
    expect(warn.mock.calls).toEqual([['has zero cfn-lint errors skipped locally: cfn-lint not runnable (boom)']]);
    expect(recorded.map((r) => `${r.kind}: ${r.name}`)).toEqual([
      'test: Hand is in the app', 'test: matches its snapshot', 'test: is environment-agnostic', 'skip: has zero cfn-lint errors',
    ]);
  });

  test('with another API (the self-test recorder) nothing is printed, and the snapshot test reads the stack template', () => {
    const { recorded, api } = recorder();
    describeExampleGates('production', handSource, api, handChecks());
    expect(warn).not.toHaveBeenCalled();
    const snapshot = recorded.find((r) => r.name === 'matches its snapshot')!;
    expect(snapshot.body).toThrow('the snapshot test read the template');
  });

  test('an app with no stacks gets its presence tests and app checks', () => {
    const { recorded, api } = recorder();
    describeExampleGates('production', handSource, api, { ...handChecks(), examples: { stacks: [] } as unknown as GateChecks['examples'], stacks: [] });
    expect(recorded.map((r) => r.name)).toEqual(['Hand is in the app']);
    expect(recorded[0].body).toThrow();
  });
});

describe('documentedDefaults with other JSDoc tags', () => {
  const file = path.join(scratch(), 'tagged-props.ts');
  fs.writeFileSync(file, [
    'export interface TaggedProps {',
    '  /**',
    '   * Seconds to wait.',
    '   * @see https://example.com/timeouts',
    '   * @default 5',
    '   */',
    '  readonly timeout?: number;',
    '  /**',
    '   * @deprecated use timeout',
    '   */',
    '  readonly wait?: number;',
    '  /**',
    '   * @default',
    '   */',
    '  readonly emptyDefault?: string;',
    '}',
    '',
  ].join('\n'));

  test('reads the @default tag, not the first tag, and an empty @default as ""', () => {
    expect(documentedDefaults(file, 'TaggedProps')).toEqual({ timeout: '5', emptyDefault: '' });
  });

  test('a prop with other tags but no @default is undocumented', () => {
    expect(undocumentedOptionalProps(file, 'TaggedProps')).toEqual(['wait']);
  });
});

describe('readmeSamples fences', () => {
  test("without a file it reads the project's README.md", () => {
    expect(readmeSamples()).toEqual(readmeSamples(path.join(ROOT, 'README.md')));
  });

  test('only a line that is exactly a ts fence opens a sample; blanks after a fence are allowed', () => {
    const file = path.join(scratch(), 'fences.md');
    fs.writeFileSync(file, [
      '# Fences',
      'Prose wrapped right after a fence marker, as in a ```ts',
      'fragment block, opens no sample.',
      '```tsx',
      'const jsx = 1;',
      '```',
      '```ts   ',
      'const a = 1;',
      '```  ',
      '',
    ].join('\n'));
    expect(readmeSamples(file)).toEqual([{ line: 7, fragment: false, code: 'const a = 1;' }]);
  });
});

describe('typeCheckSamples compiles samples as the project does', () => {
  const outside = path.join(scratch(), 'outside.ts');
  fs.writeFileSync(outside, "export const broken: number = 'not a number';\n");
  const sample = (line: number, code: string[]): ReadmeSample => ({ line, fragment: false, code: code.join('\n') });
  const samples = [
    sample(20, ["test('reads the environment', () => expect(process.env.HOME).toBeDefined());"]),
    sample(30, ["import fs from 'fs';", "export const root = fs.existsSync('/');"]),
    sample(40, ["import cdkPackage from 'aws-cdk-lib/package.json';", 'export const version: string = cdkPackage.version;']),
    sample(50, ["import StackUtils from 'stack-utils';", 'export const utils: StackUtils = new StackUtils();']),
    sample(60, ['export function twice(x) { return x * 2; }']),
    sample(70, ['export const f: (x: number) => void = (x: string) => { void x; };']),
    sample(80, [`import { broken } from ${JSON.stringify(outside.replace(/\.ts$/, ''))};`, 'export const n: number = broken;']),
  ];
  let result: ReturnType<typeof typeCheckSamples>;
  beforeAll(() => {
    result = typeCheckSamples(samples);
  });

  test('with the types of node, jest and @types packages, default imports of CommonJS modules, and JSON modules', () => {
    expect(result.errors.filter((e) => /^README\.md:[2-5]0 /.test(e))).toEqual([]);
  });

  test('strict: an implicit any is an error', () => {
    expect(result.errors.filter((e) => e.startsWith('README.md:60 '))).toEqual(["README.md:60 (complete): Parameter 'x' implicitly has an 'any' type."]);
  });

  test('an error in a complete sample is reported as complete, with its whole message chain one line each', () => {
    expect(result.errors.filter((e) => e.startsWith('README.md:70 '))).toEqual([[
      "README.md:70 (complete): Type '(x: string) => void' is not assignable to type '(x: number) => void'.",
      "  Types of parameters 'x' and 'x' are incompatible.",
      "    Type 'number' is not assignable to type 'string'.",
    ].join('\n')]);
  });

  test("errors in a module a sample imports are not the sample's, and only the samples are reported", () => {
    expect(result.errors.filter((e) => !/^README\.md:[67]0 /.test(e))).toEqual([]);
    expect(result.errors).toHaveLength(2);
  });

  test('the samples are written to a readme-samples- temp dir, one file per sample', () => {
    expect(result.dir.startsWith(path.join(os.tmpdir(), 'readme-samples-'))).toBe(true);
    expect(result.files.map((f) => path.relative(result.dir, f))).toEqual(samples.map((s) => `sample-line-${s.line}.ts`));
  });
});

describe('runnableSample', () => {
  test('compiles to ES2022 CommonJS with default imports of CommonJS modules', () => {
    const dir = scratch();
    const file = runnableSample({ line: 5, fragment: false, code: [
      "import fs from 'fs';",
      "import { App, Stack } from 'aws-cdk-lib';",
      'class ProbeStack extends Stack {}',
      "export const stackName = new ProbeStack(new App(), 'Probe').stackName;",
      "export const hasRoot = fs.existsSync('/');",
    ].join('\n') }, dir);
    expect(path.basename(file)).toBe('run-line-5.js');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(file) as { stackName: string; hasRoot: boolean };
    expect([loaded.stackName, loaded.hasRoot]).toEqual(['Probe', true]);
  });
});

