import * as fs from 'fs';
import * as path from 'path';
import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct, IConstruct } from 'constructs';
import type { IDataLake } from '../data/data-lake';
import { check, checkPattern, checkType, invalidProp } from '../core/validation';

/** A model artifact as resolved in one scope: where it is and how it is read. */
export interface ModelDataConfig {
  /** The bucket holding the artifact. */
  readonly bucket: s3.IBucket;
  /** The artifact's object key. */
  readonly objectKey: string;
  /** `s3://<bucket>/<key>`, what the model's `ModelDataUrl` gets. */
  readonly s3Uri: string;
  /** ARN of the one object the model role reads. */
  readonly objectArn: string;
  /**
   * ARN of the KMS key the object is encrypted with, when the role needs `kms:Decrypt` on it.
   * @default - none: the object is not under a customer managed key the role must be granted
   */
  readonly kmsKeyArn?: string;
}

/** An object key (not a prefix): no leading or trailing slash, at most 1024 characters. */
const OBJECT_KEY = /^[^/](.{0,1022}[^/])?$/;
const OBJECT_KEY_RULE = 'an object key (not a prefix): no leading or trailing "/", at most 1024 characters, e.g. "models/churn-xgboost/model.tar.gz"';
/** gzip's magic number: a model.tar.gz starts with it. */
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

/**
 * Where a model's artifact (`model.tar.gz`) lives: one object in S3, read by the model's
 * execution role and nothing else.
 *
 * Ship the artifact with the app (`fromAsset`) or read it from a bucket that exists before the
 * stack deploys: SageMaker's `CreateModel` checks that the artifact is readable, so an artifact in
 * a bucket the same template creates fails the first deploy.
 */
export abstract class ModelData {
  /**
   * An object in any bucket that exists before the stack deploys. `encryptionKey` defaults to the
   * bucket's own key, if it has one; pass an imported key (`kms.Key.fromKeyArn`) for an artifact
   * under another customer managed key: the role gets `kms:Decrypt` on it (the key's policy must
   * allow that too).
   */
  public static fromBucket(bucket: s3.IBucket, objectKey: string, encryptionKey?: kms.IKey): ModelData {
    return new BucketModelData(() => bucket, objectKey, () => encryptionKey ?? bucket.encryptionKey);
  }

  /**
   * An object in a zone of a data lake, decrypted with the lake's key. A zone the lake does not
   * have fails naming the construct that uses the artifact.
   */
  public static fromDataLake(lake: IDataLake, zone: string, objectKey: string): ModelData {
    return new LakeModelData(lake, zone, objectKey);
  }

  /**
   * A local `model.tar.gz` file shipped as a CDK file asset: the CDK CLI uploads it to the
   * bootstrap bucket before the stack deploys, so the model can be created on the first deploy.
   *
   * The model role may read exactly that object. The default bootstrap bucket is encrypted with
   * the AWS managed key `aws/s3` (or, with `cdk bootstrap --bootstrap-customer-key`, a key whose
   * policy admits every principal of the account through S3), so no KMS grant is needed. When
   * your bootstrap bucket uses a customer managed key whose policy defers to IAM, pass it as
   * `encryptionKey` and the role gets `kms:Decrypt` on it.
   */
  public static fromAsset(filePath: string, encryptionKey?: kms.IKey): ModelData {
    return new AssetModelData(filePath, encryptionKey);
  }

  /**
   * Resolves the artifact for a construct (creating the asset, for `fromAsset`); bad input
   * fails naming that construct and `prop`.
   */
  public abstract bind(scope: IConstruct, prop: string): ModelDataConfig;

  /** Read exactly this object (no wildcard) and decrypt it; `scope` is where an asset is created. */
  public grantRead(scope: IConstruct, grantee: iam.IGrantable): ModelDataConfig {
    const config = this.bind(scope, 'modelData');
    grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [config.objectArn] }));
    if (config.kmsKeyArn) {
      grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: [config.kmsKeyArn] }));
    }
    return config;
  }
}

function bucketConfig(scope: IConstruct, prop: string, bucket: s3.IBucket, objectKey: string, key: kms.IKey | undefined): ModelDataConfig {
  checkType(scope, prop, objectKey, 'string');
  checkPattern(scope, prop, objectKey, OBJECT_KEY, OBJECT_KEY_RULE);
  return {
    bucket,
    objectKey,
    s3Uri: bucket.s3UrlForObject(objectKey),
    objectArn: bucket.arnForObjects(objectKey),
    kmsKeyArn: key?.keyArn,
  };
}

class BucketModelData extends ModelData {
  constructor(private readonly bucket: () => s3.IBucket, private readonly objectKey: string, private readonly key: () => kms.IKey | undefined) {
    super();
  }

  public bind(scope: IConstruct, prop: string): ModelDataConfig {
    return bucketConfig(scope, prop, this.bucket(), this.objectKey, this.key());
  }
}

class LakeModelData extends ModelData {
  constructor(private readonly lake: IDataLake, private readonly zone: string, private readonly objectKey: string) {
    super();
  }

