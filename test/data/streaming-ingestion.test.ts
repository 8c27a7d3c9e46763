import * as path from 'path';
import { CfnParameter, Duration, Size, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  AccessLogBucket, DataKey, DataLake, Nag, Profile, SecureBucket, StreamingIngestion, StreamingIngestionProps, StreamRecordFormat,
} from '../../lib';
import { ProfileName, testApp } from '../support/app';
import { documentedDefaults, undocumentedOptionalProps } from '../support/documented-defaults';
import { formatNag, nagFindings } from '../support/nag';
import { testStack } from '../support/stack';
import { rejectionOf } from '../support/rejection';
import { bucketSetup } from './helpers';

const FILE = path.join(__dirname, '..', '..', 'lib', 'data', 'streaming-ingestion.ts');

const CLICK_PREFIX = 'clickstream/type=!{partitionKeyFromQuery:type}/dt=!{timestamp:yyyy-MM-dd}/';
const CLICK_ERRORS = 'clickstream-errors/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/';
const COLUMNS = [
  { name: 'event_id', type: 'string' },
  { name: 'event_type', type: 'string' },
  { name: 'price', type: 'double', comment: 'dollars' },
];

interface Built {
  readonly stack: Stack;
  readonly lake?: DataLake;
  readonly ingestion: StreamingIngestion;
  readonly template: Template;
}

/** A stack with a DataLake and one StreamingIngestion, synthesized once. */
function withLake(profile: ProfileName, props: Omit<StreamingIngestionProps, 'dataLake'> = {}, nag = false): Built {
  const app = testApp({ profile });
  const stack = new Stack(app, 'Test');
  const lake = new DataLake(stack, 'Lake');
  const ingestion = new StreamingIngestion(stack, 'Clicks', { dataLake: lake, ...props });
  if (nag) Nag.enable(app);
  return { stack, lake, ingestion, template: Template.fromStack(stack) };
}

const lab = withLake('lab');
const production = withLake('production');
const partitioned = withLake('production', {
  partitionKeys: { type: '.event_type' },
  dataPrefix: CLICK_PREFIX,
  errorPrefix: CLICK_ERRORS,
  createAlarmTopic: true,
}, true);
const parquet = withLake('lab', {
  format: StreamRecordFormat.PARQUET,
  columns: COLUMNS,
  tableName: 'clicks_parquet',
  dataPrefix: 'clicks/dt=!{timestamp:yyyy-MM-dd}/',
});

const ref = (prefix: string) => ({ Ref: Match.stringLikeRegexp(`^${prefix}`) });
const arnOf = (prefix: string) => ({ 'Fn::GetAtt': [Match.stringLikeRegexp(`^${prefix}`), 'Arn'] });

function policyStatements(b: Built): Array<Record<string, unknown>> {
  const policies = Object.values(b.template.findResources('AWS::IAM::ManagedPolicy'));
  expect(policies).toHaveLength(1);
  return policies[0].Properties.PolicyDocument.Statement;
}

function statement(b: Built, sid: string): Record<string, unknown> {
  const found = policyStatements(b).find((s) => s.Sid === sid);
  expect(found).toBeDefined();
  return found!;
}

describe('StreamingIngestion: the stream', () => {
  test('lab: one provisioned shard, 24 h retention, encrypted with the lake key', () => {
    lab.template.hasResourceProperties('AWS::Kinesis::Stream', {
      ShardCount: 1,
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
      RetentionPeriodHours: 24,
      StreamEncryption: { EncryptionType: 'KMS', KeyId: arnOf('LakeKey') },
    });
  });

  test('production: on-demand, no shard count', () => {
    production.template.hasResourceProperties('AWS::Kinesis::Stream', {
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      ShardCount: Match.absent(),
      StreamEncryption: { EncryptionType: 'KMS', KeyId: arnOf('LakeKey') },
    });
  });

  test('stateful parts follow the profile removal policy', () => {
    lab.template.hasResource('AWS::Kinesis::Stream', { DeletionPolicy: 'Delete' });
    production.template.hasResource('AWS::Kinesis::Stream', { DeletionPolicy: 'Retain' });
    lab.template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete' });
    lab.template.hasResource('AWS::Logs::LogStream', { DeletionPolicy: 'Delete' });
  });

  test('production retains the fixed-name log group and stream except when their first create rolls back', () => {
    // RetainExceptOnCreate: a failed first deploy leaves no "/aws/kinesisfirehose/..." group that blocks the retry.
    production.template.hasResource('AWS::Logs::LogGroup', {
      Properties: { LogGroupName: Match.stringLikeRegexp('^/aws/kinesisfirehose/') },
      DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain',
    });
    production.template.hasResource('AWS::Logs::LogStream', { DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' });
    // The stream has a generated name: plain Retain is safe there.
    production.template.hasResource('AWS::Kinesis::Stream', { DeletionPolicy: 'Retain', Properties: { Name: Match.absent() } });
  });

  test('production with streamMode PROVISIONED and no shard count: one shard', () => {
    const { stack, bucket } = bucketSetup('production');
    new StreamingIngestion(stack, 'Clicks', { destinationBucket: bucket, streamMode: kinesis.StreamMode.PROVISIONED });
    Template.fromStack(stack).hasResourceProperties('AWS::Kinesis::Stream', { ShardCount: 1, StreamModeDetails: { StreamMode: 'PROVISIONED' } });
  });

  test('a shard count makes a production stream provisioned; retention and key can be chosen', () => {
    const { stack, key, bucket } = bucketSetup('production');
    const own = new kms.Key(stack, 'StreamKey', { enableKeyRotation: true });
    const si = new StreamingIngestion(stack, 'Clicks', {
      destinationBucket: bucket, shardCount: 3, retentionPeriod: Duration.days(7), streamEncryptionKey: own,
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Kinesis::Stream', {
      ShardCount: 3, StreamModeDetails: { StreamMode: 'PROVISIONED' }, RetentionPeriodHours: 168,
      StreamEncryption: { EncryptionType: 'KMS', KeyId: arnOf('StreamKey') },
    });
    expect(si.streamEncryptionKey).toBe(own);
    expect(si.destinationKey).toBe(key);
    // Firehose decrypts the stream with the stream's key, and writes with the bucket's.
    const policy = Object.values(t.findResources('AWS::IAM::ManagedPolicy'))[0].Properties.PolicyDocument.Statement;
    expect(policy.find((s: { Sid: string }) => s.Sid === 'DecryptSourceStream').Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^StreamKey/), 'Arn'] });
    expect(policy.find((s: { Sid: string }) => s.Sid === 'EncryptDestinationObjects').Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] });
  });
});

