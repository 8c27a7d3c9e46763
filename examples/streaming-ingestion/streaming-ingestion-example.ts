import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { DataLake, StreamingIngestion, StreamRecordFormat } from '../../lib';

/**
 * Guide task 1.2 (data ingestion): clickstream events put on a Kinesis data stream and delivered
 * by Firehose into the data lake's raw zone, twice over:
 *
 * - `Clickstream`: GZIP JSON Lines, partitioned by event type (read from each record with JQ) and
 *   arrival date, e.g. `clickstream/type=purchase/dt=2026-11-25/`;
 * - `ClickstreamParquet`: the same events converted to Parquet against a Glue table in the raw
 *   zone's database, ready for Athena.
 *
 * `lib/lab/clickstream-generator.ts` makes records to put on the streams (the lab command line that
 * drives it is planned).
 */
export class StreamingIngestionExample extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, { description: 'cdk-ml-reference: Kinesis Data Streams to Firehose to the data lake raw zone (guide task 1.2)', ...props });
    const lake = new DataLake(this, 'Lake');

    const clickstream = new StreamingIngestion(this, 'Clickstream', {
      dataLake: lake,
      partitionKeys: { type: '.event_type' },
      dataPrefix: 'clickstream/type=!{partitionKeyFromQuery:type}/dt=!{timestamp:yyyy-MM-dd}/',
      errorPrefix: 'clickstream-errors/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/',
      createAlarmTopic: true,
    });

    const parquet = new StreamingIngestion(this, 'ClickstreamParquet', {
      dataLake: lake,
      format: StreamRecordFormat.PARQUET,
      tableName: 'clickstream_parquet',
      columns: [
        { name: 'event_id', type: 'string' },
        { name: 'event_type', type: 'string', comment: 'page_view, search, add_to_cart or purchase' },
        { name: 'user_id', type: 'string' },
        { name: 'session_id', type: 'string' },
        { name: 'page', type: 'string' },
        { name: 'product_id', type: 'string' },
        { name: 'price', type: 'double', comment: 'Unit price in dollars (cart and purchase events)' },
        { name: 'event_time', type: 'string', comment: 'ISO 8601, UTC' },
      ],
      dataPrefix: 'clickstream-parquet/dt=!{timestamp:yyyy-MM-dd}/',
      errorPrefix: 'clickstream-parquet-errors/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/',
      alarmTopic: clickstream.alarmTopic,
    });

    new CfnOutput(this, 'ClickstreamStreamName', { value: clickstream.stream.streamName });
    new CfnOutput(this, 'ParquetStreamName', { value: parquet.stream.streamName });
    new CfnOutput(this, 'RawBucketName', { value: lake.rawBucket.bucketName });
    new CfnOutput(this, 'ParquetTableName', { value: parquet.table!.ref });
  }
}
