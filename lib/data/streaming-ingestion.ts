import { ArnFormat, CfnResource, Duration, Names, Size, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { IIngestionMetrics } from '../core/dashboard-sources';
import { DataKey } from '../core/data-key';
import { Nag } from '../core/nag';
import { EncryptedLogGroup } from '../core/encrypted-log-group';
import { GlueNames } from '../core/naming';
import { Profile } from '../core/profile';
import { check, checkArray, checkPattern, checkRange, checkRequired, checkShape, checkType, invalidProp, isConcrete } from '../core/validation';
import { UniqueNames } from '../core/unique-names';
import { DataLake, DataZone, IDataLake } from './data-lake';
import { databaseIdentity } from './private/database-identity';
import { fixedNameRemovalPolicy } from '../core/private/fixed-name-removal';
import {
  checkDuration, checkEnum, checkLogRetention, checkSize, durationIn, humanDuration, mebibytesOf,
} from './private/input-checks';

/** How the delivery stream writes records into the lake. */
export enum StreamRecordFormat {
  /** Records as they arrived (JSON Lines), compressed with `compression`. */
  JSON = 'JSON',
  /** Columnar Apache Parquet (Snappy), converted against a Glue table of the declared `columns`. */
  PARQUET = 'PARQUET',
}

/** A column of the Glue table that drives Parquet conversion. */
export interface StreamColumn {
  /** Lower-case column name; matches the JSON key (Firehose lower-cases keys before matching). */
  readonly name: string;
  /** Hive type, e.g. `string`, `bigint`, `double`, `boolean`, `timestamp`, `decimal(10,2)`, `array<string>`. */
  readonly type: string;
  /**
   * What the column holds, shown in the Glue catalog.
   * @default - no comment
   */
  readonly comment?: string;
}

/** Props of {@link StreamingIngestion}. */
export interface StreamingIngestionProps {
  /**
   * The lake to land records in: its `zone` bucket, key and Glue database. Give this, or
   * `destinationBucket` (with `destinationKey` unless the bucket carries its key).
   * @default - none: `destinationBucket` is required
   */
  readonly dataLake?: IDataLake;
  /**
   * The lake zone that receives the records.
   * @default DataZone.RAW
   */
  readonly zone?: string;
  /**
   * The bucket to land records in, when there is no `IDataLake`.
   * @default - none: `dataLake` is required
   */
  readonly destinationBucket?: s3.IBucket;
  /**
   * The customer managed key that encrypts `destinationBucket`.
   * @default - the bucket's own `encryptionKey`
   */
  readonly destinationKey?: kms.IKey;
  /**
   * Glue database of the Parquet table when there is no `IDataLake`.
   * @default - the lake zone's database; required for PARQUET with `destinationBucket`
   */
  readonly glueDatabaseName?: string;

  /**
   * Key of the Kinesis stream (customer managed).
   * @default - the destination key (the lake's key)
   */
  readonly streamEncryptionKey?: kms.IKey;
  /**
   * Capacity mode of the stream.
   * @default - PROVISIONED when `shardCount` is set; otherwise lab: PROVISIONED; production: ON_DEMAND
   */
  readonly streamMode?: kinesis.StreamMode;
  /**
   * Shards of a provisioned stream (1 to 10,000); not allowed with ON_DEMAND.
   * @default - lab: 1; production: none (on-demand), or 1 with streamMode PROVISIONED
   */
  readonly shardCount?: number;
  /**
   * How long the stream keeps records (24 to 8760 hours).
   * @default Duration.hours(24)
   */
  readonly retentionPeriod?: Duration;

  /**
   * Where delivered records go in the bucket: must end in `/`; may use `!{timestamp:...}` and,
   * with `partitionKeys`, `!{partitionKeyFromQuery:key}`. The part before the first `!{` bounds
   * the role's write access.
   * @default '<id>/dt=!{timestamp:yyyy-MM-dd}/' with the construct id lower-cased
   */
  readonly dataPrefix?: string;
  /**
   * Where records that fail delivery, partitioning or conversion go: must end in `/` and contain
   * `!{firehose:error-output-type}`.
   * @default 'errors/<id>/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/'
   */
  readonly errorPrefix?: string;
  /**
   * Dynamic partitioning: partition key name to the JQ expression that reads it from a record,
   * e.g. `{ type: '.event_type' }`. Every key must appear in `dataPrefix` and vice versa.
   * @default - no dynamic partitioning (arrival-time prefixes still work)
   */
  readonly partitionKeys?: { [key: string]: string };
  /**
   * How long Firehose buffers before writing an object (0 to 900 seconds; at least 60 with
   * dynamic partitioning).
   * @default - lab: 60 seconds; production: 300 seconds
   */
  readonly bufferingInterval?: Duration;
  /**
   * How much Firehose buffers before writing an object (1 to 128 MiB; at least 64 with Parquet or
   * dynamic partitioning).
   * @default - 128 MiB with Parquet or dynamic partitioning; otherwise 5 MiB
   */
  readonly bufferingSize?: Size;
  /**
   * Compression of JSON objects (Parquet compresses its own pages with Snappy).
   * @default - GZIP for JSON; not allowed with PARQUET
   */
  readonly compression?: firehose.Compression;
  /**
   * Format of the delivered objects.
   * @default StreamRecordFormat.JSON
   */
  readonly format?: StreamRecordFormat;
  /**
   * Columns of the Glue table for Parquet conversion (required with PARQUET, not allowed with JSON).
   * @default - none
   */
  readonly columns?: StreamColumn[];
  /**
   * Name of the Glue table created for Parquet conversion.
   * @default - '<stack name>_<id>', lower case, non-word characters as underscores
   */
  readonly tableName?: string;
  /**
   * Retention of the delivery error log group.
   * @default - lab: ONE_WEEK; production: ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Alarm when the oldest unread record in the stream is older than this (60 seconds up to the
   * retention period; a token amount must be given in milliseconds, the alarm's unit).
   * @default Duration.hours(1)
   */
  readonly iteratorAgeThreshold?: Duration;
  /**
   * Alarm when the oldest record not yet delivered to S3 is older than this.
   * @default - the buffering interval plus 15 minutes
   */
  readonly deliveryFreshnessThreshold?: Duration;
  /**
   * Topic notified by every alarm (on ALARM and OK). Not allowed with `createAlarmTopic: true`.
   * @default - the topic created by `createAlarmTopic`
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * Create a topic for the alarms, encrypted with a key of its own that only CloudWatch alarms
   * publishing to this topic may use. `false` without `alarmTopic` leaves the alarms without
   * actions: the HIPAA and NIST `CloudWatchAlarmAction` rules then report each alarm, and you
   * acknowledge them (`Nag.acknowledgeCompliance(ingestion, 'CloudWatchAlarmAction', reason)`).
   * @default - true unless `alarmTopic` is given
   */
  readonly createAlarmTopic?: boolean;
}

/** Profile-dependent defaults of {@link StreamingIngestion}, documented on its props. */
export interface StreamingIngestionDefaults {
  /** Capacity mode when `shardCount` is not set. */
  readonly streamMode: kinesis.StreamMode;
  /** Shards when provisioned by default; undefined for on-demand. */
  readonly shardCount?: number;
  /** Firehose buffering interval. */
  readonly bufferingInterval: Duration;
  /** Delivery error log retention. */
  readonly logRetention: logs.RetentionDays;
}

const ERROR_OUTPUT_TYPE = '!{firehose:error-output-type}';
/** Delivery log groups are named under this prefix, so the key policy can name exactly them. */
const LOG_GROUP_PREFIX = '/aws/kinesisfirehose/';
const QUERY_KEY = /!\{partitionKeyFromQuery:([^{}]+)\}/g;
const HIVE_PRIMITIVE = /^(string|bigint|int|smallint|tinyint|double|float|boolean|timestamp|date|binary|decimal\(\d+,\s*\d+\)|char\(\d+\)|varchar\(\d+\))$/;
const HIVE_COMPLEX = /^(array|map|struct)<.+>$/;

/**
 * Streaming ingestion into a data lake: a KMS-encrypted Kinesis data stream, read by a Firehose
 * delivery stream that writes into the lake's raw zone (GZIP JSON or Parquet, optionally
 * partitioned by record fields and arrival date), with a least-privilege role, an encrypted
 * error log and alarms on the four things that go wrong.
 */
export class StreamingIngestion extends Construct implements IIngestionMetrics {
  /** The defaults that depend on the profile: the one place they live. */
  public static defaults(profile: Profile): StreamingIngestionDefaults {
    return {
      streamMode: profile.streamShardCount === undefined ? kinesis.StreamMode.ON_DEMAND : kinesis.StreamMode.PROVISIONED,
      shardCount: profile.streamShardCount,
      bufferingInterval: Duration.seconds(profile.isLab ? 60 : 300),
      logRetention: profile.logRetention,
    };
  }

  /** The Kinesis data stream producers write to. */
  public readonly stream: kinesis.Stream;
  /** The key of the stream. */
  public readonly streamEncryptionKey: kms.IKey;
  /** The Firehose delivery stream. */
  public readonly deliveryStream: firehose.DeliveryStream;
  /** The L1 delivery stream, for escape hatches. */
  public readonly cfnDeliveryStream: firehose.CfnDeliveryStream;
  /** The role Firehose assumes; its only permissions are in `deliveryPolicy`. */
  public readonly deliveryRole: iam.Role;
  /** The customer managed policy of `deliveryRole`. */
  public readonly deliveryPolicy: iam.ManagedPolicy;
  /** The bucket records land in. */
  public readonly destinationBucket: s3.IBucket;
  /** The key the destination objects and the error log are encrypted with. */
  public readonly destinationKey: kms.IKey;
  /** Where delivered records go. */
  public readonly dataPrefix: string;
  /** Where failed records go. */
  public readonly errorPrefix: string;
  /** The format of the delivered objects. */
  public readonly format: StreamRecordFormat;
  /** Firehose's delivery error log. */
  public readonly logGroup: logs.LogGroup;
  /** The Glue table Parquet conversion reads its schema from (PARQUET only). */
  public readonly table?: glue.CfnTable;
  /** The topic the alarms notify, if any. */
  public readonly alarmTopic?: sns.ITopic;
  /** Stream consumers are falling behind (GetRecords iterator age). */
  public readonly iteratorAgeAlarm: cloudwatch.Alarm;
  /** Producers are throttled (WriteProvisionedThroughputExceeded). */
  public readonly writeThrottleAlarm: cloudwatch.Alarm;
  /** Records wait too long before landing in S3 (DeliveryToS3.DataFreshness). */
  public readonly deliveryFreshnessAlarm: cloudwatch.Alarm;
  /** Some S3 puts failed (DeliveryToS3.Success below 1). */
  public readonly deliverySuccessAlarm: cloudwatch.Alarm;

  private readonly bufferingSeconds: number;

  constructor(scope: Construct, id: string, props: StreamingIngestionProps) {
    super(scope, id);
    checkRequired(this, 'props', props, 'props with dataLake (or destinationBucket)');
    this.checkInputs(props);
    const profile = Profile.of(this);
    const defaults = StreamingIngestion.defaults(profile);
    const stack = Stack.of(this);

    // --- destination ---------------------------------------------------------------------
    check(this, !(props.dataLake && props.destinationBucket), 'destinationBucket', describeBucket(props.destinationBucket),
      'either dataLake or destinationBucket, not both');
    const zone = props.zone ?? DataZone.RAW;
    let databaseName: string | undefined;
    let databaseArn: string | undefined;
    let catalogArn: string | undefined;
    if (props.dataLake) {
      const lake = props.dataLake;
      check(this, lake.hasZone(zone), 'zone', zone, `a zone of the data lake: ${lake.zoneNames.join(', ')}`);
      check(this, props.destinationKey === undefined, 'destinationKey', props.destinationKey?.node.path, 'no destinationKey with dataLake: the lake\'s key is used');
      this.destinationBucket = lake.zoneBucket(zone);
      this.destinationKey = lake.encryptionKey;
      databaseName = props.glueDatabaseName ?? lake.databaseName(zone);
      databaseArn = props.glueDatabaseName ? undefined : lake.databaseArn(zone);
      catalogArn = lake.catalogArn;
    } else {
      if (!props.destinationBucket) {
        invalidProp(this, 'dataLake', undefined, 'an IDataLake, or a destinationBucket with its key');
      }
      const key = props.destinationKey ?? props.destinationBucket.encryptionKey;
      if (!key) {
        invalidProp(this, 'destinationKey', undefined, 'the customer managed key of destinationBucket (the bucket given carries none)');
      }
      this.destinationBucket = props.destinationBucket;
      this.destinationKey = key;
      databaseName = props.glueDatabaseName;
      catalogArn = stack.formatArn({ service: 'glue', resource: 'catalog' });
    }
    if (databaseName !== undefined) GlueNames.validate(this, 'glueDatabaseName', databaseName);
    if (databaseName !== undefined && databaseArn === undefined) {
      databaseArn = stack.formatArn({ service: 'glue', resource: 'database', resourceName: databaseName });
    }

    // --- format and partitioning ------------------------------------------------------------
    this.format = props.format ?? StreamRecordFormat.JSON;
    const parquet = this.format === StreamRecordFormat.PARQUET;
    const partitionKeys = props.partitionKeys ?? {};
    const dynamicPartitioning = Object.keys(partitionKeys).length > 0;
    const slug = id.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'stream';
    this.dataPrefix = props.dataPrefix ?? `${slug}/dt=!{timestamp:yyyy-MM-dd}/`;
    this.errorPrefix = props.errorPrefix ?? `errors/${slug}/${ERROR_OUTPUT_TYPE}/dt=!{timestamp:yyyy-MM-dd}/`;
    this.validatePrefixes(partitionKeys);
    // Failed records are no table: the lake's crawlers skip them.
    const errorFolder = isConcrete(this.errorPrefix) ? folderOf(this.errorPrefix) : '';
    if (props.dataLake && DataLake.isDataLake(props.dataLake) && errorFolder) props.dataLake.excludeFromCrawlers(zone, errorFolder);

    if (parquet) {
      check(this, (props.columns ?? []).length > 0, 'columns', props.columns, 'at least one column when format is PARQUET (the Glue table the conversion reads)');
      check(this, props.compression === undefined, 'compression', props.compression?.value,
        'no compression with PARQUET: Parquet compresses its pages with Snappy');
      check(this, databaseName !== undefined, 'glueDatabaseName', undefined, 'a Glue database for the Parquet table (required with destinationBucket)');
      props.columns!.forEach((c, i) => {
        checkPattern(this, `columns[${i}].name`, c.name, /^[a-z_][a-z0-9_]{0,254}$/, 'lower-case letters, digits and underscores, not starting with a digit');
        check(this, !isConcrete(c.type) || HIVE_PRIMITIVE.test(c.type) || HIVE_COMPLEX.test(c.type), `columns[${i}].type`, c.type,
          'a Hive type: string, bigint, int, smallint, tinyint, double, float, boolean, timestamp, date, binary, decimal(p,s), char(n), varchar(n), array<..>, map<..>, struct<..>');
      });
      const names = props.columns!.map((c) => c.name);
      const dup = names.find((n, i) => names.indexOf(n) !== i);
      check(this, dup === undefined, 'columns', dup, 'distinct column names');
    } else {
      check(this, props.columns === undefined, 'columns', props.columns, 'no columns with JSON: columns define the Parquet table');
      check(this, props.tableName === undefined, 'tableName', props.tableName, 'no tableName with JSON: the table exists only for Parquet');
    }

    // --- buffering ------------------------------------------------------------------------
    const interval = props.bufferingInterval ?? defaults.bufferingInterval;
    this.bufferingSeconds = durationIn(this, 'bufferingInterval', interval, 'seconds');
    checkRange(this, 'bufferingInterval', this.bufferingSeconds, dynamicPartitioning ? 60 : 0, 900, {
      integer: true, unit: dynamicPartitioning ? 'seconds (at least 60 with dynamic partitioning)' : 'seconds',
    });
    const bigBuffer = parquet || dynamicPartitioning;
    const size = props.bufferingSize ?? Size.mebibytes(bigBuffer ? 128 : 5);
    // Firehose rejects dynamic partitioning below 64 MiB only at deploy time: fail the synth instead.
    checkRange(this, 'bufferingSize', mebibytesOf(this, 'bufferingSize', size), bigBuffer ? 64 : 1, 128, {
      integer: true, unit: bigBuffer ? 'MiB (at least 64 with Parquet or dynamic partitioning)' : 'MiB',
    });

    // --- stream ---------------------------------------------------------------------------
    const streamMode = props.streamMode ?? (props.shardCount !== undefined ? kinesis.StreamMode.PROVISIONED : defaults.streamMode);
    if (streamMode === kinesis.StreamMode.ON_DEMAND) {
      check(this, props.shardCount === undefined, 'shardCount', props.shardCount, 'no shardCount with streamMode ON_DEMAND (on-demand streams size themselves)');
    }
    const shardCount = streamMode === kinesis.StreamMode.PROVISIONED ? props.shardCount ?? defaults.shardCount ?? 1 : undefined;
    checkRange(this, 'shardCount', shardCount, 1, 10_000, { integer: true });
    const retention = props.retentionPeriod ?? Duration.hours(24);
    checkRange(this, 'retentionPeriod', durationIn(this, 'retentionPeriod', retention, 'hours'), 24, 8760, { integer: true, unit: 'hours' });

    this.streamEncryptionKey = props.streamEncryptionKey ?? this.destinationKey;
    this.stream = new kinesis.Stream(this, 'Stream', {
      streamMode,
      shardCount,
      retentionPeriod: retention,
      encryption: kinesis.StreamEncryption.KMS,
      encryptionKey: this.streamEncryptionKey,
      removalPolicy: profile.removalPolicy,
    });
    Nag.acknowledge(this.stream, {
      id: 'AwsSolutions-KDS3',
      reason: 'The stream holds lake records before delivery, so like every data store of this library it uses a customer managed key (key policy under our control, yearly rotation, auditable per stream); the AWS managed aws/kinesis key offers none of that.',
    });

    // --- error log --------------------------------------------------------------------------
    this.logGroup = new logs.LogGroup(this, 'DeliveryLogs', {
      logGroupName: `${LOG_GROUP_PREFIX}${Names.uniqueResourceName(this, { maxLength: 400, separator: '-', allowedSpecialCharacters: '-_' })}`,
      encryptionKey: this.destinationKey,
      retention: props.logRetention ?? defaults.logRetention,
      // Its name is fixed: plain RETAIN would keep it after a failed first create.
      removalPolicy: fixedNameRemovalPolicy(profile.removalPolicy),
    });
    EncryptedLogGroup.allowLogsToUseKey(this, this.destinationKey, `${LOG_GROUP_PREFIX}*`, 'destinationKey');

    // --- Glue table for Parquet --------------------------------------------------------------
    if (parquet) {
      const tableName = props.tableName ?? GlueNames.of(this, stack.stackName, id);
      GlueNames.validate(this, 'tableName', tableName);
      // Table names are unique per database: a second table of this name fails the deploy.
      const databaseKey = props.glueDatabaseName ?? (props.dataLake ? databaseIdentity(props.dataLake, zone) : databaseName!);
      UniqueNames.claim(this, 'Glue table', `${databaseKey}.${tableName}`, 'tableName');
      const folder = folderOf(this.dataPrefix);
      const partitions = hivePartitions(this.dataPrefix.slice(folder.length));
      const clash = partitions?.find((p) => props.columns!.some((c) => c.name === p.name));
      check(this, clash === undefined, 'columns', clash?.name, `names other than the partition keys of dataPrefix (${(partitions ?? []).map((p) => p.name).join(', ')}): Glue rejects a column that is also a partition key`);
      const location = `s3://${this.destinationBucket.bucketName}/${folder}`;
      this.table = new glue.CfnTable(this, 'Table', {
        catalogId: stack.account,
        databaseName: databaseName!,
        tableInput: {
          name: tableName,
          description: `Records delivered by Firehose from ${this.node.path} (Parquet)`,
          tableType: 'EXTERNAL_TABLE',
          parameters: {
            'classification': 'parquet',
            'parquet.compression': 'SNAPPY',
            // Partition projection: Athena finds the partitions from dataPrefix, no crawler or MSCK REPAIR needed.
            ...(partitions ? projectionParameters(partitions, location) : {}),
          },
          partitionKeys: partitions?.map((p) => ({ name: p.name, type: 'string' })),
          storageDescriptor: {
            columns: props.columns!.map((c) => ({ name: c.name, type: c.type, comment: c.comment })),
            location,
            inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
            outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
            serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
            compressed: false,
            storedAsSubDirectories: false,
          },
        },
      });
      // A lake whose database name is a plain string gives no reference that orders the table after it.
      if (props.dataLake && !props.glueDatabaseName && !Token.isUnresolved(databaseName)) this.table.node.addDependency(props.dataLake);
    }

    // --- delivery stream: the L2, with its automatic grants turned off --------------------------
    // The L2 would grant read-write on the whole bucket and glue:GetSchemaVersion on '*'. It gets the
    // immutable view of the role, which drops those grants; deliveryPolicy carries scoped ones.
    this.deliveryRole = new iam.Role(this, 'DeliveryRole', {
      description: `Firehose delivery role of ${this.node.path}`,
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com', {
        conditions: { StringEquals: { 'sts:ExternalId': stack.account } },
      }),
    });
    const role = this.deliveryRole.withoutPolicyUpdates();
    const processors: firehose.IDataProcessor[] = dynamicPartitioning
      ? [firehose.MetadataExtractionProcessor.jq16(partitionKeys), ...(parquet ? [] : [new firehose.AppendDelimiterToRecordProcessor()])]
      : [];
    this.deliveryStream = new firehose.DeliveryStream(this, 'DeliveryStream', {
      source: new firehose.KinesisStreamSource(this.stream),
      role,
      destination: new firehose.S3Bucket(this.destinationBucket, {
        role,
        dataOutputPrefix: this.dataPrefix,
        errorOutputPrefix: this.errorPrefix,
        bufferingInterval: interval,
        bufferingSize: size,
        compression: parquet ? undefined : props.compression ?? firehose.Compression.GZIP,
        encryptionKey: this.destinationKey,
        loggingConfig: new firehose.EnableLogging(this.logGroup),
        processors,
        dynamicPartitioning: dynamicPartitioning ? { enabled: true } : undefined,
        dataFormatConversion: this.table ? {
          schemaConfiguration: firehose.SchemaConfiguration.fromCfnTable(this.table),
          inputFormat: firehose.InputFormat.OPENX_JSON,
          outputFormat: new firehose.ParquetOutputFormat({ compression: firehose.ParquetCompression.SNAPPY }),
        } : undefined,
      }),
    });
    this.cfnDeliveryStream = this.deliveryStream.node.defaultChild as firehose.CfnDeliveryStream;
    Nag.acknowledge(this.deliveryStream, {
      id: 'AwsSolutions-KDF1',
      reason: 'Firehose rejects server-side encryption settings when its source is a Kinesis data stream; the records are encrypted at rest in the stream (customer managed key) and in S3 (SSE-KMS with the lake key).',
    });
    // The L2 adds the log stream it delivers errors to under the log group.
    const logStream = this.logGroup.node.findChild('S3Destination') as logs.LogStream;
    (logStream.node.defaultChild as CfnResource).applyRemovalPolicy(fixedNameRemovalPolicy(profile.removalPolicy));

    // --- role policy: one customer managed policy, every statement scoped to this pipeline ----
    const objectArns = unique([this.dataPrefix, this.errorPrefix].map((p) => this.destinationBucket.arnForObjects(`${staticPart(p)}*`)));
    const statements = [
      new iam.PolicyStatement({
        sid: 'ReadSourceStream',
        actions: ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetShardIterator', 'kinesis:GetRecords', 'kinesis:ListShards'],
        resources: [this.stream.streamArn],
      }),
      new iam.PolicyStatement({
        sid: 'DecryptSourceStream',
        actions: ['kms:Decrypt'],
        resources: [this.streamEncryptionKey.keyArn],
        conditions: {
          StringEquals: {
            'kms:ViaService': `kinesis.${stack.region}.amazonaws.com`,
            'kms:EncryptionContext:aws:kinesis:arn': this.stream.streamArn,
          },
        },
      }),
      new iam.PolicyStatement({
        sid: 'ListDestinationBucket',
        actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
        resources: [this.destinationBucket.bucketArn],
      }),
      new iam.PolicyStatement({
        sid: 'WriteUnderPrefixes',
        actions: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
        resources: objectArns,
      }),
      new iam.PolicyStatement({
        sid: 'EncryptDestinationObjects',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [this.destinationKey.keyArn],
        conditions: {
          StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` },
          // With an S3 Bucket Key the context is the bucket ARN; without one, the object ARN.
          StringLike: { 'kms:EncryptionContext:aws:s3:arn': [this.destinationBucket.bucketArn, ...objectArns] },
        },
      }),
      new iam.PolicyStatement({
        sid: 'WriteDeliveryErrors',
        actions: ['logs:PutLogEvents'],
        resources: [stack.formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: `${this.logGroup.logGroupName}:log-stream:${logStream.logStreamName}`,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        })],
      }),
    ];
    if (this.table) {
      statements.push(new iam.PolicyStatement({
        sid: 'ReadParquetSchema',
        actions: ['glue:GetTable', 'glue:GetTableVersion', 'glue:GetTableVersions'],
        resources: [catalogArn!, databaseArn!, stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${databaseName}/${this.table.ref}` })],
      }));
    }
    this.deliveryPolicy = new iam.ManagedPolicy(this, 'DeliveryPolicy', {
      description: `Least privilege of the Firehose delivery role of ${this.node.path}`,
      statements,
      roles: [this.deliveryRole],
    });
    // Firehose checks its access to the stream and bucket when it is created: the policy comes first.
    this.cfnDeliveryStream.node.addDependency(this.deliveryPolicy);
    for (const arn of objectArns) {
      Nag.acknowledgeWildcard(this.deliveryPolicy, arn,
        'Firehose names each object it writes at delivery time, so object access can only be scoped to the key prefix of this pipeline (data or error output), never to named objects.');
    }

    // --- alarms ---------------------------------------------------------------------------
    check(this, !(props.alarmTopic && props.createAlarmTopic), 'createAlarmTopic', true, 'false when alarmTopic is given');
    // An alarm nobody hears protects nothing: a topic is created unless one is given or declined.
    this.alarmTopic = props.alarmTopic ?? ((props.createAlarmTopic ?? true) ? this.createTopic() : undefined);
    const iteratorAge = props.iteratorAgeThreshold ?? Duration.hours(1);
    // A token interval: assume the longest (900 s) for the default and the lower bound.
    const knownBuffering = isConcrete(this.bufferingSeconds) ? this.bufferingSeconds : undefined;
    const freshness = props.deliveryFreshnessThreshold ?? Duration.seconds((knownBuffering ?? 900) + 900);
    const retentionSeconds = retention.isUnresolved() ? 8760 * 3600 : retention.toSeconds();
    // A token age is checked by CloudWatch; it must be in milliseconds, the alarm's unit (below).
    checkRange(this, 'iteratorAgeThreshold', iteratorAge.isUnresolved() ? undefined : iteratorAge.toSeconds(), 60, retentionSeconds, {
      integer: true, unit: 'seconds (up to the retention period)',
    });
    const freshnessSeconds = durationIn(this, 'deliveryFreshnessThreshold', freshness, 'seconds');
    checkRange(this, 'deliveryFreshnessThreshold', freshnessSeconds, (knownBuffering ?? 0) + 60, 86_400, {
      integer: true, unit: 'seconds (above the buffering interval by at least a minute)',
    });
    this.iteratorAgeAlarm = this.alarm('IteratorAgeAlarm', this.metricIteratorAge(), {
      threshold: durationIn(this, 'iteratorAgeThreshold', iteratorAge, 'milliseconds'),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      alarmDescription: `Records in ${this.node.path} wait more than ${humanDuration(iteratorAge)} to be read: Firehose is falling behind or failing; records expire after the retention period.`,
    });
    this.writeThrottleAlarm = this.alarm('WriteThrottleAlarm', this.metricWriteThrottles(), {
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      alarmDescription: `Producers of ${this.node.path} are throttled (WriteProvisionedThroughputExceeded): add shards or switch to on-demand.`,
    });
    this.deliveryFreshnessAlarm = this.alarm('DeliveryFreshnessAlarm', this.metricDeliveryFreshness(), {
      threshold: freshnessSeconds,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      alarmDescription: `Records of ${this.node.path} wait more than ${humanDuration(freshness)} to land in S3: check the delivery error log.`,
    });
    this.deliverySuccessAlarm = this.alarm('DeliverySuccessAlarm', this.metricDeliverySuccess(), {
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 1,
      alarmDescription: `Some S3 puts of ${this.node.path} failed: check the delivery error log and the error prefix.`,
    });
  }

  /**
   * Let a producer put records: `kinesis:PutRecord(s)` on this stream and `kms:GenerateDataKey`
   * on its key, only through Kinesis for this stream.
   */
  public grantWrite(grantee: iam.IGrantable): iam.Grant {
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: ['kinesis:PutRecord', 'kinesis:PutRecords', 'kinesis:ListShards', 'kinesis:DescribeStreamSummary'],
      resourceArns: [this.stream.streamArn],
    });
    grant.combine(iam.Grant.addToPrincipal({
      grantee,
      actions: ['kms:GenerateDataKey'],
      resourceArns: [this.streamEncryptionKey.keyArn],
      conditions: {
        StringEquals: {
          'kms:ViaService': `kinesis.${Stack.of(this).region}.amazonaws.com`,
          'kms:EncryptionContext:aws:kinesis:arn': this.stream.streamArn,
        },
      },
    }));
    return grant;
  }

  /** Age of the oldest record not yet read from the stream (maximum, milliseconds). */
  public metricIteratorAge(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stream.metricGetRecordsIteratorAgeMilliseconds({ statistic: cloudwatch.Stats.MAXIMUM, period: Duration.minutes(5), ...props });
  }

  /** Records rejected because the stream's write capacity was exceeded (sum). */
  public metricWriteThrottles(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stream.metricWriteProvisionedThroughputExceeded({ statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5), ...props });
  }

  /** Records Firehose read from the stream (sum). */
  public metricRecordsRead(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.deliveryStream.metric('DataReadFromKinesisStream.Records', { statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5), ...props });
  }

  /** Age of the oldest record not yet delivered to S3 (maximum, seconds). */
  public metricDeliveryFreshness(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.deliveryStream.metric('DeliveryToS3.DataFreshness', { statistic: cloudwatch.Stats.MAXIMUM, period: Duration.minutes(5), ...props });
  }

  /** Share of S3 puts that succeeded (average, 0 to 1). */
  public metricDeliverySuccess(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.deliveryStream.metric('DeliveryToS3.Success', { statistic: cloudwatch.Stats.AVERAGE, period: Duration.minutes(5), ...props });
  }

  /** Records that failed Parquet conversion (sum); only reported with PARQUET. */
  public metricFailedConversions(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.deliveryStream.metric('FailedConversion.Records', { statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5), ...props });
  }

  /** Every alarm of this pipeline. */
  public get alarms(): cloudwatch.IAlarm[] {
    return [this.iteratorAgeAlarm, this.writeThrottleAlarm, this.deliveryFreshnessAlarm, this.deliverySuccessAlarm];
  }

  /** What a caller without a type checker (JavaScript, Python) can get wrong, before anything is built. */
  private checkInputs(props: StreamingIngestionProps): void {
    checkShape(this, 'dataLake', props.dataLake, ['hasZone'], 'an IDataLake, e.g. a DataLake');
    checkType(this, 'zone', props.zone, 'string');
    checkShape(this, 'destinationBucket', props.destinationBucket, ['bucketArn'], 'an s3.IBucket');
    checkShape(this, 'destinationKey', props.destinationKey, ['keyArn'], 'a kms.IKey');
    checkShape(this, 'streamEncryptionKey', props.streamEncryptionKey, ['keyArn'], 'a kms.IKey');
    checkType(this, 'glueDatabaseName', props.glueDatabaseName, 'string');
    checkEnum(this, 'streamMode', props.streamMode, kinesis.StreamMode, 'StreamMode');
    checkType(this, 'shardCount', props.shardCount, 'number');
    for (const prop of ['retentionPeriod', 'bufferingInterval', 'iteratorAgeThreshold', 'deliveryFreshnessThreshold'] as const) {
      checkDuration(this, prop, props[prop]);
    }
    checkType(this, 'dataPrefix', props.dataPrefix, 'string');
    checkType(this, 'errorPrefix', props.errorPrefix, 'string');
    check(this, props.partitionKeys === undefined || (typeof props.partitionKeys === 'object' && props.partitionKeys !== null && !Array.isArray(props.partitionKeys)),
      'partitionKeys', props.partitionKeys, 'a map of partition key name to JQ expression, e.g. { type: ".event_type" }');
    checkSize(this, 'bufferingSize', props.bufferingSize);
    check(this, props.compression === undefined || props.compression instanceof firehose.Compression, 'compression', props.compression,
      'a firehose.Compression, e.g. Compression.GZIP');
    checkEnum(this, 'format', props.format, StreamRecordFormat, 'StreamRecordFormat');
    checkArray(this, 'columns', props.columns, 'columns such as { name: "event_id", type: "string" }');
    props.columns?.forEach((c, i) => {
      check(this, typeof c === 'object' && c !== null, `columns[${i}]`, c, 'a column such as { name: "event_id", type: "string" }');
      checkRequired(this, `columns[${i}].name`, c.name, 'a column name');
      checkType(this, `columns[${i}].name`, c.name, 'string');
      checkRequired(this, `columns[${i}].type`, c.type, 'a Hive type such as "string"');
      checkType(this, `columns[${i}].type`, c.type, 'string');
      checkType(this, `columns[${i}].comment`, c.comment, 'string');
    });
    checkType(this, 'tableName', props.tableName, 'string');
    checkLogRetention(this, 'logRetention', props.logRetention);
    checkShape(this, 'alarmTopic', props.alarmTopic, ['topicArn'], 'an sns.ITopic');
    checkType(this, 'createAlarmTopic', props.createAlarmTopic, 'boolean');
  }

  private validatePrefixes(partitionKeys: { [key: string]: string }): void {
    const data = this.dataPrefix;
    const error = this.errorPrefix;
    for (const [prop, value] of [['dataPrefix', data], ['errorPrefix', error]] as const) {
      if (!isConcrete(value)) continue;
      check(this, value.endsWith('/'), prop, value, 'a prefix ending in "/" (otherwise object names run into the prefix)');
      check(this, !value.startsWith('/'), prop, value, 'a prefix not starting with "/" (S3 keys have no leading slash)');
    }
    if (isConcrete(error)) {
      check(this, error.includes(ERROR_OUTPUT_TYPE), 'errorPrefix', error,
        `a prefix containing ${ERROR_OUTPUT_TYPE}, so failed records are split by failure kind`);
      check(this, !/!\{partitionKeyFrom(Query|Lambda):/.test(error), 'errorPrefix', error,
        'no partitionKeyFromQuery in the error prefix: records that fail partitioning have no keys');
    }
    if (!isConcrete(data)) return;
    check(this, !data.includes(ERROR_OUTPUT_TYPE), 'dataPrefix', data, `no ${ERROR_OUTPUT_TYPE} in the data prefix (only in errorPrefix)`);
    const used = [...data.matchAll(QUERY_KEY)].map((m) => m[1]);
    const defined = Object.keys(partitionKeys);
    for (const [key, query] of Object.entries(partitionKeys)) {
      checkPattern(this, 'partitionKeys', key, /^[A-Za-z0-9_-]{1,64}$/, 'partition key names of letters, digits, "_" and "-"');
      check(this, typeof query === 'string' && query.trim().length > 0, `partitionKeys.${key}`, query, 'a JQ expression such as ".event_type"');
    }
    if (defined.length > 0) {
      check(this, used.length > 0, 'dataPrefix', data,
        `a prefix that uses the partition keys, e.g. "events/${defined.map((k) => `${k}=!{partitionKeyFromQuery:${k}}`).join('/')}/"`);
      const unused = defined.filter((k) => !used.includes(k));
      check(this, unused.length === 0, 'partitionKeys', defined, `keys that dataPrefix uses (unused: ${unused.join(', ')})`);
    }
    const undefinedKey = used.find((k) => !defined.includes(k));
    check(this, undefinedKey === undefined, 'dataPrefix', data,
      `partition keys defined in partitionKeys (${defined.length ? defined.join(', ') : 'none defined'}; "${undefinedKey}" is not)`);
  }

  private createTopic(): sns.Topic {
    const stack = Stack.of(this);
    // Only alarms of this account and region may publish to the topic (no confused deputy).
    const fromOurAlarms = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
    };
    // A fixed (generated) name, so the key policy can name the topic's ARN without a cycle
    // (the topic refers to the key). The topic is deleted with the stack: no retained debris.
    const topicName = Names.uniqueResourceName(this, { maxLength: 249, separator: '-', allowedSpecialCharacters: '-_' }) + '-alarms';
    const topicArn = stack.formatArn({ service: 'sns', resource: topicName, arnFormat: ArnFormat.NO_RESOURCE_NAME });
    const key = new DataKey(this, 'AlarmTopicKey', { description: `Alarm topic key of ${this.node.path}` });
    // CloudWatch encrypts the notifications it publishes to the topic with this key. SNS puts the
    // topic ARN into the encryption context of every such KMS call: the key serves this topic only.
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudWatchAlarmsToPublish',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
      conditions: { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': topicArn } },
    }));
    const topic = new sns.Topic(this, 'AlarmTopic', {
      topicName,
      displayName: `Alarms of ${this.node.path}`.slice(0, 100),
      masterKey: key,
      enforceSSL: true,
    });
    // enforceSSL replaces SNS's default policy, which is what let CloudWatch publish.
    topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudWatchAlarmsToPublish',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: fromOurAlarms,
    }));
    return topic;
  }

  private alarm(id: string, metric: cloudwatch.Metric, props: Omit<cloudwatch.AlarmProps, 'metric'>): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      ...props,
    });
    if (this.alarmTopic) {
      const action = new cw_actions.SnsAction(this.alarmTopic);
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
    return alarm;
  }
}

