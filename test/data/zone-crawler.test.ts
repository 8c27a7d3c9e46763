import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { DataLake, DataZone, RecrawlBehavior, ZoneCrawler, ZoneCrawlerProps } from '../../lib';
import { PropValidationError } from '../../lib/core/validation';
import { ROOT } from '../support/app';
import { documentedDefaults, undocumentedOptionalProps } from '../support/documented-defaults';
import { formatNag, nagFindings } from '../support/nag';
import { templateOf, testStack } from '../support/stack';
import { rejectionOf } from '../support/rejection';

const SOURCE = path.join(ROOT, 'lib/data/zone-crawler.ts');

interface Built {
  readonly stack: Stack;
  readonly lake: DataLake;
  readonly crawler: ZoneCrawler;
  readonly template: Template;
  readonly id: (c: unknown) => string;
}

function build(profile: 'lab' | 'production', props: Partial<ZoneCrawlerProps> = {}): Built {
  const stack = testStack(profile);
  const lake = new DataLake(stack, 'Lake');
  const crawler = new ZoneCrawler(stack, 'Crawler', { lake, zone: DataZone.CURATED, ...props });
  const template = templateOf(stack);
  const id = (c: unknown) => {
    const node = (c as { node: { defaultChild?: unknown } }).node;
    return stack.getLogicalId((node.defaultChild ?? c) as never);
  };
  return { stack, lake, crawler, template, id };
}

const lab = build('lab');
const production = build('production');
const prefixed = build('lab', { prefix: 'events/', schedule: 'cron(15 2 ? * MON-FRI *)', recrawlBehavior: RecrawlBehavior.CRAWL_EVERYTHING });

const join = (...parts: unknown[]) => ({ 'Fn::Join': ['', parts] });
const arn = (b: Built, c: unknown) => ({ 'Fn::GetAtt': [b.id(c), 'Arn'] });
const policyOf = (b: Built) => b.template.toJSON().Resources[b.id(b.crawler.policy)].Properties;

describe('ZoneCrawler defaults', () => {
  test('every optional prop documents its @default', () => {
    expect(undocumentedOptionalProps(SOURCE, 'ZoneCrawlerProps')).toEqual([]);
  });

  test('the documented @defaults agree with ZoneCrawler.defaults', () => {
    const docs = documentedDefaults(SOURCE, 'ZoneCrawlerProps');
    expect(docs.recrawlBehavior).toBe(`RecrawlBehavior.${ZoneCrawler.defaults().recrawlBehavior}`);
    // And the literal value, so a default changed together with its doc fails.
    expect(ZoneCrawler.defaults()).toEqual({ recrawlBehavior: RecrawlBehavior.CRAWL_NEW_FOLDERS_ONLY });
    expect(docs.recrawlBehavior).toBe('RecrawlBehavior.CRAWL_NEW_FOLDERS_ONLY');
    expect(docs.schedule).toBe('- none: the crawler runs on demand');
    expect(docs.prefix).toBe('- the whole zone bucket');
  });
});

