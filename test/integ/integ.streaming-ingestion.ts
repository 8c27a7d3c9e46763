import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App } from 'aws-cdk-lib';
import { StreamingIngestionExample } from '../../examples/streaming-ingestion/streaming-ingestion-example';
import { DataLake, StreamingIngestion } from '../../lib/data';
import { POLL, runIfMain } from './support';

/** StreamingIngestionExample: a clickstream record put on the stream lands in the lake's raw zone under its partition. */
export function build(app: App): IntegTest {
  const stack = new StreamingIngestionExample(app, 'StreamingIngestionExample');
  const lake = stack.node.findChild('Lake') as DataLake;
  const clickstream = stack.node.findChild('Clickstream') as StreamingIngestion;
  const integ = new IntegTest(app, 'StreamingIngestionIntegTest', { testCases: [stack], diffAssets: false });

  const record = { event_id: 'integ-1', event_type: 'integ_probe', user_id: '42', session_id: 's', page: '/', event_time: '2026-01-01T00:00:00Z' };
  const put = integ.assertions.awsApiCall('Kinesis', 'putRecord', {
    StreamName: clickstream.stream.streamName, PartitionKey: '42', Data: JSON.stringify(record),
  });
  put.provider.addToRolePolicy({ Effect: 'Allow', Action: ['kinesis:PutRecord'], Resource: [clickstream.stream.streamArn] });
  put.provider.addToRolePolicy({ Effect: 'Allow', Action: ['kms:GenerateDataKey'], Resource: [clickstream.streamEncryptionKey.keyArn] });

  // Dynamic partitioning puts the record under type=<event_type>/; Firehose buffers up to 15 minutes.
  const landed = integ.assertions.awsApiCall('S3', 'listObjectsV2', { Bucket: lake.rawBucket.bucketName, Prefix: 'clickstream/type=integ_probe/' });
  landed.provider.addToRolePolicy({ Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [lake.rawBucket.bucketArn] });
  landed.expect(ExpectedResult.objectLike({ KeyCount: 1, Contents: Match.arrayWith([Match.objectLike({ Key: Match.stringLikeRegexp('^clickstream/type=integ_probe/dt=') })]) }))
    .waitForAssertions(POLL);
  put.next(landed);
  return integ;
}

runIfMain(module, build);
