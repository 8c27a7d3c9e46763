import { CfnMapping, CfnOutput, CfnResource, CfnWaitConditionHandle, Fn, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as fs from 'fs';
import * as path from 'path';
import { Nag } from '../../lib';
import { ROOT, testApp } from './app';
import { cfnLintAvailability, cfnLintErrors } from './cfn-lint';
import { synthInChildProcess } from './determinism';
import { addOncePerProcess } from './fixtures/once-per-process-app';
import { describeExampleGates, gate, gateChecks } from './gates';
import { rejectionOf } from './rejection';
import { validatorErrors } from './validation-report';

// The gates must fail when a stack is broken. Feed the very functions the gates call (`gate.*`) a
// stack broken in a resource, an Output and a Mapping, next to a clean stack they must leave alone.
const app = testApp({ validation: true, context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
const stack = new Stack(app, 'Broken');
const bucket = new s3.Bucket(stack, 'PlainBucket');
const acked = new s3.Bucket(stack, 'AcknowledgedBucket', { enforceSSL: true });
Nag.acknowledge(acked, { id: 'AwsSolutions-S1', reason: 'Self-test: this acknowledgement must hide exactly this one finding.' });
const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2 });
const sg = new ec2.SecurityGroup(stack, 'OpenSg', { vpc });
sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22));
new CfnResource(stack, 'BadQueue', { type: 'AWS::SQS::Queue', properties: { VisibilityTimeout: 'soon', NotAProperty: true } });
new CfnOutput(stack, 'Dangling', { value: Fn.getAtt('NoSuchResource', 'Arn').toString() });
new CfnMapping(stack, 'BadMapping', { mapping: { 'not a valid key!': { value: 'x' } } });
const clean = new Stack(app, 'Clean');
new CfnWaitConditionHandle(clean, 'Nothing');
Nag.enable(app);
const assembly = app.synth();
const templateFile = path.join(assembly.directory, stack.templateFile);
const cleanTemplateFile = path.join(assembly.directory, clean.templateFile);

describe('the nag gate', () => {
  const findings = gate.nag(stack);
  const rules = (p: string) => findings.filter((f) => f.includes(` at ${p}/`)).map((f) => f.split(' at ')[0]);

  test('reports an unlogged, non-TLS bucket under the packs', () => {
    expect(rules(bucket.node.path)).toEqual(expect.arrayContaining([
      'AwsSolutions-S1', 'AwsSolutions-S10', 'HIPAA.Security-S3BucketLoggingEnabled', 'HIPAA.Security-S3BucketSSLRequestsOnly',
      'NIST.800.53.R5-S3BucketLoggingEnabled', 'PCI.DSS.321-S3BucketLoggingEnabled',
    ]));
  });

  test('reports an SSH port open to the world and a VPC without flow logs', () => {
    expect(rules(sg.node.path)).toContain('AwsSolutions-EC23');
    expect(rules(vpc.node.path)).toContain('AwsSolutions-VPC7');
  });

  test('an acknowledgement hides exactly the rule it names', () => {
    expect(rules(acked.node.path)).not.toContain('AwsSolutions-S1');
    expect(rules(acked.node.path)).toContain('HIPAA.Security-S3BucketLoggingEnabled');
  });

  test('passes the clean stack', () => {
    expect(gate.nag(clean)).toEqual([]);
  });

  test('the acknowledgement and its reason are written into the template metadata', () => {
    const template = JSON.parse(fs.readFileSync(templateFile, 'utf8'));
    const id = stack.getLogicalId(acked.node.defaultChild as s3.CfnBucket);
    expect(template.Resources[id].Metadata.cdk_nag.rules_to_suppress).toEqual(expect.arrayContaining([
      { id: 'AwsSolutions-S1', reason: 'Self-test: this acknowledgement must hide exactly this one finding.' },
    ]));
  });
});

describe('the acknowledgement-reason gate', () => {
  test('reports a reason too short to review, and passes a real one', () => {
    const template = { Resources: {
      Weak: { Type: 'AWS::S3::Bucket', Metadata: { cdk_nag: { rules_to_suppress: [{ id: 'AwsSolutions-S1', reason: 'ok' }] } } },
      Fine: { Type: 'AWS::S3::Bucket', Metadata: { cdk_nag: { rules_to_suppress: [{ id: 'AwsSolutions-S1', reason: 'A reason long enough to review.' }] } } },
    } };
    expect(gate.acknowledgementReasons(template)).toEqual(['Weak: AwsSolutions-S1']);
  });
});

