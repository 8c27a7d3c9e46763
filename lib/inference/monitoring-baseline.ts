import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { invalidProp } from '../core/validation';

const S3_URI = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.+)$/;

/**
 * Where a Model Monitor baseline is: `statistics.json` and `constraints.json` in S3, as a
 * baselining job (the TrainingPipeline's baseline step, `suggest_baseline`, or a model package's
 * drift baselines) wrote them.
 *
 * The baseline must exist before the monitoring schedule's first run: see the README's deploy order.
 */
export class MonitoringBaseline {
  /**
   * `<prefix>/statistics.json` and `<prefix>/constraints.json` in a bucket (a baselining job's
   * output prefix); `encryptionKey` defaults to the bucket's own key, if it has one.
   */
  public static fromBucket(bucket: s3.IBucket, prefix: string, encryptionKey?: kms.IKey): MonitoringBaseline {
    const clean = Token.isUnresolved(prefix) ? prefix : prefix.replace(/\/+$/, '');
    return new MonitoringBaseline(`${clean}/statistics.json`, `${clean}/constraints.json`, bucket, encryptionKey ?? bucket.encryptionKey);
  }

  /**
   * Two S3 URIs known at synth time (`s3://bucket/key`), e.g. the `DriftCheckBaselines` of a
   * model package; `encryptionKey` when the objects are encrypted with a customer managed key.
   */
  public static fromS3Uris(statisticsUri: string, constraintsUri: string, encryptionKey?: kms.IKey): MonitoringBaseline {
    return new MonitoringBaseline(statisticsUri, constraintsUri, undefined, encryptionKey);
  }

  private constructor(
    private readonly statistics: string,
    private readonly constraints: string,
    /** The bucket, when built with `fromBucket`. */
    public readonly bucket?: s3.IBucket,
    /** The key the baseline objects are encrypted with, if any. */
    public readonly encryptionKey?: kms.IKey,
  ) {}

  /** `s3://…/statistics.json`; rejects a location that is not S3, naming `scope` and `prop`. */
  public statisticsUri(scope: IConstruct, prop: string = 'baseline'): string {
    return this.uri(scope, `${prop} statistics`, this.statistics);
  }

  /** `s3://…/constraints.json`; rejects a location that is not S3, naming `scope` and `prop`. */
  public constraintsUri(scope: IConstruct, prop: string = 'baseline'): string {
    return this.uri(scope, `${prop} constraints`, this.constraints);
  }

  /** Read both objects (nothing else) and decrypt them. */
  public grantRead(scope: IConstruct, grantee: iam.IGrantable): void {
    const arns = this.bucket
      ? [this.bucket.arnForObjects(this.statistics), this.bucket.arnForObjects(this.constraints)]
      : [this.statistics, this.constraints].map((uri) => objectArn(scope, uri));
    grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: arns }));
    this.encryptionKey?.grantDecrypt(grantee);
  }

  private uri(scope: IConstruct, prop: string, keyOrUri: string): string {
    if (this.bucket) return this.bucket.s3UrlForObject(keyOrUri);
    if (Token.isUnresolved(keyOrUri)) {
      return invalidProp(scope, prop, keyOrUri, 'an s3:// URI known at synth time (use MonitoringBaseline.fromBucket for a bucket of this app)');
    }
    if (typeof keyOrUri !== 'string' || !S3_URI.test(keyOrUri)) {
      return invalidProp(scope, prop, keyOrUri, 'an S3 location "s3://<bucket>/<key>": Model Monitor reads baselines from S3 only');
    }
    return keyOrUri;
  }
}

function objectArn(scope: IConstruct, uri: string): string {
  const match = S3_URI.exec(uri);
  if (!match) return invalidProp(scope, 'baseline', uri, 'an S3 location "s3://<bucket>/<key>"');
  return `arn:${Stack.of(scope).partition}:s3:::${match[1]}/${match[2]}`;
}
