import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';

/**
 * A data lake as `TrainingPipeline` needs it: a zone's bucket and the key the zones are encrypted
 * with. `DataLake` (lib/data) has this shape; so can any lake of your own.
 */
export interface IFeatureLake extends IConstruct {
  /** The customer managed key the lake's objects are encrypted with. */
  readonly encryptionKey: kms.IKey;
  /** The bucket of a zone, e.g. `features`. */
  zoneBucket(zone: string): s3.IBucket;
}

/** Where the training export lives inside a bucket. */
export interface TrainingDataPrefixes {
  /**
   * Prefix of the `train` channel (CSV, no header, label first).
   * @default 'training-export/train/'
   */
  readonly trainPrefix?: string;
  /**
   * Prefix of the `validation` channel (CSV, no header, label first).
   * @default 'training-export/validation/'
   */
  readonly validationPrefix?: string;
  /**
   * Prefix of the same columns with a header row, for the Model Monitor baseline.
   * @default 'training-export/baseline/'
   */
  readonly baselinePrefix?: string;
}

/** Options of {@link TrainingData.fromLake}. */
export interface TrainingDataFromLakeOptions extends TrainingDataPrefixes {
  /**
   * The zone of the lake that holds the training export.
   * @default 'features'
   */
  readonly zone?: string;
}

/**
 * The training export a `TrainingPipeline` reads: a bucket, the key its objects are encrypted
 * with, and the prefixes of the `train` and `validation` channels and of the baseline data.
 */
export class TrainingData {
  /** The default prefix of the `train` channel. */
  public static readonly DEFAULT_TRAIN_PREFIX = 'training-export/train/';
  /** The default prefix of the `validation` channel. */
  public static readonly DEFAULT_VALIDATION_PREFIX = 'training-export/validation/';
  /** The default prefix of the export with a header row (the Model Monitor baseline's input). */
  public static readonly DEFAULT_BASELINE_PREFIX = 'training-export/baseline/';

  /** The training export in a zone of a data lake (the features zone unless told otherwise). */
  public static fromLake(lake: IFeatureLake, options: TrainingDataFromLakeOptions = {}): TrainingData {
    return new TrainingData(lake.zoneBucket(options.zone ?? 'features'), lake.encryptionKey, options);
  }

  /** The training export in a bucket of your own, SSE-KMS encrypted with `encryptionKey`. */
  public static fromBucket(bucket: s3.IBucket, encryptionKey: kms.IKey, prefixes: TrainingDataPrefixes = {}): TrainingData {
    return new TrainingData(bucket, encryptionKey, prefixes);
  }

  /** Prefix of the `train` channel. */
  public readonly trainPrefix: string;
  /** Prefix of the `validation` channel. */
  public readonly validationPrefix: string;
  /** Prefix of the export with a header row. */
  public readonly baselinePrefix: string;

  private constructor(
    /** The bucket of the export; the pipeline writes its outputs, checkpoints and baselines there too. */
    public readonly bucket: s3.IBucket,
    /** The key the bucket's objects are encrypted with. */
    public readonly encryptionKey: kms.IKey,
    prefixes: TrainingDataPrefixes,
  ) {
    this.trainPrefix = prefixes.trainPrefix ?? TrainingData.DEFAULT_TRAIN_PREFIX;
    this.validationPrefix = prefixes.validationPrefix ?? TrainingData.DEFAULT_VALIDATION_PREFIX;
    this.baselinePrefix = prefixes.baselinePrefix ?? TrainingData.DEFAULT_BASELINE_PREFIX;
  }
}