describe('the cfn-lint gate', () => {
  const lint = cfnLintAvailability();
  (lint.ok ? test : test.skip)('reports a property that does not exist and a value of the wrong type, in that stack only', () => {
    const findings = cfnLintErrors([templateFile, cleanTemplateFile]);
    const broken = gate.cfnLint(findings, templateFile).filter((e) => e.includes('BadQueue'));
    expect(broken.some((e) => e.startsWith('E3002'))).toBe(true);
    expect(broken.length).toBeGreaterThanOrEqual(2);
    expect(gate.cfnLint(findings, cleanTemplateFile)).toEqual([]);
  });
});

describe('the built-in validator gate', () => {
  const errors = gate.validator(assembly.directory, stack);

  test('reports the schema violations of a resource', () => {
    expect(errors.some((e) => e.includes('BadQueue'))).toBe(true);
  });

  test('reports an Output that points at a resource that does not exist', () => {
    expect(errors.filter((e) => /Outputs\/Dangling/.test(e))).toHaveLength(1);
  });

  test('reports a Mapping with an invalid key', () => {
    expect(errors.filter((e) => /Mappings\/BadMapping/.test(e))).toHaveLength(1);
  });

  test('attributes nothing of the broken stack to the clean one', () => {
    expect(gate.validator(assembly.directory, clean)).toEqual([]);
  });

  test('the nag packs enabled on the app report into the same file', () => {
    const packs = new Set(validatorErrors(assembly.directory, { allPlugins: true }).map((e) => e.plugin));
    expect(packs).toEqual(new Set(['CloudFormation Validate', 'AwsSolutions', 'HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321']));
  });

  test('a missing report is an error, not a pass', () => {
    expect(() => gate.validator(path.join(assembly.directory, 'nowhere'), stack)).toThrow(/no validation report/);
  });
});

describe('the stack-list gate', () => {
  test('reports a listed stack the app lacks and an app stack nobody listed', () => {
    expect(gate.stackList(['A', 'B'], ['A', 'B'])).toEqual([]);
    expect(gate.stackList(['A', 'B'], ['A'])).toEqual(['B: listed in bin/app.ts EXAMPLE_STACKS but not in the app']);
    expect(gate.stackList(['A'], ['A', 'C'])).toEqual(['C: in the app but not listed in bin/app.ts EXAMPLE_STACKS']);
  });
});

describe('the determinism gate', () => {
  test('catches a value fixed once per process, which two synths in one process cannot see', () => {
    const here = testApp();
    addOncePerProcess(here);
    const first = fs.readFileSync(path.join(here.synth().directory, 'OncePerProcess.template.json'), 'utf8');
    const again = testApp();
    addOncePerProcess(again);
    const sameProcess = fs.readFileSync(path.join(again.synth().directory, 'OncePerProcess.template.json'), 'utf8');
    expect(gate.determinism('OncePerProcess', first, sameProcess)).toEqual([]);
    const child = synthInChildProcess(path.join(ROOT, 'test', 'support', 'fixtures', 'once-per-process-app.ts'), 'addOncePerProcess', 'production');
    expect(gate.determinism('OncePerProcess', first, child['OncePerProcess.template.json'])).toEqual([
      expect.stringMatching(/^OncePerProcess: differs from line \d+: .*suffix/),
    ]);
  });
});

describe('the bare-App gate', () => {
  test('reports a bucket whose ownership or policy grants change, and passes a reordered policy', () => {
    const bucketOf = (ownership: string) => ({ Type: 'AWS::S3::Bucket', Properties: { OwnershipControls: { Rules: [{ ObjectOwnership: ownership }] } } });
    const policyOf = (actions: string[]) => ({ Type: 'AWS::S3::BucketPolicy', Properties: { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] } } });
    const flagged = { Resources: { B: bucketOf('BucketOwnerEnforced'), P: policyOf(['s3:GetObject', 's3:PutObject']) } };
    expect(gate.barePosture(flagged, { Resources: { B: bucketOf('BucketOwnerEnforced'), P: policyOf(['s3:PutObject', 's3:GetObject']) } })).toEqual([]);
    expect(gate.barePosture(flagged, { Resources: { B: bucketOf('ObjectWriter'), P: policyOf(['s3:GetObject']) } })).toHaveLength(2);
  });
});

