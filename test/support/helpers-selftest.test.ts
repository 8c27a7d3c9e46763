import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CDK_CONTEXT, PROFILES, ROOT, testApp } from './app';
import { cfnLint } from './cfn-lint';
import { CHROMIUM_ARGS, chromiumAvailability } from './chromium';
import { documentedDefaults, undocumentedOptionalProps } from './documented-defaults';
import { formatNag, nagFindings } from './nag';
import { pythonXgboost, runSystemPython, SYSTEM_PYTHON, xgboostTest } from './python-xgboost';
import { readmeSamples, runnableSample, sampleModule, typeCheckSamples } from './readme-samples';
import { regionalStack, templateOf, testStack } from './stack';
import { withEnv } from './env';
import { removeTempDirs, tempDir } from './temp-dirs';

// The helpers every test leans on, held to what they promise: a helper that quietly does less
// (a context flag dropped, a default not read, a sample not checked) would let other tests pass
// for the wrong reason. The gate functions have their own self-test (gates-selftest.test.ts).
const FIXTURES = path.join(__dirname, 'fixtures');

describe('testApp and testStack', () => {
  test('ROOT is the project root and PROFILES are the two profiles', () => {
    expect(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).name).toBe('cdk-ml-reference');
    expect(PROFILES).toEqual(['lab', 'production']);
  });

  test("an App carries cdk.json's flags, lets synth finish on validator errors, and sets no profile unless asked", () => {
    const app = testApp();
    const flag = Object.keys(CDK_CONTEXT).find((k) => k.startsWith('@aws-cdk/'))!;
    expect(app.node.tryGetContext(flag)).toEqual(CDK_CONTEXT[flag]);
    expect(app.node.tryGetContext('@aws-cdk/core:failSynthOnValidationErrors')).toBe(false);
    expect(app.node.tryGetContext('profile')).toBeUndefined();
    expect(app.outdir.startsWith(path.join(os.tmpdir(), 'cdk-ml-test-'))).toBe(true);
    expect(testApp().outdir).not.toBe(app.outdir);
  });

  test("a test App's assembly directory is removed when the file's tests end (removeTempDirs), with the others made so far", () => {
    const app = testApp();
    new Stack(app, 'S');
    app.synth();
    expect(fs.existsSync(app.outdir)).toBe(true);
    const others = testApp().outdir;
    expect(removeTempDirs()).toBeGreaterThanOrEqual(2);
    expect([fs.existsSync(app.outdir), fs.existsSync(others)]).toEqual([false, false]);
    expect(removeTempDirs()).toBe(0);
  });

  test('profile, extra context, outdir and the validator are passed through', () => {
    const outdir = tempDir('selftest-');
    const app = testApp({ profile: 'production', context: { extra: 1 }, outdir, validation: true });
    expect(app.node.tryGetContext('profile')).toBe('production');
    expect(app.node.tryGetContext('extra')).toBe(1);
    expect(app.outdir).toBe(outdir);
    new Stack(app, 'Empty'); // an empty template is a validator error: synth still finishes and reports it
    const report = JSON.parse(fs.readFileSync(path.join(app.synth().directory, 'validation-report.json'), 'utf8'));
    expect(JSON.stringify(report)).toContain('Resources section must exist');
  });

  test('extra context wins over the flags', () => {
    const app = testApp({ validation: true, context: { '@aws-cdk/core:failSynthOnValidationErrors': true } });
    new Stack(app, 'Empty');
    expect(() => app.synth()).toThrow(/Resources section must exist/);
  });

  test('the validator is off by default and no version is reported', () => {
    const app = testApp();
    new Stack(app, 'S');
    const dir = app.synth().directory;
    expect(fs.existsSync(path.join(dir, 'validation-report.json'))).toBe(false);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'S.template.json'), 'utf8')).Resources?.CDKMetadata).toBeUndefined();
  });

  test('testStack is an environment-agnostic stack "Test" with the profile; regionalStack has a concrete region', () => {
    const stack = testStack('lab', { extra: 'x' });
    expect(stack.node.id).toBe('Test');
    expect(stack.environment).toBe('aws://unknown-account/unknown-region');
    expect(stack.node.tryGetContext('profile')).toBe('lab');
    expect(stack.node.tryGetContext('extra')).toBe('x');
    const regional = regionalStack('eu-west-1', 'production');
    expect([regional.region, regional.account, regional.node.id]).toEqual(['eu-west-1', '111122223333', 'Test']);
    expect(regional.node.tryGetContext('profile')).toBe('production');
    new s3.CfnBucket(stack, 'B');
    expect(templateOf(stack)).toBeInstanceOf(Template);
    templateOf(stack).resourceCountIs('AWS::S3::Bucket', 1);
  });
});