describe('StreamingIngestion: delivery', () => {
  test('Firehose reads the stream with the delivery role', () => {
    lab.template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamType: 'KinesisStreamAsSource',
      KinesisStreamSourceConfiguration: { KinesisStreamARN: arnOf('ClicksStream'), RoleARN: arnOf('ClicksDeliveryRole') },
    });
  });

  test.each([['lab', 60, lab], ['production', 300, production]] as const)('%s: GZIP JSON into the raw zone, %i s buffering, SSE-KMS with the lake key', (_p, seconds, b) => {
    b.template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      ExtendedS3DestinationConfiguration: Match.objectLike({
        BucketARN: arnOf('LakeRawBucket'),
        RoleARN: arnOf('ClicksDeliveryRole'),
        CompressionFormat: 'GZIP',
        BufferingHints: { IntervalInSeconds: seconds, SizeInMBs: 5 },
        Prefix: 'clicks/dt=!{timestamp:yyyy-MM-dd}/',
        ErrorOutputPrefix: 'errors/clicks/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/',
        EncryptionConfiguration: { KMSEncryptionConfig: { AWSKMSKeyARN: arnOf('LakeKey') } },
        CloudWatchLoggingOptions: { Enabled: true, LogGroupName: ref('ClicksDeliveryLogs'), LogStreamName: ref('ClicksDeliveryLogsS3Destination') },
        DataFormatConversionConfiguration: Match.absent(),
        DynamicPartitioningConfiguration: Match.absent(),
        ProcessingConfiguration: Match.absent(),
      }),
    });
  });

  test('Firehose cannot take server-side encryption settings with a Kinesis source: none are set', () => {
    lab.template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamEncryptionConfigurationInput: Match.absent(),
    });
  });

  test.each([['lab', 7, lab], ['production', 365, production]] as const)('%s: the error log is encrypted with the lake key, kept %i days', (_p, days, b) => {
    b.template.hasResourceProperties('AWS::Logs::LogGroup', {
      KmsKeyId: arnOf('LakeKey'),
      RetentionInDays: days,
      LogGroupName: Match.stringLikeRegexp('^/aws/kinesisfirehose/Test-Clicks-'),
    });
  });

  test('the lake key lets CloudWatch Logs use it for Firehose log groups only', () => {
    lab.template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({
        Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
        Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': {
          'Fn::Join': ['', Match.arrayWith([':log-group:/aws/kinesisfirehose/*'])],
        } } },
      })]) },
    });
  });

  test('dynamic partitioning: JQ extraction, newline delimiter, 128 MiB buffers', () => {
    partitioned.template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      ExtendedS3DestinationConfiguration: Match.objectLike({
        Prefix: CLICK_PREFIX,
        ErrorOutputPrefix: CLICK_ERRORS,
        DynamicPartitioningConfiguration: { Enabled: true },
        BufferingHints: { IntervalInSeconds: 300, SizeInMBs: 128 },
        ProcessingConfiguration: {
          Enabled: true,
          Processors: [
            { Type: 'MetadataExtraction', Parameters: [
              { ParameterName: 'MetadataExtractionQuery', ParameterValue: '{"type":.event_type}' },
              { ParameterName: 'JsonParsingEngine', ParameterValue: 'JQ-1.6' },
            ] },
            { Type: 'AppendDelimiterToRecord', Parameters: [] },
          ],
        },
      }),
    });
  });

  test('buffering and compression can be chosen', () => {
    const { stack, bucket } = bucketSetup();
    new StreamingIngestion(stack, 'Clicks', {
      destinationBucket: bucket, bufferingInterval: Duration.seconds(900), bufferingSize: Size.mebibytes(64), compression: firehose.Compression.SNAPPY,
    });
    Template.fromStack(stack).hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      ExtendedS3DestinationConfiguration: Match.objectLike({ BufferingHints: { IntervalInSeconds: 900, SizeInMBs: 64 }, CompressionFormat: 'Snappy' }),
    });
  });
});

describe('StreamingIngestion: Parquet conversion', () => {
  test('creates the Glue table in the raw zone database with the declared columns', () => {
    parquet.template.hasResourceProperties('AWS::Glue::Table', {
      CatalogId: { Ref: 'AWS::AccountId' },
      DatabaseName: ref('LakeRawDatabase'),
      TableInput: Match.objectLike({
        Name: 'clicks_parquet',
        TableType: 'EXTERNAL_TABLE',
        StorageDescriptor: Match.objectLike({
          Columns: [
            { Name: 'event_id', Type: 'string' },
            { Name: 'event_type', Type: 'string' },
            { Name: 'price', Type: 'double', Comment: 'dollars' },
          ],
          Location: { 'Fn::Join': ['', ['s3://', ref('LakeRawBucket'), '/clicks/']] },
          InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
          OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
          SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
        }),
      }),
    });
  });

  test('Hive-style prefix segments become projected partitions, so Athena needs no crawler', () => {
    parquet.template.hasResourceProperties('AWS::Glue::Table', {
      TableInput: Match.objectLike({
        PartitionKeys: [{ Name: 'dt', Type: 'string' }],
        Parameters: Match.objectLike({
          'classification': 'parquet',
          'projection.enabled': 'true',
          'projection.dt.type': 'date',
          'projection.dt.format': 'yyyy-MM-dd',
          'projection.dt.interval.unit': 'DAYS',
          'storage.location.template': { 'Fn::Join': ['', ['s3://', ref('LakeRawBucket'), '/clicks/dt=${dt}/']] },
        }),
      }),
    });
  });

  test('record-field partitions are projected as injected values', () => {
    const b = withLake('lab', {
      format: StreamRecordFormat.PARQUET, columns: COLUMNS.filter((c) => c.name !== 'event_type'),
      partitionKeys: { event_type: '.event_type' },
      dataPrefix: 'p/event_type=!{partitionKeyFromQuery:event_type}/dt=!{timestamp:yyyy-MM-dd}/',
    });
    b.template.hasResourceProperties('AWS::Glue::Table', {
      TableInput: Match.objectLike({
        PartitionKeys: [{ Name: 'event_type', Type: 'string' }, { Name: 'dt', Type: 'string' }],
        Parameters: Match.objectLike({ 'projection.event_type.type': 'injected' }),
      }),
    });
    // Parquet records need no delimiter: only the extraction processor runs.
    b.template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      ExtendedS3DestinationConfiguration: Match.objectLike({
        ProcessingConfiguration: { Enabled: true, Processors: [Match.objectLike({ Type: 'MetadataExtraction' })] },
      }),
    });
  });

  test('Firehose converts JSON to Snappy Parquet against the table, without object compression', () => {
    parquet.template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      ExtendedS3DestinationConfiguration: Match.objectLike({
        CompressionFormat: Match.absent(),
        BufferingHints: { IntervalInSeconds: 60, SizeInMBs: 128 },
        DataFormatConversionConfiguration: {
          Enabled: true,
          InputFormatConfiguration: { Deserializer: { OpenXJsonSerDe: {} } },
          OutputFormatConfiguration: { Serializer: { ParquetSerDe: { Compression: 'SNAPPY' } } },
          SchemaConfiguration: Match.objectLike({
            DatabaseName: ref('LakeRawDatabase'), TableName: ref('ClicksTable'), RoleARN: arnOf('ClicksDeliveryRole'), VersionId: 'LATEST',
          }),
        },
      }),
    });
  });

  test('the role reads exactly this table, its database and the catalog', () => {
    const glue = statement(parquet, 'ReadParquetSchema');
    expect(glue.Action).toEqual(['glue:GetTable', 'glue:GetTableVersion', 'glue:GetTableVersions']);
    const resources = JSON.stringify(glue.Resource);
    expect(resources).toMatch(/:catalog"/);
    expect(resources).toMatch(/":database\/",\{"Ref":"LakeRawDatabase\w+"\}\]/);
    expect(resources).toMatch(/":table\/",\{"Ref":"LakeRawDatabase\w+"\},"\/",\{"Ref":"ClicksTable\w+"\}\]/);
    expect(resources).not.toContain('*');
  });

  test('with a bucket and key, the table goes in the named database', () => {
    const { stack, bucket } = bucketSetup();
    new StreamingIngestion(stack, 'Clicks', {
      destinationBucket: bucket, glueDatabaseName: 'sandbox_raw', format: StreamRecordFormat.PARQUET, columns: COLUMNS,
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Glue::Table', { DatabaseName: 'sandbox_raw', TableInput: Match.objectLike({ Name: 'test_clicks' }) });
  });
});

