import * as path from 'path';
import { CfnParameter, RemovalPolicy, Size, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { DataLake, DataLakeProps, DataZone, Profile, RecrawlBehavior } from '../../lib';
import { PropValidationError } from '../../lib/core/validation';
import { ROOT, testApp } from '../support/app';
import { documentedDefaults, undocumentedOptionalProps } from '../support/documented-defaults';
import { formatNag, nagFindings } from '../support/nag';
import { regionalStack, templateOf, testStack } from '../support/stack';
import { rejectionOf } from '../support/rejection';

const SOURCE = path.join(ROOT, 'lib/data/data-lake.ts');

interface Built {
  readonly stack: Stack;
  readonly lake: DataLake;
  readonly template: Template;
  readonly id: (c: { node: { defaultChild?: unknown } } | unknown) => string;
}

function build(profile: 'lab' | 'production', props?: DataLakeProps, extra?: (stack: Stack, lake: DataLake) => void): Built {
  const stack = testStack(profile);
  const lake = new DataLake(stack, 'Lake', props);
  extra?.(stack, lake);
  const template = templateOf(stack);
  const id = (c: unknown) => {
    const node = (c as { node: { defaultChild?: unknown } }).node;
    return stack.getLogicalId((node.defaultChild ?? c) as never);
  };
  return { stack, lake, template, id };
}

/** Builds a lake that must be rejected and returns the error. */
function rejection(props: DataLakeProps, stack: Stack = testStack('lab')): PropValidationError {
  return rejectionOf(() => new DataLake(stack, 'Lake', props));
}

const keyArn = (b: Built) => ({ 'Fn::GetAtt': [b.id(b.lake.encryptionKey), 'Arn'] });

const lab = build('lab');
const production = build('production');
const profiles: Array<[string, Built]> = [['lab', lab], ['production', production]];
const zoneBuckets = (b: Built) => [b.lake.rawBucket, b.lake.curatedBucket, b.lake.featuresBucket];

describe('DataLake defaults', () => {
  test('every optional prop documents its @default', () => {
    expect(undocumentedOptionalProps(SOURCE, 'DataLakeProps')).toEqual([]);
  });

  test('the documented @defaults agree with DataLake.defaults in both profiles', () => {
    const docs = documentedDefaults(SOURCE, 'DataLakeProps');
    const l = DataLake.defaults(Profile.LAB);
    const p = DataLake.defaults(Profile.PRODUCTION);
    const both = (a: unknown, b: unknown) => (a === b ? String(a) : `- lab: ${a}; production: ${b}`);
    expect(docs.rawInfrequentAccessAfterDays).toBe(both(l.rawInfrequentAccessAfterDays, p.rawInfrequentAccessAfterDays));
    expect(docs.rawGlacierAfterDays).toBe(both(l.rawGlacierAfterDays, p.rawGlacierAfterDays));
    expect(docs.noncurrentVersionExpirationDays).toBe(both(l.noncurrentVersionExpirationDays, p.noncurrentVersionExpirationDays));
    expect(docs.accessLogRetentionDays).toBe(both(l.accessLogRetentionDays, p.accessLogRetentionDays));
    expect(docs.queryResultsExpirationDays).toBe(both(l.queryResultsExpirationDays, p.queryResultsExpirationDays));
    expect(docs.bytesScannedCutoffPerQuery).toBe(both(`${l.bytesScannedCutoffPerQuery.toGibibytes()} GiB`, `${p.bytesScannedCutoffPerQuery.toGibibytes()} GiB`));
    expect(docs.removalPolicy).toBe(`- lab: ${l.removalPolicy.toUpperCase()} (buckets emptied first); production: ${p.removalPolicy.toUpperCase()}`);
    expect(docs.recrawlBehavior).toBe(`RecrawlBehavior.${l.recrawlBehavior}`);
    expect(l.recrawlBehavior).toBe(p.recrawlBehavior);
    expect(docs.requestMetrics).toBe(both(l.requestMetrics, p.requestMetrics));
  });
});

describe('DataLake defaults are the documented literal values', () => {
  // Literals, not DataLake.defaults(): a default changed together with its doc must fail here.
  test('the @default docs', () => {
    expect(documentedDefaults(SOURCE, 'DataLakeProps')).toEqual({
      encryptionKey: '- a new DataKey with yearly rotation',
      extraZones: '- none',
      databaseNamePrefix: '- the stack name and the lake\'s construct path, lower case, joined by underscores',
      rawInfrequentAccessAfterDays: '30',
      rawGlacierAfterDays: '90',
      noncurrentVersionExpirationDays: '- lab: 7; production: 90',
      accessLogRetentionDays: '- lab: 30; production: 365',
      removalPolicy: '- lab: DESTROY (buckets emptied first); production: RETAIN',
      crawledZones: '- none',
      crawlerSchedule: '- none: crawlers run on demand',
      recrawlBehavior: 'RecrawlBehavior.CRAWL_NEW_FOLDERS_ONLY',
      bytesScannedCutoffPerQuery: '- lab: 1 GiB; production: 100 GiB',
      queryResultsExpirationDays: '- lab: 7; production: 30',
      workGroupName: '- generated from the stack name and the lake\'s construct path',
      requestMetrics: 'false',
    });
  });

  test.each([
    ['lab', Profile.LAB, RemovalPolicy.DESTROY, 7, 30, 1, 7],
    ['production', Profile.PRODUCTION, RemovalPolicy.RETAIN, 90, 365, 100, 30],
  ] as const)('DataLake.defaults(%s)', (_name, profile, removal, noncurrent, accessLogs, gib, results) => {
    const d = DataLake.defaults(profile);
    expect({ ...d, bytesScannedCutoffPerQuery: d.bytesScannedCutoffPerQuery.toGibibytes() }).toEqual({
      removalPolicy: removal,
      noncurrentVersionExpirationDays: noncurrent,
      accessLogRetentionDays: accessLogs,
      rawInfrequentAccessAfterDays: 30,
      rawGlacierAfterDays: 90,
      bytesScannedCutoffPerQuery: gib,
      queryResultsExpirationDays: results,
      recrawlBehavior: RecrawlBehavior.CRAWL_NEW_FOLDERS_ONLY,
      requestMetrics: false,
    });
  });
});

describe.each(profiles)('DataLake with defaults (%s profile)', (profile, b) => {
  const isLab = profile === 'lab';

  test('creates one bucket per zone, a query-results bucket and an access-log bucket', () => {
    b.template.resourceCountIs('AWS::S3::Bucket', 5);
    expect(b.lake.zoneNames).toEqual(['raw', 'curated', 'features']);
    expect(zoneBuckets(b).map((x) => b.lake.zoneBucket(DataZone.RAW) === x)).toEqual([true, false, false]);
  });

  test('creates one customer managed key with rotation', () => {
    b.template.resourceCountIs('AWS::KMS::Key', 1);
    b.template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, PendingWindowInDays: isLab ? 7 : 30 });
  });

  test('encrypts every zone and the query results with the key (SSE-KMS with a bucket key)', () => {
    for (const bucket of [...zoneBuckets(b), b.lake.queryResultsBucket]) {
      expect(b.template.toJSON().Resources[b.id(bucket)].Properties.BucketEncryption).toEqual({
        ServerSideEncryptionConfiguration: [{
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn(b) },
        }],
      });
    }
  });

  test('the access-log bucket uses SSE-S3, which S3 log delivery supports', () => {
    const logs = b.template.toJSON().Resources[b.id(b.lake.accessLogsBucket)];
    expect(logs.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault).toEqual({ SSEAlgorithm: 'AES256' });
  });

  test('every bucket blocks public access, enforces object ownership and is versioned', () => {
    const buckets = b.template.findResources('AWS::S3::Bucket');
    expect(Object.keys(buckets)).toHaveLength(5);
    for (const bucket of Object.values(buckets)) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
      });
      expect(bucket.Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
      expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    }
  });

  test('every bucket denies non-TLS requests and TLS below 1.2', () => {
    const policies = b.template.findResources('AWS::S3::BucketPolicy');
    expect(Object.keys(policies)).toHaveLength(5);
    for (const policy of Object.values(policies)) {
      const statements = policy.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>;
      expect(statements).toEqual(expect.arrayContaining([
        expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
      ]));
    }
  });

  test('every zone bucket logs to the access-log bucket under its own prefix', () => {
    const resources = b.template.toJSON().Resources;
    for (const zone of b.lake.zoneNames) {
      expect(resources[b.id(b.lake.bucket(zone))].Properties.LoggingConfiguration).toEqual({
        DestinationBucketName: { Ref: b.id(b.lake.accessLogsBucket) },
        LogFilePrefix: `zones/${zone}/`,
      });
    }
    expect(resources[b.id(b.lake.queryResultsBucket)].Properties.LoggingConfiguration.LogFilePrefix).toBe('athena-results/');
  });

  test('every zone bucket aborts incomplete uploads after a day and expires noncurrent versions', () => {
    const resources = b.template.toJSON().Resources;
    for (const bucket of zoneBuckets(b)) {
      expect(resources[b.id(bucket)].Properties.LifecycleConfiguration.Rules).toContainEqual(expect.objectContaining({
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        NoncurrentVersionExpiration: { NoncurrentDays: isLab ? 7 : 90 },
        Status: 'Enabled',
      }));
    }
  });

  test('the raw zone moves to Standard-IA after 30 days and to Glacier Instant Retrieval (which Athena reads) after 90; other zones do not transition', () => {
    const resources = b.template.toJSON().Resources;
    expect(resources[b.id(b.lake.rawBucket)].Properties.LifecycleConfiguration.Rules).toContainEqual({
      Id: 'raw-to-infrequent-access-then-glacier-instant-retrieval',
      Status: 'Enabled',
      Transitions: [
        { StorageClass: 'STANDARD_IA', TransitionInDays: 30 },
        { StorageClass: 'GLACIER_IR', TransitionInDays: 90 },
      ],
    });
    // Athena skips GLACIER (Flexible Retrieval) and DEEP_ARCHIVE objects without an error.
    expect(JSON.stringify(b.template.toJSON())).not.toMatch(/"StorageClass":"(GLACIER|DEEP_ARCHIVE)"/);
    for (const bucket of [b.lake.curatedBucket, b.lake.featuresBucket]) {
      const rules = resources[b.id(bucket)].Properties.LifecycleConfiguration.Rules as Array<Record<string, unknown>>;
      expect(rules.filter((r) => r.Transitions)).toEqual([]);
    }
  });

  test(`buckets and key are ${isLab ? 'destroyed (buckets emptied first)' : 'retained'} on stack delete`, () => {
    const policy = isLab ? 'Delete' : 'Retain';
    for (const bucket of [...zoneBuckets(b), b.lake.queryResultsBucket, b.lake.accessLogsBucket]) {
      expect(b.template.toJSON().Resources[b.id(bucket)].DeletionPolicy).toBe(policy);
    }
    b.template.hasResource('AWS::KMS::Key', { DeletionPolicy: policy, UpdateReplacePolicy: policy });
    b.template.resourceCountIs('Custom::S3AutoDeleteObjects', isLab ? 5 : 0);
  });

  test('Glue databases are deleted with the stack in both profiles (fixed names; metadata only)', () => {
    const databases = Object.values(b.template.findResources('AWS::Glue::Database'));
    expect(databases).toHaveLength(3);
    for (const database of databases) {
      expect(database.DeletionPolicy).toBeUndefined();
    }
  });

  test('creates a Glue database per zone with a deterministic, valid name and the zone as location', () => {
    b.template.resourceCountIs('AWS::Glue::Database', 3);
    for (const zone of b.lake.zoneNames) {
      b.template.hasResourceProperties('AWS::Glue::Database', {
        CatalogId: { Ref: 'AWS::AccountId' },
        DatabaseInput: {
          Name: `test_lake_${zone}`,
          LocationUri: { 'Fn::Join': ['', ['s3://', { Ref: b.id(b.lake.bucket(zone)) }, '/']] },
        },
      });
    }
  });

  test('databaseName is a reference to the database, so users of it deploy after it', () => {
    expect(b.stack.resolve(b.lake.databaseName(DataZone.CURATED))).toEqual({ Ref: b.id(b.lake.database(DataZone.CURATED)) });
    expect(b.stack.resolve(b.lake.databaseArn(DataZone.CURATED))).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':glue:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':database/', { Ref: b.id(b.lake.database(DataZone.CURATED)) }]],
    });
    expect(b.stack.resolve(b.lake.catalogArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':glue:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':catalog']],
    });
  });

  test('creates an Athena workgroup that enforces its configuration, encrypts results with the key and caps bytes scanned', () => {
    b.template.resourceCountIs('AWS::Athena::WorkGroup', 1);
    b.template.hasResource('AWS::Athena::WorkGroup', {
      Properties: {
        Name: Match.stringLikeRegexp('^Test-Lake-[A-F0-9]{8}$'),
        State: 'ENABLED',
        RecursiveDeleteOption: isLab,
        WorkGroupConfiguration: {
          EnforceWorkGroupConfiguration: true,
          PublishCloudWatchMetricsEnabled: true,
          BytesScannedCutoffPerQuery: isLab ? 1024 ** 3 : 100 * 1024 ** 3,
          EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
          ResultConfiguration: {
            OutputLocation: { 'Fn::Join': ['', ['s3://', { Ref: b.id(b.lake.queryResultsBucket) }, '/results/']] },
            ExpectedBucketOwner: { Ref: 'AWS::AccountId' },
            EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: keyArn(b) },
          },
        },
      },
      // A fixed name: production retains it except when its first create rolls back.
      DeletionPolicy: isLab ? 'Delete' : 'RetainExceptOnCreate',
      UpdateReplacePolicy: isLab ? 'Delete' : 'Retain',
    });
    expect(b.stack.resolve(b.lake.workGroupName)).toEqual({ Ref: b.id(b.lake.workGroup) });
  });

  test(`query results expire after ${isLab ? 7 : 30} days`, () => {
    expect(b.template.toJSON().Resources[b.id(b.lake.queryResultsBucket)].Properties.LifecycleConfiguration.Rules).toContainEqual({
      Id: 'expire-query-results', Status: 'Enabled', ExpirationInDays: isLab ? 7 : 30,
    });
  });

  test('has no crawlers, and no key-policy statement for CloudWatch Logs, unless asked', () => {
    b.template.resourceCountIs('AWS::Glue::Crawler', 0);
    expect(b.lake.crawlers).toEqual([]);
    const statements = Object.values(b.template.findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement;
    expect(statements).toHaveLength(1);
  });

  test('publishes no S3 request metrics by default', () => {
    for (const bucket of zoneBuckets(b)) {
      expect(b.template.toJSON().Resources[b.id(bucket)].Properties.MetricsConfigurations).toBeUndefined();
    }
  });

  test('has no unacknowledged cdk-nag findings', () => {
    expect(formatNag(nagFindings(b.stack))).toEqual([]);
  });
});

