import * as path from 'path';
import { ArnFormat, Duration, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { IEtlMetrics } from '../core/dashboard-sources';
import { EncryptedLogGroup } from '../core/encrypted-log-group';
import { ChurnModelDefaults } from '../core/model-defaults';
import { Nag } from '../core/nag';
import { Profile } from '../core/profile';
import {
  check, checkArray, checkInstance, checkOneOf, checkPattern, checkRange, checkRequired, checkType, invalidProp, isConcrete,
} from '../core/validation';
import { DataZone, IDataLake } from './data-lake';
import { checkGlueSchedule } from './private/glue-cron';
import { kmsSecurityConfiguration } from './private/glue-security-configuration';
import { ZoneCrawler } from './zone-crawler';

/** Glue job log groups: ours, and the ones Glue creates. */
const JOB_LOG_GROUP_PREFIX = '/aws-glue/jobs';

/** Where the Glue script and the bundled feature SQL live. */
const ETL_ASSETS_DIR = path.join(__dirname, 'etl');

/** The Glue versions this construct runs on (Spark 3.3 and 3.5, Python 3.10 and 3.11). */
const SUPPORTED_GLUE_VERSIONS = ['4.0', '5.0'];

/**
 * Worker types of Spark ETL jobs (API_Job WorkerType: G.025X is for streaming jobs only, Z.2X for
 * Ray jobs only): https://docs.aws.amazon.com/glue/latest/webapi/API_Job.html
 */
const SPARK_WORKER_TYPES = ['G.1X', 'G.2X', 'G.4X', 'G.8X', 'G.12X', 'G.16X', 'R.1X', 'R.2X', 'R.4X', 'R.8X'];

/** The most workers Glue documents per type (JobRun NumberOfWorkers: "299 for G.1X, and 149 for G.2X"). */
const MAX_WORKERS: Record<string, number> = { 'G.1X': 299, 'G.2X': 149 };

/** An S3 key prefix: folder names ending in '/', no leading '/', no wildcards. */
const PREFIX_PATTERN = /^([A-Za-z0-9!_.'()=-]+\/)+$/;
const PREFIX_RULE = 'one or more folder names each followed by "/", e.g. "customers/", without a leading "/" or wildcards';

/** Spark/Hive column and view names. */
const COLUMN_PATTERN = /^[a-z_][a-z0-9_]*$/;
const COLUMN_RULE = 'a lower-case name: letters, digits and underscores, not starting with a digit';

/** CloudWatch Logs retention values (PutRetentionPolicy), i.e. the values of logs.RetentionDays. */
const RETENTION_DAYS = Object.values(logs.RetentionDays).filter((v): v is number => typeof v === 'number');

/** The name of the split column of a transformation with a training export. */
const SPLIT_COLUMN = 'split';

/** A Glue version for the job. */
export class GlueVersion {
  /** Glue 4.0: Spark 3.3, Python 3.10. */
  public static readonly V4_0 = new GlueVersion('4.0');
  /** Glue 5.0: Spark 3.5, Python 3.11. */
  public static readonly V5_0 = new GlueVersion('5.0');

  /** Any version string; EtlJob rejects the ones it does not support (4.0 and 5.0 only). */
  public static of(version: string): GlueVersion {
    return new GlueVersion(version);
  }

  private constructor(public readonly version: string) {}
}

/** A Glue worker type for Spark jobs, with the fewest workers Glue accepts for it. */
export class GlueWorkerType {
  /** 1 DPU (4 vCPU, 16 GB): the smallest worker type of a Spark batch job. */
  public static readonly G_1X = new GlueWorkerType('G.1X', 2);
  /** 2 DPU (8 vCPU, 32 GB). */
  public static readonly G_2X = new GlueWorkerType('G.2X', 2);
  /** 4 DPU (16 vCPU, 64 GB). */
  public static readonly G_4X = new GlueWorkerType('G.4X', 2);
  /** 8 DPU (32 vCPU, 128 GB). */
  public static readonly G_8X = new GlueWorkerType('G.8X', 2);

  /**
   * Another Spark worker type Glue lists (G.12X, G.16X, R.1X to R.8X); EtlJob rejects names Glue
   * does not accept for Spark ETL jobs. Spark jobs need a driver and an executor.
   */
  public static of(name: string, minWorkers: number = 2): GlueWorkerType {
    return new GlueWorkerType(name, minWorkers);
  }

  private constructor(
    /** The name Glue uses, e.g. `G.1X`. */
    public readonly name: string,
    /** The fewest workers a Spark job of this type runs with (one driver plus at least one executor). */
    public readonly minWorkers: number,
  ) {}
}

/** How the input files are encoded. */
export enum EtlInputFormat {
  /** Comma-separated values with a header row. */
  CSV = 'csv',
  /** One JSON object per line. */
  JSON = 'json',
  /** Apache Parquet. */
  PARQUET = 'parquet',
}

/** A further table the SQL reads, besides the main input. */
export interface EtlInput {
  /** The temporary view the SQL reads it as, e.g. `clickstream`. */
  readonly viewName: string;
  /** Key prefix of the table in its zone, e.g. `clickstream/`. */
  readonly prefix: string;
  /**
   * The zone it lies in.
   * @default DataZone.RAW
   */
  readonly zone?: string;
  /**
   * Encoding of its files.
   * @default EtlInputFormat.PARQUET
   */
  readonly format?: EtlInputFormat;
}

/** Options of {@link FeatureTransformation.fromSqlFile}. */
export interface FeatureTransformationOptions {
  /** Columns of the SQL's result to partition the Parquet output by, e.g. `['country']`. */
  readonly partitionKeys: string[];
  /**
   * The name under which the SQL reads the main input table.
   * @default 'raw_records'
   */
  readonly viewName?: string;
  /**
   * The views the SQL reads besides `viewName`; the job needs an input for each (`additionalInputs`).
   * @default - none
   */
  readonly additionalViews?: string[];
  /**
   * The label column of a training export (with `featureColumns`); the SQL must then also output a
   * `split` column with the values `train`, `validation` and `test`.
   * @default - no training export
   */
  readonly labelColumn?: string;
  /**
   * The numeric feature columns of a training export, in order (with `labelColumn`).
   * @default - no training export
   */
  readonly featureColumns?: string[];
}

/**
 * The feature-engineering SQL the job runs through Spark SQL, how its result is partitioned, and
 * which of its columns make the training export. The SQL must run on Spark SQL; to test it
 * locally, keep to the dialect Spark and DuckDB share.
 */
export class FeatureTransformation {
  /**
   * The bundled transformation of the lab's churn data: the latest version of each customer
   * (deduplicate, impute, cap outliers, one-hot encode, scale, bucket, hash PII) joined with 30 days
   * of clickstream activity, split 70/15/15 by a hash of the customer id; partitioned by country.
   * Reads `raw_records` (the customer CSV) and `clickstream` (the events); its training export is
   * the label and features of `ChurnModelDefaults`.
   */
  public static customerChurn(): FeatureTransformation {
    return new FeatureTransformation(path.join(ETL_ASSETS_DIR, 'features.sql'), ['country'], 'raw_records', ['clickstream'],
      ChurnModelDefaults.labelColumn().name, ChurnModelDefaults.featureColumns().map((c) => c.name));
  }

  /** Your own SQL file (a single SELECT, no trailing semicolon) over the view `viewName` (and `additionalViews`). */
  public static fromSqlFile(sqlPath: string, options: FeatureTransformationOptions): FeatureTransformation {
    return new FeatureTransformation(sqlPath, options.partitionKeys, options.viewName ?? 'raw_records', options.additionalViews ?? [],
      options.labelColumn, options.featureColumns);
  }

  private constructor(
    /** Path of the SQL file on this machine; shipped to S3 as an asset. */
    public readonly sqlPath: string,
    /** Partition columns of the output. */
    public readonly partitionKeys: string[],
    /** The temporary view of the main input. */
    public readonly viewName: string,
    /** The other views the SQL reads. */
    public readonly additionalViews: string[],
    /** Label of the training export, if any. */
    public readonly labelColumn?: string,
    /** Features of the training export, if any. */
    public readonly featureColumns?: string[],
  ) {}
}

/** Props of {@link EtlJob}. */
export interface EtlJobProps {
  /** The lake the job reads from and writes to. */
  readonly dataLake: IDataLake;
  /**
   * Key prefix of the main input table in the input zone.
   * @default 'customers/'
   */
  readonly inputPrefix?: string;
  /**
   * The zone the job reads.
   * @default DataZone.RAW
   */
  readonly inputZone?: string;
  /**
   * Encoding of the input files.
   * @default EtlInputFormat.CSV
   */
  readonly inputFormat?: EtlInputFormat;
  /**
   * Further tables the SQL reads, one per view it names besides the main input.
   * @default - for `FeatureTransformation.customerChurn()`: the clickstream Parquet that
   * StreamingIngestion delivers, `{ viewName: 'clickstream', zone: 'raw', prefix: 'clickstream/', format: PARQUET }`;
   * for your own SQL: none
   */
  readonly additionalInputs?: EtlInput[];
  /**
   * The zone the job writes partitioned Parquet (and the training export) to.
   * @default DataZone.FEATURES
   */
  readonly outputZone?: string;
  /**
   * Key prefix of the output table in the output zone; must not be, contain or lie inside an
   * input location.
   * @default 'customer_features/'
   */
  readonly outputPrefix?: string;
  /**
   * Key prefix of the training export in the output zone (`train/`, `validation/`, `test/`,
   * `baseline/` and `feature-schema.json` below it), when the transformation has one.
   * @default 'training-export/'
   */
  readonly trainingExportPrefix?: string;
  /**
   * The SQL that turns the input into features.
   * @default FeatureTransformation.customerChurn()
   */
  readonly transformation?: FeatureTransformation;
  /**
   * Glue version (4.0 or 5.0).
   * @default GlueVersion.V5_0
   */
  readonly glueVersion?: GlueVersion;
  /**
   * Worker type (a Spark ETL type: G.1X to G.16X, R.1X to R.8X).
   * @default GlueWorkerType.G_1X
   */
  readonly workerType?: GlueWorkerType;
  /**
   * Number of workers, at least the worker type's minimum (and at most 299 for G.1X, 149 for G.2X).
   * @default - lab: 2; production: 10
   */
  readonly numberOfWorkers?: number;
  /**
   * How long a run may take before Glue stops it (1 minute to 7 days).
   * @default - lab: 30 minutes; production: 120 minutes
   */
  readonly timeout?: Duration;
  /**
   * Retries of a failed run (0 to 10).
   * @default - lab: 0; production: 1
   */
  readonly maxRetries?: number;
  /**
   * Job bookmarks: each run processes only input files that earlier runs did not, and appends
   * to the output; the SQL then sees one batch at a time, so deduplication, imputation
   * statistics, outlier fences, scaling and activity windows are per batch (right for independent
   * daily drops, wrong for the churn join, which needs whole tables). When false, each run
   * reprocesses the whole input and overwrites the output and the export.
   * @default false
   */
  readonly jobBookmarks?: boolean;
  /**
   * A crawler over the main input, run before the job, that catalogs the raw table.
   * @default false
   */
  readonly crawlInput?: boolean;
  /**
   * A crawler over the output, run after the job, that catalogs the feature table for Athena.
   * @default true
   */
  readonly crawlOutput?: boolean;
  /**
   * When to run, as a Glue cron expression such as `cron(0 3 * * ? *)` (03:00 UTC daily), at most
   * every 5 minutes (Glue's shortest interval). With crawlers, it starts the workflow
   * crawler -> job -> crawler; without, it starts the job.
   * @default - no schedule: runs start on demand
   */
  readonly schedule?: string;
  /**
   * Retention of the job's log groups.
   * @default - lab: one week (7 days); production: one year (365 days)
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Topic that hears about failed and timed-out runs, from the EventBridge rule and from an alarm
   * on it; both may publish for this rule and this alarm only (`aws:SourceArn`). If the topic is
   * encrypted with a `kms.Key` of this app, EventBridge and CloudWatch get a key statement
   * conditioned on this topic (`kms:EncryptionContext:aws:sns:topicArn`): the topic then needs a
   * `topicName` known at synth. With an imported key, the key owner adds that statement.
   * @default - none: the failure rule is there for you to add targets to, and no alarm is created
   */
  readonly alarmTopic?: sns.ITopic;
}

/** The defaults of {@link EtlJobProps} that depend on the profile. */
export interface EtlJobProfileDefaults {
  /** Workers of the job. */
  readonly numberOfWorkers: number;
  /** Run timeout in minutes. */
  readonly timeoutMinutes: number;
  /** Retries of a failed run. */
  readonly maxRetries: number;
  /** Retention of the job's log groups. */
  readonly logRetention: logs.RetentionDays;
}

/** One input of the job, resolved. */
interface ResolvedInput {
  readonly viewName: string;
  readonly zone: string;
  readonly prefix: string;
  readonly format: EtlInputFormat;
  readonly prop: string;
}

/**
 * A Glue Spark job that turns raw-zone tables into partitioned Parquet features and a training
 * export with a SQL file, encrypted end to end with the lake's key, with optional crawlers, a
 * schedule, and failure notifications.
 *
 * The PySpark script only moves data: the transformation is the SQL file, shipped as an S3 asset
 * next to the script, so the SQL the tests run with DuckDB is byte for byte the SQL Glue runs.
 */
export class EtlJob extends Construct implements IEtlMetrics {
  /** Profile-dependent defaults, documented on the props. */
  public static defaults(profile: Profile): EtlJobProfileDefaults {
    return profile.isLab
      ? { numberOfWorkers: 2, timeoutMinutes: 30, maxRetries: 0, logRetention: logs.RetentionDays.ONE_WEEK }
      : { numberOfWorkers: 10, timeoutMinutes: 120, maxRetries: 1, logRetention: logs.RetentionDays.ONE_YEAR };
  }

  /** The role of the job. */
  public readonly role: iam.Role;
  /** The role's permissions. */
  public readonly policy: iam.ManagedPolicy;
  /** The Glue job. */
  public readonly cfnJob: glue.CfnJob;
  /** The job's name (generated by CloudFormation). */
  public readonly jobName: string;
  /** The security configuration: SSE-KMS for S3 and CloudWatch Logs, CSE-KMS for bookmarks. */
  public readonly securityConfiguration: glue.CfnSecurityConfiguration;
  /** The PySpark script asset. */
  public readonly scriptAsset: s3assets.Asset;
  /** The feature SQL asset the script loads. */
  public readonly sqlAsset: s3assets.Asset;
  /**
   * The log group of Spark, Glue and script-logger messages, named as Glue names it under the
   * security configuration: Glue 5.0 `<prefix>/error-<security configuration>`; Glue 4.0 the
   * continuous-logging group `<prefix>-<security configuration>`.
   */
  public readonly logGroup: logs.LogGroup;
  /**
   * The log group of the script's stdout and stderr: Glue 5.0 `<prefix>/output-<security configuration>`;
   * Glue 4.0 `/aws-glue/jobs-<role>-<security configuration>/output`.
   */
  public readonly outputLogGroup: logs.LogGroup;
  /** Every log group this job's runs write to. */
  public readonly logGroups: logs.LogGroup[];
  /** `s3://` URL of the main input location. */
  public readonly inputPath: string;
  /** `s3://` URLs of the further inputs, by view name. */
  public readonly additionalInputPaths: Record<string, string>;
  /** `s3://` URL of the output location. */
  public readonly outputPath: string;
  /** `s3://` URL of the training export (`train/`, `validation/`, `test/`, `baseline/`, `feature-schema.json`), if the transformation has one. */
  public readonly trainingExportPath?: string;
  /** The crawler over the input, if `crawlInput`. */
  public readonly inputCrawler?: ZoneCrawler;
  /** The crawler over the output, if `crawlOutput`. */
  public readonly outputCrawler?: ZoneCrawler;
  /** The workflow crawler -> job -> crawler, when there is a crawler. */
  public readonly workflow?: glue.CfnWorkflow;
  /** The trigger that starts the job or the workflow (scheduled, or on demand for a workflow). */
  public readonly startTrigger?: glue.CfnTrigger;
  /** EventBridge rule matching the job's FAILED, TIMEOUT and ERROR state changes. */
  public readonly failureRule: events.Rule;
  /** Alarm raised when the failure rule matched in the last 5 minutes; only with `alarmTopic`, which it notifies. */
  public readonly failureAlarm?: cloudwatch.IAlarm;

  constructor(scope: Construct, id: string, props: EtlJobProps) {
    super(scope, id);
    const profile = Profile.of(this);
    const defaults = EtlJob.defaults(profile);
    validateTypes(this, props);
    const lake = props.dataLake;
    const stack = Stack.of(this);

    const transformation = props.transformation ?? FeatureTransformation.customerChurn();
    const main: ResolvedInput = {
      viewName: transformation.viewName,
      zone: props.inputZone ?? DataZone.RAW,
      prefix: props.inputPrefix ?? 'customers/',
      format: props.inputFormat ?? EtlInputFormat.CSV,
      prop: 'inputPrefix',
    };
    const extraInputs = props.additionalInputs
      ?? (props.transformation === undefined ? [{ viewName: 'clickstream', prefix: 'clickstream/', format: EtlInputFormat.PARQUET }] : []);
    const inputs: ResolvedInput[] = [main, ...extraInputs.map((input, i) => ({
      viewName: input.viewName,
      zone: input.zone ?? DataZone.RAW,
      prefix: input.prefix,
      format: input.format ?? EtlInputFormat.PARQUET,
      prop: `additionalInputs[${i}]`,
    }))];
    const outputZone = props.outputZone ?? DataZone.FEATURES;
    const outputPrefix = props.outputPrefix ?? 'customer_features/';
    const hasExport = transformation.labelColumn !== undefined && transformation.featureColumns !== undefined;
    const exportPrefix = props.trainingExportPrefix ?? 'training-export/';
    const glueVersion = props.glueVersion ?? GlueVersion.V5_0;
    const workerType = props.workerType ?? GlueWorkerType.G_1X;
    const numberOfWorkers = props.numberOfWorkers ?? defaults.numberOfWorkers;
    const timeoutMinutes = props.timeout ? durationMinutes(this, props.timeout) : defaults.timeoutMinutes;
    const maxRetries = props.maxRetries ?? defaults.maxRetries;
    const bookmarks = props.jobBookmarks ?? false;
    const crawlInput = props.crawlInput ?? false;
    const crawlOutput = props.crawlOutput ?? true;
    const logRetention = props.logRetention ?? defaults.logRetention;

    // --- validation ---------------------------------------------------------------------------
    for (const input of inputs) {
      const zoneProp = input.prop === 'inputPrefix' ? 'inputZone' : `${input.prop}.zone`;
      const prefixProp = input.prop === 'inputPrefix' ? 'inputPrefix' : `${input.prop}.prefix`;
      checkOneOf(this, zoneProp, input.zone, lake.zoneNames);
      checkPattern(this, prefixProp, input.prefix, PREFIX_PATTERN, PREFIX_RULE);
      if (input.prop !== 'inputPrefix') {
        checkPattern(this, `${input.prop}.viewName`, input.viewName, COLUMN_PATTERN, COLUMN_RULE);
        checkOneOf(this, `${input.prop}.format`, input.format, Object.values(EtlInputFormat));
      }
    }
    checkOneOf(this, 'inputFormat', main.format, Object.values(EtlInputFormat));
    checkOneOf(this, 'outputZone', outputZone, lake.zoneNames);
    checkPattern(this, 'outputPrefix', outputPrefix, PREFIX_PATTERN, PREFIX_RULE);
    if (hasExport) checkPattern(this, 'trainingExportPrefix', exportPrefix, PREFIX_PATTERN, PREFIX_RULE);
    const views = inputs.map((i) => i.viewName);
    const duplicateView = views.find((v, i) => views.indexOf(v) !== i);
    check(this, duplicateView === undefined, 'additionalInputs', duplicateView, 'one input per view name (the main input is read as the transformation\'s viewName)');
    const missingViews = transformation.additionalViews.filter((v) => !views.includes(v));
    check(this, missingViews.length === 0, 'additionalInputs', views.slice(1),
      `an input for every view the transformation reads: ${[transformation.viewName, ...transformation.additionalViews].join(', ')} (missing: ${missingViews.join(', ')})`);
    const locations: Array<{ prop: string; zone: string; prefix: string }> = [
      { prop: 'outputPrefix', zone: outputZone, prefix: outputPrefix },
      ...(hasExport ? [{ prop: 'trainingExportPrefix', zone: outputZone, prefix: exportPrefix }] : []),
    ];
    // The export first: when it overlaps the output, it is the one to move.
    for (const written of [...locations].reverse()) {
      for (const other of [...inputs.map((i) => ({ zone: i.zone, prefix: i.prefix, what: `the input "${i.zone}/${i.prefix}"` })),
        ...locations.filter((l) => l !== written).map((l) => ({ zone: l.zone, prefix: l.prefix, what: `the ${l.prop} "${l.zone}/${l.prefix}"` }))]) {
        if (written.zone !== other.zone || !isConcrete(written.prefix) || !isConcrete(other.prefix)) continue;
        // Compared without the trailing slash: Spark probes and IAM grants work on `<folder>*`.
        const overlaps = folderName(written.prefix).startsWith(folderName(other.prefix)) || folderName(other.prefix).startsWith(folderName(written.prefix));
        check(this, !overlaps, written.prop, written.prefix, `a location apart from ${other.what} (another zone, or a folder name that is not a prefix of it nor starts with it)`);
      }
    }
    checkOneOf(this, 'glueVersion', glueVersion.version, SUPPORTED_GLUE_VERSIONS);
    checkOneOf(this, 'workerType', workerType.name, SPARK_WORKER_TYPES);
    if (isConcrete(numberOfWorkers)) {
      const max = MAX_WORKERS[workerType.name];
      check(this, Number.isInteger(numberOfWorkers) && numberOfWorkers >= workerType.minWorkers && (max === undefined || numberOfWorkers <= max), 'numberOfWorkers', numberOfWorkers,
        `an integer of at least ${workerType.minWorkers} for worker type ${workerType.name}${max === undefined ? '' : ` and at most ${max} (Glue's maximum for it)`}`);
    }
    checkRange(this, 'timeout', timeoutMinutes, 1, 10080, { integer: true, unit: 'minutes' });
    checkRange(this, 'maxRetries', maxRetries, 0, 10, { integer: true });
    checkGlueSchedule(this, 'schedule', props.schedule);
    checkOneOf(this, 'logRetention', logRetention, RETENTION_DAYS);
    check(this, transformation.partitionKeys.length > 0, 'transformation.partitionKeys', transformation.partitionKeys,
      'at least one column to partition the Parquet output by');
    transformation.partitionKeys.forEach((key, i) => checkPattern(this, `transformation.partitionKeys[${i}]`, key, COLUMN_PATTERN, COLUMN_RULE));
    checkPattern(this, 'transformation.viewName', transformation.viewName, COLUMN_PATTERN, COLUMN_RULE);
    if (hasExport) {
      [transformation.labelColumn!, ...transformation.featureColumns!].forEach((c) => checkPattern(this, 'transformation.featureColumns', c, COLUMN_PATTERN, COLUMN_RULE));
      check(this, transformation.featureColumns!.length > 0, 'transformation.featureColumns', transformation.featureColumns, 'at least one feature column');
    }

    // --- locations and assets -----------------------------------------------------------------
    const inputBuckets = inputs.map((i) => lake.zoneBucket(i.zone));
    const outputBucket = lake.zoneBucket(outputZone);
    const url = (bucket: s3.IBucket, prefix: string) => `s3://${bucket.bucketName}/${prefix}`;
    this.inputPath = url(inputBuckets[0], main.prefix);
    this.additionalInputPaths = Object.fromEntries(inputs.slice(1).map((input, i) => [input.viewName, url(inputBuckets[i + 1], input.prefix)]));
    this.outputPath = url(outputBucket, outputPrefix);
    this.trainingExportPath = hasExport ? url(outputBucket, exportPrefix) : undefined;

    this.scriptAsset = new s3assets.Asset(this, 'Script', { path: path.join(ETL_ASSETS_DIR, 'feature_engineering.py') });
    this.sqlAsset = new s3assets.Asset(this, 'Sql', { path: transformation.sqlPath });

    this.securityConfiguration = kmsSecurityConfiguration(this, Names.uniqueResourceName(this, { maxLength: 255, separator: '-' }), lake.encryptionKey);
    const securityConfigurationName = this.securityConfiguration.name!;

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('glue.amazonaws.com'),
      description: `Glue ETL job ${this.node.path}: reads ${inputs.map((i) => `${i.zone}/${i.prefix}`).join(', ')}, writes ${outputZone}/${outputPrefix}`,
    });

    // --- log groups -----------------------------------------------------------------------------
    // With a security configuration that encrypts CloudWatch Logs, Glue writes to
    // `<log group>-<security configuration name>` and creates that group itself (no retention)
    // unless it exists: so exactly those groups are created here, with retention and the key.
    const logPrefix = `${JOB_LOG_GROUP_PREFIX}/etl/${Names.uniqueResourceName(this, { maxLength: 200, separator: '-' })}`;
    const logGroup = (logId: string, name: string) => new logs.LogGroup(this, logId, {
      logGroupName: name,
      encryptionKey: lake.encryptionKey,
      retention: logRetention,
      // A failed first create must not leave a fixed-name group behind for the retry to collide with.
      removalPolicy: profile.removalPolicy === RemovalPolicy.RETAIN ? RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE : profile.removalPolicy,
    });
    let loggingArguments: Record<string, string>;
    if (glueVersion.version === '4.0') {
      this.logGroup = logGroup('ContinuousLogs', `${logPrefix}-${securityConfigurationName}`);
      // Glue 4.0 still writes the script's stdout/stderr to the classic groups, named after the role.
      const classic = `${JOB_LOG_GROUP_PREFIX}-${this.role.roleName}-${securityConfigurationName}`;
      this.outputLogGroup = logGroup('OutputLogs', `${classic}/output`);
      this.logGroups = [this.logGroup, this.outputLogGroup, logGroup('ErrorLogs', `${classic}/error`)];
      loggingArguments = { '--enable-continuous-cloudwatch-log': 'true', '--continuous-log-logGroup': logPrefix };
    } else {
      this.logGroup = logGroup('ErrorLogs', `${logPrefix}/error-${securityConfigurationName}`);
      this.outputLogGroup = logGroup('OutputLogs', `${logPrefix}/output-${securityConfigurationName}`);
      this.logGroups = [this.logGroup, this.outputLogGroup];
      loggingArguments = { '--custom-logGroup-prefix': logPrefix };
    }
    // Our groups, and any Glue still names differently at run time: all under /aws-glue/jobs.
    const jobLogGroups = stack.formatArn({
      service: 'logs', resource: 'log-group', resourceName: `${JOB_LOG_GROUP_PREFIX}*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    EncryptedLogGroup.allowLogsToUseKey(this, lake.encryptionKey, `${JOB_LOG_GROUP_PREFIX}*`, 'dataLake.encryptionKey');

    // --- permissions ----------------------------------------------------------------------------
    // Object ARNs are `<folder>*` (not `<folder>/*`): Spark probes the bare key `<folder>` and Glue
    // writes a `<folder>_$folder$` marker; S3 answers 403 instead of 404 on keys outside the grant.
    const inputObjects = inputs.map((input, i) => inputBuckets[i].arnForObjects(`${folderName(input.prefix)}*`));
    const writtenObjects = locations.map((l) => outputBucket.arnForObjects(`${folderName(l.prefix)}*`));
    const assets = [this.scriptAsset, this.sqlAsset];
    const statements = [
      ...inputs.map((input, i) => new iam.PolicyStatement({
        sid: `ListInput${i}`,
        actions: ['s3:ListBucket'],
        resources: [inputBuckets[i].bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${folderName(input.prefix)}*`] } },
      })),
      new iam.PolicyStatement({ sid: 'ReadInput', actions: ['s3:GetObject'], resources: unique(inputObjects) }),
      new iam.PolicyStatement({
        sid: 'ListOutput',
        actions: ['s3:ListBucket'],
        resources: [outputBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': locations.map((l) => `${folderName(l.prefix)}*`) } },
      }),
      new iam.PolicyStatement({
        sid: 'WriteOutput',
        // Delete: Spark's committer removes its temporary files, and overwrite mode the old output.
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
        resources: writtenObjects,
      }),
      new iam.PolicyStatement({
        sid: 'UseLakeKey',
        // Decrypt the input, SSE-KMS the output, CSE-KMS the bookmarks.
        actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
        resources: [lake.encryptionKey.keyArn],
      }),
      new iam.PolicyStatement({
        sid: 'ReadScriptAndSql',
        // Only the two objects, not the bootstrap asset bucket that every stack of the account shares.
        actions: ['s3:GetObject'],
        resources: assets.map((a) => a.bucket.arnForObjects(a.s3ObjectKey)),
      }),
      new iam.PolicyStatement({
        sid: 'FindScriptAndSql',
        // Spark's file index may list the SQL file's key before reading it.
        actions: ['s3:ListBucket'],
        resources: [this.sqlAsset.bucket.bucketArn],
        conditions: { StringEquals: { 's3:prefix': unique(assets.map((a) => a.s3ObjectKey)) } },
      }),
      new iam.PolicyStatement({
        sid: 'WriteJobLogs',
        actions: ['logs:CreateLogGroup', 'logs:AssociateKmsKey', 'logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [jobLogGroups, `${jobLogGroups}:*`],
      }),
      new iam.PolicyStatement({
        sid: 'PublishJobMetrics',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': 'Glue' } },
      }),
    ];
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: `Least privilege of the Glue ETL job ${this.node.path}`,
      roles: [this.role],
      statements,
    });
    Nag.acknowledge(this.policy,
      ...unique(inputObjects).map((arn) => ({
        id: `AwsSolutions-IAM5[Resource::${Nag.findingText(this, arn)}]`,
        reason: 'The job reads every file of its input table, whose keys are not known at deploy time (and Spark probes the bare folder key); s3:GetObject only, under the input folder.',
      })),
      ...writtenObjects.map((arn) => ({
        id: `AwsSolutions-IAM5[Resource::${Nag.findingText(this, arn)}]`,
        reason: 'Spark writes part files, partition folders and a folder marker whose names are chosen at run time; limited to the output (or export) folder of the output zone.',
      })),
      {
        id: `AwsSolutions-IAM5[Resource::${Nag.findingText(this, jobLogGroups)}]`,
        reason: 'Glue may name log groups after the role and the security configuration at run time; limited to Glue job log groups (/aws-glue/jobs*).',
      },
      {
        id: `AwsSolutions-IAM5[Resource::${Nag.findingText(this, jobLogGroups)}:*]`,
        reason: 'Log streams are named per job run and executor at run time; limited to Glue job log groups (/aws-glue/jobs*).',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'cloudwatch:PutMetricData supports no resource-level permissions; the statement is limited to the Glue metric namespace by condition.',
      },
    );

    // --- the job --------------------------------------------------------------------------------
    const exportColumns = hasExport ? [transformation.labelColumn!, ...transformation.featureColumns!] : [];
    this.cfnJob = new glue.CfnJob(this, 'Job', {
      description: `Feature engineering: ${inputs.map((i) => `${i.zone}/${i.prefix}`).join(' + ')} -> ${outputZone}/${outputPrefix} (Parquet)${hasExport ? ` + ${outputZone}/${exportPrefix} (training export)` : ''}`,
      role: this.role.roleArn,
      command: { name: 'glueetl', pythonVersion: '3', scriptLocation: this.scriptAsset.s3ObjectUrl },
      glueVersion: glueVersion.version,
      workerType: workerType.name,
      numberOfWorkers,
      timeout: timeoutMinutes,
      maxRetries,
      securityConfiguration: this.securityConfiguration.ref,
      // Two concurrent runs would race on the bookmark and the output.
      executionProperty: { maxConcurrentRuns: 1 },
      defaultArguments: {
        '--job-language': 'python',
        '--job-bookmark-option': bookmarks ? 'job-bookmark-enable' : 'job-bookmark-disable',
        '--enable-metrics': 'true',
        ...loggingArguments,
        '--input_views': views.join(','),
        '--input_paths': inputs.map((input, i) => url(inputBuckets[i], input.prefix)).join(','),
        '--input_formats': inputs.map((i) => i.format).join(','),
        '--sql_path': this.sqlAsset.s3ObjectUrl,
        '--output_path': this.outputPath,
        '--partition_keys': transformation.partitionKeys.join(','),
        // With bookmarks a run sees only new files, so it must not replace what earlier runs wrote.
        '--write_mode': bookmarks ? 'append' : 'overwrite',
        '--export_path': this.trainingExportPath ?? 'none',
        '--export_columns': exportColumns.join(','),
        '--split_column': SPLIT_COLUMN,
      },
    });
    // A run started before the policies and log groups exist would fail or log elsewhere.
    this.cfnJob.node.addDependency(this.policy, ...this.logGroups);
    this.jobName = this.cfnJob.ref;

    const crawler = (crawlerId: string, zone: string, prefix: string) => new ZoneCrawler(this, crawlerId, { lake, zone, prefix });
    if (crawlInput) this.inputCrawler = crawler('InputCrawler', main.zone, main.prefix);
    if (crawlOutput) this.outputCrawler = crawler('OutputCrawler', outputZone, outputPrefix);

    if (this.inputCrawler || this.outputCrawler) {
      this.workflow = new glue.CfnWorkflow(this, 'Workflow', {
        description: `${this.inputCrawler ? 'crawl input -> ' : ''}run job${this.outputCrawler ? ' -> crawl output' : ''}`,
        maxConcurrentRuns: 1,
      });
      const steps: glue.CfnTrigger.ActionProperty[] = [
        ...(this.inputCrawler ? [{ crawlerName: this.inputCrawler.crawlerName }] : []),
        { jobName: this.cfnJob.ref },
        ...(this.outputCrawler ? [{ crawlerName: this.outputCrawler.crawlerName }] : []),
      ];
      this.startTrigger = new glue.CfnTrigger(this, 'StartTrigger', {
        workflowName: this.workflow.ref,
        type: props.schedule ? 'SCHEDULED' : 'ON_DEMAND',
        schedule: props.schedule,
        startOnCreation: props.schedule ? true : undefined,
        actions: [steps[0]],
      });
      let previous = this.startTrigger;
      for (let i = 1; i < steps.length; i++) {
        const after = steps[i - 1];
        const condition: glue.CfnTrigger.ConditionProperty = after.crawlerName
          ? { logicalOperator: 'EQUALS', crawlerName: after.crawlerName, crawlState: 'SUCCEEDED' }
          : { logicalOperator: 'EQUALS', jobName: after.jobName, state: 'SUCCEEDED' };
        const trigger = new glue.CfnTrigger(this, `Step${i}Trigger`, {
          workflowName: this.workflow.ref,
          type: 'CONDITIONAL',
          startOnCreation: true,
          predicate: { logical: 'ANY', conditions: [condition] },
          actions: [steps[i]],
        });
        // Glue rejects concurrent changes to the triggers of one workflow.
        trigger.addResourceDependency(previous);
        previous = trigger;
      }
    } else if (props.schedule) {
      this.startTrigger = new glue.CfnTrigger(this, 'StartTrigger', {
        type: 'SCHEDULED',
        schedule: props.schedule,
        startOnCreation: true,
        actions: [{ jobName: this.cfnJob.ref }],
      });
    }

    this.failureRule = new events.Rule(this, 'FailureRule', {
      description: `Failed, timed-out and errored runs of the Glue job of ${this.node.path}`,
      eventPattern: {
        source: ['aws.glue'],
        detailType: ['Glue Job State Change'],
        detail: { jobName: [this.cfnJob.ref], state: ['FAILED', 'TIMEOUT', 'ERROR'] },
      },
    });
    if (props.alarmTopic) {
      const topic = props.alarmTopic;
      const failureAlarm = this.metricFailedRuns().createAlarm(this, 'FailureAlarm', {
        alarmDescription: `A run of the Glue job of ${this.node.path} failed, timed out or errored`,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      failureAlarm.addAlarmAction(new cloudwatchActions.SnsAction(topic));
      this.failureAlarm = failureAlarm;
      // The rule publishes with the topic's policy, limited to this rule (not any rule of any account).
      this.failureRule.addTarget({ bind: () => ({ arn: topic.topicArn }) });
      const publishers: Array<[string, string]> = [['events.amazonaws.com', this.failureRule.ruleArn], ['cloudwatch.amazonaws.com', this.failureAlarm.alarmArn]];
      for (const [service, source] of publishers) {
        topic.addToResourcePolicy(new iam.PolicyStatement({
          principals: [new iam.ServicePrincipal(service)],
          actions: ['sns:Publish'],
          resources: [topic.topicArn],
          conditions: { ArnEquals: { 'aws:SourceArn': source } },
        }));
      }
      // SNS names the topic in the encryption context of its KMS requests: the key statement for
      // the two publishers is limited to this topic. The ARN is built from the topic's name, not
      // taken from the topic (which refers to the key): a reference would be a dependency cycle.
      if (topic.masterKey instanceof kms.Key) {
        const cfnTopic = topic.node.defaultChild instanceof sns.CfnTopic ? topic.node.defaultChild : undefined;
        const topicName = cfnTopic?.topicName;
        check(this, topicName !== undefined && isConcrete(topicName), 'alarmTopic', topic.node.path,
          'a topic whose topicName is known at synth (e.g. Names.uniqueResourceName(...)) when it is encrypted with a key of this app: the key policy names the topic, and a generated name would be a dependency cycle');
        topic.masterKey.addToResourcePolicy(new iam.PolicyStatement({
          principals: publishers.map(([service]) => new iam.ServicePrincipal(service)),
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: ['*'],
          conditions: { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': Stack.of(topic).formatArn({ service: 'sns', resource: topicName!, arnFormat: ArnFormat.NO_RESOURCE_NAME }) } },
        }));
      }
    }
  }

  /**
   * A Glue job metric, e.g. `glue.driver.aggregate.numFailedTasks`, summed over all runs
   * (dimensions JobName, JobRunId=ALL, Type=count unless overridden).
   */
  public metric(metricName: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'Glue',
      metricName,
      statistic: cloudwatch.Stats.SUM,
      period: Duration.minutes(5),
      ...props,
      dimensionsMap: { JobName: this.cfnJob.ref, JobRunId: 'ALL', Type: 'count', ...props.dimensionsMap },
    });
  }

  /** Runs that failed, timed out or errored: how often the failure rule matched. */
  public metricFailedRuns(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/Events',
      metricName: 'TriggeredRules',
      statistic: cloudwatch.Stats.SUM,
      period: Duration.minutes(5),
      ...props,
      dimensionsMap: { RuleName: this.failureRule.ruleName, ...props.dimensionsMap },
    });
  }

  /** Spark tasks that failed. */
  public metricFailedTasks(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric('glue.driver.aggregate.numFailedTasks', props);
  }

  /** Wall-clock time of the runs, in milliseconds. */
  public metricElapsedTime(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric('glue.driver.aggregate.elapsedTime', {
      statistic: cloudwatch.Stats.MAXIMUM,
      ...props,
      dimensionsMap: { Type: 'gauge', ...props.dimensionsMap },
    });
  }

  /** Lets the grantee start runs of the job and read their status. */
  public grantStartRun(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['glue:StartJobRun', 'glue:GetJobRun', 'glue:GetJobRuns', 'glue:BatchStopJobRun'],
      resourceArns: [Stack.of(this).formatArn({ service: 'glue', resource: 'job', resourceName: this.cfnJob.ref })],
    });
  }
}