describe('StreamingIngestion: least-privilege role', () => {
  test('trusted by Firehose for this account only', () => {
    lab.template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{
        Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'firehose.amazonaws.com' },
        Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'AWS::AccountId' } } },
      }] },
      Policies: Match.absent(),
      ManagedPolicyArns: Match.absent(),
    });
  });

  test('one customer managed policy; no inline policy anywhere in the stack', () => {
    lab.template.resourceCountIs('AWS::IAM::ManagedPolicy', 1);
    lab.template.hasResourceProperties('AWS::IAM::ManagedPolicy', { Roles: [ref('ClicksDeliveryRole')] });
    const inline = Object.values(lab.template.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles ?? []).includes('ClicksDeliveryRole'));
    expect(inline).toEqual([]);
  });

  test('reads only this stream, decrypting only through Kinesis for it', () => {
    expect(statement(lab, 'ReadSourceStream')).toEqual({
      Sid: 'ReadSourceStream', Effect: 'Allow',
      Action: ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards'],
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^ClicksStream/), 'Arn'] },
    });
    expect(statement(lab, 'DecryptSourceStream')).toEqual(expect.objectContaining({
      Action: 'kms:Decrypt',
      Condition: { StringEquals: {
        'kms:ViaService': { 'Fn::Join': ['', ['kinesis.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
        'kms:EncryptionContext:aws:kinesis:arn': { 'Fn::GetAtt': [expect.stringMatching(/^ClicksStream/), 'Arn'] },
      } },
    }));
  });

  test('writes only under its data and error prefixes', () => {
    const write = statement(partitioned, 'WriteUnderPrefixes');
    expect(write.Action).toEqual(['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject']);
    const keys = (write.Resource as Array<{ 'Fn::Join': [string, unknown[]] }>).map((r) => r['Fn::Join'][1][1]).sort();
    expect(keys).toEqual(['/clickstream-errors/*', '/clickstream/type=*']);
    expect(statement(partitioned, 'ListDestinationBucket')).toEqual(expect.objectContaining({
      Action: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^LakeRawBucket/), 'Arn'] },
    }));
  });

  test('encrypts objects with the lake key only through S3, for its bucket and prefixes', () => {
    const s = statement(partitioned, 'EncryptDestinationObjects');
    expect(s.Action).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(s.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^LakeKey/), 'Arn'] });
    expect(s.Condition).toEqual({
      StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['s3.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
      StringLike: { 'kms:EncryptionContext:aws:s3:arn': expect.arrayContaining([
        { 'Fn::GetAtt': [expect.stringMatching(/^LakeRawBucket/), 'Arn'] },
        { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^LakeRawBucket/), 'Arn'] }, '/clickstream/type=*']] },
      ]) },
    });
  });

  test('writes only to its own error log stream', () => {
    const s = statement(lab, 'WriteDeliveryErrors');
    expect(s.Action).toBe('logs:PutLogEvents');
    expect(JSON.stringify(s.Resource)).toMatch(/":log-group:",\{"Ref":"ClicksDeliveryLogs\w+"\},":log-stream:",\{"Ref":"ClicksDeliveryLogsS3Destination\w+"\}/);
  });

  test("the L2's broad grants are dropped: no wildcard actions, no delete, no glue:GetSchemaVersion on '*'", () => {
    for (const b of [lab, partitioned, parquet]) {
      const actions = policyStatements(b).flatMap((s) => [s.Action].flat() as string[]);
      expect(actions.filter((a) => a.includes('*'))).toEqual([]);
      expect(actions).not.toContain('glue:GetSchemaVersion');
      expect(actions.filter((a) => a.startsWith('s3:Delete'))).toEqual([]);
      const resources = policyStatements(b).flatMap((s) => [s.Resource].flat());
      expect(resources).not.toContain('*');
    }
  });

  test('nothing is granted through the bucket, key or stream policy instead', () => {
    lab.template.resourceCountIs('AWS::Kinesis::ResourcePolicy', 0);
    for (const type of ['AWS::S3::BucketPolicy', 'AWS::KMS::Key']) {
      const docs = JSON.stringify(lab.template.findResources(type));
      expect(docs).not.toContain('ClicksDeliveryRole');
    }
  });

  test('the delivery stream is created after its policy (Firehose checks access on creation)', () => {
    const policyId = Object.keys(lab.template.findResources('AWS::IAM::ManagedPolicy'))[0];
    lab.template.hasResource('AWS::KinesisFirehose::DeliveryStream', { DependsOn: Match.arrayWith([policyId]) });
  });
});