  public bind(scope: IConstruct, prop: string): ModelDataConfig {
    check(scope, typeof this.zone === 'string' && this.lake.hasZone(this.zone), `${prop} zone`, this.zone,
      `a zone of data lake ${this.lake.node.path}: ${this.lake.zoneNames.join(', ')}`);
    return bucketConfig(scope, prop, this.lake.zoneBucket(this.zone), this.objectKey, this.lake.encryptionKey);
  }
}

class AssetModelData extends ModelData {
  /** One asset per stack that uses this artifact (the CLI uploads it once per stack). */
  private readonly assets = new Map<Stack, s3assets.Asset>();

  constructor(private readonly filePath: string, private readonly key?: kms.IKey) {
    super();
  }

  public bind(scope: IConstruct, prop: string): ModelDataConfig {
    const stack = Stack.of(scope);
    let asset = this.assets.get(stack);
    if (!asset) {
      this.checkFile(scope, prop);
      // Under the first scope that binds it in this stack: a stable path gives a stable logical id.
      let id = 'ModelDataAsset';
      for (let n = 2; scope.node.tryFindChild(id); n++) id = `ModelDataAsset${n}`;
      asset = new s3assets.Asset(scope as Construct, id, { path: this.filePath });
      this.assets.set(stack, asset);
    }
    return {
      bucket: asset.bucket,
      objectKey: asset.s3ObjectKey,
      s3Uri: asset.s3ObjectUrl,
      objectArn: asset.bucket.arnForObjects(asset.s3ObjectKey),
      kmsKeyArn: this.key?.keyArn,
    };
  }

  private checkFile(scope: IConstruct, prop: string): void {
    checkType(scope, prop, this.filePath, 'string');
    const rule = 'the path of a local model.tar.gz file (a gzip-compressed tar archive, as SageMaker expects)';
    let header: Buffer;
    try {
      check(scope, !Token.isUnresolved(this.filePath), prop, this.filePath, rule);
      const stat = fs.statSync(this.filePath);
      check(scope, stat.isFile(), prop, this.filePath, `${rule}; this is a directory`);
      const fd = fs.openSync(this.filePath, 'r');
      header = Buffer.alloc(2);
      fs.readSync(fd, header, 0, 2, 0);
      fs.closeSync(fd);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === undefined) throw e;
      return invalidProp(scope, prop, this.filePath, `${rule}; it cannot be read (${(e as NodeJS.ErrnoException).code}) from ${path.resolve(this.filePath)}`);
    }
    check(scope, this.filePath.endsWith('.tar.gz') && header.equals(GZIP_MAGIC), prop, this.filePath, rule);
  }
}

/** Where SageMaker writes captured requests and responses, as resolved for one endpoint. */
export interface DataCaptureDestinationConfig {
  /** The bucket receiving captured data. */
  readonly bucket: s3.IBucket;
  /** Key prefix of the captured data, without leading or trailing slash. */
  readonly prefix: string;
  /** `s3://<bucket>/<prefix>`. */
  readonly s3Uri: string;
  /**
   * The key SageMaker encrypts captured data with.
   * @default - the endpoint's key
   */
  readonly encryptionKey?: kms.IKey;
}

/** Where SageMaker writes captured requests and responses. */
export class DataCaptureDestination {
  /** A prefix of any bucket; `encryptionKey` defaults to the bucket's own key, if it has one. */
  public static fromBucket(bucket: s3.IBucket, prefix: string, encryptionKey?: kms.IKey): DataCaptureDestination {
    return new DataCaptureDestination(() => bucket, prefix, () => encryptionKey ?? bucket.encryptionKey);
  }

  /**
   * A prefix in a zone of a data lake, encrypted with the lake's key. A zone the lake does not
   * have fails naming the endpoint that captures into it.
   */
  public static fromDataLake(lake: IDataLake, zone: string, prefix: string): DataCaptureDestination {
    return new DataCaptureDestination((scope, prop) => {
      check(scope, typeof zone === 'string' && lake.hasZone(zone), `${prop} zone`, zone, `a zone of data lake ${lake.node.path}: ${lake.zoneNames.join(', ')}`);
      return lake.zoneBucket(zone);
    }, prefix, () => lake.encryptionKey);
  }

  private constructor(
    private readonly bucketOf: (scope: IConstruct, prop: string) => s3.IBucket,
    /** Key prefix of the captured data, without leading or trailing slash, e.g. `data-capture/churn`. */
    public readonly prefix: string,
    private readonly keyOf: () => kms.IKey | undefined,
  ) {}

  /** Resolves the destination for the construct that captures into it; a bad zone or prefix names that construct. */
  public bind(scope: IConstruct, prop: string): DataCaptureDestinationConfig {
    const bucket = this.bucketOf(scope, prop);
    checkType(scope, `${prop} prefix`, this.prefix, 'string');
    checkPattern(scope, `${prop} prefix`, this.prefix, /^[^/](.*[^/])?$/, 'a key prefix without leading or trailing "/", e.g. "data-capture/churn"');
    return { bucket, prefix: this.prefix, s3Uri: bucket.s3UrlForObject(this.prefix), encryptionKey: this.keyOf() };
  }
}
