import { Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import {
  DataLake, EtlJob, StreamingIngestion, StreamRecordFormat,
} from '../../lib';
import { rejectionOf } from '../support/rejection';
import { testStack } from '../support/stack';
import { bucketSetup, ingestionRejection } from './helpers';

// Tests written for mutants StrykerJS found alive in lib/data (MUTATE=lib/data npm run mutate); each
// names the behaviour it pins. Literal documented values, not values read back from defaults().

const COLUMNS = [{ name: 'event_id', type: 'string' }, { name: 'event_type', type: 'string' }];

describe('StreamingIngestion: the Parquet table', () => {
  let template: Template;
  beforeAll(() => {
    const { stack, bucket } = bucketSetup();
    new StreamingIngestion(stack, 'Clicks', {
      destinationBucket: bucket, glueDatabaseName: 'raw', format: StreamRecordFormat.PARQUET, columns: COLUMNS,
      dataPrefix: 'clicks/dt=!{timestamp:yyyy-MM-dd}/',
    });
    template = Template.fromStack(stack);
  });

  test('declares the Snappy compression Firehose writes its Parquet files with', () => {
    template.hasResourceProperties('AWS::Glue::Table', {
      TableInput: Match.objectLike({ Parameters: Match.objectLike({ 'classification': 'parquet', 'parquet.compression': 'SNAPPY' }) }),
    });
  });

  test('projects a date partition over the last 3 years in steps of one day', () => {
    template.hasResourceProperties('AWS::Glue::Table', {
      TableInput: Match.objectLike({
        Parameters: Match.objectLike({
          'projection.dt.type': 'date',
          'projection.dt.range': 'NOW-3YEARS,NOW',
          'projection.dt.interval': '1',
          'projection.dt.interval.unit': 'DAYS',
        }),
      }),
    });
  });
});

describe('StreamingIngestion: rejections name the prop and what is allowed', () => {
  test('a Parquet column name that is missing or not a string is rejected as columns[i].name', () => {
    const withSecondColumn = (column: Record<string, unknown>) => ingestionRejection({
      glueDatabaseName: 'raw', format: StreamRecordFormat.PARQUET,
      columns: [{ name: 'event_id', type: 'string' }, column as unknown as { name: string; type: string }],
    });
    const missing = withSecondColumn({ type: 'string' });
    expect(missing.prop).toBe('columns[1].name');
    expect(missing.message).toBe('[Test/Clicks] invalid columns[1].name: got undefined; allowed: a column name');
    const numeric = withSecondColumn({ name: 42, type: 'string' });
    expect(numeric.prop).toBe('columns[1].name');
    expect(numeric.message).toBe('[Test/Clicks] invalid columns[1].name: got 42; allowed: a string');
  });

  test('a prefix key with no partitionKeys says that none are defined and which key is missing', () => {
    const err = ingestionRejection({ dataPrefix: 'events/type=!{partitionKeyFromQuery:type}/' });
    expect(err.message).toBe('[Test/Clicks] invalid dataPrefix: got "events/type=!{partitionKeyFromQuery:type}/"; '
      + 'allowed: partition keys defined in partitionKeys (none defined; "type" is not)');
  });

  test('a log retention given as the member name (a string) is rejected; the member itself is accepted', () => {
    const err = ingestionRejection({ logRetention: 'ONE_WEEK' as unknown as logs.RetentionDays });
    expect(err.prop).toBe('logRetention');
    expect(err.message).toContain('invalid logRetention: got "ONE_WEEK"; allowed: a RetentionDays value: RetentionDays.ONE_DAY, RetentionDays.THREE_DAYS,');
    const { stack, bucket } = bucketSetup();
    expect(() => new StreamingIngestion(stack, 'Clicks', { destinationBucket: bucket, logRetention: logs.RetentionDays.ONE_WEEK })).not.toThrow();
  });
});

describe('Glue schedules (DataLake crawlerSchedule)', () => {
  const crawlerSchedule = (schedule: string): Template => {
    const stack = testStack('lab');
    new DataLake(stack, 'Lake', { crawledZones: ['raw'], crawlerSchedule: schedule });
    return Template.fromStack(stack);
  };

  test('runs 20 minutes apart that do not start at minute 0 are accepted (the gap across the hour is 20 minutes too)', () => {
    crawlerSchedule('cron(10/20 * * * ? *)').hasResourceProperties('AWS::Glue::Crawler', { Schedule: { ScheduleExpression: 'cron(10/20 * * * ? *)' } });
  });

  test('across the hour, minutes 3 and 58 (5 minutes apart) are accepted; 3 and 59 (4 apart) are rejected', () => {
    expect(() => crawlerSchedule('cron(3,58 * * * ? *)')).not.toThrow();
    expect(rejectionOf(() => crawlerSchedule('cron(3,59 * * * ? *)')).message).toContain('invalid crawlerSchedule: got "cron(3,59 * * * ? *)"; allowed: a schedule that runs at most every 5 minutes');
  });

  test('every month name is accepted, JUL (which ends like the L of "last") included, alone and in a range; L and W still work', () => {
    for (const schedule of ['cron(0 3 1 JUL ? *)', 'cron(0 3 1 JAN-JUL ? *)', 'cron(0 3 1 jul,dec ? *)', 'cron(0 3 L * ? *)', 'cron(0 3 15W * ? *)', 'cron(0 3 ? * 6L *)']) {
      expect(() => crawlerSchedule(schedule)).not.toThrow();
    }
    expect(rejectionOf(() => crawlerSchedule('cron(0 3 1 JULY ? *)')).message).toContain('Month values from 1 to 12 (or JAN-DEC); got NaN');
  });
});

describe('EtlJob workflow', () => {
  test('with only the output crawler (the default), the workflow is described as "run job -> crawl output"', () => {
    const stack = testStack('lab');
    new EtlJob(stack, 'Etl', { dataLake: new DataLake(stack, 'Lake') });
    Template.fromStack(stack).hasResourceProperties('AWS::Glue::Workflow', { Description: 'run job -> crawl output', MaxConcurrentRuns: 1 });
  });
});