describe('StreamingIngestion: alarms and metrics', () => {
  test('four alarms that, by default, notify a topic created for them (on ALARM and OK)', () => {
    lab.template.resourceCountIs('AWS::CloudWatch::Alarm', 4);
    lab.template.resourceCountIs('AWS::SNS::Topic', 1);
    const alarms = Object.values(lab.template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(4);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^ClicksAlarmTopic(?!Key)/) }]);
      expect(alarm.Properties.OKActions).toEqual(alarm.Properties.AlarmActions);
    }
    expect(lab.ingestion.alarmTopic).toBeDefined();
  });

  test('createAlarmTopic: false without alarmTopic: four alarms without actions, no topic', () => {
    const { stack, bucket } = bucketSetup();
    const si = new StreamingIngestion(stack, 'Clicks', { destinationBucket: bucket, createAlarmTopic: false });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::SNS::Topic', 0);
    const alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(4);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toBeUndefined();
    expect(si.alarmTopic).toBeUndefined();
  });

  test('iterator age above one hour (maximum)', () => {
    lab.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Kinesis', MetricName: 'GetRecords.IteratorAgeMilliseconds', Statistic: 'Maximum',
      Threshold: 3_600_000, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching',
      Dimensions: [{ Name: 'StreamName', Value: ref('ClicksStream') }],
    });
  });

  test('any write throttling', () => {
    lab.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Kinesis', MetricName: 'WriteProvisionedThroughputExceeded', Statistic: 'Sum',
      Threshold: 0, ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  test.each([['lab', 960, lab], ['production', 1200, production]] as const)('%s: delivery freshness above the buffering interval plus 15 minutes (%i s)', (_p, seconds, b) => {
    b.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Firehose', MetricName: 'DeliveryToS3.DataFreshness', Statistic: 'Maximum',
      Threshold: seconds, ComparisonOperator: 'GreaterThanThreshold',
      Dimensions: [{ Name: 'DeliveryStreamName', Value: ref('ClicksDeliveryStream') }],
    });
  });

  test('delivery success below 100 %', () => {
    lab.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Firehose', MetricName: 'DeliveryToS3.Success', Statistic: 'Average',
      Threshold: 1, ComparisonOperator: 'LessThanThreshold',
    });
  });

  test('thresholds can be chosen', () => {
    const { stack, bucket } = bucketSetup();
    new StreamingIngestion(stack, 'Clicks', {
      destinationBucket: bucket, iteratorAgeThreshold: Duration.minutes(10), deliveryFreshnessThreshold: Duration.minutes(30),
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'GetRecords.IteratorAgeMilliseconds', Threshold: 600_000 });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'DeliveryToS3.DataFreshness', Threshold: 1800 });
  });

  test('createAlarmTopic: an SSL-only topic encrypted with a rotating key of its own, on every alarm', () => {
    const t = partitioned.template;
    const topicName = t.findResources('AWS::SNS::Topic')[Object.keys(t.findResources('AWS::SNS::Topic'))[0]].Properties.TopicName;
    expect(topicName).toMatch(/^Test-Clicks-[A-F0-9]{8}-alarms$/);
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: arnOf('ClicksAlarmTopicKey'), TopicName: topicName });
    t.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({
        Sid: 'AllowCloudWatchAlarmsToPublish', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      })]) },
    });
    // The key serves this topic only: SNS puts the topic ARN into the encryption context (no confused deputy).
    const keyStatement = Object.values(t.findResources('AWS::KMS::Key', { Properties: { Description: Match.stringLikeRegexp('^Alarm topic key') } }))[0]
      .Properties.KeyPolicy.Statement.find((st: { Sid?: string }) => st.Sid === 'AllowCloudWatchAlarmsToPublish');
    expect(keyStatement.Condition).toEqual({
      StringEquals: {
        'kms:EncryptionContext:aws:sns:topicArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sns:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:${topicName}`]] },
      },
    });
    const fromOurAlarms = {
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', Match.arrayWith([':alarm:*'])] } },
    };
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([
        Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Condition: fromOurAlarms }),
      ]) },
    });
    const alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(4);
    for (const a of alarms) {
      expect(a.Properties.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^ClicksAlarmTopic(?!Key)/) }]);
      expect(a.Properties.OKActions).toEqual(a.Properties.AlarmActions);
    }
  });

  test('alarmTopic: alarms notify the given topic, no topic is created', () => {
    const { stack, bucket } = bucketSetup();
    const topic = new sns.Topic(stack, 'Ops', { masterKey: new DataKey(stack, 'OpsKey'), enforceSSL: true });
    const si = new StreamingIngestion(stack, 'Clicks', { destinationBucket: bucket, alarmTopic: topic });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::SNS::Topic', 1);
    expect(si.alarmTopic).toBe(topic);
    const alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(4);
    for (const a of alarms) {
      expect(a.Properties.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^Ops/) }]);
    }
  });

  test('the alarms are exposed as properties', () => {
    const si = lab.ingestion;
    expect(si.alarms).toEqual([si.iteratorAgeAlarm, si.writeThrottleAlarm, si.deliveryFreshnessAlarm, si.deliverySuccessAlarm]);
  });

  test('metric methods name the right namespace, metric, statistic and dimension', () => {
    const s = lab.stack;
    const si = lab.ingestion;
    const render = (m: { namespace: string; metricName: string; statistic: string; dimensions?: Record<string, unknown> }) =>
      ({ namespace: m.namespace, metricName: m.metricName, statistic: m.statistic, dimensions: s.resolve(m.dimensions) });
    expect(render(si.metricIteratorAge())).toEqual({ namespace: 'AWS/Kinesis', metricName: 'GetRecords.IteratorAgeMilliseconds', statistic: 'Maximum', dimensions: { StreamName: { Ref: expect.stringMatching(/^ClicksStream/) } } });
    expect(render(si.metricWriteThrottles())).toEqual(expect.objectContaining({ metricName: 'WriteProvisionedThroughputExceeded', statistic: 'Sum' }));
    expect(render(si.metricDeliveryFreshness())).toEqual({ namespace: 'AWS/Firehose', metricName: 'DeliveryToS3.DataFreshness', statistic: 'Maximum', dimensions: { DeliveryStreamName: { Ref: expect.stringMatching(/^ClicksDeliveryStream/) } } });
    expect(render(si.metricDeliverySuccess())).toEqual(expect.objectContaining({ namespace: 'AWS/Firehose', metricName: 'DeliveryToS3.Success', statistic: 'Average' }));
    expect(render(si.metricRecordsRead())).toEqual(expect.objectContaining({ metricName: 'DataReadFromKinesisStream.Records', statistic: 'Sum' }));
    expect(render(si.metricFailedConversions())).toEqual(expect.objectContaining({ metricName: 'FailedConversion.Records', statistic: 'Sum' }));
    expect(si.metricIteratorAge({ period: Duration.minutes(1) }).period.toMinutes()).toBe(1);
  });
});

describe('StreamingIngestion: grantWrite', () => {
  const { stack, bucket } = bucketSetup();
  const si = new StreamingIngestion(stack, 'Clicks', { destinationBucket: bucket });
  const producer = new iam.Role(stack, 'Producer', { assumedBy: new iam.AccountRootPrincipal() });
  si.grantWrite(producer);
  const t = Template.fromStack(stack);

  test('puts records on this stream and generates data keys only through Kinesis for it', () => {
    t.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [ref('Producer')],
      PolicyDocument: { Statement: [
        { Effect: 'Allow', Action: ['kinesis:DescribeStreamSummary', 'kinesis:ListShards', 'kinesis:PutRecord', 'kinesis:PutRecords'], Resource: arnOf('ClicksStream') },
        { Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: arnOf('Key'), Condition: { StringEquals: {
          'kms:ViaService': { 'Fn::Join': ['', ['kinesis.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
          'kms:EncryptionContext:aws:kinesis:arn': arnOf('ClicksStream'),
        } } },
      ] },
    });
  });
});

describe('StreamingIngestion: cdk-nag', () => {
  test('no unacknowledged AwsSolutions or HIPAA findings', () => {
    expect(formatNag(nagFindings(partitioned.stack).filter((f) => f.path.startsWith('Test/Clicks/')))).toEqual([]);
  });

  test('the acknowledgements: KDF1 on the delivery stream, KDS3 on the stream, IAM5 only for object keys under its prefixes', () => {
    const t = partitioned.template.toJSON().Resources as Record<string, { Type: string; Metadata?: { cdk_nag?: { rules_to_suppress: Array<{ id: string; reason: string }> } } }>;
    const acks = (type: string) => Object.entries(t).filter(([id, r]) => id.startsWith('Clicks') && r.Type === type)
      .flatMap(([, r]) => (r.Metadata?.cdk_nag?.rules_to_suppress ?? []).map((a) => a.id));
    expect(acks('AWS::KinesisFirehose::DeliveryStream')).toEqual(['AwsSolutions-KDF1']);
    expect(acks('AWS::Kinesis::Stream')).toEqual(['AwsSolutions-KDS3']);
    expect(acks('AWS::IAM::ManagedPolicy').sort()).toEqual([
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<LakeRawBucket\w+\.Arn>\/clickstream-errors\/\*\]$/),
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<LakeRawBucket\w+\.Arn>\/clickstream\/type=\*\]$/),
    ]);
    const kdf1 = Object.values(t).flatMap((r) => r.Metadata?.cdk_nag?.rules_to_suppress ?? []).find((a) => a.id === 'AwsSolutions-KDF1');
    expect(kdf1?.reason).toMatch(/Kinesis data stream/);
  });
});

