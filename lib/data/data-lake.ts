import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';

/** The zones every data lake has unless told otherwise. */
export class DataZone {
  /** Data as it arrived: the landing zone of ingestion. */
  public static readonly RAW = 'raw';
  /** Cleaned, deduplicated, typed data. */
  public static readonly CURATED = 'curated';
  /** Model-ready features. */
  public static readonly FEATURES = 'features';
}

/**
 * A data lake that other constructs write to and read from: what StreamingIngestion, EtlJob and
 * the SageMaker constructs accept instead of a concrete DataLake.
 */
export interface IDataLake extends IConstruct {
  /** The customer managed key every zone is encrypted with. */
  readonly encryptionKey: kms.IKey;
  /** The bucket that receives the zone buckets' server access logs. */
  readonly accessLogsBucket: s3.IBucket;
  /** The lake's zone names, e.g. `['raw', 'curated', 'features']`. */
  readonly zoneNames: string[];
  /** Whether the lake has a zone of this name. */
  hasZone(zone: string): boolean;
  /** The zone's bucket; fails with a clear message for a zone the lake does not have. */
  zoneBucket(zone: string): s3.IBucket;
  /** The zone's Glue database name. */
  databaseName(zone: string): string;
  /** ARN of the zone's Glue database. */
  databaseArn(zone: string): string;
  /** ARN of the account's Glue Data Catalog. */
  readonly catalogArn: string;
  /** Read objects of a zone (under `prefix` if given) and decrypt them with the key. */
  grantRead(zone: string, grantee: iam.IGrantable, prefix?: string): iam.Grant;
  /** Write objects of a zone (under `prefix` if given) and encrypt them with the key. */
  grantWrite(zone: string, grantee: iam.IGrantable, prefix?: string): iam.Grant;
}
