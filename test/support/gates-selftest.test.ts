import { CfnResource, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as fs from 'fs';
import * as path from 'path';
import { Nag } from '../../lib';
import { testApp } from './app';
import { cfnLintAvailability, cfnLintErrors } from './cfn-lint';
import { nagFindings } from './nag';
import { rejectionOf } from './rejection';
import { validatorErrors } from './validation-report';

// The gates must fail when a stack is broken: feed them a deliberately non-compliant one.
const app = testApp({ validation: true, context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
const stack = new Stack(app, 'Broken');
const bucket = new s3.Bucket(stack, 'PlainBucket');
const acked = new s3.Bucket(stack, 'AcknowledgedBucket', { enforceSSL: true });
Nag.acknowledge(acked, { id: 'AwsSolutions-S1', reason: 'Self-test: this acknowledgement must hide exactly this one finding.' });
const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2 });
const sg = new ec2.SecurityGroup(stack, 'OpenSg', { vpc });
sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22));
Nag.enable(app);
new CfnResource(stack, 'BadQueue', { type: 'AWS::SQS::Queue', properties: { VisibilityTimeout: 'soon', NotAProperty: true } });
const assembly = app.synth();
const templateFile = path.join(assembly.directory, stack.templateFile);

describe('the nag gate', () => {
  const findings = nagFindings(stack);
  const rules = (p: string) => findings.filter((f) => f.path.startsWith(p)).map((f) => f.rule);

  test('reports an unlogged, non-TLS bucket under both packs', () => {
    expect(rules(bucket.node.path)).toEqual(expect.arrayContaining([
      'AwsSolutions-S1', 'AwsSolutions-S10', 'HIPAA.Security-S3BucketLoggingEnabled', 'HIPAA.Security-S3BucketSSLRequestsOnly',
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

  test('the acknowledgement and its reason are written into the template metadata', () => {
    const template = JSON.parse(fs.readFileSync(templateFile, 'utf8'));
    const id = stack.getLogicalId(acked.node.defaultChild as s3.CfnBucket);
    expect(template.Resources[id].Metadata.cdk_nag.rules_to_suppress).toEqual(expect.arrayContaining([
      { id: 'AwsSolutions-S1', reason: 'Self-test: this acknowledgement must hide exactly this one finding.' },
    ]));
  });
});

describe('the cfn-lint gate', () => {
  const lint = cfnLintAvailability();
  (lint.ok ? test : test.skip)('reports a property that does not exist and a value of the wrong type', () => {
    const errors = cfnLintErrors([templateFile]).filter((e) => e.resourcePath.includes('BadQueue'));
    expect(errors.map((e) => e.rule)).toEqual(expect.arrayContaining(['E3002']));
    expect(errors.length).toBeGreaterThanOrEqual(2);
  });
});

describe("the built-in validator gate", () => {
  test('reports the schema violations in its report', () => {
    const errors = validatorErrors(assembly.directory);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.some((e) => e.paths.some((p) => p.includes('BadQueue')))).toBe(true);
  });

  test('the nag packs enabled on the app report into the same file', () => {
    const packs = new Set(validatorErrors(assembly.directory, { allPlugins: true }).map((e) => e.plugin));
    expect(packs).toEqual(new Set(['CloudFormation Validate', 'AwsSolutions', 'HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321']));
  });

  test('a missing report is an error, not a pass', () => {
    expect(() => validatorErrors(path.join(assembly.directory, 'nowhere'))).toThrow(/no validation report/);
  });
});

describe('the rejection helper', () => {
  test('returns the PropValidationError, and fails when nothing or something else is thrown', () => {
    expect(rejectionOf(() => Nag.acknowledge(stack, { id: 'S1', reason: 'long enough to pass the reason check' })).prop).toBe('nag acknowledgement id');
    expect(() => rejectionOf(() => undefined)).toThrow('expected a PropValidationError, but nothing was thrown');
    expect(() => rejectionOf(() => { throw new TypeError('other'); })).toThrow(TypeError);
  });
});
