import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';
import { Nag } from './nag';
import { Profile } from './profile';
import { checkOneOf, checkRange, checkType, futurePath } from './validation';

/** Props of {@link AccessLogBucket}. */
export interface AccessLogBucketProps {
  /**
   * Days to keep access logs.
   * @default - lab: 30; production: 365
   */
  readonly retentionDays?: number;
  /**
   * What happens to the bucket when the stack is deleted.
   * @default - lab: DESTROY (emptied first); production: RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** The profile-dependent defaults of {@link AccessLogBucket}. */
export interface AccessLogBucketDefaults {
  /** Days to keep access logs. */
  readonly retentionDays: number;
}

/**
 * The bucket that receives S3 server access logs from every other bucket of a stack.
 *
 * Encrypted with SSE-S3, which S3 log delivery supports without extra key grants; TLS-only,
 * public access blocked, ACLs disabled (log delivery writes through the bucket policy).
 */
export class AccessLogBucket extends s3.Bucket {
  /** Profile-dependent defaults, documented on the props. */
  public static defaults(profile: Profile): AccessLogBucketDefaults {
    return { retentionDays: profile.isLab ? 30 : 365 };
  }

  constructor(scope: Construct, id: string, props: AccessLogBucketProps = {}) {
    const profile = Profile.of(scope);
    // Before super(): Duration.days would fail on a bad number with aws-cdk-lib's own message.
    const path = futurePath(scope, id);
    checkType(path, 'retentionDays', props.retentionDays, 'number');
    checkRange(path, 'retentionDays', props.retentionDays, 1, 3650, { integer: true, unit: 'days' });
    checkOneOf(path, 'removalPolicy', props.removalPolicy, Object.values(RemovalPolicy));
    const retentionDays = props.retentionDays ?? AccessLogBucket.defaults(profile).retentionDays;
    const removalPolicy = props.removalPolicy ?? profile.removalPolicy;
    super(scope, id, {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      removalPolicy,
      autoDeleteObjects: removalPolicy === RemovalPolicy.DESTROY,
      lifecycleRules: [{
        id: 'expire-access-logs',
        expiration: Duration.days(retentionDays),
        noncurrentVersionExpiration: Duration.days(1),
        abortIncompleteMultipartUploadAfter: Duration.days(1),
      }],
    });
    // A bucket that names this one as its log target calls `allowLogDelivery` on it. aws-cdk-lib grants
    // delivery through the bucket policy only under the feature flag
    // '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy'; without it (a bare `new App()`, a team's first
    // unit test) it switches this bucket to the LogDeliveryWrite ACL, which BUCKET_OWNER_ENFORCED forbids.
    // The same bucket-policy grant, here whatever the flags say (test/adoption/bare-app.test.ts).
    Object.defineProperty(this, 'allowLogDelivery', { value: (from: IConstruct, prefix?: string) => this.grantLogDelivery(from, prefix) });

    Nag.acknowledge(this,
      { id: 'AwsSolutions-S1', reason: 'This is the access-log bucket itself; logging it into itself would log every log delivery, without end.' },
    );
    Nag.acknowledgeCompliance(this, 'S3BucketLoggingEnabled', 'This is the access-log bucket itself; logging it into itself would log every log delivery, without end.');
    Nag.acknowledgeCompliance(this, 'S3DefaultEncryptionKMS', 'S3 server access log delivery is configured for SSE-S3 target buckets; the logs hold request metadata, not data-lake objects, which stay under the customer managed key.');
    Nag.acknowledgeCompliance(this, 'S3BucketReplicationEnabled', 'Access logs are an audit copy kept in the account; cross-region replication is a disaster-recovery decision left to the account owner.');
  }

  /**
   * Let S3 server access logging (`logging.s3.amazonaws.com`) write under `prefix`, for the source
   * bucket only when it is in this stack (`aws:SourceArn` and `aws:SourceAccount`), as the S3 docs
   * recommend. Called by aws-cdk-lib for every bucket that logs here.
   */
  private grantLogDelivery(from: IConstruct, prefix?: string): void {
    const sameStack = from instanceof s3.Bucket && Stack.of(this) === Stack.of(from);
    this.addToResourcePolicy(new iam.PolicyStatement({
      effect: iam.Effect.ALLOW,
      principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
      actions: ['s3:PutObject'],
      resources: [this.arnForObjects(prefix ? `${prefix}*` : '*')],
      conditions: sameStack ? {
        ArnLike: { 'aws:SourceArn': from.bucketArn },
        StringEquals: { 'aws:SourceAccount': from.env.account },
      } : undefined,
    }));
  }
}
