import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { AccessLogBucket, DataKey, ModelData, SecureBucket } from '../../lib';
import { invalidProp } from '../../lib/core/validation';

/** Context key that points the inference examples at a model artifact elsewhere: `s3://bucket/key`. */
export const MODEL_DATA_URI_CONTEXT = 'modelDataUri';
/** Object key of the artifact in the example's own bucket, where the lab uploads it. */
export const DEFAULT_MODEL_KEY = 'models/xgboost/model.tar.gz';

/** Props shared by the inference examples. */
export interface ModelArtifactsProps {
  /**
   * `s3://bucket/key` of the model artifact; when set, the stack reads it from there instead of
   * from its own bucket (the bucket's key must allow the endpoint role to decrypt).
   * @default - context `modelDataUri`, else `s3://<the stack's model bucket>/models/xgboost/model.tar.gz`
   */
  readonly modelDataUri?: string;
}

/**
 * The key, log bucket and model bucket of an inference example, and where its model artifact is:
 * the stack's own bucket unless `modelDataUri` (prop or context) says otherwise.
 */
export class ModelArtifacts extends Construct {
  /** The examples' customer managed key. */
  public readonly key: kms.IKey;
  /** The bucket for artifacts and captured data. */
  public readonly bucket: s3.IBucket;

  constructor(scope: Construct, id: string, props: ModelArtifactsProps = {}) {
    super(scope, id);
    this.key = new DataKey(this, 'Key', { description: `Model artifacts and captured data of ${scope.node.path}` });
    const logs = new AccessLogBucket(this, 'AccessLogs');
    this.bucket = new SecureBucket(this, 'Bucket', { encryptionKey: this.key, serverAccessLogsBucket: logs });
    this.overrides = { [MODEL_DATA_URI_CONTEXT]: props.modelDataUri };
  }

  private readonly overrides: Record<string, string | undefined>;

  /**
   * A model artifact: `s3://bucket/key` from the prop or context `contextKey` if set, else
   * `defaultKey` in the stack's own bucket.
   */
  public modelData(contextKey: string = MODEL_DATA_URI_CONTEXT, defaultKey: string = DEFAULT_MODEL_KEY): ModelData {
    const uri: unknown = this.overrides[contextKey] ?? this.node.tryGetContext(contextKey);
    if (uri === undefined) return ModelData.fromBucket(this.bucket, defaultKey);
    const match = typeof uri === 'string' ? /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.+)$/.exec(uri) : null;
    if (!match) return invalidProp(this, contextKey, uri, 's3://<bucket>/<key of model.tar.gz>');
    const bucket = s3.Bucket.fromBucketName(this, `${contextKey}Bucket`, match[1]);
    return ModelData.fromBucket(bucket, match[2]);
  }
}