describe('StreamingIngestion: documented defaults', () => {
  test('every optional prop documents its @default', () => {
    expect(undocumentedOptionalProps(FILE, 'StreamingIngestionProps')).toEqual([]);
  });

  test('profile-dependent @defaults match StreamingIngestion.defaults()', () => {
    const docs = documentedDefaults(FILE, 'StreamingIngestionProps');
    const l = StreamingIngestion.defaults(Profile.LAB);
    const p = StreamingIngestion.defaults(Profile.PRODUCTION);
    expect(docs.streamMode).toBe(`- PROVISIONED when \`shardCount\` is set; otherwise lab: ${l.streamMode}; production: ${p.streamMode}`);
    expect(docs.shardCount).toBe(`- lab: ${l.shardCount}; production: none (on-demand), or 1 with streamMode PROVISIONED`);
    expect(p.shardCount).toBeUndefined();
    expect(docs.bufferingInterval).toBe(`- lab: ${l.bufferingInterval.toSeconds()} seconds; production: ${p.bufferingInterval.toSeconds()} seconds`);
    expect(docs.logRetention).toBe(`- lab: ${logs.RetentionDays[l.logRetention]}; production: ${logs.RetentionDays[p.logRetention]}`);
  });

  test('StreamingIngestion.defaults() are the documented literal values', () => {
    // Literals, not derived from defaults(): a default changed together with its doc must fail here.
    expect(StreamingIngestion.defaults(Profile.LAB)).toEqual({
      streamMode: kinesis.StreamMode.PROVISIONED, shardCount: 1, bufferingInterval: Duration.seconds(60), logRetention: logs.RetentionDays.ONE_WEEK,
    });
    expect(StreamingIngestion.defaults(Profile.PRODUCTION)).toEqual({
      streamMode: kinesis.StreamMode.ON_DEMAND, shardCount: undefined, bufferingInterval: Duration.seconds(300), logRetention: logs.RetentionDays.ONE_YEAR,
    });
    const docs = documentedDefaults(FILE, 'StreamingIngestionProps');
    expect(docs.streamMode).toBe('- PROVISIONED when `shardCount` is set; otherwise lab: PROVISIONED; production: ON_DEMAND');
    expect(docs.bufferingInterval).toBe('- lab: 60 seconds; production: 300 seconds');
    expect(docs.logRetention).toBe('- lab: ONE_WEEK; production: ONE_YEAR');
    expect(docs.bufferingSize).toBe('- 128 MiB with Parquet or dynamic partitioning; otherwise 5 MiB');
    expect(docs.deliveryFreshnessThreshold).toBe('- the buffering interval plus 15 minutes');
  });

  test('fixed @defaults match what the construct builds', () => {
    const docs = documentedDefaults(FILE, 'StreamingIngestionProps');
    expect(docs.retentionPeriod).toBe('Duration.hours(24)');
    expect(docs.iteratorAgeThreshold).toBe('Duration.hours(1)');
    expect(docs.format).toBe('StreamRecordFormat.JSON');
    expect(docs.zone).toBe('DataZone.RAW');
    expect(docs.createAlarmTopic).toBe('- true unless `alarmTopic` is given');
    expect(docs.dataPrefix).toBe("'<id>/dt=!{timestamp:yyyy-MM-dd}/' with the construct id lower-cased");
    expect(docs.errorPrefix).toBe("'errors/<id>/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/'");
    expect(lab.ingestion.dataPrefix).toBe('clicks/dt=!{timestamp:yyyy-MM-dd}/');
    expect(lab.ingestion.errorPrefix).toBe('errors/clicks/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/');
    expect(lab.ingestion.format).toBe(StreamRecordFormat.JSON);
  });
});

