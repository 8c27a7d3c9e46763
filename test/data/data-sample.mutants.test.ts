import * as path from 'path';
import { Duration, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  DataLake, EtlJob, EtlJobProps, FeatureTransformation, StreamingIngestion, StreamRecordFormat, ZoneCrawler,
} from '../../lib';
import { ROOT } from '../support/app';
import { rejectionOf } from '../support/rejection';
import { testStack } from '../support/stack';
import { bucketSetup, ingestionRejection } from './helpers';

// Tests written for mutants a sampled StrykerJS run (MUTATE=lib/data MUTATE_SAMPLE=0.1) found alive in
// lib/data; each names the behaviour it pins. Literal documented values and exact messages.

const SQL = path.join(ROOT, 'lib', 'data', 'etl', 'features.sql');

function etlRejection(props: Partial<EtlJobProps>): ReturnType<typeof rejectionOf> {
  const stack = testStack('lab');
  const lake = new DataLake(stack, 'Lake');
  return rejectionOf(() => new EtlJob(stack, 'Etl', { dataLake: lake, ...props }));
}

describe('DataLake rejections', () => {
  test('an extra zone name must be only lower-case words joined by hyphens, to its end', () => {
    const stack = testStack('lab');
    const err = rejectionOf(() => new DataLake(stack, 'Lake', { extraZones: ['gold_tables'] }));
    expect(err.prop).toBe('extraZones[0]');
    expect(() => new DataLake(testStack('lab'), 'Lake', { extraZones: ['gold-tables2'] })).not.toThrow();
  });

  test('queryResultsExpirationDays names its range in days', () => {
    const err = rejectionOf(() => new DataLake(testStack('lab'), 'Lake', { queryResultsExpirationDays: 0 }));
    expect(err.message).toBe('[Test/Lake] invalid queryResultsExpirationDays: got 0; allowed: an integer from 1 to 3650 days');
  });

  test('a second lake with the same database names is rejected, naming the Glue database the first one uses', () => {
    const stack = testStack('lab');
    new DataLake(stack, 'Lake', { databaseNamePrefix: 'shop' });
    const err = rejectionOf(() => new DataLake(stack, 'Lake2', { databaseNamePrefix: 'shop' }));
    expect(err.prop).toBe('databaseNamePrefix');
    expect(err.message).toContain('allowed: a Glue database name that no other construct of this app uses (Test/Lake already uses it;');
  });

  test('excludeFromCrawlers rejects a prefix that is not a string as "prefix"', () => {
    const lake = new DataLake(testStack('lab'), 'Lake', { crawledZones: ['raw'] });
    const err = rejectionOf(() => lake.excludeFromCrawlers('raw', 42 as unknown as string));
    expect(err.prop).toBe('prefix');
  });

  test('a Glue schedule with a minute step of 0 is rejected as too frequent', () => {
    const err = rejectionOf(() => new DataLake(testStack('lab'), 'Lake', { crawledZones: ['raw'], crawlerSchedule: 'cron(*/0 * * * ? *)' }));
    expect(err.message).toContain('invalid crawlerSchedule: got "cron(*/0 * * * ? *)"; allowed: a schedule that runs at most every 5 minutes');
  });
});

describe('EtlJob descriptions', () => {
  test('the Glue job is described by its inputs, its output and its training export', () => {
    const stack = testStack('lab');
    new EtlJob(stack, 'Etl', { dataLake: new DataLake(stack, 'Lake') });
    Template.fromStack(stack).hasResourceProperties('AWS::Glue::Job', {
      Description: 'Feature engineering: raw/customers/ + raw/clickstream/ -> features/customer_features/ (Parquet) + features/training-export/ (training export)',
    });
  });

  test('without a label column there is no training export in the description, and the failure alarm names the job', () => {
    const stack = testStack('lab');
    const topic = new sns.Topic(stack, 'Topic');
    new EtlJob(stack, 'Etl', {
      dataLake: new DataLake(stack, 'Lake'), alarmTopic: topic,
      transformation: FeatureTransformation.fromSqlFile(SQL, { partitionKeys: ['age_band', 'plan'], viewName: 'customers' }),
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Glue::Job', { Description: 'Feature engineering: raw/customers/ -> features/customer_features/ (Parquet)' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmDescription: 'A run of the Glue job of Test/Etl failed, timed out or errored' });
  });
});

describe('EtlJob rejections name the prop', () => {
  test('an outputPrefix without a trailing slash is rejected as outputPrefix', () => {
    expect(etlRejection({ outputPrefix: 'features' }).prop).toBe('outputPrefix');
  });

  test('the output may use the input prefix in another zone', () => {
    const stack = testStack('lab');
    expect(() => new EtlJob(stack, 'Etl', { dataLake: new DataLake(stack, 'Lake'), outputPrefix: 'customers/' })).not.toThrow();
  });

  test('missing props are rejected as "props"', () => {
    const stack = testStack('lab');
    expect(rejectionOf(() => new EtlJob(stack, 'Etl', undefined as unknown as EtlJobProps)).prop).toBe('props');
  });

  test('a dataLake with zoneBucket but no zoneNames is not a lake', () => {
    const err = rejectionOf(() => new EtlJob(testStack('lab'), 'Etl', { dataLake: { zoneBucket: () => undefined } as unknown as EtlJobProps['dataLake'] }));
    expect(err.prop).toBe('dataLake');
  });

  test('an alarmTopic object without a topicArn is rejected', () => {
    expect(etlRejection({ alarmTopic: {} as unknown as sns.ITopic }).prop).toBe('alarmTopic');
  });

  test('an additional input zone that is not a string is rejected as additionalInputs[i].zone', () => {
    const err = etlRejection({ additionalInputs: [{ viewName: 'clickstream', prefix: 'clickstream/', zone: 7 as unknown as string }] });
    expect(err.prop).toBe('additionalInputs[0].zone');
  });

  test('a timeout token not in minutes is rejected as timeout', () => {
    const err = etlRejection({ timeout: Duration.seconds(Token.asNumber({ Ref: 'Seconds' })) });
    expect(err.prop).toBe('timeout');
  });
});

describe('StreamingIngestion', () => {
  let template: Template;
  beforeAll(() => {
    const { stack, bucket } = bucketSetup();
    new StreamingIngestion(stack, 'My-Clicks', {
      destinationBucket: bucket, glueDatabaseName: 'raw', format: StreamRecordFormat.PARQUET, columns: [{ name: 'event_id', type: 'string' }],
    });
    template = Template.fromStack(stack);
  });

  test('the default data prefix keeps the hyphens inside the id', () => {
    template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      ExtendedS3DestinationConfiguration: Match.objectLike({ Prefix: 'my-clicks/dt=!{timestamp:yyyy-MM-dd}/' }),
    });
  });

  test('the alarm topic key lets CloudWatch use it for any resource of the topic context; the topic lets CloudWatch publish', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'AllowCloudWatchAlarmsToPublish', Resource: '*' })]) },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'AllowCloudWatchAlarmsToPublish', Action: 'sns:Publish' })]) },
    });
  });

  test('a glueDatabaseName given with a bucket grants the Parquet conversion access to that database', () => {
    expect(JSON.stringify(template.toJSON())).toContain(':database/raw"');
  });
});