describe('documentedDefaults', () => {
  const file = path.join(FIXTURES, 'documented-props.ts');

  test('reads the trimmed @default of each prop that has one, required or not', () => {
    expect(documentedDefaults(file, 'FixtureProps')).toEqual({ documented: "'lab'", requiredWithDefault: '30 days' });
    expect(documentedDefaults(file, 'OtherProps')).toEqual({ other: 'none' });
  });

  test('lists the optional props with no @default, and only those', () => {
    expect(undocumentedOptionalProps(file, 'FixtureProps')).toEqual(['undocumented']);
    expect(undocumentedOptionalProps(file, 'OtherProps')).toEqual([]);
  });

  test('an interface that is not there is an error, not an empty answer', () => {
    expect(() => documentedDefaults(file, 'Missing')).toThrow(`interface Missing not found in ${file}`);
    expect(() => undocumentedOptionalProps(file, 'Missing')).toThrow(`interface Missing not found in ${file}`);
  });
});

describe('readme samples', () => {
  const file = path.join(FIXTURES, 'samples.md');
  const samples = readmeSamples(file);

  test('finds each ts and typescript block with its fence line, and which are fragments', () => {
    expect(samples.map((s) => [s.line, s.fragment])).toEqual([[3, false], [12, true], [18, false]]);
    expect(samples[0].code).toBe("import { App } from 'aws-cdk-lib';\nnew App();");
    expect(samples[2].code).toBe('const ok = 1;');
  });

  test('an unclosed block is an error naming its line', () => {
    const broken = path.join(tempDir('selftest-'), 'broken.md');
    fs.writeFileSync(broken, 'text\n```ts\nconst x = 1;\n');
    expect(() => readmeSamples(broken)).toThrow('README.md:2: unclosed code block');
  });

  test('a fragment gets its imports hoisted and app and stack declared; a complete sample is left as it is', () => {
    expect(sampleModule(samples[0])).toBe(`${samples[0].code}\nexport {};\n`);
    const lines = sampleModule(samples[1]).split('\n');
    expect(lines.slice(0, 5)).toEqual([
      "import { App as ReadmeApp, Stack as ReadmeStack } from 'aws-cdk-lib';",
      "import { Stack as S } from 'aws-cdk-lib';",
      'declare const app: ReadmeApp;',
      'declare const stack: ReadmeStack;',
      '',
    ]);
    expect(lines).toContain('const n: number = stack.stackName;');
    expect(lines[lines.length - 1]).toBe('export {};');
  });

  test('type-checking reports an error of a sample with its line and kind, and none for the others', () => {
    const { errors, files } = typeCheckSamples(samples);
    expect(files).toHaveLength(3);
    expect(errors).toEqual([expect.stringMatching(/^README\.md:12 \(fragment\): Type 'string' is not assignable to type 'number'/)]);
  });

  test('a runnable sample loads the library from lib/ and packages from this project', () => {
    const dir = tempDir('selftest-');
    const js = fs.readFileSync(runnableSample({ line: 1, fragment: false, code: [
      "import { Nag } from 'cdk-ml-reference';", "import { PropValidationError } from 'cdk-ml-reference/errors';",
      "import { App } from 'aws-cdk-lib';", 'export const all = [Nag, PropValidationError, App];',
    ].join('\n') }, dir), 'utf8');
    expect(js).toContain(`require(${JSON.stringify(path.join(ROOT, 'lib', 'index.ts'))})`);
    expect(js).toContain(`require(${JSON.stringify(path.join(ROOT, 'lib', 'errors.ts'))})`);
    expect(js).toContain(`require(${JSON.stringify(require.resolve('aws-cdk-lib', { paths: [ROOT] }))})`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect(require(path.join(dir, 'run-line-1.js')).all.every((x: unknown) => typeof x === 'function')).toBe(true);
  });
});

describe('nagFindings', () => {
  test('reports each pack with rule, path and description, and formatNag prints them one a line', () => {
    const stack = testStack();
    new s3.Bucket(stack, 'Plain');
    const findings = nagFindings(stack);
    expect(new Set(findings.map((f) => f.pack))).toEqual(new Set(['AwsSolutions', 'HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321']));
    const s1 = findings.find((f) => f.rule === 'AwsSolutions-S1')!;
    expect(s1.path).toBe('Test/Plain/Resource');
    expect(s1.description.length).toBeGreaterThan(20);
    expect(formatNag([s1])).toEqual([`AwsSolutions-S1 at Test/Plain/Resource: ${s1.description}`]);
  });
});

describe('withEnv', () => {
  test('sets and unsets variables for the body and restores them after it returns, throws, or its promise settles', async () => {
    process.env.SELFTEST_A = 'before';
    delete process.env.SELFTEST_B;
    const seen = withEnv({ SELFTEST_A: undefined, SELFTEST_B: 'set' }, () => [process.env.SELFTEST_A, process.env.SELFTEST_B]);
    expect(seen).toEqual([undefined, 'set']);
    expect([process.env.SELFTEST_A, process.env.SELFTEST_B]).toEqual(['before', undefined]);
    expect(() => withEnv({ SELFTEST_A: 'x' }, () => { throw new Error('boom'); })).toThrow('boom');
    expect(process.env.SELFTEST_A).toBe('before');
    const pending = withEnv({ SELFTEST_A: 'async' }, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return process.env.SELFTEST_A;
    });
    expect(process.env.SELFTEST_A).toBe('async');
    await expect(pending).resolves.toBe('async');
    expect(process.env.SELFTEST_A).toBe('before');
    delete process.env.SELFTEST_A;
  });
});

