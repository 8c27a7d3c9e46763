import { Duration, Names, RemovalPolicy, Size, Stack, Token } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
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
import { UniqueNames } from '../core/unique-names';
import { check, checkArray, checkPattern, checkRange, checkShape, checkType, invalidProp, isConcrete } from '../core/validation';
import { fixedNameRemovalPolicy } from '../core/private/fixed-name-removal';
import { checkGlueSchedule } from './private/glue-cron';
import { checkEnum, checkRemovalPolicy, checkSize } from './private/input-checks';
import { RecrawlBehavior, ZoneCrawler } from './zone-crawler';

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
   * The customer managed key that encrypts every zone (SSE-KMS with bucket keys) and the query
   * results. Must be in the lake's region; with crawlers, must be a key defined in this app (its
   * policy gets a statement for CloudWatch Logs, which an imported key cannot take).
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
   * Days after which raw-zone objects move to S3 Glacier Instant Retrieval (S3 requires at
   * least 30 days after the Standard-IA transition). Instant Retrieval, not Flexible Retrieval:
   * Athena, crawlers and Glue jobs read it like any object, while Athena silently skips objects
   * in Glacier Flexible Retrieval and Deep Archive.
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
   * RETAIN becomes RETAIN_ON_UPDATE_OR_DELETE for the workgroup (its name is fixed): a failed
   * first create then deletes it, so the retry does not fail with "already exists".
   * @default - lab: DESTROY (buckets emptied first); production: RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Zones that get a Glue crawler (see {@link ZoneCrawler}), e.g. `['raw']`.
   * @default - none
   */
  readonly crawledZones?: string[];
  /**
   * When the crawlers run, as a Glue cron expression in UTC, e.g. `cron(0 3 * * ? *)`.
   * @default - none: crawlers run on demand
   */
  readonly crawlerSchedule?: string;
  /**
   * What the crawlers read on runs after the first.
   * @default RecrawlBehavior.CRAWL_NEW_FOLDERS_ONLY
   */
  readonly recrawlBehavior?: RecrawlBehavior;
  /**
   * The most data one Athena query of the lake's workgroup may scan before Athena cancels it
   * (at least 10 MB, Athena's minimum).
   * @default - lab: 1 GiB; production: 100 GiB
   */
  readonly bytesScannedCutoffPerQuery?: Size;
  /**
   * Days to keep Athena query results.
   * @default - lab: 7; production: 30
   */
  readonly queryResultsExpirationDays?: number;
  /**
   * Name of the Athena workgroup: 1 to 128 letters, digits, `.`, `_` and `-`, not `primary`
   * (every account has that workgroup), and used by no other lake of the app.
   * @default - generated from the stack name and the lake's construct path
   */
  readonly workGroupName?: string;
  /**
   * Publish S3 request metrics for every zone bucket (needed by `metricAllRequests`; CloudWatch
   * bills them as custom metrics).
   * @default false
   */
  readonly requestMetrics?: boolean;
}

/** The defaults of {@link DataLakeProps}, as {@link DataLake.defaults} returns them. */
export interface DataLakeDefaults {
  readonly removalPolicy: RemovalPolicy;
  readonly noncurrentVersionExpirationDays: number;
  readonly accessLogRetentionDays: number;
  readonly rawInfrequentAccessAfterDays: number;
  readonly rawGlacierAfterDays: number;
  readonly bytesScannedCutoffPerQuery: Size;
  readonly queryResultsExpirationDays: number;
  readonly recrawlBehavior: RecrawlBehavior;
  readonly requestMetrics: boolean;
}

/** Athena's smallest per-query cutoff, in bytes. */
const ATHENA_MIN_CUTOFF_BYTES = 10_000_000;
const REQUEST_METRICS_FILTER = 'EntireBucket';
const QUERY_RESULTS_PREFIX = 'results/';

/**
 * A zoned S3 data lake: one SSE-KMS bucket per zone (raw, curated, features and any extra
 * zones), a dedicated access-log bucket, and a Glue database per zone.
 */
