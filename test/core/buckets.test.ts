import * as path from 'path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AccessLogBucket, DataKey, Profile, SecureBucket } from '../../lib';
import { ProfileName } from '../support/app';
import { documentedDefaults, undocumentedOptionalProps } from '../support/documented-defaults';
import { nagFindings } from '../support/nag';
import { testStack } from '../support/stack';

const CORE = path.join(__dirname, '..', '..', 'lib', 'core');

function build(profile: ProfileName): { stack: Stack; template: Template } {
  const stack = testStack(profile);
  const key = new DataKey(stack, 'Key');
  const logs = new AccessLogBucket(stack, 'Logs');
  new SecureBucket(stack, 'Data', { encryptionKey: key, serverAccessLogsBucket: logs });
  return { stack, template: Template.fromStack(stack) };
}

const built = { lab: build('lab'), production: build('production') };

describe.each(['lab', 'production'] as const)('core buckets and key (%s)', (profile) => {
  const { stack, template } = built[profile];
  const lab = profile === 'lab';

  test('the key rotates, with the profile deletion window and removal policy', () => {
    template.hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({ EnableKeyRotation: true, PendingWindowInDays: lab ? 7 : 30 }),
      DeletionPolicy: lab ? 'Delete' : 'Retain',
    });
  });

  test('the data bucket uses SSE-KMS with the key and a bucket key', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{
        BucketKeyEnabled: true,
        ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] } },
      }] },
    });
  });

  test('every bucket blocks public access, disables ACLs and is versioned', () => {
    const buckets = template.findResources('AWS::S3::Bucket');
    expect(Object.keys(buckets)).toHaveLength(2);
    for (const b of Object.values(buckets)) {
      expect(b.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
      });
      expect(b.Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
      expect(b.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      expect(b.DeletionPolicy).toBe(lab ? 'Delete' : 'Retain');
    }
  });

  test('every bucket policy denies plain HTTP and TLS below 1.2', () => {
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy'));
    expect(policies).toHaveLength(2);
    for (const p of policies) {
      expect(p.Properties.PolicyDocument.Statement).toEqual(expect.arrayContaining([
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        expect.objectContaining({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
      ]));
    }
  });

  test('the data bucket logs to the log bucket under its own prefix', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('^Logs') }, LogFilePrefix: 'Data/' },
    });
  });

  test('lifecycle: incomplete uploads aborted after a day, noncurrent versions expire by profile', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: Match.anyValue(),
      LifecycleConfiguration: { Rules: [{
        Id: 'abort-incomplete-uploads-and-expire-noncurrent', Status: 'Enabled',
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        NoncurrentVersionExpiration: { NoncurrentDays: lab ? 7 : 90 },
      }] },
    });
  });

  test('the log bucket uses SSE-S3 and expires logs by profile', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: lab ? 30 : 365 })] },
    });
  });

  test('buckets are emptied on delete in lab only', () => {
    template.resourceCountIs('Custom::S3AutoDeleteObjects', lab ? 2 : 0);
  });

  test('no unacknowledged nag findings', () => {
    expect(nagFindings(stack)).toEqual([]);
  });
});

describe('documented defaults agree with the code', () => {
  test('SecureBucketProps', () => {
    const docs = documentedDefaults(path.join(CORE, 'secure-bucket.ts'), 'SecureBucketProps');
    expect(docs.noncurrentVersionExpirationDays).toBe('- lab: 7; production: 90');
    expect([SecureBucket.defaults(Profile.LAB).noncurrentVersionExpirationDays, SecureBucket.defaults(Profile.PRODUCTION).noncurrentVersionExpirationDays]).toEqual([7, 90]);
    expect(undocumentedOptionalProps(path.join(CORE, 'secure-bucket.ts'), 'SecureBucketProps')).toEqual([]);
  });

  test('AccessLogBucketProps', () => {
    const docs = documentedDefaults(path.join(CORE, 'access-log-bucket.ts'), 'AccessLogBucketProps');
    expect(docs.retentionDays).toBe('- lab: 30; production: 365');
    expect([AccessLogBucket.defaults(Profile.LAB).retentionDays, AccessLogBucket.defaults(Profile.PRODUCTION).retentionDays]).toEqual([30, 365]);
    expect(undocumentedOptionalProps(path.join(CORE, 'access-log-bucket.ts'), 'AccessLogBucketProps')).toEqual([]);
  });

  test('DataKeyProps', () => {
    const docs = documentedDefaults(path.join(CORE, 'data-key.ts'), 'DataKeyProps');
    expect(docs.pendingWindow).toBe('- lab: 7 days; production: 30 days');
    expect([Profile.LAB.keyPendingWindow.toDays(), Profile.PRODUCTION.keyPendingWindow.toDays()]).toEqual([7, 30]);
    expect(docs.removalPolicy).toBe('- lab: DESTROY; production: RETAIN');
    expect([Profile.LAB.removalPolicy, Profile.PRODUCTION.removalPolicy]).toEqual([RemovalPolicy.DESTROY, RemovalPolicy.RETAIN]);
  });
});

describe('rejected input', () => {
  test('DataKey pendingWindow outside 7-30 days', () => {
    expect(() => new DataKey(testStack(), 'K', { pendingWindow: Duration.days(3) }))
      .toThrow('[Test/K] invalid pendingWindow: got 3; allowed: an integer from 7 to 30 days');
  });

  test('AccessLogBucket retentionDays below 1', () => {
    expect(() => new AccessLogBucket(testStack(), 'L', { retentionDays: 0 }))
      .toThrow('[Test/L] invalid retentionDays: got 0; allowed: an integer from 1 to 3650 days');
  });

  test('SecureBucket noncurrentVersionExpirationDays of 0', () => {
    const stack = testStack();
    const key = new DataKey(stack, 'K');
    const logs = new AccessLogBucket(stack, 'L');
    expect(() => new SecureBucket(stack, 'B', { encryptionKey: key, serverAccessLogsBucket: logs, noncurrentVersionExpirationDays: 0 }))
      .toThrow('[Test/B] invalid noncurrentVersionExpirationDays: got 0; allowed: an integer from 1 to 3650 days');
  });
});