describe('tool availability', () => {
  const ci = process.env.CI;
  afterEach(() => {
    if (ci === undefined) delete process.env.CI; else process.env.CI = ci;
  });

  test('Chromium: a missing binary skips locally with how to install it, and fails under CI=true', () => {
    jest.isolateModules(() => {
      process.env.CHROMIUM_PATH = path.join(os.tmpdir(), 'no-such-chromium');
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const isolated = require('./chromium') as typeof import('./chromium');
        delete process.env.CI;
        expect(isolated.chromiumAvailability()).toEqual({ ok: false, reason: `${process.env.CHROMIUM_PATH} not found (apt-get install -y chromium)` });
        process.env.CI = 'true';
        expect(() => isolated.chromiumAvailability()).toThrow(/not found .*: CI must run the browser tests/);
      } finally {
        delete process.env.CHROMIUM_PATH;
      }
    });
    expect(CHROMIUM_ARGS).toEqual(expect.arrayContaining(['--no-sandbox', '--disable-background-networking']));
    expect(chromiumAvailability().ok).toBe(fs.existsSync('/usr/bin/chromium'));
  });

  test('system Python: stdout comes back, a failure throws with its exit code and stderr', () => {
    expect(runSystemPython(['-c', 'print(6 * 7)'])).toBe('42\n');
    expect(() => runSystemPython(['-c', 'import sys; sys.stderr.write("boom"); sys.exit(3)'])).toThrow(`${SYSTEM_PYTHON} -c import sys; sys.stderr.write("boom"); sys.exit(3) failed (3): boom`);
  });

  test('xgboost: the availability is probed once and decides between test and test.skip', () => {
    const first = pythonXgboost();
    expect(pythonXgboost()).toBe(first);
    expect(xgboostTest()).toBe(first.ok ? test : test.skip);
    if (first.ok) expect(first.reason).toMatch(/^xgboost \d+\.\d+/);
    else expect(first.reason).toContain('apt-get install -y python3-xgboost');
  });

  test('cfn-lint of no templates is no finding, without running it', () => {
    expect(cfnLint([])).toEqual([]);
  });
});