/** Types of every prop, for callers without a type checker (JavaScript, Python through jsii). */
function validateTypes(scope: Construct, props: EtlJobProps): void {
  checkRequired(scope, 'props', props, 'an object with at least dataLake');
  checkRequired(scope, 'dataLake', props.dataLake, 'a DataLake (or an IDataLake)');
  check(scope, typeof props.dataLake.zoneBucket === 'function' && Array.isArray(props.dataLake.zoneNames), 'dataLake', props.dataLake, 'a DataLake (or an IDataLake)');
  for (const prop of ['inputPrefix', 'inputZone', 'outputZone', 'outputPrefix', 'trainingExportPrefix', 'schedule'] as const) checkType(scope, prop, props[prop], 'string');
  for (const prop of ['numberOfWorkers', 'maxRetries', 'logRetention'] as const) {
    if (!Token.isUnresolved(props[prop])) checkType(scope, prop, props[prop], 'number');
  }
  for (const prop of ['jobBookmarks', 'crawlInput', 'crawlOutput'] as const) checkType(scope, prop, props[prop], 'boolean');
  checkInstance(scope, 'transformation', props.transformation, classOf(FeatureTransformation), 'a FeatureTransformation (customerChurn() or fromSqlFile())');
  checkInstance(scope, 'glueVersion', props.glueVersion, classOf(GlueVersion), 'a GlueVersion, e.g. GlueVersion.V5_0 or GlueVersion.of("4.0")');
  checkInstance(scope, 'workerType', props.workerType, classOf(GlueWorkerType), 'a GlueWorkerType, e.g. GlueWorkerType.G_1X');
  checkInstance(scope, 'timeout', props.timeout, classOf(Duration), 'a Duration, e.g. Duration.minutes(30)');
  if (props.alarmTopic !== undefined) {
    check(scope, typeof props.alarmTopic === 'object' && props.alarmTopic !== null && typeof props.alarmTopic.topicArn === 'string', 'alarmTopic', props.alarmTopic, 'an sns.ITopic');
  }
  checkArray(scope, 'additionalInputs', props.additionalInputs, 'EtlInput objects ({ viewName, prefix, zone?, format? })');
  (props.additionalInputs ?? []).forEach((input, i) => {
    check(scope, typeof input === 'object' && input !== null, `additionalInputs[${i}]`, input, 'an EtlInput object ({ viewName, prefix, zone?, format? })');
    checkRequired(scope, `additionalInputs[${i}].viewName`, input.viewName, 'the view name the SQL reads');
    checkRequired(scope, `additionalInputs[${i}].prefix`, input.prefix, 'a key prefix such as "clickstream/"');
    for (const field of ['viewName', 'prefix', 'zone'] as const) checkType(scope, `additionalInputs[${i}].${field}`, input[field], 'string');
  });
}

/** A class with a private constructor, as `checkInstance` takes it. */
function classOf(type: object): abstract new (...args: never[]) => unknown {
  return type as abstract new (...args: never[]) => unknown;
}

/** A Duration in whole minutes; a token is accepted when it is already in minutes. */
function durationMinutes(scope: Construct, timeout: Duration): number {
  try {
    return timeout.toMinutes();
  } catch {
    return invalidProp(scope, 'timeout', timeout.toString(), 'a Duration in whole minutes (a token must be given as Duration.minutes(token))');
  }
}

/** `customers/` -> `customers`, `a/b/` -> `a/b`. */
function folderName(prefix: string): string {
  return prefix.replace(/\/$/, '');
}

function unique<T>(values: T[]): T[] {
  return values.filter((v, i) => values.indexOf(v) === i);
}
