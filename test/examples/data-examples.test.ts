import { CfnElement, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { DataLakeExample } from '../../examples/data-lake/data-lake-example';
import { EtlExample } from '../../examples/etl/etl-example';
import { FoundationExample } from '../../examples/foundation/foundation-example';
import { StreamingIngestionExample } from '../../examples/streaming-ingestion/streaming-ingestion-example';
import { PROFILES, ProfileName, testApp } from '../support/app';

// What each data example is for, asserted on its template (the gates' snapshots are only a safety net).

function build<T extends Stack>(Example: new (scope: never, id: string) => T, profile: ProfileName): { stack: T; template: Template } {
  const stack = new Example(testApp({ profile }) as never, 'Example');
  return { stack, template: Template.fromStack(stack) };
}

/** `{ Ref }` of the resource behind the construct at `path` (ids separated by '/') under the stack. */
const ref = (stack: Stack, path: string) => {
  const construct = path.split('/').reduce<IConstruct>((c, id) => c.node.findChild(id), stack);
  return { Ref: stack.getLogicalId((construct.node.defaultChild ?? construct) as CfnElement) };
};

describe.each(PROFILES)('examples of the data domain (%s profile)', (profile) => {
  const lab = profile === 'lab';
  const foundation = build(FoundationExample, profile);
  const lake = build(DataLakeExample, profile);
  const streaming = build(StreamingIngestionExample, profile);
  const etl = build(EtlExample, profile);

  test('FoundationExample: one rotating key, an access-log bucket and one KMS bucket logging into it', () => {
    foundation.template.resourceCountIs('AWS::KMS::Key', 1);
    foundation.template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    foundation.template.resourceCountIs('AWS::S3::Bucket', 2);
    foundation.template.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: { DestinationBucketName: ref(foundation.stack, 'AccessLogs'), LogFilePrefix: 'Artifacts/' },
    });
  });

  test('DataLakeExample: crawlers over raw and curated, on demand in lab and nightly in production', () => {
    const crawlers = Object.values(lake.template.findResources('AWS::Glue::Crawler'));
    expect(crawlers).toHaveLength(2);
    const targets = crawlers.map((c) => JSON.stringify(c.Properties.Targets));
    expect(targets.some((t) => t.includes('LakeRawBucket'))).toBe(true);
    expect(targets.some((t) => t.includes('LakeCuratedBucket'))).toBe(true);
    for (const c of crawlers) {
      expect(c.Properties.Schedule).toEqual(lab ? undefined : { ScheduleExpression: 'cron(0 3 * * ? *)' });
    }
  });

  test('DataLakeExample: the analyst reads the curated zone and its catalog, queries through the workgroup, and nothing else', () => {
    const policy = Object.values(lake.template.findResources('AWS::IAM::Policy'))[0];
    const text = JSON.stringify(policy.Properties.PolicyDocument);
    expect(text).toContain('LakeCuratedBucket');
    expect(text).not.toContain('LakeRawBucket');
    expect(text).not.toContain('LakeFeaturesBucket');
    expect(text).toContain('athena:StartQueryExecution');
    expect(text).toMatch(/s3:(Put|Delete)Object/); // results only
    const writes = (policy.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>)
      .filter((s) => [s.Action].flat().some((a) => /^s3:(PutObject|DeleteObject)/.test(a)));
    expect(writes).toHaveLength(1);
    for (const s of writes) expect(JSON.stringify(s.Resource)).toMatch(/LakeQueryResultsBucket.*results\/\*/);
    lake.template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { AWS: Match.anyValue() } })] },
      Description: Match.stringLikeRegexp('curated zone'),
    });
  });

  test('DataLakeExample: the analyst may read the Glue default database, which Athena needs with database-scoped permissions', () => {
    const statements = Object.values(lake.template.findResources('AWS::IAM::Policy'))[0].Properties.PolicyDocument.Statement as Array<{ Action: unknown; Resource: unknown }>;
    const defaults = statements.filter((s) => JSON.stringify(s.Resource).includes(':database/default'));
    expect(defaults).toHaveLength(1);
    expect(defaults[0].Action).toEqual(['glue:GetDatabase', 'glue:GetDatabases']);
  });

  test(`DataLakeExample: the fixed-name workgroup and crawler log groups are ${lab ? 'deleted' : 'retained except when their first create rolls back'}`, () => {
    const expected = lab ? 'Delete' : 'RetainExceptOnCreate';
    const fixedName = [
      ...Object.values(lake.template.findResources('AWS::Athena::WorkGroup')),
      ...Object.values(lake.template.findResources('AWS::Logs::LogGroup')),
    ];
    expect(fixedName).toHaveLength(3);
    for (const r of fixedName) expect(r.DeletionPolicy).toBe(expected);
  });

  test('DataLakeExample: the raw zone archives to Glacier Instant Retrieval, which Athena reads; crawlers skip error output and data capture', () => {
    expect(JSON.stringify(lake.template.toJSON())).toContain('"StorageClass":"GLACIER_IR"');
    expect(JSON.stringify(lake.template.toJSON())).not.toContain('"StorageClass":"GLACIER"');
    const crawlers = Object.values(lake.template.findResources('AWS::Glue::Crawler'));
    expect(crawlers).toHaveLength(2);
    for (const c of crawlers) expect(c.Properties.Targets.S3Targets[0].Exclusions).toEqual(['errors/**', 'data-capture/**']);
  });

  test('StreamingIngestionExample: clickstream partitioned by event type (JQ) and arrival date, GZIP', () => {
    streaming.template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      ExtendedS3DestinationConfiguration: Match.objectLike({
        Prefix: 'clickstream/type=!{partitionKeyFromQuery:type}/dt=!{timestamp:yyyy-MM-dd}/',
        ErrorOutputPrefix: 'clickstream-errors/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/',
        CompressionFormat: 'GZIP',
        DynamicPartitioningConfiguration: { Enabled: true },
        ProcessingConfiguration: Match.objectLike({
          Processors: Match.arrayWith([Match.objectLike({
            Type: 'MetadataExtraction',
            Parameters: Match.arrayWith([{ ParameterName: 'MetadataExtractionQuery', ParameterValue: '{"type":.event_type}' }]),
          })]),
        }),
      }),
    });
  });

  test('StreamingIngestionExample: the second pipeline converts to Parquet against the declared 8-column Glue table', () => {
    streaming.template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      ExtendedS3DestinationConfiguration: Match.objectLike({
        Prefix: 'clickstream-parquet/dt=!{timestamp:yyyy-MM-dd}/',
        DataFormatConversionConfiguration: Match.objectLike({ Enabled: true }),
      }),
    });
    const table = Object.values(streaming.template.findResources('AWS::Glue::Table'))[0];
    expect(table.Properties.TableInput.Name).toBe('clickstream_parquet');
    expect(table.Properties.TableInput.StorageDescriptor.Columns.map((c: { Name: string }) => c.Name)).toEqual([
      'event_id', 'event_type', 'user_id', 'session_id', 'page', 'product_id', 'price', 'event_time',
    ]);
  });

  test(`StreamingIngestionExample: ${lab ? 'one provisioned shard' : 'on-demand'} per stream; both pipelines alarm to one topic`, () => {
    const streams = Object.values(streaming.template.findResources('AWS::Kinesis::Stream'));
    expect(streams).toHaveLength(2);
    for (const s of streams) {
      expect(s.Properties.StreamModeDetails).toEqual({ StreamMode: lab ? 'PROVISIONED' : 'ON_DEMAND' });
      expect(s.Properties.ShardCount).toBe(lab ? 1 : undefined);
    }
    streaming.template.resourceCountIs('AWS::SNS::Topic', 1);
    const alarms = Object.values(streaming.template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(8);
    const topic = ref(streaming.stack, 'Clickstream/AlarmTopic');
    for (const a of alarms) expect(a.Properties.AlarmActions).toEqual([topic]);
  });

  test('StreamingIngestionExample: the alarm topic key serves that one topic (SNS encryption context), the topic only alarms of this account', () => {
    const keys = Object.values(streaming.template.findResources('AWS::KMS::Key'));
    expect(keys).toHaveLength(2); // the lake key and the alarm topic key
    const topicName = Object.values(streaming.template.findResources('AWS::SNS::Topic'))[0].Properties.TopicName as string;
    const cw = keys.flatMap((k) => k.Properties.KeyPolicy.Statement as Array<{ Principal?: { Service?: unknown }; Condition?: unknown }>)
      .filter((st) => JSON.stringify(st.Principal ?? {}).includes('cloudwatch.amazonaws.com'));
    expect(cw).toHaveLength(1);
    expect(JSON.stringify(cw[0].Condition)).toContain(`"kms:EncryptionContext:aws:sns:topicArn"`);
    expect(JSON.stringify(cw[0].Condition)).toContain(`:${topicName}"`);
    const topicPolicy = Object.values(streaming.template.findResources('AWS::SNS::TopicPolicy'))[0].Properties.PolicyDocument.Statement as Array<{ Effect: string; Condition?: unknown }>;
    const allows = topicPolicy.filter((st) => st.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(JSON.stringify(allows[0].Condition)).toMatch(/aws:SourceArn.*:alarm:\*/);
  });

  test(`EtlExample: crawler -> job -> crawler, started ${lab ? 'weekly' : 'nightly'}, on ${lab ? 2 : 10} G.1X workers`, () => {
    etl.template.hasResourceProperties('AWS::Glue::Trigger', {
      Type: 'SCHEDULED', Schedule: lab ? 'cron(0 3 ? * MON *)' : 'cron(0 3 * * ? *)', WorkflowName: Match.anyValue(),
    });
    etl.template.resourceCountIs('AWS::Glue::Trigger', 3);
    etl.template.resourceCountIs('AWS::Glue::Crawler', 2);
    etl.template.hasResourceProperties('AWS::Glue::Job', { WorkerType: 'G.1X', NumberOfWorkers: lab ? 2 : 10 });
  });

  test('EtlExample: failures go to a topic with its own key, which EventBridge and CloudWatch may use for that topic only; the lake key admits neither', () => {
    const topic = Object.values(etl.template.findResources('AWS::SNS::Topic'))[0];
    expect(topic.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^AlertsKey/), 'Arn'] });
    const keys = etl.template.findResources('AWS::KMS::Key');
    const lakeKey = Object.entries(keys).find(([id]) => id.startsWith('LakeKey'))![1];
    expect(JSON.stringify(lakeKey)).not.toMatch(/events\.amazonaws\.com|cloudwatch\.amazonaws\.com/);
    const alertsKey = Object.entries(keys).find(([id]) => id.startsWith('AlertsKey'))![1];
    const publishers = (alertsKey.Properties.KeyPolicy.Statement as Array<Record<string, unknown>>)
      .filter((x) => JSON.stringify(x.Principal).match(/events|cloudwatch/));
    expect(publishers).toHaveLength(1);
    expect(publishers[0].Condition).toEqual({ StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': {
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sns:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:${topic.Properties.TopicName}`]],
    } } });
  });
});