describe('DataLake with props', () => {
  const key = (stack: Stack) => new kms.Key(stack, 'OwnKey', { enableKeyRotation: true });
  const custom = build('production', {
    extraZones: ['sandbox', 'gold-tier'],
    rawInfrequentAccessAfterDays: 45,
    rawGlacierAfterDays: 180,
    noncurrentVersionExpirationDays: 14,
    accessLogRetentionDays: 90,
    databaseNamePrefix: 'ml_lake',
    bytesScannedCutoffPerQuery: Size.mebibytes(10),
    queryResultsExpirationDays: 3,
    workGroupName: 'analysts.v1',
    requestMetrics: true,
    removalPolicy: undefined,
  });

  test('extra zones get a bucket and a database each', () => {
    expect(custom.lake.zoneNames).toEqual(['raw', 'curated', 'features', 'sandbox', 'gold-tier']);
    custom.template.resourceCountIs('AWS::S3::Bucket', 7);
    custom.template.resourceCountIs('AWS::Glue::Database', 5);
    custom.template.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: Match.objectLike({ Name: 'ml_lake_gold_tier' }) });
    expect(custom.lake.hasZone('gold-tier')).toBe(true);
    expect(custom.lake.hasZone('silver')).toBe(false);
    expect(custom.id(custom.lake.bucket('gold-tier'))).toMatch(/^LakeGoldTierBucket/);
  });

  test('the raw-zone transitions follow the given days', () => {
    expect(custom.template.toJSON().Resources[custom.id(custom.lake.rawBucket)].Properties.LifecycleConfiguration.Rules).toContainEqual(expect.objectContaining({
      Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 45 }, { StorageClass: 'GLACIER_IR', TransitionInDays: 180 }],
    }));
  });

  test('noncurrent-version expiry and access-log retention follow the given days', () => {
    const resources = custom.template.toJSON().Resources;
    expect(resources[custom.id(custom.lake.bucket('sandbox'))].Properties.LifecycleConfiguration.Rules[0].NoncurrentVersionExpiration).toEqual({ NoncurrentDays: 14 });
    expect(resources[custom.id(custom.lake.accessLogsBucket)].Properties.LifecycleConfiguration.Rules[0].ExpirationInDays).toBe(90);
  });

  test('the workgroup takes the given name and cap, and results the given expiry', () => {
    custom.template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'analysts.v1',
      WorkGroupConfiguration: Match.objectLike({ BytesScannedCutoffPerQuery: 10 * 1024 * 1024 }),
    });
    expect(custom.template.toJSON().Resources[custom.id(custom.lake.queryResultsBucket)].Properties.LifecycleConfiguration.Rules)
      .toContainEqual(expect.objectContaining({ ExpirationInDays: 3 }));
  });

  test('request metrics are published for every zone bucket and metricAllRequests reads them', () => {
    for (const zone of custom.lake.zoneNames) {
      expect(custom.template.toJSON().Resources[custom.id(custom.lake.bucket(zone))].Properties.MetricsConfigurations).toEqual([{ Id: 'EntireBucket' }]);
    }
    const metric = custom.lake.metricAllRequests('sandbox');
    expect(metric.namespace).toBe('AWS/S3');
    expect(metric.metricName).toBe('AllRequests');
    expect(custom.stack.resolve(metric.dimensions)).toEqual({ BucketName: { Ref: custom.id(custom.lake.bucket('sandbox')) }, FilterId: 'EntireBucket' });
    expect(metric.statistic).toBe('Sum');
  });

  test('a passed key encrypts every zone and the results, and no key is created', () => {
    const stack = testStack('lab');
    const own = key(stack);
    const lake = new DataLake(stack, 'Lake', { encryptionKey: own });
    const t = templateOf(stack);
    t.resourceCountIs('AWS::KMS::Key', 1);
    expect(lake.encryptionKey).toBe(own);
    const ownArn = { 'Fn::GetAtt': [stack.getLogicalId(own.node.defaultChild as kms.CfnKey), 'Arn'] };
    for (const bucket of [lake.rawBucket, lake.curatedBucket, lake.featuresBucket, lake.queryResultsBucket]) {
      expect(t.toJSON().Resources[stack.getLogicalId(bucket.node.defaultChild as never)].Properties.BucketEncryption.ServerSideEncryptionConfiguration[0]
        .ServerSideEncryptionByDefault.KMSMasterKeyID).toEqual(ownArn);
    }
    t.hasResourceProperties('AWS::Athena::WorkGroup', {
      WorkGroupConfiguration: Match.objectLike({ ResultConfiguration: Match.objectLike({ EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: ownArn } }) }),
    });
  });

  test('an imported key works for a lake without crawlers', () => {
    const stack = testStack('lab');
    const imported = kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    new DataLake(stack, 'Lake', { encryptionKey: imported });
    templateOf(stack).hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: imported.keyArn } })] },
    });
  });

  test('a key from another stack in the same region is accepted', () => {
    const app = testApp({ profile: 'lab' });
    const env = { account: '111122223333', region: 'eu-west-1' };
    const keyStack = new Stack(app, 'Keys', { env });
    const lakeStack = new Stack(app, 'Lake', { env });
    expect(() => new DataLake(lakeStack, 'Lake', { encryptionKey: key(keyStack), crawledZones: ['raw'] })).not.toThrow();
  });

  test('the production removal policy can be overridden to destroy', () => {
    const b = build('production', { removalPolicy: RemovalPolicy.DESTROY });
    b.template.resourceCountIs('Custom::S3AutoDeleteObjects', 5);
    b.template.hasResourceProperties('AWS::Athena::WorkGroup', { RecursiveDeleteOption: true });
  });
});

