import * as path from 'path';
import { ArnFormat, Duration, Names, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { EncryptedLogGroup } from '../core/encrypted-log-group';
import { Nag } from '../core/nag';
import { Profile } from '../core/profile';
import { check, checkGlueCron, checkOneOf, checkPattern, checkRange, isConcrete } from '../core/validation';
import { DataZone, IDataLake } from './data-lake';
import { kmsSecurityConfiguration } from './private/glue-security-configuration';
import { ZoneCrawler } from './zone-crawler';

/** Glue job log groups: ours, and the ones Glue creates. */
const JOB_LOG_GROUP_PREFIX = '/aws-glue/jobs';

/** Where the Glue script and the bundled feature SQL live. */
const ETL_ASSETS_DIR = path.join(__dirname, 'etl');

/** The Glue versions this construct runs on (Spark 3.3 and 3.5, Python 3.10 and 3.11). */
const SUPPORTED_GLUE_VERSIONS = ['4.0', '5.0'];

/** An S3 key prefix: folder names ending in '/', no leading '/', no wildcards. */
const PREFIX_PATTERN = /^([A-Za-z0-9!_.'()=-]+\/)+$/;
const PREFIX_RULE = 'one or more folder names each followed by "/", e.g. "customers/", without a leading "/" or wildcards';

/** Spark/Hive column names usable as partition keys. */
const COLUMN_PATTERN = /^[a-z_][a-z0-9_]*$/;

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

  /** A worker type this class does not list (e.g. a newer one); Spark jobs need a driver and an executor. */
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

/** Options of {@link FeatureTransformation.fromSqlFile}. */
export interface FeatureTransformationOptions {
  /** Columns of the SQL's result to partition the Parquet output by, e.g. `['country']`. */
  readonly partitionKeys: string[];
  /**
   * The name under which the SQL reads the input table.
   * @default 'raw_records'
   */
  readonly viewName?: string;
}

/**
 * The feature-engineering SQL the job runs through Spark SQL, and how its result is partitioned.
 * The SQL must run on Spark SQL; to test it locally, keep to the dialect Spark and DuckDB share.
 */
export class FeatureTransformation {
  /**
   * The bundled transformation of the customer-churn sample: deduplicate, impute, cap outliers,
   * one-hot encode, scale, bucket and hash PII; partitioned by country.
   */
  public static customerChurn(): FeatureTransformation {
    return new FeatureTransformation(path.join(ETL_ASSETS_DIR, 'features.sql'), ['country'], 'raw_records');
  }

  /** Your own SQL file (a single SELECT, no trailing semicolon) over the view `viewName`. */
  public static fromSqlFile(sqlPath: string, options: FeatureTransformationOptions): FeatureTransformation {
    return new FeatureTransformation(sqlPath, options.partitionKeys, options.viewName ?? 'raw_records');
  }

  private constructor(
    /** Path of the SQL file on this machine; shipped to S3 as an asset. */
    public readonly sqlPath: string,
    /** Partition columns of the output. */
    public readonly partitionKeys: string[],
    /** The temporary view the SQL reads. */
    public readonly viewName: string,
  ) {}
}

/** Props of {@link EtlJob}. */
export interface EtlJobProps {
  /** The lake the job reads from and writes to. */
  readonly dataLake: IDataLake;
  /** Key prefix of the input table in the input zone, e.g. `customers/`. */
  readonly inputPrefix: string;
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
   * The zone the job writes partitioned Parquet to.
   * @default DataZone.FEATURES
   */
  readonly outputZone?: string;
  /**
   * Key prefix of the output table in the output zone; must not be, contain or lie inside the
   * input location.
   * @default - the input prefix
   */
  readonly outputPrefix?: string;
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
   * Worker type.
   * @default GlueWorkerType.G_1X
   */
  readonly workerType?: GlueWorkerType;
  /**
   * Number of workers, at least the worker type's minimum.
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
   * statistics, outlier fences and scaling are per batch (right for independent daily drops,
   * wrong for a table whose rows are updated across batches). When false, each run reprocesses
   * the whole input and overwrites the output: whole-table statistics, at full cost every run.
   * @default true
   */
  readonly jobBookmarks?: boolean;
  /**
   * A crawler over the input, run before the job, that catalogs the raw table.
   * @default false
   */
  readonly crawlInput?: boolean;
  /**
   * A crawler over the output, run after the job, that catalogs the feature table.
   * @default true
   */
  readonly crawlOutput?: boolean;
  /**
   * When to run, as a Glue cron expression such as `cron(0 3 * * ? *)` (03:00 UTC daily). With
   * crawlers, it starts the workflow crawler -> job -> crawler; without, it starts the job.
   * @default - no schedule: runs start on demand
   */
  readonly schedule?: string;
  /**
   * Retention of the job's log groups.
   * @default - lab: one week (7 days); production: one year (365 days)
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Topic that hears about failed and timed-out runs (from the EventBridge rule and the alarm).
   * @default - none: the rule and the alarm are there for you to add actions to
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

/**
 * A Glue Spark job that turns a raw-zone table into partitioned Parquet features with a SQL file,
 * encrypted end to end with the lake's key, with optional crawlers, a schedule, and failure alarms.
 *
 * The PySpark script only moves data: the transformation is the SQL file, shipped as an S3 asset
 * next to the script, so the SQL the tests run with DuckDB is byte for byte the SQL Glue runs.
 */
export class EtlJob extends Construct {
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
  /** The log group of Spark, Glue and script-logger messages (Glue 5.0 `<prefix>/error`; Glue 4.0 continuous logging). */
  public readonly logGroup: logs.LogGroup;
  /** The log group of the script's stdout and stderr (Glue 5.0 `<prefix>/output`); Glue 4.0 keeps its own. */
  public readonly outputLogGroup?: logs.LogGroup;
  /** `s3://` URL of the input location. */
  public readonly inputPath: string;
  /** `s3://` URL of the output location. */
  public readonly outputPath: string;
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
  /** Alarm raised when the failure rule matched in the last 5 minutes. */
  public readonly failureAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: EtlJobProps) {
    super(scope, id);
    const profile = Profile.of(this);
    const defaults = EtlJob.defaults(profile);
    const lake = props.dataLake;
    const stack = Stack.of(this);

    const inputZone = props.inputZone ?? DataZone.RAW;
    const outputZone = props.outputZone ?? DataZone.FEATURES;
    const outputPrefix = props.outputPrefix ?? props.inputPrefix;
    const transformation = props.transformation ?? FeatureTransformation.customerChurn();
    const glueVersion = props.glueVersion ?? GlueVersion.V5_0;
    const workerType = props.workerType ?? GlueWorkerType.G_1X;
    const numberOfWorkers = props.numberOfWorkers ?? defaults.numberOfWorkers;
    const timeoutMinutes = props.timeout?.toMinutes() ?? defaults.timeoutMinutes;
    const maxRetries = props.maxRetries ?? defaults.maxRetries;
    const bookmarks = props.jobBookmarks ?? true;
    const crawlInput = props.crawlInput ?? false;
    const crawlOutput = props.crawlOutput ?? true;

    checkOneOf(this, 'inputZone', inputZone, lake.zoneNames);
    checkOneOf(this, 'outputZone', outputZone, lake.zoneNames);
    checkPattern(this, 'inputPrefix', props.inputPrefix, PREFIX_PATTERN, PREFIX_RULE);
    checkPattern(this, 'outputPrefix', outputPrefix, PREFIX_PATTERN, PREFIX_RULE);
    if (inputZone === outputZone && isConcrete(outputPrefix) && isConcrete(props.inputPrefix)) {
      const overlaps = outputPrefix.startsWith(props.inputPrefix) || props.inputPrefix.startsWith(outputPrefix);
      check(this, !overlaps, 'outputPrefix', outputPrefix,
        `a location outside the input "${inputZone}/${props.inputPrefix}" (another zone, or a prefix that neither contains nor lies inside it)`);
    }
    checkOneOf(this, 'glueVersion', glueVersion.version, SUPPORTED_GLUE_VERSIONS);
    if (isConcrete(numberOfWorkers)) {
      check(this, Number.isInteger(numberOfWorkers) && numberOfWorkers >= workerType.minWorkers, 'numberOfWorkers', numberOfWorkers,
        `an integer of at least ${workerType.minWorkers} for worker type ${workerType.name}`);
    }
    checkRange(this, 'timeout', timeoutMinutes, 1, 10080, { integer: true, unit: 'minutes' });
    checkRange(this, 'maxRetries', maxRetries, 0, 10, { integer: true });
    checkGlueCron(this, 'schedule', props.schedule);
    check(this, transformation.partitionKeys.length > 0, 'transformation.partitionKeys', transformation.partitionKeys,
      'at least one column to partition the Parquet output by');
    transformation.partitionKeys.forEach((key, i) =>
      checkPattern(this, `transformation.partitionKeys[${i}]`, key, COLUMN_PATTERN, 'a lower-case column name: letters, digits and underscores'));
    checkPattern(this, 'transformation.viewName', transformation.viewName, COLUMN_PATTERN, 'a lower-case view name: letters, digits and underscores');

    const inputBucket = lake.zoneBucket(inputZone);
    const outputBucket = lake.zoneBucket(outputZone);
    this.inputPath = `s3://${inputBucket.bucketName}/${props.inputPrefix}`;
    this.outputPath = `s3://${outputBucket.bucketName}/${outputPrefix}`;

    this.scriptAsset = new s3assets.Asset(this, 'Script', { path: path.join(ETL_ASSETS_DIR, 'feature_engineering.py') });
    this.sqlAsset = new s3assets.Asset(this, 'Sql', { path: transformation.sqlPath });

    // Created here, encrypted and with retention, before Glue would create them without either.
    // Glue 5.0 writes to `<prefix>/error` (Spark, Glue and logger) and `<prefix>/output` (stdout);
    // Glue 4.0 streams driver and executor logs to one continuous-logging group.
    const logPrefix = `${JOB_LOG_GROUP_PREFIX}/etl/${Names.uniqueResourceName(this, { maxLength: 200, separator: '-' })}`;
    const logGroup = (logId: string, name: string) => new logs.LogGroup(this, logId, {
      logGroupName: name,
      encryptionKey: lake.encryptionKey,
      retention: props.logRetention ?? defaults.logRetention,
      removalPolicy: profile.removalPolicy,
    });
    const continuousLogging = glueVersion.version === '4.0';
    let loggingArguments: Record<string, string>;
    if (continuousLogging) {
      this.logGroup = logGroup('ContinuousLogs', logPrefix);
      loggingArguments = { '--enable-continuous-cloudwatch-log': 'true', '--continuous-log-logGroup': this.logGroup.logGroupName };
    } else {
      this.logGroup = logGroup('ErrorLogs', `${logPrefix}/error`);
      this.outputLogGroup = logGroup('OutputLogs', `${logPrefix}/output`);
      loggingArguments = { '--custom-logGroup-prefix': logPrefix };
    }
    // Our groups, and the ones Glue may still name after the role and the security configuration
    // at run time: all under /aws-glue/jobs.
    const jobLogGroups = stack.formatArn({
      service: 'logs', resource: 'log-group', resourceName: `${JOB_LOG_GROUP_PREFIX}*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    EncryptedLogGroup.allowLogsToUseKey(this, lake.encryptionKey, `${JOB_LOG_GROUP_PREFIX}*`, 'dataLake.encryptionKey');

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('glue.amazonaws.com'),
      description: `Glue ETL job ${this.node.path}: reads ${inputZone}/${props.inputPrefix}, writes ${outputZone}/${outputPrefix}`,
    });
    const inputObjects = inputBucket.arnForObjects(`${props.inputPrefix}*`);
    const outputObjects = outputBucket.arnForObjects(`${outputPrefix}*`);
    // Exact actions rather than the lake's grant* wildcards, in a managed rather than an inline policy.
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: `Least privilege of the Glue ETL job ${this.node.path}`,
      roles: [this.role],
      statements: [
        new iam.PolicyStatement({
          sid: 'ListInput',
          actions: ['s3:ListBucket'],
          resources: [inputBucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': [`${props.inputPrefix}*`] } },
        }),
        new iam.PolicyStatement({ sid: 'ReadInput', actions: ['s3:GetObject'], resources: [inputObjects] }),
        new iam.PolicyStatement({
          sid: 'ListOutput',
          actions: ['s3:ListBucket'],
          resources: [outputBucket.bucketArn],
          // Spark also looks up the output folder itself, without its trailing slash.
          conditions: { StringLike: { 's3:prefix': [`${outputPrefix}*`, folderName(outputPrefix)] } },
        }),
        new iam.PolicyStatement({
          sid: 'WriteOutput',
          // Delete: Spark's committer removes its temporary files, and overwrite mode the old output.
          actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
          // Glue also writes a `<folder>_$folder$` marker beside the output folder.
          resources: [outputObjects, outputBucket.arnForObjects(`${folderName(outputPrefix)}_$folder$`)],
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
          resources: [this.scriptAsset, this.sqlAsset].map((a) => a.bucket.arnForObjects(a.s3ObjectKey)),
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
      ],
    });
    Nag.acknowledge(this.policy,
      {
        id: `AwsSolutions-IAM5[Resource::${Nag.findingText(this, inputObjects)}]`,
        reason: 'The job reads every file of its input table, whose keys are not known at deploy time; s3:GetObject only, under the input prefix.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::${Nag.findingText(this, outputObjects)}]`,
        reason: 'Spark writes part files and partition folders whose names are chosen at run time; limited to the output prefix of the output zone.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::${Nag.findingText(this, jobLogGroups)}]`,
        reason: 'Glue names a job\'s output and error log groups after the role and the security configuration at run time; limited to Glue job log groups (/aws-glue/jobs*).',
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

    this.securityConfiguration = kmsSecurityConfiguration(this, Names.uniqueResourceName(this, { maxLength: 255, separator: '-' }), lake.encryptionKey);

    this.cfnJob = new glue.CfnJob(this, 'Job', {
      description: `Feature engineering: ${inputZone}/${props.inputPrefix} -> ${outputZone}/${outputPrefix} (Parquet)`,
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
        '--input_path': this.inputPath,
        '--input_format': props.inputFormat ?? EtlInputFormat.CSV,
        '--view_name': transformation.viewName,
        '--sql_path': this.sqlAsset.s3ObjectUrl,
        '--output_path': this.outputPath,
        '--partition_keys': transformation.partitionKeys.join(','),
        // With bookmarks a run sees only new files, so it must not replace what earlier runs wrote.
        '--write_mode': bookmarks ? 'append' : 'overwrite',
      },
    });
    // A run started before the policies exist would fail on S3 or KMS access.
    this.cfnJob.node.addDependency(this.policy);
    this.jobName = this.cfnJob.ref;

    const crawler = (crawlerId: string, zone: string, prefix: string) => new ZoneCrawler(this, crawlerId, { lake, zone, prefix });
    if (crawlInput) this.inputCrawler = crawler('InputCrawler', inputZone, props.inputPrefix);
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
    this.failureAlarm = this.metricFailedRuns().createAlarm(this, 'FailureAlarm', {
      alarmDescription: `A run of the Glue job of ${this.node.path} failed, timed out or errored`,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    if (props.alarmTopic) {
      this.failureRule.addTarget(new eventsTargets.SnsTopic(props.alarmTopic));
      this.failureAlarm.addAlarmAction(new cloudwatchActions.SnsAction(props.alarmTopic));
      // The rule target gives the topic a policy of its own, which replaces SNS's default one:
      // without this statement CloudWatch could no longer publish the alarm.
      props.alarmTopic.addToResourcePolicy(new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [props.alarmTopic.topicArn],
        conditions: { ArnLike: { 'aws:SourceArn': this.failureAlarm.alarmArn } },
      }));
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

/** `customers/` -> `customers`, `a/b/` -> `a/b`. */
function folderName(prefix: string): string {
  return prefix.replace(/\/$/, '');
}