describe('StreamingIngestion: rejected input', () => {
  const lakeProps = (stack: Stack) => ({ dataLake: new DataLake(stack, 'Lake') });
  const bucketProps = (stack: Stack) => {
    const key = new DataKey(stack, 'Key');
    return { destinationBucket: new SecureBucket(stack, 'Bucket', { encryptionKey: key, serverAccessLogsBucket: new AccessLogBucket(stack, 'Logs') }) };
  };
  type Case = [string, (stack: Stack) => StreamingIngestionProps, string, string];
  const withBucket = (extra: Partial<StreamingIngestionProps>) => (stack: Stack) => ({ ...bucketProps(stack), ...extra });
  const parquetBucket = (extra: Partial<StreamingIngestionProps>) => withBucket({ format: StreamRecordFormat.PARQUET, glueDatabaseName: 'raw', columns: COLUMNS, ...extra });

  const cases: Case[] = [
    ['a shard count with on-demand mode', withBucket({ streamMode: kinesis.StreamMode.ON_DEMAND, shardCount: 2 }), 'shardCount', '2'],
    ['a shard count of 0', withBucket({ shardCount: 0 }), 'shardCount', '0'],
    ['retention under 24 hours', withBucket({ retentionPeriod: Duration.hours(12) }), 'retentionPeriod', '12'],
    ['retention over 8760 hours', withBucket({ retentionPeriod: Duration.days(366) }), 'retentionPeriod', '8784'],
    ['a buffering interval over 900 seconds', withBucket({ bufferingInterval: Duration.minutes(16) }), 'bufferingInterval', '960'],
    ['a buffering interval under 60 seconds with dynamic partitioning', withBucket({
      bufferingInterval: Duration.seconds(30), partitionKeys: { type: '.event_type' }, dataPrefix: 'e/type=!{partitionKeyFromQuery:type}/',
    }), 'bufferingInterval', '30'],
    ['a buffering size over 128 MiB', withBucket({ bufferingSize: Size.mebibytes(256) }), 'bufferingSize', '256'],
    ['a buffering size under 1 MiB', withBucket({ bufferingSize: Size.kibibytes(512) }), 'bufferingSize', '0.5'],
    ['a buffering size under 64 MiB with Parquet', parquetBucket({ bufferingSize: Size.mebibytes(32) }), 'bufferingSize', '32'],
    ['dynamic partitioning whose prefix uses no partition key', withBucket({
      partitionKeys: { type: '.event_type' }, dataPrefix: 'events/dt=!{timestamp:yyyy-MM-dd}/',
    }), 'dataPrefix', '"events/dt=!{timestamp:yyyy-MM-dd}/"'],
    ['a prefix key the query does not define', withBucket({
      partitionKeys: { type: '.event_type' }, dataPrefix: 'events/type=!{partitionKeyFromQuery:type}/user=!{partitionKeyFromQuery:user}/',
    }), 'dataPrefix', '"events/type=!{partitionKeyFromQuery:type}/user=!{partitionKeyFromQuery:user}/"'],
    ['a prefix key without any partitionKeys', withBucket({ dataPrefix: 'events/type=!{partitionKeyFromQuery:type}/' }),
      'dataPrefix', '"events/type=!{partitionKeyFromQuery:type}/"'],
    ['a partition key the prefix does not use', withBucket({
      partitionKeys: { type: '.event_type', user: '.user_id' }, dataPrefix: 'events/type=!{partitionKeyFromQuery:type}/',
    }), 'partitionKeys', '["type", "user"]'],
    ['a partition key with an empty query', withBucket({
      partitionKeys: { type: ' ' }, dataPrefix: 'events/type=!{partitionKeyFromQuery:type}/',
    }), 'partitionKeys.type', '" "'],
    ['a data prefix not ending in /', withBucket({ dataPrefix: 'events/dt=!{timestamp:yyyy-MM-dd}' }), 'dataPrefix', '"events/dt=!{timestamp:yyyy-MM-dd}"'],
    ['an error prefix not ending in /', withBucket({ errorPrefix: 'errors/!{firehose:error-output-type}' }), 'errorPrefix', '"errors/!{firehose:error-output-type}"'],
    ['a data prefix starting with /', withBucket({ dataPrefix: '/events/' }), 'dataPrefix', '"/events/"'],
    ['an error prefix without !{firehose:error-output-type}', withBucket({ errorPrefix: 'errors/' }), 'errorPrefix', '"errors/"'],
    ['an error prefix with a partition key', withBucket({
      partitionKeys: { type: '.event_type' }, dataPrefix: 'e/type=!{partitionKeyFromQuery:type}/',
      errorPrefix: 'errors/!{firehose:error-output-type}/type=!{partitionKeyFromQuery:type}/',
    }), 'errorPrefix', '"errors/!{firehose:error-output-type}/type=!{partitionKeyFromQuery:type}/"'],
    ['a data prefix with the error output type', withBucket({ dataPrefix: 'events/!{firehose:error-output-type}/' }), 'dataPrefix', '"events/!{firehose:error-output-type}/"'],
    ['Parquet without columns', parquetBucket({ columns: undefined }), 'columns', 'undefined'],
    ['Parquet with an empty column list', parquetBucket({ columns: [] }), 'columns', '[]'],
    ['Parquet with compression', parquetBucket({ compression: firehose.Compression.GZIP }), 'compression', '"GZIP"'],
    ['a column type Hive does not know', parquetBucket({ columns: [{ name: 'id', type: 'varchar' }] }), 'columns[0].type', '"varchar"'],
    ['an upper-case column name', parquetBucket({ columns: [{ name: 'EventId', type: 'string' }] }), 'columns[0].name', '"EventId"'],
    ['duplicate column names', parquetBucket({ columns: [{ name: 'id', type: 'string' }, { name: 'id', type: 'bigint' }] }), 'columns', '"id"'],
    ['a column that is also a partition key', parquetBucket({ dataPrefix: 'p/event_type=!{partitionKeyFromQuery:event_type}/', partitionKeys: { event_type: '.event_type' } }),
      'columns', '"event_type"'],
    ['Parquet with a bucket but no Glue database', parquetBucket({ glueDatabaseName: undefined }), 'glueDatabaseName', 'undefined'],
    ['a Glue database name with upper case', parquetBucket({ glueDatabaseName: 'Raw' }), 'glueDatabaseName', '"Raw"'],
    ['columns with JSON', withBucket({ columns: COLUMNS }), 'columns', '['],
    ['a table name with JSON', withBucket({ tableName: 'clicks' }), 'tableName', '"clicks"'],
    ['neither a lake nor a bucket', () => ({}), 'dataLake', 'undefined'],
    ['both a lake and a bucket', (stack) => ({ ...lakeProps(stack), ...bucketProps(stack) }), 'destinationBucket', '"Test/Bucket"'],
    ['a destination key beside a lake', (stack) => ({ ...lakeProps(stack), destinationKey: new DataKey(stack, 'Other') }), 'destinationKey', '"Test/Other"'],
    ['a bucket without a key', (stack) => ({ destinationBucket: s3.Bucket.fromBucketName(stack, 'Plain', 'plain-bucket') }), 'destinationKey', 'undefined'],
    ['an imported key (its policy cannot let CloudWatch Logs in)', (stack) => ({
      destinationBucket: s3.Bucket.fromBucketName(stack, 'Plain', 'plain-bucket'),
      destinationKey: kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'),
    }), 'destinationKey', '"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"'],
    ['a zone the lake does not have', (stack) => ({ ...lakeProps(stack), zone: 'bronze' }), 'zone', '"bronze"'],
    ['alarmTopic together with createAlarmTopic', (stack) => ({
      ...bucketProps(stack), createAlarmTopic: true, alarmTopic: sns.Topic.fromTopicArn(stack, 'T', 'arn:aws:sns:us-east-1:111122223333:ops'),
    }), 'createAlarmTopic', 'true'],
    ['an iterator age threshold beyond the retention period', withBucket({ iteratorAgeThreshold: Duration.hours(25) }), 'iteratorAgeThreshold', '90000'],
    ['a freshness threshold within the buffering interval', withBucket({ bufferingInterval: Duration.seconds(300), deliveryFreshnessThreshold: Duration.minutes(5) }),
      'deliveryFreshnessThreshold', '300'],
  ];

  test.each(cases)('rejects %s', (_what, props, prop, value) => {
    const stack = testStack('lab');
    const err = rejectionOf(() => new StreamingIngestion(stack, 'Clicks', props(stack)));
    expect(err.prop).toBe(prop);
    expect(err.message).toContain('[Test/Clicks]');
    expect(err.message).toContain(`invalid ${prop}: got ${value}`);
  });
});

describe('StreamingIngestion: the smallest usage', () => {
  test.each(['lab', 'production'] as const)('new StreamingIngestion(stack, "S", { dataLake }) has no unacknowledged finding in any of the 4 nag packs (%s)', (profile) => {
    const stack = testStack(profile);
    const dataLake = new DataLake(stack, 'Lake');
    new StreamingIngestion(stack, 'S', { dataLake });
    Template.fromStack(stack);
    // Was four HIPAA (and four NIST) CloudWatchAlarmAction findings: alarms now notify their own topic.
    expect(formatNag(nagFindings(stack))).toEqual([]);
  });

  test('declining the topic leaves the alarms without actions: exactly the CloudWatchAlarmAction findings the README names', () => {
    const stack = testStack('lab');
    new StreamingIngestion(stack, 'S', { dataLake: new DataLake(stack, 'Lake'), createAlarmTopic: false });
    Template.fromStack(stack);
    const findings = nagFindings(stack);
    expect(findings).toHaveLength(8);
    expect(new Set(findings.map((f) => f.rule))).toEqual(new Set(['HIPAA.Security-CloudWatchAlarmAction', 'NIST.800.53.R5-CloudWatchAlarmAction']));
  });

  test('the acknowledgement the README gives clears them', () => {
    const stack = testStack('lab');
    const s = new StreamingIngestion(stack, 'S', { dataLake: new DataLake(stack, 'Lake'), createAlarmTopic: false });
    Nag.acknowledgeCompliance(s, 'CloudWatchAlarmAction', 'These alarms feed a dashboard that the on-call team watches; paging is wired elsewhere.');
    Template.fromStack(stack);
    expect(formatNag(nagFindings(stack))).toEqual([]);
  });
});