describe.each([['lab', lab], ['production', production]] as const)('ZoneCrawler (%s profile)', (profile, b) => {
  const isLab = profile === 'lab';

  test('crawls the whole zone into its database, on demand, new folders only (logging schema changes)', () => {
    b.template.resourceCountIs('AWS::Glue::Crawler', 1);
    const crawler = b.template.toJSON().Resources[b.id(b.crawler.cfnCrawler)];
    expect(crawler.Properties).toEqual({
      Role: arn(b, b.crawler.role),
      DatabaseName: { Ref: b.id(b.lake.database(DataZone.CURATED)) },
      Description: 'Catalogs the curated zone of Test/Lake',
      // Firehose error output and SageMaker data capture hold no tables.
      Targets: { S3Targets: [{ Path: join('s3://', { Ref: b.id(b.lake.curatedBucket) }, '/'), Exclusions: ['errors/**', 'data-capture/**'] }] },
      CrawlerSecurityConfiguration: { Ref: b.id(b.crawler.securityConfiguration) },
      RecrawlPolicy: { RecrawlBehavior: 'CRAWL_NEW_FOLDERS_ONLY' },
      SchemaChangePolicy: { UpdateBehavior: 'LOG', DeleteBehavior: 'LOG' },
    });
    expect(crawler.DependsOn).toEqual([b.id(b.crawler.policy)]);
  });

  test('its security configuration encrypts CloudWatch logs, job bookmarks and S3 output with the lake key', () => {
    const keyArn = arn(b, b.lake.encryptionKey);
    b.template.hasResourceProperties('AWS::Glue::SecurityConfiguration', {
      Name: b.crawler.securityConfiguration.name,
      EncryptionConfiguration: {
        CloudWatchEncryption: { CloudWatchEncryptionMode: 'SSE-KMS', KmsKeyArn: keyArn },
        JobBookmarksEncryption: { JobBookmarksEncryptionMode: 'CSE-KMS', KmsKeyArn: keyArn },
        S3Encryptions: [{ S3EncryptionMode: 'SSE-KMS', KmsKeyArn: keyArn }],
      },
    });
    expect(b.crawler.securityConfiguration.name).toMatch(/^Test-Crawler-[A-F0-9]{8}$/);
  });

  test(`its log group is the one Glue writes to, encrypted with the key, kept ${isLab ? 'a week' : 'a year'}`, () => {
    b.template.hasResource('AWS::Logs::LogGroup', {
      Properties: {
        LogGroupName: join('/aws-glue/crawlers-role/', { Ref: b.id(b.crawler.role) }, `-${b.crawler.securityConfiguration.name}`),
        KmsKeyId: arn(b, b.lake.encryptionKey),
        RetentionInDays: isLab ? 7 : 365,
      },
      // A fixed name: production retains it except when its first create rolls back.
      DeletionPolicy: isLab ? 'Delete' : 'RetainExceptOnCreate',
      UpdateReplacePolicy: isLab ? 'Delete' : 'Retain',
    });
  });

  test('its role is assumed by Glue only and carries no inline policy', () => {
    b.template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'glue.amazonaws.com' } }] },
    });
    expect(b.template.toJSON().Resources[b.id(b.crawler.role)].Properties.Policies).toBeUndefined();
    b.template.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('its managed policy lists and reads the zone, decrypts, catalogs the zone\'s tables and writes its own log group', () => {
    const props = policyOf(b);
    expect(props.Roles).toEqual([{ Ref: b.id(b.crawler.role) }]);
    const glueArn = (...rest: unknown[]) => join('arn:', { Ref: 'AWS::Partition' }, ':glue:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ...rest);
    const db = { Ref: b.id(b.lake.database(DataZone.CURATED)) };
    expect(props.PolicyDocument.Statement).toEqual([
      { Sid: 'ListTheZone', Effect: 'Allow', Action: 's3:ListBucket', Resource: arn(b, b.lake.curatedBucket) },
      // Part of AWSGlueServiceRole, which the crawler docs name as the baseline.
      { Sid: 'LocateTheZone', Effect: 'Allow', Action: 's3:GetBucketLocation', Resource: arn(b, b.lake.curatedBucket) },
      { Sid: 'ReadTheZone', Effect: 'Allow', Action: 's3:GetObject', Resource: join(arn(b, b.lake.curatedBucket), '/*') },
      { Sid: 'DecryptTheZone', Effect: 'Allow', Action: 'kms:Decrypt', Resource: arn(b, b.lake.encryptionKey) },
      {
        Sid: 'CatalogTablesOfTheZone',
        Effect: 'Allow',
        Action: [
          'glue:BatchCreatePartition', 'glue:BatchGetPartition', 'glue:BatchUpdatePartition', 'glue:CreatePartition', 'glue:CreateTable',
          'glue:GetDatabase', 'glue:GetPartition', 'glue:GetPartitions', 'glue:GetTable', 'glue:GetTables', 'glue:UpdatePartition', 'glue:UpdateTable',
        ],
        Resource: [glueArn(':catalog'), glueArn(':database/', db), glueArn(':table/', db, '/*')],
      },
      {
        Sid: 'WriteOwnLogGroup',
        Effect: 'Allow',
        Action: ['logs:AssociateKmsKey', 'logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: arn(b, b.crawler.logGroup),
      },
    ]);
  });

  test('the lake key lets CloudWatch Logs encrypt crawler log groups', () => {
    const statements = Object.values(b.template.findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement as Array<Record<string, unknown>>;
    expect(statements.filter((s) => JSON.stringify(s.Condition ?? {}).includes(':log-group:/aws-glue/crawlers-role/*'))).toEqual([expect.objectContaining({
      Action: ['kms:Decrypt*', 'kms:Describe*', 'kms:Encrypt*', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
      Principal: { Service: join('logs.', { Ref: 'AWS::Region' }, '.amazonaws.com') },
    })]);
  });

  test('has no unacknowledged cdk-nag findings', () => {
    expect(formatNag(nagFindings(b.stack))).toEqual([]);
  });
});

describe('ZoneCrawler with a prefix, a schedule and full recrawls', () => {
  test('crawls only the prefix, on the schedule, updating tables in the database', () => {
    const crawler = prefixed.template.toJSON().Resources[prefixed.id(prefixed.crawler.cfnCrawler)].Properties;
    // errors/ and data-capture/ lie outside events/: nothing to exclude.
    expect(crawler.Targets).toEqual({ S3Targets: [{ Path: join('s3://', { Ref: prefixed.id(prefixed.lake.curatedBucket) }, '/events/') }] });
    expect(crawler.Schedule).toEqual({ ScheduleExpression: 'cron(15 2 ? * MON-FRI *)' });
    expect(crawler.RecrawlPolicy).toEqual({ RecrawlBehavior: 'CRAWL_EVERYTHING' });
    expect(crawler.SchemaChangePolicy).toEqual({ UpdateBehavior: 'UPDATE_IN_DATABASE', DeleteBehavior: 'LOG' });
  });

  test('lists and reads only under the prefix', () => {
    const statements = policyOf(prefixed).PolicyDocument.Statement;
    expect(statements[0]).toEqual({
      Sid: 'ListTheZone', Effect: 'Allow', Action: 's3:ListBucket', Resource: arn(prefixed, prefixed.lake.curatedBucket),
      Condition: { StringLike: { 's3:prefix': ['events/*'] } },
    });
    // GetBucketLocation carries no s3:prefix key, so it has its own statement without the condition.
    expect(statements[1]).toEqual({ Sid: 'LocateTheZone', Effect: 'Allow', Action: 's3:GetBucketLocation', Resource: arn(prefixed, prefixed.lake.curatedBucket) });
    expect(statements[2].Resource).toEqual(join(arn(prefixed, prefixed.lake.curatedBucket), '/events/*'));
  });

  test('has no unacknowledged cdk-nag findings', () => {
    expect(formatNag(nagFindings(prefixed.stack))).toEqual([]);
  });
});

describe('ZoneCrawler rejects', () => {
  const stack = testStack('lab');
  const lake = new DataLake(stack, 'Lake');
  const rejected = (id: string, props: Partial<ZoneCrawlerProps>, on: DataLake = lake): PropValidationError =>
    rejectionOf(() => new ZoneCrawler(Stack.of(on), id, { lake: on, zone: DataZone.RAW, ...props }));

  test('a zone the lake does not have', () => {
    const e = rejected('UnknownZone', { zone: 'gold' });
    expect(e.message).toContain('[Test/UnknownZone] invalid zone: got "gold"; allowed: a zone of the lake: raw, curated, features');
  });

  test('a schedule that is not a Glue cron expression', () => {
    const e = rejected('BadSchedule', { schedule: 'cron(0 3 * * *)' });
    expect(e.message).toContain('[Test/BadSchedule] invalid schedule: got "cron(0 3 * * *)"');
  });

  test('a schedule with "?" in both day fields', () => {
    const e = rejected('BothDays', { schedule: 'cron(0 3 ? * ? *)' });
    expect(e.message).toContain('invalid schedule: got "cron(0 3 ? * ? *)"');
  });

  test('a prefix that contains a wildcard', () => {
    const e = rejected('WildPrefix', { prefix: 'events/*' });
    expect(e.message).toContain('[Test/WildPrefix] invalid prefix: got "events/*"');
  });

  test('a lake whose key is imported (its policy cannot take the CloudWatch Logs statement)', () => {
    const other = testStack('lab');
    const keyArn = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const importedLake = new DataLake(other, 'Lake', { encryptionKey: kms.Key.fromKeyArn(other, 'Imported', keyArn) });
    const e = rejected('ImportedKey', {}, importedLake);
    expect(e.prop).toBe('lake.encryptionKey');
    expect(e.message).toContain(`[Test/ImportedKey] invalid lake.encryptionKey: got "${keyArn}"`);
  });
});

describe('ZoneCrawler: the smallest usage', () => {
  test.each(['lab', 'production'] as const)('new ZoneCrawler(stack, "C", { lake, zone }) has no unacknowledged finding in any of the 4 nag packs (%s)', (profile) => {
    const stack = testStack(profile);
    new ZoneCrawler(stack, 'C', { lake: new DataLake(stack, 'Lake'), zone: DataZone.RAW });
    templateOf(stack);
    expect(formatNag(nagFindings(stack))).toEqual([]);
  });
});

describe('ZoneCrawler: one crawler per database', () => {
  test('a second crawler writing the same zone database is rejected at synth, naming the first', () => {
    const stack = testStack('lab');
    const lake = new DataLake(stack, 'Lake');
    new ZoneCrawler(stack, 'First', { lake, zone: DataZone.RAW, prefix: 'a/' });
    const e = rejectionOf(() => new ZoneCrawler(stack, 'Second', { lake, zone: DataZone.RAW, prefix: 'b/' }));
    expect(e.message).toContain('[Test/Second] invalid zone: got "test_lake_raw"');
    expect(e.allowed).toContain('Test/First already uses it');
  });

  test('a crawler beside the lake\'s own crawler of that zone is rejected', () => {
    const stack = testStack('lab');
    const lake = new DataLake(stack, 'Lake', { crawledZones: [DataZone.RAW] });
    expect(rejectionOf(() => new ZoneCrawler(stack, 'Extra', { lake, zone: DataZone.RAW })).allowed).toContain('Test/Lake/RawCrawler already uses it');
  });

  test('crawlers of different zones are accepted', () => {
    const stack = testStack('lab');
    const lake = new DataLake(stack, 'Lake', { crawledZones: [DataZone.RAW] });
    expect(() => new ZoneCrawler(stack, 'Curated', { lake, zone: DataZone.CURATED })).not.toThrow();
  });
});

describe('ZoneCrawler: exclusions under a prefix', () => {
  test('a registered prefix under the crawled prefix is excluded relative to it; one outside is left out', () => {
    const stack = testStack('lab');
    const lake = new DataLake(stack, 'Lake');
    const crawler = new ZoneCrawler(stack, 'C', { lake, zone: DataZone.RAW, prefix: 'events/' });
    lake.excludeFromCrawlers(DataZone.RAW, 'events/errors-x/');
    lake.excludeFromCrawlers(DataZone.RAW, 'other/');
    const targets = templateOf(stack).toJSON().Resources[stack.getLogicalId(crawler.cfnCrawler)].Properties.Targets.S3Targets[0];
    expect(targets.Exclusions).toEqual(['errors-x/**']);
  });
});

describe('ZoneCrawler: input from plain JavaScript or Python', () => {
  const misuse: Array<[string, (lake: DataLake) => Record<string, unknown>, string]> = [
    ['no lake', () => ({ zone: 'raw' }), 'lake'],
    ['a string where the lake is expected', () => ({ lake: 'my-lake', zone: 'raw' }), 'lake'],
    ['no zone', (lake) => ({ lake }), 'zone'],
    ['a number as zone', (lake) => ({ lake, zone: 1 }), 'zone'],
    ['a number as prefix', (lake) => ({ lake, zone: 'raw', prefix: 3 }), 'prefix'],
    ['a number as schedule', (lake) => ({ lake, zone: 'raw', schedule: 5 }), 'schedule'],
    ['a schedule every minute (Glue runs at most every 5)', (lake) => ({ lake, zone: 'raw', schedule: 'cron(* * * * ? *)' }), 'schedule'],
    ['an hour of 24', (lake) => ({ lake, zone: 'raw', schedule: 'cron(0 24 * * ? *)' }), 'schedule'],
    ['an unknown recrawl behaviour', (lake) => ({ lake, zone: 'raw', recrawlBehavior: 'CRAWL_EVENT_MODE' }), 'recrawlBehavior'],
    ['a recrawl behaviour in lower case', (lake) => ({ lake, zone: 'raw', recrawlBehavior: 'crawl_everything' }), 'recrawlBehavior'],
  ];
  test.each(misuse)('%s is rejected with a PropValidationError naming the prop', (_what, props, prop) => {
    const stack = testStack('lab');
    const lake = new DataLake(stack, 'Lake');
    const e = rejectionOf(() => new ZoneCrawler(stack, 'C', props(lake) as unknown as ZoneCrawlerProps));
    expect(e.prop).toBe(prop);
    expect(e.constructPath).toBe('Test/C');
  });

  test('no props at all is rejected naming props', () => {
    const e = rejectionOf(() => new ZoneCrawler(testStack('lab'), 'C', undefined as unknown as ZoneCrawlerProps));
    expect(e.message).toContain('[Test/C] invalid props: got undefined');
  });

  test.each([
    ['cron(0/5 * * * ? *)', 'cron(0/4 * * * ? *)'],
    ['cron(59 23 31 DEC ? 2199)', 'cron(59 23 31 DEC ? 2200)'],
    ['cron(0 0 ? * SUN-SAT 1970)', 'cron(0 0 ? * SUN-SAT 1969)'],
    ['cron(0 12 LW * ? *)', 'cron(0 12 32W * ? *)'],
    ['cron(0 12 ? * 6#3 *)', 'cron(0 12 ? * 8#3 *)'],
  ])('schedule %s is accepted, %s is rejected', (ok, bad) => {
    const stack = testStack('lab');
    const lake = new DataLake(stack, 'Lake');
    expect(() => new ZoneCrawler(stack, 'Ok', { lake, zone: DataZone.RAW, schedule: ok })).not.toThrow();
    expect(rejectionOf(() => new ZoneCrawler(stack, 'Bad', { lake, zone: DataZone.CURATED, schedule: bad })).prop).toBe('schedule');
  });
});