describe('the rejection helper', () => {
  test('returns the PropValidationError, and fails when nothing or something else is thrown', () => {
    expect(rejectionOf(() => Nag.acknowledge(stack, { id: 'S1', reason: 'long enough to pass the reason check' })).prop).toBe('nag acknowledgement id');
    expect(() => rejectionOf(() => undefined)).toThrow('expected a PropValidationError, but nothing was thrown');
    expect(() => rejectionOf(() => { throw new TypeError('other'); })).toThrow(TypeError);
  });
});

const BROKEN = {
  modulePath: path.join(ROOT, 'test', 'support', 'fixtures', 'broken-examples.ts'), exportName: 'addBrokenExamples', stacks: ['Broken', 'Missing'],
};

describe('the example gates as a whole (gateChecks, which describeExampleGates turns into tests)', () => {
  const checks = gateChecks('production', BROKEN);
  const findingsOf = (stack: string) => Object.fromEntries(checks.stacks.find((s) => s.stack.name === stack)!.checks
    .filter((c) => !c.skip).map((c) => [c.name, c.findings()]));

  test('the app checks report a listed stack the app lacks, stacks nobody listed, and a stack a bare App lacks', () => {
    expect(checks.app.map((c) => c.findings())).toEqual([
      ['Missing: listed in bin/app.ts EXAMPLE_STACKS but not in the app',
        'Unlisted: in the app but not listed in bin/app.ts EXAMPLE_STACKS', 'FlagOnly: in the app but not listed in bin/app.ts EXAMPLE_STACKS'],
      ['FlagOnly: not in the bare App'],
    ]);
  });

  test('every per-stack check fails on the broken stack', () => {
    const broken = findingsOf('Broken');
    const names = checks.stacks[0].checks.filter((c) => !c.skip).map((c) => c.name);
    expect(names.length).toBeGreaterThanOrEqual(cfnLintAvailability().ok ? 7 : 6);
    for (const name of names) expect([name, broken[name].length > 0]).toEqual([name, true]);
    expect(broken['is environment-agnostic']).toEqual(['Broken: bound to aws://111122223333/eu-west-1, not aws://unknown-account/unknown-region']);
    expect(broken['every acknowledged finding in the template carries a reason']).toEqual([expect.stringMatching(/^Handle.*: AwsSolutions-S1$/)]);
  });

  test('and passes the clean stacks, but for the one missing from the bare App', () => {
    expect(Object.values(findingsOf('Unlisted')).flat()).toEqual([]);
    expect(Object.values(findingsOf('FlagOnly')).flat()).toEqual(['FlagOnly: not in the bare App']);
  });

  test('describeExampleGates makes each of them a test that fails on the broken app, and passes the clean stacks', () => {
    const tests: Array<{ name: string; body: () => void }> = [];
    const scopes: string[] = [];
    const record = (name: string, body: () => void) => tests.push({ name: [...scopes, name].join(' > '), body });
    describeExampleGates('production', BROKEN, {
      describe: (name, body) => { scopes.push(name); body(); scopes.pop(); },
      test: record,
      skip: () => undefined,
    }, checks);
    const failing = tests.filter((t) => !t.name.endsWith('matches its snapshot')).filter((t) => {
      try { t.body(); return false; } catch { return true; }
    }).map((t) => t.name.replace('example gates (production profile) > ', ''));
    const perStack = checks.stacks[0].checks.filter((c) => !c.skip).map((c) => `Broken > ${c.name}`);
    expect(failing.sort()).toEqual([
      'Missing is in the app', ...checks.app.map((c) => c.name), ...perStack,
      "FlagOnly > keeps its buckets' ownership, ACLs, encryption, logging and policies in a bare App",
    ].sort());
    expect(tests.filter((t) => t.name.endsWith('matches its snapshot')).map((t) => t.name.split(' > ')[1])).toEqual(['Broken', 'Unlisted', 'FlagOnly']);
  });
});
