import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AccessLogBucket, DataKey, Nag, SecureBucket } from '../../lib';
import { nagFindings } from '../support/nag';
import { testStack } from '../support/stack';

// S3 server access logging delivers with the logging.s3.amazonaws.com principal; the S3 docs ask for
// a bucket-policy grant tied to the source bucket (aws:SourceArn, aws:SourceAccount). AccessLogBucket
// grants that itself, with or without cdk.json's feature flags.
const statementsOf = (stack: Stack) => Object.values(Template.fromStack(stack).findResources('AWS::S3::BucketPolicy'))
  .flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: Array<Record<string, unknown>> } } }).Properties.PolicyDocument.Statement)
  .filter((s) => JSON.stringify(s.Principal ?? '').includes('logging.s3'));

describe('AccessLogBucket log delivery', () => {
  test('a bucket in the same stack gets a PutObject grant under its prefix, tied to its ARN and account', () => {
    const stack = testStack();
    const logs = new AccessLogBucket(stack, 'Logs');
    const data = new SecureBucket(stack, 'Data', { encryptionKey: new DataKey(stack, 'Key'), serverAccessLogsBucket: logs });
    expect(statementsOf(stack)).toEqual([{
      Effect: 'Allow',
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [stack.getLogicalId(logs.node.defaultChild as s3.CfnBucket), 'Arn'] }, '/Data/*']] },
      Condition: {
        ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [stack.getLogicalId(data.node.defaultChild as s3.CfnBucket), 'Arn'] } },
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      },
    }]);
  });

  test('without a prefix the grant covers the whole bucket', () => {
    const stack = testStack();
    const logs = new AccessLogBucket(stack, 'Logs');
    new s3.Bucket(stack, 'Plain', { serverAccessLogsBucket: logs });
    expect(statementsOf(stack).map((s) => JSON.stringify(s.Resource))).toEqual([expect.stringMatching(/"\/\*"\]\]\}$/)]);
  });

  test('a bucket in another stack gets the grant without conditions (they would reference that stack back)', () => {
    const app = new App();
    const logStack = new Stack(app, 'LogStack');
    const logs = new AccessLogBucket(logStack, 'Logs');
    const other = new Stack(app, 'Other');
    new SecureBucket(other, 'Data', { encryptionKey: new DataKey(other, 'Key'), serverAccessLogsBucket: logs });
    const [statement] = statementsOf(logStack);
    expect(statement.Condition).toBeUndefined();
    expect(statement.Action).toBe('s3:PutObject');
  });

  test('a caller that is not a bucket gets the grant without conditions', () => {
    const stack = testStack();
    const logs = new AccessLogBucket(stack, 'Logs');
    (logs as unknown as { allowLogDelivery(from: unknown, prefix?: string): void }).allowLogDelivery(new DataKey(stack, 'NotABucket'), 'p/');
    const [statement] = statementsOf(stack);
    expect(statement.Condition).toBeUndefined();
    expect(JSON.stringify(statement.Resource)).toContain('/p/*');
  });

  test('in a bare App (no feature flags) delivery still goes through the policy, never the LogDeliveryWrite ACL', () => {
    const stack = new Stack(new App(), 'Bare');
    const logs = new AccessLogBucket(stack, 'Logs');
    new SecureBucket(stack, 'Data', { encryptionKey: new DataKey(stack, 'Key'), serverAccessLogsBucket: logs });
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', { OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } });
    expect(JSON.stringify(Template.fromStack(stack).toJSON())).not.toContain('LogDeliveryWrite');
    expect(statementsOf(stack)).toHaveLength(1);
  });
});

describe('the buckets acknowledge what they answer for, and name their lifecycle rules', () => {
  const stack = testStack();
  const logs = new AccessLogBucket(stack, 'Logs');
  const data = new SecureBucket(stack, 'Data', { encryptionKey: new DataKey(stack, 'Key'), serverAccessLogsBucket: logs });
  const findings = nagFindings(stack);
  const rulesAt = (path: string) => findings.filter((f) => f.path.startsWith(`${path}/`)).map((f) => f.rule);

  // Alone: once another bucket logs into it, the packs' logging rules already leave it alone.
  const alone = testStack();
  new AccessLogBucket(alone, 'Logs');
  const aloneRules = nagFindings(alone).map((f) => f.rule);

  test('alone, the access-log bucket has its own logging (AwsSolutions-S1) acknowledged', () => {
    expect(aloneRules).not.toContain('AwsSolutions-S1');
  });

  test.each(['S3BucketLoggingEnabled', 'S3DefaultEncryptionKMS', 'S3BucketReplicationEnabled'])(
    'the access-log bucket has %s acknowledged in every compliance pack', (rule) => {
      expect(aloneRules.filter((r) => r.endsWith(`-${rule}`))).toEqual([]);
      expect(rulesAt(logs.node.path).filter((r) => r.endsWith(`-${rule}`))).toEqual([]);
      expect(Nag.COMPLIANCE_PACKS).toEqual(['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321']);
    });

  test('the data bucket has replication acknowledged, and nothing else left', () => {
    expect(rulesAt(data.node.path)).toEqual([]);
  });

  test('lifecycle rule ids say what they do', () => {
    const ids = Object.values(Template.fromStack(stack).findResources('AWS::S3::Bucket'))
      .map((b) => (b as { Properties: { LifecycleConfiguration: { Rules: Array<{ Id: string }> } } }).Properties.LifecycleConfiguration.Rules.map((r) => r.Id));
    expect(ids.sort()).toEqual([['abort-incomplete-uploads-and-expire-noncurrent'], ['expire-access-logs']]);
  });
});