/** The part of a prefix before its first expression: the fixed key prefix every object shares. */
function staticPart(prefix: string): string {
  const at = prefix.indexOf('!{');
  return at < 0 ? prefix : prefix.slice(0, at);
}

/** The static part of a prefix cut back to its last `/`: the table location. */
function folderOf(prefix: string): string {
  const fixed = staticPart(prefix);
  return fixed.slice(0, fixed.lastIndexOf('/') + 1);
}

interface HivePartition {
  readonly name: string;
  /** The Firehose timestamp format (Java DateTimeFormatter), or undefined for a record field. */
  readonly dateFormat?: string;
}

/**
 * The Hive-style partitions of the expression part of a prefix (`type=!{partitionKeyFromQuery:type}/dt=!{timestamp:yyyy-MM-dd}/`),
 * or undefined when any segment is not of that form (then Athena cannot project them).
 */
function hivePartitions(rest: string): HivePartition[] | undefined {
  const segments = rest.split('/').filter((x) => x.length > 0);
  if (segments.length === 0) return undefined;
  const out: HivePartition[] = [];
  for (const segment of segments) {
    const m = /^([a-z_][a-z0-9_]*)=!\{(timestamp|partitionKeyFromQuery):([^{}]+)\}$/.exec(segment);
    if (!m) return undefined;
    out.push(m[2] === 'timestamp' ? { name: m[1], dateFormat: m[3] } : { name: m[1] });
  }
  return out;
}

function projectionParameters(partitions: HivePartition[], location: string): Record<string, string> {
  const out: Record<string, string> = { 'projection.enabled': 'true' };
  for (const p of partitions) {
    if (p.dateFormat) {
      out[`projection.${p.name}.type`] = 'date';
      out[`projection.${p.name}.format`] = p.dateFormat;
      out[`projection.${p.name}.range`] = 'NOW-3YEARS,NOW';
      out[`projection.${p.name}.interval`] = '1';
      out[`projection.${p.name}.interval.unit`] = /H/.test(p.dateFormat) ? 'HOURS' : /d/.test(p.dateFormat) ? 'DAYS' : /M/.test(p.dateFormat) ? 'MONTHS' : 'YEARS';
    } else {
      // Values come from the records: queries name them (WHERE type = 'purchase').
      out[`projection.${p.name}.type`] = 'injected';
    }
  }
  out['storage.location.template'] = `${location}${partitions.map((p) => `${p.name}=\${${p.name}}`).join('/')}/`;
  return out;
}

function unique<T>(values: T[]): T[] {
  return values.filter((v, i) => values.indexOf(v) === i);
}

function describeBucket(bucket: s3.IBucket | undefined): string | undefined {
  return bucket ? bucket.node.path : undefined;
}