export class DataLake extends Construct implements IDataLake {
  /** Every default of {@link DataLakeProps}, in one place (the `@default` docs are tested against this). */
  public static defaults(profile: Profile): DataLakeDefaults {
    return {
      removalPolicy: profile.removalPolicy,
      noncurrentVersionExpirationDays: SecureBucket.defaults(profile).noncurrentVersionExpirationDays,
      accessLogRetentionDays: AccessLogBucket.defaults(profile).retentionDays,
      rawInfrequentAccessAfterDays: 30,
      rawGlacierAfterDays: 90,
      bytesScannedCutoffPerQuery: profile.isLab ? Size.gibibytes(1) : Size.gibibytes(100),
      queryResultsExpirationDays: profile.isLab ? 7 : 30,
      recrawlBehavior: ZoneCrawler.defaults().recrawlBehavior,
      requestMetrics: false,
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
  /** Where the Athena workgroup writes query results (encrypted with the key, expiring). */
  public readonly queryResultsBucket: s3.Bucket;
  /** The Athena workgroup: enforced configuration, results encrypted with the key, bytes scanned capped. */
  public readonly workGroup: athena.CfnWorkGroup;
  /** The Athena workgroup's name. */
  public readonly workGroupName: string;
  /** The crawlers, one per crawled zone. */
  public readonly crawlers: ZoneCrawler[];

  private readonly buckets = new Map<string, s3.Bucket>();
  private readonly crawlerExclusions = new Map<string, string[]>();
  private readonly databases = new Map<string, glue.CfnDatabase>();
  private readonly requestMetrics: boolean;

  constructor(scope: Construct, id: string, props: DataLakeProps = {}) {
    super(scope, id);
    this.checkInputs(props ?? {});
    props = props ?? {};
    const profile = Profile.of(this);
    const defaults = DataLake.defaults(profile);
    const removalPolicy = props.removalPolicy ?? defaults.removalPolicy;
    const noncurrentVersionExpirationDays = props.noncurrentVersionExpirationDays ?? defaults.noncurrentVersionExpirationDays;

    this.zoneNames = this.validateZones(props.extraZones ?? []);
    const iaDays = props.rawInfrequentAccessAfterDays ?? defaults.rawInfrequentAccessAfterDays;
    const glacierDays = props.rawGlacierAfterDays ?? defaults.rawGlacierAfterDays;
    this.validateLifecycle(iaDays, glacierDays);
    const prefix = this.databasePrefix(props.databaseNamePrefix);
    const crawledZones = this.validateCrawledZones(props.crawledZones ?? []);
    checkGlueSchedule(this, 'crawlerSchedule', props.crawlerSchedule);
    const cutoff = props.bytesScannedCutoffPerQuery ?? defaults.bytesScannedCutoffPerQuery;
    const cutoffBytes = cutoff.isUnresolved() ? undefined : cutoff.toBytes();
    if (cutoffBytes !== undefined) {
      check(this, Number.isInteger(cutoffBytes) && cutoffBytes >= ATHENA_MIN_CUTOFF_BYTES, 'bytesScannedCutoffPerQuery', `${cutoffBytes} bytes`,
        `a whole number of bytes, at least ${ATHENA_MIN_CUTOFF_BYTES} (10 MB, Athena's minimum per-query cutoff)`);
    }
    // A token amount goes through as given when it is in bytes (Athena's unit); no other unit converts.
    let tokenBytes: number | undefined;
    if (cutoffBytes === undefined) {
      try {
        tokenBytes = cutoff.toBytes();
      } catch {
        invalidProp(this, 'bytesScannedCutoffPerQuery', cutoff.toString(), 'a Size whose token amount is given in bytes (e.g. Size.bytes(token)), the unit Athena takes');
      }
    }
    const resultsDays = props.queryResultsExpirationDays ?? defaults.queryResultsExpirationDays;
    checkRange(this, 'queryResultsExpirationDays', resultsDays, 1, 3650, { integer: true, unit: 'days' });
    if (props.workGroupName !== undefined) {
      checkType(this, 'workGroupName', props.workGroupName, 'string');
      checkPattern(this, 'workGroupName', props.workGroupName, /^[a-zA-Z0-9._-]{1,128}$/, '1 to 128 characters: letters, digits, ".", "_" and "-"');
      // Every account and region has a workgroup named primary: creating another fails the deploy.
      check(this, !isConcrete(props.workGroupName) || props.workGroupName !== 'primary', 'workGroupName', props.workGroupName,
        'a name other than "primary" (the workgroup every account already has)');
    }
    this.requestMetrics = props.requestMetrics ?? defaults.requestMetrics;

    if (props.encryptionKey) this.validateKeyRegion(props.encryptionKey);
    this.encryptionKey = props.encryptionKey ?? new DataKey(this, 'Key', {
      description: `Data lake key of ${this.node.path}`,
      removalPolicy,
    });
    this.accessLogsBucket = new AccessLogBucket(this, 'AccessLogs', {
      retentionDays: props.accessLogRetentionDays ?? defaults.accessLogRetentionDays,
      removalPolicy,
    });

    const stack = Stack.of(this);
    this.catalogArn = stack.formatArn({ service: 'glue', resource: 'catalog' });

    for (const zone of this.zoneNames) {
      const bucket = new SecureBucket(this, `${pascal(zone)}Bucket`, {
        encryptionKey: this.encryptionKey,
        serverAccessLogsBucket: this.accessLogsBucket,
        serverAccessLogsPrefix: `zones/${zone}/`,
        noncurrentVersionExpirationDays,
        removalPolicy,
        lifecycleRules: zone === DataZone.RAW ? [{
          id: 'raw-to-infrequent-access-then-glacier-instant-retrieval',
          transitions: [
            { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(iaDays) },
            // Not GLACIER (Flexible Retrieval): Athena skips those objects without an error, so
            // tables over the raw zone would silently lose their history.
            { storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(glacierDays) },
          ],
        }] : [],
      });
      if (this.requestMetrics) bucket.addMetric({ id: REQUEST_METRICS_FILTER });
      this.buckets.set(zone, bucket);

      const databaseName = GlueNames.of(this, prefix, zone);
      // Glue database names are unique per account and region: a second lake with the same
      // names would synthesize and then fail the deploy with AlreadyExistsException.
      UniqueNames.claim(this, 'Glue database', databaseName, 'databaseNamePrefix');
      const database = new glue.CfnDatabase(this, `${pascal(zone)}Database`, {
        catalogId: stack.account,
        databaseInput: {
          name: databaseName,
          description: `The ${zone} zone of data lake ${this.node.path}`,
          locationUri: `s3://${bucket.bucketName}/`,
        },
      });
      this.databases.set(zone, database);
    }
    this.rawBucket = this.buckets.get(DataZone.RAW)!;
    this.curatedBucket = this.buckets.get(DataZone.CURATED)!;
    this.featuresBucket = this.buckets.get(DataZone.FEATURES)!;

    this.queryResultsBucket = new SecureBucket(this, 'QueryResultsBucket', {
      encryptionKey: this.encryptionKey,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'athena-results/',
      noncurrentVersionExpirationDays,
      removalPolicy,
      lifecycleRules: [{ id: 'expire-query-results', expiration: Duration.days(resultsDays) }],
    });
    const workGroupName = props.workGroupName ?? Names.uniqueResourceName(this, { maxLength: 128, separator: '-', allowedSpecialCharacters: '-_.' });
    UniqueNames.claim(this, 'Athena workgroup', workGroupName, 'workGroupName');
    this.workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: workGroupName,
      description: `Queries of data lake ${this.node.path}`,
      state: 'ENABLED',
      // Without it, CloudFormation cannot delete a workgroup that holds saved queries.
      recursiveDeleteOption: removalPolicy === RemovalPolicy.DESTROY,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: cutoffBytes ?? tokenBytes,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: `s3://${this.queryResultsBucket.bucketName}/${QUERY_RESULTS_PREFIX}`,
          expectedBucketOwner: stack.account,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: this.encryptionKey.keyArn },
        },
      },
    });
    // The name is fixed: plain RETAIN would keep it after a failed first create.
    this.workGroup.applyRemovalPolicy(fixedNameRemovalPolicy(removalPolicy));
    this.workGroupName = this.workGroup.ref;

    if (crawledZones.length > 0) ZoneCrawler._allowCrawlerLogs(this, this.encryptionKey, 'encryptionKey');
    this.crawlers = crawledZones.map((zone) => new ZoneCrawler(this, `${pascal(zone)}Crawler`, {
      lake: this,
      zone,
      schedule: props.crawlerSchedule,
      recrawlBehavior: props.recrawlBehavior ?? defaults.recrawlBehavior,
    }));
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

  /**
   * Keep every crawler of the zone out of a key prefix that holds no table: delivery error
   * output, SageMaker data capture, job scratch space. StreamingIngestion registers its error
   * prefix here itself. Crawlers always skip `errors/` and `data-capture/`.
   * @param prefix a key prefix ending in "/", e.g. "clickstream-errors/"
   */
  public excludeFromCrawlers(zone: string, prefix: string): void {
    this.bucket(zone);
    checkType(this, 'prefix', prefix, 'string');
    if (!isConcrete(prefix)) return; // a prefix known only at deploy time cannot become a glob
    checkPattern(this, 'prefix', prefix, /^[^/*?[\]{}!][^*?[\]{}!]*\/$/,
      'a key prefix ending in "/", not starting with "/", without glob characters (* ? [ ] { } !), e.g. "clickstream-errors/"');
    const list = this.crawlerExclusions.get(zone) ?? [];
    if (!list.includes(prefix)) list.push(prefix);
    this.crawlerExclusions.set(zone, list);
  }

  /**
   * The prefixes registered with `excludeFromCrawlers` for a zone.
   * @internal
   */
  public _crawlerExclusions(zone: string): string[] {
    return [...(this.crawlerExclusions.get(zone) ?? [])];
  }

  /** The crawler of a zone; fails for a zone without one. */
  public crawler(zone: string): ZoneCrawler {
    const crawler = this.crawlers.find((c) => c.zone === zone);
    if (!crawler) return invalidProp(this, 'zone', zone, `a crawled zone of this lake: ${this.crawlers.map((c) => c.zone).join(', ') || 'none'}`);
    return crawler;
  }

  /** Read the zone database's table definitions and partitions in the Glue Data Catalog. */
  public grantCatalogRead(zone: string, grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition'],
      resourceArns: [this.catalogArn, this.databaseArn(zone), this.tablesArn(zone)],
    });
  }

  /**
   * Run Athena queries in the lake's workgroup and read their results, and read the Glue
   * `default` database, which Athena needs when Glue access is scoped to named databases.
   * Reading the zones and their catalog is granted separately (`grantRead`, `grantCatalogRead`).
   */
  public grantQuery(grantee: iam.IGrantable): iam.Grant {
    const stack = Stack.of(this);
    const results = this.queryResultsBucket;
    return iam.Grant.addToPrincipal({
      grantee,
      actions: [
        'athena:StartQueryExecution', 'athena:StopQueryExecution', 'athena:GetQueryExecution',
        'athena:GetQueryResults', 'athena:GetQueryResultsStream', 'athena:GetWorkGroup',
      ],
      resourceArns: [stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: this.workGroupName })],
    }).combine(iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
      resourceArns: [results.bucketArn],
    })).combine(iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      resourceArns: [results.arnForObjects(`${QUERY_RESULTS_PREFIX}*`)],
    })).combine(iam.Grant.addToPrincipal({
      grantee,
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resourceArns: [this.encryptionKey.keyArn],
    })).combine(iam.Grant.addToPrincipal({
      // https://docs.aws.amazon.com/athena/latest/ug/fine-grained-access-to-glue-resources.html
      grantee,
      actions: ['glue:GetDatabase', 'glue:GetDatabases'],
      resourceArns: [this.catalogArn, stack.formatArn({ service: 'glue', resource: 'database', resourceName: 'default' })],
    }));
  }

  /** Bytes stored in the zone's bucket (S3 Standard), reported once a day. */
  public metricBucketSizeBytes(zone: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.s3Metric(zone, 'BucketSizeBytes', { StorageType: 'StandardStorage' }, { statistic: 'Average', period: Duration.days(1), ...props });
  }

  /** Objects in the zone's bucket (all storage classes), reported once a day. */
  public metricNumberOfObjects(zone: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.s3Metric(zone, 'NumberOfObjects', { StorageType: 'AllStorageTypes' }, { statistic: 'Average', period: Duration.days(1), ...props });
  }

  /** Requests to the zone's bucket; needs `requestMetrics: true`. */
  public metricAllRequests(zone: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    check(this, this.requestMetrics, 'requestMetrics', this.requestMetrics, 'true, to use metricAllRequests (S3 publishes request metrics only for buckets that enable them)');
    return this.s3Metric(zone, 'AllRequests', { FilterId: REQUEST_METRICS_FILTER }, { statistic: 'Sum', period: Duration.minutes(5), ...props });
  }

  /** Bytes scanned by the workgroup's queries (what Athena bills). */
  public metricQueryProcessedBytes(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/Athena',
      metricName: 'ProcessedBytes',
      dimensionsMap: { WorkGroup: this.workGroupName },
      statistic: 'Sum',
      period: Duration.minutes(5),
      ...props,
    });
  }

  private s3Metric(zone: string, metricName: string, dimensions: Record<string, string>, props: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/S3',
      metricName,
      dimensionsMap: { BucketName: this.bucket(zone).bucketName, ...dimensions },
      ...props,
    });
  }

  private tablesArn(zone: string): string {
    return Stack.of(this).formatArn({ service: 'glue', resource: 'table', resourceName: `${this.databaseName(zone)}/*` });
  }

  /** What a caller without a type checker (JavaScript, Python) can get wrong, before anything is built. */
  private checkInputs(props: DataLakeProps): void {
    checkShape(this, 'encryptionKey', props.encryptionKey, ['keyArn'], 'a kms.IKey (a customer managed key)');
    checkArray(this, 'extraZones', props.extraZones, 'zone names, e.g. ["sandbox"]');
    props.extraZones?.forEach((z, i) => checkType(this, `extraZones[${i}]`, z, 'string'));
    checkType(this, 'databaseNamePrefix', props.databaseNamePrefix, 'string');
    for (const prop of ['rawInfrequentAccessAfterDays', 'rawGlacierAfterDays', 'queryResultsExpirationDays'] as const) {
      checkType(this, prop, props[prop], 'number');
    }
    for (const prop of ['noncurrentVersionExpirationDays', 'accessLogRetentionDays'] as const) {
      checkType(this, prop, props[prop], 'number');
      // Whole days, within what the buckets accept (SecureBucket, AccessLogBucket): named here, as the lake's props.
      checkRange(this, prop, props[prop], 1, 3650, { integer: true, unit: 'days' });
    }
    checkRemovalPolicy(this, 'removalPolicy', props.removalPolicy);
    checkArray(this, 'crawledZones', props.crawledZones, 'zone names of this lake, e.g. ["raw"]');
    checkEnum(this, 'recrawlBehavior', props.recrawlBehavior, RecrawlBehavior, 'RecrawlBehavior');
    checkSize(this, 'bytesScannedCutoffPerQuery', props.bytesScannedCutoffPerQuery);
    checkType(this, 'requestMetrics', props.requestMetrics, 'boolean');
  }

  private validateCrawledZones(zones: string[]): string[] {
    zones.forEach((zone, i) => {
      check(this, this.zoneNames.includes(zone), `crawledZones[${i}]`, zone, `a zone of this lake: ${this.zoneNames.join(', ')}`);
      check(this, zones.indexOf(zone) === i, `crawledZones[${i}]`, zone, 'each zone at most once');
    });
    return zones;
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
    if (isConcrete(glacierDays) && isConcrete(iaDays)) {
      check(this, Number.isInteger(glacierDays) && glacierDays >= iaDays + 30, 'rawGlacierAfterDays', glacierDays,
        `an integer at least 30 days after rawInfrequentAccessAfterDays (${iaDays}), i.e. ${iaDays + 30} or more: S3 keeps objects in Standard-IA for 30 days before Glacier`);
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
