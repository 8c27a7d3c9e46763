import { Duration, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';
import { AccessLogBucket } from '../core/access-log-bucket';
import { DataKey } from '../core/data-key';
import { GlueNames } from '../core/naming';
import { Profile } from '../core/profile';
import { SecureBucket } from '../core/secure-bucket';
import { check, checkPattern, invalidProp, isConcrete } from '../core/validation';

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

/** Zone names: lower-case words joined by single hyphens (they become bucket log prefixes and Glue names). */
const ZONE_NAME_PATTERN = /^[a-z][a-z0-9]*(-[a-z][a-z0-9]*)*$/;
const ZONE_NAME_MAX_LENGTH = 32;
const ZONE_NAME_RULE = `1 to ${ZONE_NAME_MAX_LENGTH} characters: lower-case letters and digits, starting with a letter, words joined by single hyphens`;
const DEFAULT_ZONES = [DataZone.RAW, DataZone.CURATED, DataZone.FEATURES];

/** Props of {@link DataLake}. */
export interface DataLakeProps {
  /**
   * The customer managed key that encrypts every zone (SSE-KMS with bucket keys). Must be in the
   * lake's region.
   * @default - a new DataKey with yearly rotation
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Zones beyond raw, curated and features, e.g. `['sandbox']`.
   * @default - none
   */
  readonly extraZones?: string[];
  /**
   * Prefix of the zones' Glue database names (`<prefix>_<zone>`): lower-case letters, digits
   * and underscores.
   * @default - the stack name and the lake's construct path, lower case, joined by underscores
   */
  readonly databaseNamePrefix?: string;
  /**
   * Days after which raw-zone objects move to S3 Standard-IA (S3 allows 30 or more).
   * @default 30
   */
  readonly rawInfrequentAccessAfterDays?: number;
  /**
   * Days after which raw-zone objects move to S3 Glacier Flexible Retrieval (S3 requires at
   * least 30 days after the Standard-IA transition).
   * @default 90
   */
  readonly rawGlacierAfterDays?: number;
  /**
   * Days before a noncurrent object version expires, in every zone.
   * @default - lab: 7; production: 90
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * Days to keep server access logs.
   * @default - lab: 30; production: 365
   */
  readonly accessLogRetentionDays?: number;
  /**
   * What happens to the buckets, the key and the Athena workgroup when the stack is deleted.
   * @default - lab: DESTROY (buckets emptied first); production: RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** The defaults of {@link DataLakeProps} that do not depend on the profile. */
interface DataLakeDefaults {
  readonly rawInfrequentAccessAfterDays: number;
  readonly rawGlacierAfterDays: number;
}

/**
 * A zoned S3 data lake: one SSE-KMS bucket per zone (raw, curated, features and any extra
 * zones), a dedicated access-log bucket, and a Glue database per zone.
 */
export class DataLake extends Construct implements IDataLake {
  /** Every default of {@link DataLakeProps}, in one place (the `@default` docs are tested against this). */
  public static defaults(_profile: Profile): DataLakeDefaults {
    return {
      rawInfrequentAccessAfterDays: 30,
      rawGlacierAfterDays: 90,
    };
  }

  /** Whether `x` is a DataLake. */
  public static isDataLake(x: unknown): x is DataLake {
    return x instanceof DataLake;
  }

  public readonly encryptionKey: kms.IKey;
  public readonly accessLogsBucket: s3.IBucket;
  public readonly zoneNames: string[];
  public readonly catalogArn: string;
  /** The raw zone's bucket. */
  public readonly rawBucket: s3.Bucket;
  /** The curated zone's bucket. */
  public readonly curatedBucket: s3.Bucket;
  /** The features zone's bucket. */
  public readonly featuresBucket: s3.Bucket;

  private readonly buckets = new Map<string, s3.Bucket>();
  private readonly databases = new Map<string, glue.CfnDatabase>();

  constructor(scope: Construct, id: string, props: DataLakeProps = {}) {
    super(scope, id);
    const profile = Profile.of(this);
    const defaults = DataLake.defaults(profile);
    const removalPolicy = props.removalPolicy ?? profile.removalPolicy;

    this.zoneNames = this.validateZones(props.extraZones ?? []);
    const iaDays = props.rawInfrequentAccessAfterDays ?? defaults.rawInfrequentAccessAfterDays;
    const glacierDays = props.rawGlacierAfterDays ?? defaults.rawGlacierAfterDays;
    this.validateLifecycle(iaDays, glacierDays);
    const prefix = this.databasePrefix(props.databaseNamePrefix);

    if (props.encryptionKey) this.validateKeyRegion(props.encryptionKey);
    this.encryptionKey = props.encryptionKey ?? new DataKey(this, 'Key', {
      description: `Data lake key of ${this.node.path}`,
      removalPolicy,
    });
    this.accessLogsBucket = new AccessLogBucket(this, 'AccessLogs', {
      retentionDays: props.accessLogRetentionDays,
      removalPolicy,
    });

    const stack = Stack.of(this);
    this.catalogArn = stack.formatArn({ service: 'glue', resource: 'catalog' });

    for (const zone of this.zoneNames) {
      const bucket = new SecureBucket(this, `${pascal(zone)}Bucket`, {
        encryptionKey: this.encryptionKey,
        serverAccessLogsBucket: this.accessLogsBucket,
        serverAccessLogsPrefix: `${zone}/`,
        noncurrentVersionExpirationDays: props.noncurrentVersionExpirationDays,
        removalPolicy,
        lifecycleRules: zone === DataZone.RAW ? [{
          id: 'raw-to-infrequent-access-then-glacier',
          transitions: [
            { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(iaDays) },
            { storageClass: s3.StorageClass.GLACIER, transitionAfter: Duration.days(glacierDays) },
          ],
        }] : [],
      });
      this.buckets.set(zone, bucket);

      const database = new glue.CfnDatabase(this, `${pascal(zone)}Database`, {
        catalogId: stack.account,
        databaseInput: {
          name: GlueNames.of(this, prefix, zone),
          description: `The ${zone} zone of data lake ${this.node.path}`,
          locationUri: `s3://${bucket.bucketName}/`,
        },
      });
      this.databases.set(zone, database);
    }
    this.rawBucket = this.buckets.get(DataZone.RAW)!;
    this.curatedBucket = this.buckets.get(DataZone.CURATED)!;
    this.featuresBucket = this.buckets.get(DataZone.FEATURES)!;
  }

  public hasZone(zone: string): boolean {
    return this.buckets.has(zone);
  }

  public zoneBucket(zone: string): s3.IBucket {
    return this.bucket(zone);
  }

  /** The zone's bucket, as the concrete `s3.Bucket`. */
  public bucket(zone: string): s3.Bucket {
    const bucket = this.buckets.get(zone);
    if (!bucket) return invalidProp(this, 'zone', zone, `a zone of this lake: ${this.zoneNames.join(', ')}`);
    return bucket;
  }

  /** The zone's Glue database resource. */
  public database(zone: string): glue.CfnDatabase {
    const database = this.databases.get(zone);
    if (!database) return invalidProp(this, 'zone', zone, `a zone of this lake: ${this.zoneNames.join(', ')}`);
    return database;
  }

  /** The zone's Glue database name (a reference, so users of it deploy after the database). */
  public databaseName(zone: string): string {
    return this.database(zone).ref;
  }

  public databaseArn(zone: string): string {
    return Stack.of(this).formatArn({ service: 'glue', resource: 'database', resourceName: this.databaseName(zone) });
  }

  public grantRead(zone: string, grantee: iam.IGrantable, prefix?: string): iam.Grant {
    return this.bucket(zone).grantRead(grantee, this.objectsPattern(prefix));
  }

  public grantWrite(zone: string, grantee: iam.IGrantable, prefix?: string): iam.Grant {
    return this.bucket(zone).grantWrite(grantee, this.objectsPattern(prefix));
  }

  private objectsPattern(prefix: string | undefined): string {
    if (prefix === undefined) return '*';
    if (isConcrete(prefix)) {
      check(this, prefix.length > 0 && !prefix.startsWith('/') && !prefix.includes('*'), 'prefix', prefix,
        'a non-empty S3 key prefix without a leading "/" or "*", e.g. "events/"');
    }
    return `${prefix}*`;
  }

  private validateZones(extraZones: string[]): string[] {
    const zones = [...DEFAULT_ZONES];
    extraZones.forEach((zone, i) => {
      checkPattern(this, `extraZones[${i}]`, zone, ZONE_NAME_PATTERN, ZONE_NAME_RULE);
      check(this, zone.length <= ZONE_NAME_MAX_LENGTH, `extraZones[${i}]`, zone, ZONE_NAME_RULE);
      check(this, !zones.includes(zone), `extraZones[${i}]`, zone,
        `a zone name not already in the lake (${zones.join(', ')})`);
      zones.push(zone);
    });
    return zones;
  }

  private validateLifecycle(iaDays: number, glacierDays: number): void {
    if (isConcrete(iaDays)) {
      check(this, Number.isInteger(iaDays) && iaDays >= 30, 'rawInfrequentAccessAfterDays', iaDays,
        'an integer of at least 30 days (S3 moves objects to Standard-IA no earlier than 30 days after creation)');
    }
    if (isConcrete(glacierDays)) {
      check(this, Number.isInteger(glacierDays) && glacierDays >= 1, 'rawGlacierAfterDays', glacierDays, 'an integer of at least 1 day');
      if (isConcrete(iaDays)) {
        check(this, glacierDays >= iaDays + 30, 'rawGlacierAfterDays', glacierDays,
          `at least 30 days after rawInfrequentAccessAfterDays (${iaDays}), i.e. ${iaDays + 30} or more: S3 keeps objects in Standard-IA for 30 days before Glacier`);
      }
    }
  }

  private databasePrefix(given: string | undefined): string {
    if (given !== undefined) {
      GlueNames.validate(this, 'databaseNamePrefix', given);
      return given;
    }
    const stack = Stack.of(this);
    return `${stack.stackName}_${Names.stackRelativeConstructPath(this)}`;
  }

  /** S3 requires an SSE-KMS key in the bucket's own region. */
  private validateKeyRegion(key: kms.IKey): void {
    const lakeRegion = Stack.of(this).region;
    const keyRegion = key.env.region;
    if (Token.isUnresolved(lakeRegion) || Token.isUnresolved(keyRegion)) return;
    check(this, keyRegion === lakeRegion, 'encryptionKey', `${key.node.path} (region ${keyRegion})`,
      `a KMS key in the lake's region (${lakeRegion}): S3 encrypts objects only with a key in the bucket's region`);
  }
}

function pascal(zone: string): string {
  return zone.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}
