import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Nag } from '../../lib/core/nag';
import { testApp } from '../support/app';
import { rejectionOf } from '../support/rejection';
import { testStack } from '../support/stack';

// Tests written for mutants StrykerJS found alive in lib/core/nag.ts (npm run mutate).

const REASON_20 = 'x'.repeat(20);

describe('Nag.acknowledge input rules', () => {
  test.each(['AwsSolutions-S1', 'HIPAA.Security-S3BucketLoggingEnabled', 'AwsSolutions-IAM5[Resource::*]', 'DeployReadiness-VpcHostingPermissions[ec2:DescribeVpcs]'])(
    'accepts the rule id %s', (id) => {
      expect(() => Nag.acknowledge(testStack(), { id, reason: REASON_20 })).not.toThrow();
    });

  test.each(['xAwsSolutions-S1 trailing', ' AwsSolutions-S1', 'AwsSolutions_S1', 'AwsSolutions-IAM5[]', '9Pack-S1'])('rejects the rule id %p', (id) => {
    expect(rejectionOf(() => Nag.acknowledge(testStack(), { id, reason: REASON_20 })).message)
      .toBe(`[Test] invalid nag acknowledgement id: got ${JSON.stringify(id)}; allowed: a cdk-nag rule id such as "AwsSolutions-S1" or "AwsSolutions-IAM5[Resource::*]"`);
  });

  test('a reason of exactly 20 characters is accepted; 19, or 20 with padding, is rejected', () => {
    expect(() => Nag.acknowledge(testStack(), { id: 'AwsSolutions-S1', reason: REASON_20 })).not.toThrow();
    for (const reason of ['x'.repeat(19), ` ${'x'.repeat(19)} `]) {
      expect(rejectionOf(() => Nag.acknowledge(testStack(), { id: 'AwsSolutions-S1', reason })).message)
        .toBe(`[Test] invalid reason for AwsSolutions-S1: got ${JSON.stringify(reason)}; allowed: a reason of at least 20 characters that a security reviewer would accept`);
    }
  });
});

describe('Nag.enable and acknowledgeCompliance', () => {
  test('acknowledgements are written into the template metadata (cdk_nag.rules_to_suppress)', () => {
    const app = testApp();
    const stack = new Stack(app, 'S');
    const bucket = new s3.Bucket(stack, 'B');
    Nag.enable(app);
    Nag.acknowledge(bucket, { id: 'AwsSolutions-S1', reason: 'Access logs are not needed for this bucket.' });
    app.synth();
    const [resource] = Object.values(Template.fromStack(stack).findResources('AWS::S3::Bucket')) as Array<{ Metadata?: { cdk_nag?: { rules_to_suppress: unknown[] } } }>;
    expect(resource.Metadata?.cdk_nag?.rules_to_suppress).toEqual([{ id: 'AwsSolutions-S1', reason: 'Access logs are not needed for this bucket.' }]);
  });

  test('acknowledgeCompliance accepts the rule in each compliance pack', () => {
    const app = testApp();
    const stack = new Stack(app, 'S');
    const bucket = new s3.Bucket(stack, 'B');
    Nag.enable(app);
    Nag.acknowledgeCompliance(bucket, 'S3BucketLoggingEnabled', 'Access logs are not needed for this bucket.');
    app.synth();
    const [resource] = Object.values(Template.fromStack(stack).findResources('AWS::S3::Bucket')) as Array<{ Metadata?: { cdk_nag?: { rules_to_suppress: Array<{ id: string }> } } }>;
    expect(resource.Metadata?.cdk_nag?.rules_to_suppress.map((r) => r.id)).toEqual(Nag.COMPLIANCE_PACKS.map((p) => `${p}-S3BucketLoggingEnabled`));
  });

  test('findingText prints refs, attributes, joins and pseudo parameters as cdk-nag does', () => {
    const stack = testStack();
    const bucket = new s3.Bucket(stack, 'B');
    expect(Nag.findingText(stack, bucket.arnForObjects('events/*'))).toMatch(/^<B[0-9A-F]+\.Arn>\/events\/\*$/);
    expect(Nag.findingText(stack, `arn:${stack.partition}:s3:::${bucket.bucketName}`)).toMatch(/^arn:<AWS::Partition>:s3:::<B[0-9A-F]+>$/);
  });
});