describe('DataLake crawlers', () => {
  const b = build('lab', { crawledZones: ['raw', 'curated'], crawlerSchedule: 'cron(0 3 * * ? *)', recrawlBehavior: RecrawlBehavior.CRAWL_EVERYTHING });

  test('one crawler per crawled zone, with the lake-wide schedule and recrawl behaviour', () => {
    b.template.resourceCountIs('AWS::Glue::Crawler', 2);
    expect(b.lake.crawlers.map((c) => c.zone)).toEqual(['raw', 'curated']);
    for (const zone of ['raw', 'curated']) {
      b.template.hasResourceProperties('AWS::Glue::Crawler', {
        DatabaseName: { Ref: b.id(b.lake.database(zone)) },
        Schedule: { ScheduleExpression: 'cron(0 3 * * ? *)' },
        RecrawlPolicy: { RecrawlBehavior: 'CRAWL_EVERYTHING' },
      });
    }
    expect(b.lake.crawler('curated').zone).toBe('curated');
  });

  test('the key policy lets CloudWatch Logs use the key for crawler log groups, once', () => {
    const statements = Object.values(b.template.findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement as Array<Record<string, unknown>>;
    const logs = statements.filter((s) => JSON.stringify(s.Condition ?? {}).includes(':log-group:/aws-glue/crawlers-role/*'));
    expect(logs).toHaveLength(1);
    expect(logs[0]).toEqual(expect.objectContaining({
      Effect: 'Allow',
      Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
      Condition: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': {
            'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':log-group:/aws-glue/crawlers-role/*']],
          },
        },
      },
    }));
  });

  test('has no unacknowledged cdk-nag findings', () => {
    expect(formatNag(nagFindings(b.stack))).toEqual([]);
  });
});

describe('DataLake grants', () => {
  const b = build('lab', undefined, (stack, lake) => {
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    lake.grantRead(DataZone.CURATED, reader, 'events/');
    const writer = new iam.Role(stack, 'Writer', { assumedBy: new iam.AccountRootPrincipal() });
    lake.grantWrite(DataZone.RAW, writer);
    const analyst = new iam.Role(stack, 'Analyst', { assumedBy: new iam.AccountRootPrincipal() });
    lake.grantQuery(analyst);
    lake.grantCatalogRead(DataZone.FEATURES, analyst);
  });
  const statementsOf = (role: string) => {
    const policies = b.template.findResources('AWS::IAM::Policy');
    const mine = Object.values(policies).filter((p) => JSON.stringify(p.Properties.Roles).includes(role));
    return mine.flatMap((p) => p.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>);
  };
  const arnOf = (bucket: unknown) => ({ 'Fn::GetAtt': [b.id(bucket), 'Arn'] });

  test('grantRead reads the zone under the prefix and decrypts with the key, nothing else', () => {
    const statements = statementsOf('Reader');
    expect(statements).toEqual([
      expect.objectContaining({
        Action: ['s3:GetBucket*', 's3:GetObject*', 's3:List*'],
        Resource: [arnOf(b.lake.curatedBucket), { 'Fn::Join': ['', [arnOf(b.lake.curatedBucket), '/events/*']] }],
      }),
      expect.objectContaining({ Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: keyArn(b) }),
    ]);
  });

  test('grantWrite writes the whole zone and encrypts with the key', () => {
    const statements = statementsOf('Writer');
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({
        Action: expect.arrayContaining(['s3:PutObject', 's3:Abort*']),
        Resource: expect.arrayContaining([{ 'Fn::Join': ['', [arnOf(b.lake.rawBucket), '/*']] }]),
      }),
      expect.objectContaining({ Action: expect.arrayContaining(['kms:GenerateDataKey*', 'kms:Encrypt']), Resource: keyArn(b) }),
    ]));
    expect(JSON.stringify(statements)).not.toContain(b.id(b.lake.curatedBucket));
  });

  test('grantQuery runs queries in the workgroup only and reads and writes results under results/', () => {
    const statements = statementsOf('Analyst');
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({
        Action: expect.arrayContaining(['athena:StartQueryExecution', 'athena:GetQueryResults']),
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':athena:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':workgroup/', { Ref: b.id(b.lake.workGroup) }]] },
      }),
      expect.objectContaining({ Action: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'], Resource: arnOf(b.lake.queryResultsBucket) }),
      expect.objectContaining({
        Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject'],
        Resource: { 'Fn::Join': ['', [arnOf(b.lake.queryResultsBucket), '/results/*']] },
      }),
      expect.objectContaining({ Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: keyArn(b) }),
    ]));
  });

  test('grantQuery reads the Glue default database, which Athena needs with database-scoped Glue permissions', () => {
    const arn = (rest: unknown[]) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':glue:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ...rest]] });
    expect(statementsOf('Analyst')).toContainEqual({
      Effect: 'Allow',
      Action: ['glue:GetDatabase', 'glue:GetDatabases'],
      Resource: [arn([':catalog']), arn([':database/default'])],
    });
  });

  test('grantCatalogRead reads the zone database and its tables, read-only', () => {
    const db = { Ref: b.id(b.lake.database(DataZone.FEATURES)) };
    const arn = (rest: unknown[]) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':glue:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ...rest]] });
    expect(statementsOf('Analyst')).toContainEqual(expect.objectContaining({
      Action: ['glue:BatchGetPartition', 'glue:GetDatabase', 'glue:GetPartition', 'glue:GetPartitions', 'glue:GetTable', 'glue:GetTables'],
      Resource: [arn([':catalog']), arn([':database/', db]), arn([':table/', db, '/*'])],
    }));
  });
});

describe('DataLake metrics', () => {
  test('metricBucketSizeBytes reads the zone bucket\'s daily Standard storage size', () => {
    const metric = lab.lake.metricBucketSizeBytes(DataZone.RAW);
    expect(metric.namespace).toBe('AWS/S3');
    expect(metric.metricName).toBe('BucketSizeBytes');
    expect(lab.stack.resolve(metric.dimensions)).toEqual({ BucketName: { Ref: lab.id(lab.lake.rawBucket) }, StorageType: 'StandardStorage' });
    expect(metric.period.toDays()).toBe(1);
  });

  test('metricNumberOfObjects counts objects of all storage classes', () => {
    const metric = lab.lake.metricNumberOfObjects(DataZone.FEATURES, { statistic: 'Maximum' });
    expect(metric.metricName).toBe('NumberOfObjects');
    expect(lab.stack.resolve(metric.dimensions)).toEqual({ BucketName: { Ref: lab.id(lab.lake.featuresBucket) }, StorageType: 'AllStorageTypes' });
    expect(metric.statistic).toBe('Maximum');
  });

  test('metricQueryProcessedBytes sums the bytes the workgroup\'s queries scan', () => {
    const metric = lab.lake.metricQueryProcessedBytes();
    expect(metric.namespace).toBe('AWS/Athena');
    expect(metric.metricName).toBe('ProcessedBytes');
    expect(lab.stack.resolve(metric.dimensions)).toEqual({ WorkGroup: { Ref: lab.id(lab.lake.workGroup) } });
    expect(metric.statistic).toBe('Sum');
  });
});

describe('DataLake rejects', () => {
  const expectNames = (e: PropValidationError, prop: string, value: string) => {
    expect(e.prop).toBe(prop);
    expect(e.message).toContain(`invalid ${prop}`);
    expect(e.message).toContain(value);
    expect(e.message).toContain('Test/Lake');
  };

  test('an extra zone name with upper case or underscores', () => {
    expectNames(rejection({ extraZones: ['Gold_Data'] }), 'extraZones[0]', '"Gold_Data"');
  });

  test('an extra zone name longer than 32 characters', () => {
    const name = `z${'a'.repeat(32)}`;
    expectNames(rejection({ extraZones: [name] }), 'extraZones[0]', `"${name}"`);
  });

  test('an extra zone that duplicates a default zone', () => {
    expectNames(rejection({ extraZones: ['sandbox', 'raw'] }), 'extraZones[1]', '"raw"');
  });

  test('an extra zone given twice', () => {
    expectNames(rejection({ extraZones: ['sandbox', 'sandbox'] }), 'extraZones[1]', '"sandbox"');
  });

  test('a Standard-IA transition before 30 days', () => {
    expectNames(rejection({ rawInfrequentAccessAfterDays: 29 }), 'rawInfrequentAccessAfterDays', '29');
  });

  test('a Glacier transition less than 30 days after the Standard-IA transition', () => {
    const e = rejection({ rawInfrequentAccessAfterDays: 30, rawGlacierAfterDays: 45 });
    expectNames(e, 'rawGlacierAfterDays', '45');
    expect(e.allowed).toContain('60 or more');
  });

  test('a Glacier transition before the Standard-IA transition', () => {
    expectNames(rejection({ rawInfrequentAccessAfterDays: 120, rawGlacierAfterDays: 90 }), 'rawGlacierAfterDays', '90');
  });

  test('a bytes-scanned cap below Athena\'s 10 MB minimum', () => {
    const e = rejection({ bytesScannedCutoffPerQuery: Size.mebibytes(9) });
    expectNames(e, 'bytesScannedCutoffPerQuery', `${9 * 1024 * 1024} bytes`);
    expect(e.allowed).toContain('10000000');
  });

  test('a crawler schedule that is not a cron expression', () => {
    expectNames(rejection({ crawledZones: ['raw'], crawlerSchedule: 'rate(1 day)' }), 'crawlerSchedule', '"rate(1 day)"');
  });

  test('a crawler schedule with "?" in neither day field', () => {
    expectNames(rejection({ crawledZones: ['raw'], crawlerSchedule: 'cron(0 3 * * * *)' }), 'crawlerSchedule', '"cron(0 3 * * * *)"');
  });

  test('a crawler schedule with five fields', () => {
    expectNames(rejection({ crawledZones: ['raw'], crawlerSchedule: 'cron(0 3 * * ?)' }), 'crawlerSchedule', '"cron(0 3 * * ?)"');
  });

  test('a crawled zone the lake does not have', () => {
    expectNames(rejection({ crawledZones: ['gold'] }), 'crawledZones[0]', '"gold"');
  });

  test('a crawled zone given twice', () => {
    expectNames(rejection({ crawledZones: ['raw', 'raw'] }), 'crawledZones[1]', '"raw"');
  });

  test('an imported key when crawlers need a key-policy statement for CloudWatch Logs', () => {
    const stack = testStack('lab');
    const arn = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const imported = kms.Key.fromKeyArn(stack, 'Imported', arn);
    const e = rejection({ encryptionKey: imported, crawledZones: ['raw'] }, stack);
    expectNames(e, 'encryptionKey', arn);
    expect(e.allowed).toContain('a key-policy statement that an imported key cannot take');
  });

  test('a key from a stack in another region', () => {
    const app = testApp({ profile: 'lab' });
    const keyStack = new Stack(app, 'Keys', { env: { account: '111122223333', region: 'us-east-1' } });
    const lakeStack = new Stack(app, 'Test', { env: { account: '111122223333', region: 'eu-west-1' } });
    const otherKey = new kms.Key(keyStack, 'Key');
    const e = rejection({ encryptionKey: otherKey }, lakeStack);
    expectNames(e, 'encryptionKey', 'Keys/Key (region us-east-1)');
    expect(e.allowed).toContain('eu-west-1');
  });

  test('an invalid database name prefix', () => {
    expectNames(rejection({ databaseNamePrefix: 'My-Lake' }), 'databaseNamePrefix', '"My-Lake"');
  });

  test('an invalid workgroup name', () => {
    expectNames(rejection({ workGroupName: 'team lake' }), 'workGroupName', '"team lake"');
  });

  test('a query-results expiry of zero days', () => {
    expectNames(rejection({ queryResultsExpirationDays: 0 }), 'queryResultsExpirationDays', '0');
  });

  // A fresh lake: the shared ones are already synthesized.
  const stack = testStack('lab');
  const lake = new DataLake(stack, 'Lake');
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });

  test('a grant on a zone the lake does not have', () => {
    expect(() => lake.grantRead('gold', role)).toThrow(PropValidationError);
    expect(() => lake.grantRead('gold', role)).toThrow(/\[Test\/Lake\] invalid zone: got "gold"; allowed: a zone of this lake: raw, curated, features/);
  });

  test('a grant prefix that starts with "/"', () => {
    expect(() => lake.grantWrite(DataZone.RAW, role, '/events/')).toThrow(/\[Test\/Lake\] invalid prefix: got "\/events\/"/);
  });

  test('metricAllRequests on a lake without request metrics', () => {
    expect(() => lake.metricAllRequests(DataZone.RAW)).toThrow(/\[Test\/Lake\] invalid requestMetrics: got false/);
  });

  test('the crawler of a zone that is not crawled', () => {
    expect(() => lake.crawler(DataZone.RAW)).toThrow(/\[Test\/Lake\] invalid zone: got "raw"; allowed: a crawled zone of this lake: none/);
  });
});

describe('DataLake in a concrete region', () => {
  test('accepts a key from the same region', () => {
    const stack = regionalStack('eu-west-1', 'lab');
    const own = new kms.Key(stack, 'Key');
    expect(() => new DataLake(stack, 'Lake', { encryptionKey: own })).not.toThrow();
  });
});

describe('DataLake: the smallest usage', () => {
  test.each(['lab', 'production'] as const)('new DataLake(stack, "Lake") has no unacknowledged finding in any of the 4 nag packs (%s)', (profile) => {
    const stack = testStack(profile);
    new DataLake(stack, 'Lake');
    templateOf(stack);
    expect(formatNag(nagFindings(stack))).toEqual([]);
  });
});

describe('DataLake: names AWS allows once per account and region', () => {
  test('two lakes with the same Glue database names are rejected at synth', () => {
    const stack = testStack('lab');
    new DataLake(stack, 'Lake', { databaseNamePrefix: 'shared' });
    const e = rejectionOf(() => new DataLake(stack, 'Other', { databaseNamePrefix: 'shared' }));
    expect(e.message).toContain('[Test/Other] invalid databaseNamePrefix: got "shared_raw"');
    expect(e.allowed).toContain('Test/Lake already uses it');
  });

  test('two stacks of one app with the same stack name and lake path collide on their default database names', () => {
    const app = testApp({ profile: 'lab' });
    new DataLake(new Stack(app, 'A', { stackName: 'Same' }), 'Lake');
    const e = rejectionOf(() => new DataLake(new Stack(app, 'B', { stackName: 'Same' }), 'Lake'));
    expect(e.message).toContain('[B/Lake] invalid databaseNamePrefix: got "same_lake_raw"');
  });

  test('lakes with different prefixes in one app are accepted', () => {
    const stack = testStack('lab');
    new DataLake(stack, 'Lake', { databaseNamePrefix: 'one' });
    expect(() => new DataLake(stack, 'Other', { databaseNamePrefix: 'two' })).not.toThrow();
  });

  test('two lakes with one workgroup name are rejected at synth', () => {
    const app = testApp({ profile: 'lab' });
    new DataLake(new Stack(app, 'A'), 'Lake', { workGroupName: 'analysts' });
    const e = rejectionOf(() => new DataLake(new Stack(app, 'B'), 'Lake', { workGroupName: 'analysts' }));
    expect(e.message).toContain('[B/Lake] invalid workGroupName: got "analysts"');
    expect(e.allowed).toContain('A/Lake already uses it');
  });

  test('a workgroup named "primary" (every account has it) is rejected; "primary-lake" is accepted', () => {
    const e = rejection({ workGroupName: 'primary' });
    expect(e.message).toContain('[Test/Lake] invalid workGroupName: got "primary"');
    expect(e.allowed).toContain('other than "primary"');
    expect(() => new DataLake(testStack('lab'), 'Lake', { workGroupName: 'primary-lake' })).not.toThrow();
  });
});

describe('DataLake: crawlers skip prefixes that hold no table', () => {
  test('excludeFromCrawlers adds the prefix to every crawler of the zone, after errors/ and data-capture/', () => {
    const stack = testStack('lab');
    const lake = new DataLake(stack, 'Lake', { crawledZones: [DataZone.RAW, DataZone.CURATED] });
    lake.excludeFromCrawlers(DataZone.RAW, 'tmp/');
    lake.excludeFromCrawlers(DataZone.RAW, 'tmp/'); // once only
    const t = templateOf(stack);
    const targetsOf = (zone: string) => t.toJSON().Resources[stack.getLogicalId(lake.crawler(zone).cfnCrawler)].Properties.Targets.S3Targets[0].Exclusions;
    expect(targetsOf(DataZone.RAW)).toEqual(['errors/**', 'data-capture/**', 'tmp/**']);
    expect(targetsOf(DataZone.CURATED)).toEqual(['errors/**', 'data-capture/**']);
  });

  test.each([
    ['no trailing slash', 'tmp'],
    ['a leading slash', '/tmp/'],
    ['a glob character', 'tmp*/'],
  ])('excludeFromCrawlers rejects a prefix with %s', (_what, prefix) => {
    const lake = new DataLake(testStack('lab'), 'Lake');
    const e = rejectionOf(() => lake.excludeFromCrawlers(DataZone.RAW, prefix));
    expect(e.message).toContain(`[Test/Lake] invalid prefix: got ${JSON.stringify(prefix)}`);
  });

  test('excludeFromCrawlers rejects a zone the lake does not have', () => {
    const lake = new DataLake(testStack('lab'), 'Lake');
    expect(rejectionOf(() => lake.excludeFromCrawlers('gold', 'tmp/')).message).toContain('[Test/Lake] invalid zone: got "gold"');
  });
});

describe('DataLake: range rules accept their edges and reject just outside', () => {
  const accepted = (props: DataLakeProps) => () => new DataLake(testStack('lab'), 'Lake', props);
  const lifecycleOf = (lake: DataLake) => Stack.of(lake).resolve((lake.rawBucket.node.defaultChild as unknown as { lifecycleConfiguration: unknown }).lifecycleConfiguration);

  test('Standard-IA at 30 days (S3\'s minimum) is accepted; 29 is rejected', () => {
    expect(accepted({ rawInfrequentAccessAfterDays: 30 })).not.toThrow();
    expect(rejection({ rawInfrequentAccessAfterDays: 29 }).prop).toBe('rawInfrequentAccessAfterDays');
  });

  test('Glacier Instant Retrieval exactly 30 days after Standard-IA is accepted; 29 days after is rejected', () => {
    const lake = accepted({ rawInfrequentAccessAfterDays: 40, rawGlacierAfterDays: 70 })();
    expect(JSON.stringify(lifecycleOf(lake))).toContain('{"storageClass":"GLACIER_IR","transitionInDays":70}');
    expect(rejection({ rawInfrequentAccessAfterDays: 40, rawGlacierAfterDays: 69 }).prop).toBe('rawGlacierAfterDays');
  });

  test('a bytes-scanned cap of exactly 10,000,000 bytes is accepted; 9,999,999 is rejected', () => {
    expect(accepted({ bytesScannedCutoffPerQuery: Size.bytes(10_000_000) })).not.toThrow();
    expect(rejection({ bytesScannedCutoffPerQuery: Size.bytes(9_999_999) }).prop).toBe('bytesScannedCutoffPerQuery');
  });

  test('query results kept 1 and 3650 days are accepted; 0 and 3651 are rejected', () => {
    expect(accepted({ queryResultsExpirationDays: 1 })).not.toThrow();
    expect(accepted({ queryResultsExpirationDays: 3650 })).not.toThrow();
    expect(rejection({ queryResultsExpirationDays: 0 }).prop).toBe('queryResultsExpirationDays');
    expect(rejection({ queryResultsExpirationDays: 3651 }).prop).toBe('queryResultsExpirationDays');
  });

  test.each(['noncurrentVersionExpirationDays', 'accessLogRetentionDays'] as const)('%s: 1 and 3650 days are accepted; 0, -1, 1.5 and 3651 are rejected', (prop) => {
    expect(accepted({ [prop]: 1 })).not.toThrow();
    expect(accepted({ [prop]: 3650 })).not.toThrow();
    for (const bad of [0, -1, 1.5, 3651]) expect(rejection({ [prop]: bad }).message).toContain(`invalid ${prop}: got ${bad}`);
  });

  test('an extra zone of exactly 32 characters is accepted; 33 is rejected', () => {
    expect(accepted({ extraZones: [`z${'a'.repeat(31)}`] })).not.toThrow();
    expect(rejection({ extraZones: [`z${'a'.repeat(32)}`] }).prop).toBe('extraZones[0]');
  });

  test('a workgroup name of 128 characters is accepted; 129 is rejected', () => {
    expect(accepted({ workGroupName: 'w'.repeat(128) })).not.toThrow();
    expect(rejection({ workGroupName: 'w'.repeat(129) }).prop).toBe('workGroupName');
  });

  test.each([
    ['cron(59 23 31 12 ? 2199)', 'cron(60 3 * * ? *)', 'minute 59 / 60'],
    ['cron(0 23 * * ? *)', 'cron(0 24 * * ? *)', 'hour 23 / 24'],
    ['cron(0 3 31 * ? *)', 'cron(0 3 32 * ? *)', 'day of month 31 / 32'],
    ['cron(0 3 1 * ? *)', 'cron(0 3 0 * ? *)', 'day of month 1 / 0'],
    ['cron(0 3 ? 12 * *)', 'cron(0 3 ? 13 * *)', 'month 12 / 13'],
    ['cron(0 3 ? * 7 *)', 'cron(0 3 ? * 8 *)', 'day of week 7 / 8'],
    ['cron(0 3 * * ? 2199)', 'cron(0 3 * * ? 2200)', 'year 2199 / 2200'],
    ['cron(0/5 * * * ? *)', 'cron(0/4 * * * ? *)', 'every 5 minutes (Glue\'s shortest) / every 4'],
    ['cron(0,5 * * * ? *)', 'cron(0,4 * * * ? *)', 'minutes 5 apart / 4 apart'],
    ['cron(0 3 ? * MON-FRI *)', 'cron(* 3 * * ? *)', 'named days / every minute'],
  ])('crawlerSchedule: %s is accepted, %s is rejected (%s)', (ok, bad) => {
    expect(accepted({ crawledZones: ['raw'], crawlerSchedule: ok })).not.toThrow();
    expect(rejection({ crawledZones: ['raw'], crawlerSchedule: bad }).message).toContain(`invalid crawlerSchedule: got "${bad}"`);
  });
});

describe('DataLake: input from plain JavaScript or Python', () => {
  // Values a caller without a type checker can pass; each is rejected naming the prop.
  const misuse: Array<[string, Record<string, unknown>, string]> = [
    ['a string where a key is expected', { encryptionKey: 'alias/lake' }, 'encryptionKey'],
    ['one string where a list of zones is expected', { extraZones: 'sandbox' }, 'extraZones'],
    ['a number in the zone list', { extraZones: [7] }, 'extraZones[0]'],
    ['a number as database prefix', { databaseNamePrefix: 42 }, 'databaseNamePrefix'],
    ['a string as days', { rawInfrequentAccessAfterDays: '30' }, 'rawInfrequentAccessAfterDays'],
    ['NaN as days', { rawGlacierAfterDays: NaN }, 'rawGlacierAfterDays'],
    ['a negative noncurrent expiry', { noncurrentVersionExpirationDays: -7 }, 'noncurrentVersionExpirationDays'],
    ['a string as query-result expiry', { queryResultsExpirationDays: '7' }, 'queryResultsExpirationDays'],
    ['an upper-case string as removal policy', { removalPolicy: 'RETAIN' }, 'removalPolicy'],
    ['a string as access-log retention', { accessLogRetentionDays: '365' }, 'accessLogRetentionDays'],
    ['one string where a list of crawled zones is expected', { crawledZones: 'raw' }, 'crawledZones'],
    ['a rate expression as schedule', { crawledZones: ['raw'], crawlerSchedule: 'rate(1 day)' }, 'crawlerSchedule'],
    ['a number as schedule', { crawledZones: ['raw'], crawlerSchedule: 3 }, 'crawlerSchedule'],
    ['an unknown recrawl behaviour', { recrawlBehavior: 'CRAWL_EVENT_MODE' }, 'recrawlBehavior'],
    ['a number of bytes where a Size is expected', { bytesScannedCutoffPerQuery: 10_000_000 }, 'bytesScannedCutoffPerQuery'],
    ['a number as workgroup name', { workGroupName: 5 }, 'workGroupName'],
    ['a string as request-metrics switch', { requestMetrics: 'yes' }, 'requestMetrics'],
  ];
  test.each(misuse)('%s is rejected with a PropValidationError naming the prop', (_what, props, prop) => {
    const e = rejection(props as DataLakeProps);
    expect(e.prop).toBe(prop);
    expect(e.constructPath).toBe('Test/Lake');
  });
  test('the misuse table covers every prop of DataLakeProps', () => {
    const covered = new Set(misuse.map(([, , prop]) => prop.replace(/\[\d+\]$/, '')));
    expect([...covered].sort()).toEqual([
      'accessLogRetentionDays', 'bytesScannedCutoffPerQuery', 'crawledZones', 'crawlerSchedule', 'databaseNamePrefix', 'encryptionKey',
      'extraZones', 'noncurrentVersionExpirationDays', 'queryResultsExpirationDays', 'rawGlacierAfterDays', 'rawInfrequentAccessAfterDays',
      'recrawlBehavior', 'removalPolicy', 'requestMetrics', 'workGroupName',
    ]);
    expect(undocumentedOptionalProps(SOURCE, 'DataLakeProps')).toEqual([]);
    expect(Object.keys(documentedDefaults(SOURCE, 'DataLakeProps')).sort()).toEqual([...covered].sort());
  });

  test('tokens in number and Size props are accepted and reach the template', () => {
    const stack = testStack('lab');
    const days = new CfnParameter(stack, 'Days', { type: 'Number' }).valueAsNumber;
    const bytes = new CfnParameter(stack, 'Bytes', { type: 'Number' }).valueAsNumber;
    const lake = new DataLake(stack, 'Lake', { rawGlacierAfterDays: days, queryResultsExpirationDays: days, bytesScannedCutoffPerQuery: Size.bytes(bytes) });
    const t = templateOf(stack);
    expect(t.toJSON().Resources[stack.getLogicalId(lake.workGroup)].Properties.WorkGroupConfiguration.BytesScannedCutoffPerQuery).toEqual({ Ref: 'Bytes' });
    expect(JSON.stringify(lifecycleRules(stack, lake))).toContain('{"StorageClass":"GLACIER_IR","TransitionInDays":{"Ref":"Days"}}');
  });
});

test('DataLake rejects a token Size in another unit than bytes clearly', () => {
  const stack = testStack('lab');
  const gib = new CfnParameter(stack, 'GiB', { type: 'Number' }).valueAsNumber;
  const e = rejection({ bytesScannedCutoffPerQuery: Size.gibibytes(gib) }, stack);
  expect(e.prop).toBe('bytesScannedCutoffPerQuery');
  expect(e.allowed).toContain('Size.bytes(token)');
});

function lifecycleRules(stack: Stack, lake: DataLake): unknown {
  return templateOf(stack).toJSON().Resources[stack.getLogicalId(lake.rawBucket.node.defaultChild as never)].Properties.LifecycleConfiguration.Rules;
}
