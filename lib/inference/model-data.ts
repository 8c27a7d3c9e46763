import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { IDataLake } from '../data/data-lake';

/**
 * Where a model's artifact (`model.tar.gz`) lives: one object in S3, read by the model's
 * execution role and nothing else.
 */
export class ModelData {
  /** An object in any bucket; `encryptionKey` defaults to the bucket's own key, if it has one. */
  public static fromBucket(bucket: s3.IBucket, objectKey: string, encryptionKey?: kms.IKey): ModelData {
    return new ModelData(bucket, objectKey, encryptionKey ?? bucket.encryptionKey);
  }

  /** An object in a zone of a data lake, decrypted with the lake's key. */
  public static fromDataLake(lake: IDataLake, zone: string, objectKey: string): ModelData {
    return new ModelData(lake.zoneBucket(zone), objectKey, lake.encryptionKey);
  }

  private constructor(
    /** The bucket holding the artifact. */
    public readonly bucket: s3.IBucket,
    /** The artifact's object key, e.g. `models/xgboost/model.tar.gz`. */
    public readonly objectKey: string,
    /** The key the object is encrypted with, if any. */
    public readonly encryptionKey?: kms.IKey,
  ) {}

  /** `s3://<bucket>/<key>`. */
  public get s3Uri(): string {
    return this.bucket.s3UrlForObject(this.objectKey);
  }

  /** Read exactly this object (no wildcard) and decrypt it. */
  public grantRead(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['s3:GetObject'],
      resources: [this.bucket.arnForObjects(this.objectKey)],
    }));
    this.encryptionKey?.grantDecrypt(grantee);
  }
}

/** Where SageMaker writes captured requests and responses. */
export class DataCaptureDestination {
  /** A prefix of any bucket; `encryptionKey` defaults to the bucket's own key, if it has one. */
  public static fromBucket(bucket: s3.IBucket, prefix: string, encryptionKey?: kms.IKey): DataCaptureDestination {
    return new DataCaptureDestination(bucket, prefix, encryptionKey ?? bucket.encryptionKey);
  }

  /** A prefix in a zone of a data lake, encrypted with the lake's key. */
  public static fromDataLake(lake: IDataLake, zone: string, prefix: string): DataCaptureDestination {
    return new DataCaptureDestination(lake.zoneBucket(zone), prefix, lake.encryptionKey);
  }

  private constructor(
    /** The bucket receiving captured data. */
    public readonly bucket: s3.IBucket,
    /** Key prefix of the captured data, without leading or trailing slash, e.g. `data-capture/churn`. */
    public readonly prefix: string,
    /** The key SageMaker encrypts captured data with (DataCaptureConfig `KmsKeyId`). */
    public readonly encryptionKey?: kms.IKey,
  ) {}

  /** `s3://<bucket>/<prefix>`. */
  public get s3Uri(): string {
    return this.bucket.s3UrlForObject(this.prefix);
  }
}