describe('StreamingIngestion into a DataLake', () => {
  test('with a glueDatabaseName of its own, the Glue table does not wait for the lake (its database is not the lake\'s)', () => {
    const stack = testStack('lab');
    const lake = new DataLake(stack, 'Lake');
    new StreamingIngestion(stack, 'Clicks', {
      dataLake: lake, glueDatabaseName: 'clicks_db', format: StreamRecordFormat.PARQUET, columns: [{ name: 'event_id', type: 'string' }],
    });
    const tables = Object.values(Template.fromStack(stack).findResources('AWS::Glue::Table')) as Array<{ DependsOn?: string[] }>;
    expect(tables).toHaveLength(1);
    expect(tables[0].DependsOn).toBeUndefined();
  });
});

describe('StreamingIngestion rejections', () => {
  const PARQUET = { glueDatabaseName: 'raw', format: StreamRecordFormat.PARQUET };

  test('duplicate Parquet columns: allowed distinct column names', () => {
    const err = ingestionRejection({ ...PARQUET, columns: [{ name: 'a', type: 'string' }, { name: 'a', type: 'int' }] });
    expect(err.message).toBe('[Test/Clicks] invalid columns: got "a"; allowed: distinct column names');
  });

  test('a retention period out of range names its range in hours', () => {
    const err = ingestionRejection({ retentionPeriod: Duration.hours(12) });
    expect(err.message).toBe('[Test/Clicks] invalid retentionPeriod: got 12; allowed: an integer from 24 to 8760 hours');
  });

  test('a column named like a partition key of dataPrefix names the partition keys', () => {
    const err = ingestionRejection({ ...PARQUET, columns: [{ name: 'dt', type: 'string' }], dataPrefix: 'clicks/dt=!{timestamp:yyyy-MM-dd}/' });
    expect(err.message).toContain('allowed: names other than the partition keys of dataPrefix (dt): Glue rejects');
  });

  test('a destinationKey without a keyArn is rejected', () => {
    expect(ingestionRejection({ destinationKey: {} as unknown as kms.IKey }).prop).toBe('destinationKey');
  });

  test('partitionKeys given as a string is rejected', () => {
    expect(ingestionRejection({ partitionKeys: 'type' as unknown as Record<string, string> }).prop).toBe('partitionKeys');
  });
});

describe('ZoneCrawler rejections', () => {
  test('an IDataLake that is not a DataLake (no database()) takes one crawler per zone: two zones are accepted, a zone twice is not', () => {
    const stack = testStack('lab');
    // Every member of a real lake, its methods bound to it, except DataLake's own database(): the shape of a lake a caller implements.
    const real = new DataLake(stack, 'Lake');
    const lake = Object.create(real) as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(DataLake.prototype)) {
      const member = (real as unknown as Record<string, unknown>)[name];
      if (typeof member === 'function' && name !== 'constructor') lake[name] = member.bind(real);
    }
    lake.database = undefined;
    const props = (zone: string) => ({ lake: lake as unknown as DataLake, zone });
    new ZoneCrawler(stack, 'RawCrawler', props('raw'));
    expect(() => new ZoneCrawler(stack, 'CuratedCrawler', props('curated'))).not.toThrow();
    expect(rejectionOf(() => new ZoneCrawler(stack, 'RawCrawler2', props('raw'))).prop).toBe('zone');
  });

  test('a missing zone names the zones of the lake', () => {
    const stack = testStack('lab');
    const lake = new DataLake(stack, 'Lake');
    const err = rejectionOf(() => new ZoneCrawler(stack, 'Crawler', { lake, zone: undefined as unknown as string }));
    expect(err.message).toContain('allowed: a zone of the lake: raw, curated, features');
  });

  test('a second crawler of the same zone is rejected, naming the crawled Glue database', () => {
    const stack = testStack('lab');
    const lake = new DataLake(stack, 'Lake');
    new ZoneCrawler(stack, 'Crawler', { lake, zone: 'raw' });
    const err = rejectionOf(() => new ZoneCrawler(stack, 'Crawler2', { lake, zone: 'raw' }));
    expect(err.prop).toBe('zone');
    expect(err.message).toContain('allowed: a crawled Glue database name that no other construct of this app uses (Test/Crawler already uses it;');
  });
});