describe('StreamingIngestion: collisions and crawlers', () => {
  const parquetProps = (tableName: string) => ({ format: StreamRecordFormat.PARQUET, columns: COLUMNS, tableName });

  test('two Parquet tables with one name in one database are rejected at synth', () => {
    const stack = testStack('lab');
    const dataLake = new DataLake(stack, 'Lake');
    new StreamingIngestion(stack, 'A', { dataLake, ...parquetProps('clicks') });
    const e = rejectionOf(() => new StreamingIngestion(stack, 'B', { dataLake, ...parquetProps('clicks') }));
    expect(e.message).toContain('[Test/B] invalid tableName: got "test_lake_raw.clicks"');
    expect(e.allowed).toContain('Test/A already uses it');
  });

  test('the same table name in two zones, or two names in one zone, is accepted', () => {
    const stack = testStack('lab');
    const dataLake = new DataLake(stack, 'Lake');
    new StreamingIngestion(stack, 'A', { dataLake, ...parquetProps('clicks') });
    expect(() => new StreamingIngestion(stack, 'B', { dataLake, zone: 'curated', ...parquetProps('clicks') })).not.toThrow();
    expect(() => new StreamingIngestion(stack, 'C', { dataLake, ...parquetProps('clicks_2') })).not.toThrow();
  });

  test('two tables named alike through a bucket and an explicit database are rejected', () => {
    const { stack, bucket } = bucketSetup();
    new StreamingIngestion(stack, 'A', { destinationBucket: bucket, glueDatabaseName: 'raw', ...parquetProps('clicks') });
    const e = rejectionOf(() => new StreamingIngestion(stack, 'B', { destinationBucket: bucket, glueDatabaseName: 'raw', ...parquetProps('clicks') }));
    expect(e.prop).toBe('tableName');
  });

  test('the lake\'s crawlers skip the error prefix (Firehose error output is no table)', () => {
    const stack = testStack('lab');
    const dataLake = new DataLake(stack, 'Lake', { crawledZones: ['raw'] });
    new StreamingIngestion(stack, 'S', { dataLake, errorPrefix: CLICK_ERRORS });
    const crawler = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(dataLake.crawler('raw').cfnCrawler)];
    expect(crawler.Properties.Targets.S3Targets[0].Exclusions).toEqual(['errors/**', 'data-capture/**', 'clickstream-errors/**']);
  });
});

describe('StreamingIngestion: range rules accept their edges', () => {
  const accepts = (extra: Partial<StreamingIngestionProps>) => {
    const { stack, bucket } = bucketSetup();
    return () => new StreamingIngestion(stack, 'Clicks', { destinationBucket: bucket, ...extra });
  };
  const partitioned = { partitionKeys: { type: '.event_type' }, dataPrefix: 'e/type=!{partitionKeyFromQuery:type}/' };
  const parquetOnBucket = { format: StreamRecordFormat.PARQUET, glueDatabaseName: 'raw', columns: COLUMNS };

  test.each<[string, Partial<StreamingIngestionProps>, Partial<StreamingIngestionProps>, string]>([
    ['shard count 1 and 10000 / 0 and 10001', { shardCount: 1 }, { shardCount: 10_001 }, 'shardCount'],
    ['shard count 10000 / 0', { shardCount: 10_000 }, { shardCount: 0 }, 'shardCount'],
    ['retention 24 h / 23 h', { retentionPeriod: Duration.hours(24) }, { retentionPeriod: Duration.hours(23) }, 'retentionPeriod'],
    ['retention 8760 h / 8761 h', { retentionPeriod: Duration.hours(8760) }, { retentionPeriod: Duration.hours(8761) }, 'retentionPeriod'],
    ['buffering 900 s / 901 s', { bufferingInterval: Duration.seconds(900) }, { bufferingInterval: Duration.seconds(901) }, 'bufferingInterval'],
    ['buffering 60 s / 59 s with dynamic partitioning', { ...partitioned, bufferingInterval: Duration.seconds(60) }, { ...partitioned, bufferingInterval: Duration.seconds(59) }, 'bufferingInterval'],
    ['buffer 1 MiB / 1023 KiB', { bufferingSize: Size.mebibytes(1) }, { bufferingSize: Size.kibibytes(1023) }, 'bufferingSize'],
    ['buffer 128 MiB / 129 MiB', { bufferingSize: Size.mebibytes(128) }, { bufferingSize: Size.mebibytes(129) }, 'bufferingSize'],
    // Firehose rejects dynamic partitioning with a buffer below 64 MiB, at deploy time: here at synth.
    ['buffer 64 MiB / 63 MiB with dynamic partitioning', { ...partitioned, bufferingSize: Size.mebibytes(64) }, { ...partitioned, bufferingSize: Size.mebibytes(63) }, 'bufferingSize'],
    ['buffer 64 MiB / 63 MiB with Parquet', { ...parquetOnBucket, bufferingSize: Size.mebibytes(64) }, { ...parquetOnBucket, bufferingSize: Size.mebibytes(63) }, 'bufferingSize'],
    ['iterator age 60 s / 59 s', { iteratorAgeThreshold: Duration.seconds(60) }, { iteratorAgeThreshold: Duration.seconds(59) }, 'iteratorAgeThreshold'],
    ['iterator age = retention (24 h) / 24 h + 1 s', { iteratorAgeThreshold: Duration.hours(24) }, { iteratorAgeThreshold: Duration.seconds(86_401) }, 'iteratorAgeThreshold'],
    ['freshness interval + 60 s / + 59 s', { bufferingInterval: Duration.seconds(300), deliveryFreshnessThreshold: Duration.seconds(360) },
      { bufferingInterval: Duration.seconds(300), deliveryFreshnessThreshold: Duration.seconds(359) }, 'deliveryFreshnessThreshold'],
    ['freshness 86400 s / 86401 s', { deliveryFreshnessThreshold: Duration.seconds(86_400) }, { deliveryFreshnessThreshold: Duration.seconds(86_401) }, 'deliveryFreshnessThreshold'],
  ])('%s', (_what, ok, bad, prop) => {
    expect(accepts(ok)).not.toThrow();
    const { stack, bucket } = bucketSetup();
    expect(rejectionOf(() => new StreamingIngestion(stack, 'Clicks', { destinationBucket: bucket, ...bad })).prop).toBe(prop);
  });

  test('a column name of 255 characters is accepted; 256 is rejected', () => {
    const parquetOnBucketWith = (name: string) => ({ format: StreamRecordFormat.PARQUET, glueDatabaseName: 'raw', columns: [{ name, type: 'string' }] });
    expect(accepts(parquetOnBucketWith(`c${'a'.repeat(254)}`))).not.toThrow();
    const { stack, bucket } = bucketSetup();
    expect(rejectionOf(() => new StreamingIngestion(stack, 'Clicks', { destinationBucket: bucket, ...parquetOnBucketWith(`c${'a'.repeat(255)}`) })).prop).toBe('columns[0].name');
  });

  test('a partition key name of 64 characters is accepted; 65 is rejected', () => {
    const withKey = (key: string) => ({ partitionKeys: { [key]: '.event_type' }, dataPrefix: `e/t=!{partitionKeyFromQuery:${key}}/` });
    expect(accepts(withKey('k'.repeat(64)))).not.toThrow();
    const { stack, bucket } = bucketSetup();
    expect(rejectionOf(() => new StreamingIngestion(stack, 'Clicks', { destinationBucket: bucket, ...withKey('k'.repeat(65)) })).prop).toBe('partitionKeys');
  });

  test('buffering 0 s (Firehose\'s lower edge without dynamic partitioning) is accepted', () => {
    // Duration itself refuses a negative amount, so nothing below 0 can reach the construct.
    expect(accepts({ bufferingInterval: Duration.seconds(0) })).not.toThrow();
  });

  test.each(Object.values(logs.RetentionDays).filter((v): v is number => typeof v === 'number'))('every CloudWatch Logs retention (%i days) is accepted', (days) => {
    expect(accepts({ logRetention: days })).not.toThrow();
  });
});

