import * as path from 'path';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { AccessLogBucket, DataKey, ModelData, SecureBucket } from '../../lib';
import { check, invalidProp } from '../../lib/core/validation';

/** Context key that points the inference examples at a model artifact elsewhere: `s3://bucket/key`. */
export const MODEL_DATA_URI_CONTEXT = 'modelDataUri';
/** Context key of the KMS key ARN the `modelDataUri` artifact is encrypted with, if a customer managed key. */
export const MODEL_DATA_KMS_KEY_ARN_CONTEXT = 'modelDataKmsKeyArn';
/**
 * The lab's model artifact, committed to the repository: XGBoost 1.7 trained on the lab's
 * training export. The examples ship it as a CDK file asset, so it is in S3 before the stack deploys.
 */
export const MODEL_ARTIFACT_PATH = path.join(__dirname, '..', '..', 'models', 'churn-xgboost', 'model.tar.gz');

const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[a-zA-Z0-9-]+$/;

/** Props shared by the inference examples. */
export interface ModelArtifactsProps {
  /**
   * `s3://bucket/key` of the model artifact; when set, the stack reads it from there instead of
   * shipping the committed artifact as an asset. The bucket must exist before the stack deploys.
   * @default - context `modelDataUri`, else the committed `models/churn-xgboost/model.tar.gz` as a file asset
   */
  readonly modelDataUri?: string;
  /**
   * ARN of the customer managed KMS key the `modelDataUri` artifact is encrypted with: the
   * endpoint role gets `kms:Decrypt` on it (the key's policy must allow that too).
   * @default - context `modelDataKmsKeyArn`, else none (SSE-S3 or `aws/s3`, which need no grant)
   */
  readonly modelDataKmsKeyArn?: string;
}

/**
 * The key and the bucket (for captured data and asynchronous results) of an inference example,
 * and where its model artifact is: the committed artifact as a file asset, unless
 * `modelDataUri` (prop or context) says otherwise.
 */
export class ModelArtifacts extends Construct {
  /** The examples' customer managed key. */
  public readonly key: kms.IKey;
  private readonly overrides: Record<string, string | undefined>;
  private asset?: ModelData;
  private dataBucket?: s3.IBucket;

  constructor(scope: Construct, id: string, props: ModelArtifactsProps = {}) {
    super(scope, id);
    this.key = new DataKey(this, 'Key', { description: `Captured data and inference results of ${scope.node.path}` });
    this.overrides = { [MODEL_DATA_URI_CONTEXT]: props.modelDataUri, [MODEL_DATA_KMS_KEY_ARN_CONTEXT]: props.modelDataKmsKeyArn };
  }

  /**
   * The bucket for captured data and asynchronous results, created on first use (never for the
   * artifact: a bucket of the same template would be empty when CreateModel checks the artifact).
   */
  public get bucket(): s3.IBucket {
    this.dataBucket ??= new SecureBucket(this, 'Bucket', { encryptionKey: this.key, serverAccessLogsBucket: new AccessLogBucket(this, 'AccessLogs') });
    return this.dataBucket;
  }

  /**
   * A model artifact: `s3://bucket/key` from the prop or context `contextKey` if set (with the key
   * of `modelDataKmsKeyArn`), else the committed artifact as a file asset.
   */
  public modelData(contextKey: string = MODEL_DATA_URI_CONTEXT): ModelData {
    const uri: unknown = this.overrides[contextKey] ?? this.node.tryGetContext(contextKey);
    const keyArn: unknown = this.overrides[MODEL_DATA_KMS_KEY_ARN_CONTEXT] ?? this.node.tryGetContext(MODEL_DATA_KMS_KEY_ARN_CONTEXT);
    if (uri === undefined) {
      check(this, keyArn === undefined, MODEL_DATA_KMS_KEY_ARN_CONTEXT, keyArn, `nothing without ${MODEL_DATA_URI_CONTEXT} (the committed artifact needs no key)`);
      this.asset ??= ModelData.fromAsset(MODEL_ARTIFACT_PATH);
      return this.asset;
    }
    const match = typeof uri === 'string' ? /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.+)$/.exec(uri) : null;
    if (!match) return invalidProp(this, contextKey, uri, 's3://<bucket>/<key of model.tar.gz>');
    check(this, keyArn === undefined || (typeof keyArn === 'string' && KMS_KEY_ARN.test(keyArn)), MODEL_DATA_KMS_KEY_ARN_CONTEXT, keyArn,
      'a KMS key ARN: arn:<partition>:kms:<region>:<account>:key/<key id>');
    const bucket = s3.Bucket.fromBucketName(this, `${contextKey}Bucket`, match[1]);
    const key = keyArn === undefined ? undefined : kms.Key.fromKeyArn(this, `${contextKey}Key`, keyArn as string);
    return ModelData.fromBucket(bucket, match[2], key);
  }
}
