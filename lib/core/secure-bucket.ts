import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { Nag } from './nag';
import { Profile } from './profile';
import { checkArray, checkOneOf, checkRange, checkRequired, checkShape, checkType, futurePath } from './validation';

/** Props of {@link SecureBucket}. */
export interface SecureBucketProps {
  /** The customer managed key for SSE-KMS (with an S3 bucket key, to cut KMS requests). */
  readonly encryptionKey: kms.IKey;
  /** Where S3 server access logs go. */
  readonly serverAccessLogsBucket: s3.IBucket;
  /**
   * Key prefix of this bucket's access logs in the log bucket.
   * @default - the construct id followed by '/'
   */
  readonly serverAccessLogsPrefix?: string;
  /**
   * Days before a noncurrent object version expires.
   * @default - lab: 7; production: 90
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * Lifecycle rules beyond the ones every bucket gets (abort incomplete multipart uploads after
   * one day, expire noncurrent versions).
   * @default - none
   */
  readonly lifecycleRules?: s3.LifecycleRule[];
  /**
   * What happens to the bucket when the stack is deleted.
   * @default - lab: DESTROY, objects emptied first; production: RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** The profile-dependent defaults of {@link SecureBucket}. */
export interface SecureBucketDefaults {
  /** Days before a noncurrent object version expires. */
  readonly noncurrentVersionExpirationDays: number;
}

/**
 * An S3 bucket with this library's security defaults: SSE-KMS with a customer managed key and a
 * bucket key, all public access blocked, TLS 1.2 or later required, ACLs disabled, versioned,
 * server access logs delivered to a log bucket.
 */
export class SecureBucket extends s3.Bucket {
  /** Profile-dependent defaults, documented on the props. */
  public static defaults(profile: Profile): SecureBucketDefaults {
    return { noncurrentVersionExpirationDays: profile.isLab ? 7 : 90 };
  }

  /** Before `super()`: s3.Bucket would fail on these with its own messages, or drop the value. */
  private static checkProps(path: string, props: SecureBucketProps | undefined): void {
    checkRequired(path, 'props', props, 'an object with encryptionKey and serverAccessLogsBucket');
    checkRequired(path, 'encryptionKey', props!.encryptionKey, 'a kms.IKey (e.g. a DataKey)');
    checkShape(path, 'encryptionKey', props!.encryptionKey, ['keyArn', 'keyId'], 'a kms.IKey (e.g. a DataKey)');
    checkRequired(path, 'serverAccessLogsBucket', props!.serverAccessLogsBucket, 'an s3.IBucket (e.g. an AccessLogBucket)');
    checkShape(path, 'serverAccessLogsBucket', props!.serverAccessLogsBucket, ['bucketName', 'bucketArn'], 'an s3.IBucket (e.g. an AccessLogBucket)');
    checkType(path, 'serverAccessLogsPrefix', props!.serverAccessLogsPrefix, 'string');
    checkType(path, 'noncurrentVersionExpirationDays', props!.noncurrentVersionExpirationDays, 'number');
    checkRange(path, 'noncurrentVersionExpirationDays', props!.noncurrentVersionExpirationDays, 1, 3650, { integer: true, unit: 'days' });
    checkArray(path, 'lifecycleRules', props!.lifecycleRules, 's3.LifecycleRule objects');
    checkOneOf(path, 'removalPolicy', props!.removalPolicy, Object.values(RemovalPolicy));
  }

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    const profile = Profile.of(scope);
    SecureBucket.checkProps(futurePath(scope, id), props);
    const noncurrentDays = props.noncurrentVersionExpirationDays ?? SecureBucket.defaults(profile).noncurrentVersionExpirationDays;
    const removalPolicy = props.removalPolicy ?? profile.removalPolicy;
    super(scope, id, {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.encryptionKey,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: props.serverAccessLogsBucket,
      serverAccessLogsPrefix: props.serverAccessLogsPrefix ?? `${id}/`,
      removalPolicy,
      autoDeleteObjects: removalPolicy === RemovalPolicy.DESTROY,
      lifecycleRules: [
        {
          id: 'abort-incomplete-uploads-and-expire-noncurrent',
          abortIncompleteMultipartUploadAfter: Duration.days(1),
          noncurrentVersionExpiration: Duration.days(noncurrentDays),
        },
        ...(props.lifecycleRules ?? []),
      ],
    });

    Nag.acknowledgeCompliance(this, 'S3BucketReplicationEnabled',
      'Cross-region replication is a disaster-recovery decision that needs a second region and bucket; versioning and retention protect against deletion within the region.');
  }
}