describe('StreamingIngestion: input from plain JavaScript or Python', () => {
  const misuse: Array<[string, Record<string, unknown>, string]> = [
    ['a string where the lake is expected', { dataLake: 'my-lake' }, 'dataLake'],
    ['a number as zone', { zone: 1 }, 'zone'],
    ['a bucket name where a bucket is expected', { destinationBucket: 'my-bucket' }, 'destinationBucket'],
    ['a key ARN string where a key is expected', { destinationKey: 'arn:aws:kms:us-east-1:111122223333:key/x' }, 'destinationKey'],
    ['a string as stream key', { streamEncryptionKey: 'alias/aws/kinesis' }, 'streamEncryptionKey'],
    ['a number as database name', { glueDatabaseName: 1 }, 'glueDatabaseName'],
    ['a stream mode that is not a StreamMode', { streamMode: 'on-demand' }, 'streamMode'],
    ['a string as shard count', { shardCount: '2' }, 'shardCount'],
    ['NaN shards', { shardCount: NaN }, 'shardCount'],
    ['a negative shard count', { shardCount: -1 }, 'shardCount'],
    ['hours as a number where a Duration is expected', { retentionPeriod: 48 }, 'retentionPeriod'],
    ['a number as data prefix', { dataPrefix: 5 }, 'dataPrefix'],
    ['a number as error prefix', { errorPrefix: 5 }, 'errorPrefix'],
    ['a list where the partition-key map is expected', { partitionKeys: ['type'] }, 'partitionKeys'],
    ['seconds as a number where a Duration is expected', { bufferingInterval: 60 }, 'bufferingInterval'],
    ['MiB as a number where a Size is expected', { bufferingSize: 64 }, 'bufferingSize'],
    ['a string where a Compression is expected', { compression: 'GZIP' }, 'compression'],
    ['an unknown format', { format: 'ORC' }, 'format'],
    ['one column object where a list is expected', { format: 'PARQUET', glueDatabaseName: 'raw', columns: { name: 'id', type: 'string' } }, 'columns'],
    ['a column without a type', { format: 'PARQUET', glueDatabaseName: 'raw', columns: [{ name: 'id' }] }, 'columns[0].type'],
    ['a number as table name', { tableName: 7 }, 'tableName'],
    ['a retention CloudWatch Logs does not offer', { logRetention: 45 }, 'logRetention'],
    ['a negative retention', { logRetention: -1 }, 'logRetention'],
    ['a number where a Duration threshold is expected', { iteratorAgeThreshold: 3600 }, 'iteratorAgeThreshold'],
    ['a number where the freshness Duration is expected', { deliveryFreshnessThreshold: 900 }, 'deliveryFreshnessThreshold'],
    ['a topic ARN string where a topic is expected', { alarmTopic: 'arn:aws:sns:us-east-1:111122223333:ops' }, 'alarmTopic'],
    ['a string as createAlarmTopic', { createAlarmTopic: 'false' }, 'createAlarmTopic'],
  ];

  test.each(misuse)('%s is rejected with a PropValidationError naming the prop', (_what, extra, prop) => {
    const { stack, bucket } = bucketSetup();
    const base: Record<string, unknown> = 'dataLake' in extra || 'destinationBucket' in extra ? {} : { destinationBucket: bucket };
    const e = rejectionOf(() => new StreamingIngestion(stack, 'Clicks', { ...base, ...extra } as unknown as StreamingIngestionProps));
    expect(e.prop).toBe(prop);
    expect(e.constructPath).toBe('Test/Clicks');
  });

  test('the misuse table covers every prop of StreamingIngestionProps', () => {
    const covered = new Set(misuse.map(([, , prop]) => prop.replace(/\[\d+\]\..*$/, '')));
    expect([...covered].sort()).toEqual(Object.keys(documentedDefaults(FILE, 'StreamingIngestionProps')).sort());
  });

  test('no props at all is rejected naming props', () => {
    const stack = testStack('lab');
    const e = rejectionOf(() => new StreamingIngestion(stack, 'Clicks', undefined as unknown as StreamingIngestionProps));
    expect(e.message).toContain('[Test/Clicks] invalid props: got undefined');
  });

  test('tokens in Duration, Size and number props are accepted and reach the template', () => {
    const { stack, bucket } = bucketSetup();
    const n = (id: string) => new CfnParameter(stack, id, { type: 'Number' }).valueAsNumber;
    new StreamingIngestion(stack, 'Clicks', {
      destinationBucket: bucket,
      shardCount: n('Shards'),
      retentionPeriod: Duration.hours(n('Hours')),
      bufferingInterval: Duration.seconds(n('Seconds')),
      bufferingSize: Size.mebibytes(n('MiB')),
      iteratorAgeThreshold: Duration.millis(n('Age')),
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Kinesis::Stream', { ShardCount: { Ref: 'Shards' }, RetentionPeriodHours: { Ref: 'Hours' } });
    t.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      ExtendedS3DestinationConfiguration: Match.objectLike({ BufferingHints: { IntervalInSeconds: { Ref: 'Seconds' }, SizeInMBs: { Ref: 'MiB' } } }),
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'GetRecords.IteratorAgeMilliseconds', Threshold: { Ref: 'Age' } });
    // Freshness defaults to the longest interval plus 15 minutes when the interval is a token.
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'DeliveryToS3.DataFreshness', Threshold: 1800 });
  });

  test('a token Duration in another unit than the one needed is rejected clearly, not with aws-cdk-lib\'s conversion error', () => {
    const { stack, bucket } = bucketSetup();
    const minutes = new CfnParameter(stack, 'Minutes', { type: 'Number' }).valueAsNumber;
    const e = rejectionOf(() => new StreamingIngestion(stack, 'Clicks', { destinationBucket: bucket, bufferingInterval: Duration.minutes(minutes) }));
    expect(e.prop).toBe('bufferingInterval');
    expect(e.allowed).toContain('Duration.seconds(token)');
  });

  test('a token Size in another unit than MiB is rejected clearly', () => {
    const { stack, bucket } = bucketSetup();
    const kib = new CfnParameter(stack, 'KiB', { type: 'Number' }).valueAsNumber;
    const e = rejectionOf(() => new StreamingIngestion(stack, 'Clicks', { destinationBucket: bucket, bufferingSize: Size.kibibytes(kib) }));
    expect(e.prop).toBe('bufferingSize');
    expect(e.allowed).toContain('Size.mebibytes(token)');
  });
});
