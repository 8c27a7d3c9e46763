import * as path from 'path';
import { CfnElement, Duration, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  DataLake, DataZone, EtlInputFormat, EtlJob, EtlJobProps, FeatureTransformation, GlueVersion, GlueWorkerType, Profile,
} from '../../lib';
import { PROFILES, ROOT, testApp } from '../support/app';
import { formatNag, nagFindings } from '../support/nag';
import { documentedDefaults, undocumentedOptionalProps } from '../support/documented-defaults';
import { testStack } from '../support/stack';
import { rejectionOf } from '../support/rejection';

const SOURCE = path.join(ROOT, 'lib', 'data', 'etl-job.ts');

interface Built { stack: Stack; lake: DataLake; job: EtlJob; template: Template }
function build(profile: 'lab' | 'production', props: Partial<EtlJobProps> = {}): Built {
  const stack = testStack(profile);
  const lake = new DataLake(stack, 'Lake');
  const job = new EtlJob(stack, 'Etl', { dataLake: lake, ...props });
  return { stack, lake, job, template: Template.fromStack(stack) };
}
/** `{ Ref: logicalId }` of an L1, or of an L2's default child. */
function ref(b: Built, construct: unknown): { Ref: string } {
  const l1 = (construct as { node: { defaultChild?: unknown } }).node.defaultChild ?? construct;
  return { Ref: b.stack.getLogicalId(l1 as CfnElement) };
}

// One synthesis per configuration, shared by the tests below.
const lab = build('lab');
const production = build('production');
const custom = build('production', {
  glueVersion: GlueVersion.V4_0,
  workerType: GlueWorkerType.G_2X,
  numberOfWorkers: 4,
  timeout: Duration.hours(3),
  maxRetries: 2,
  jobBookmarks: true,
  crawlOutput: false,
  inputFormat: EtlInputFormat.JSON,
  outputZone: DataZone.CURATED,
  outputPrefix: 'clean/customers/',
  schedule: 'cron(0 3 * * ? *)',
  logRetention: logs.RetentionDays.ONE_MONTH,
  transformation: FeatureTransformation.fromSqlFile(path.join(ROOT, 'lib', 'data', 'etl', 'features.sql'), { partitionKeys: ['age_band', 'plan'], viewName: 'customers' }),
});
// The alarm topic needs the stack first; built by hand.
const withTopic = (() => {
  const stack = testStack('production');
  const lake = new DataLake(stack, 'Lake');
  const topicKey = new kms.Key(stack, 'TopicKey', { enableKeyRotation: true });
  const topic = new sns.Topic(stack, 'Alerts', { masterKey: topicKey, enforceSSL: true, topicName: 'etl-alerts' });
  const job = new EtlJob(stack, 'Etl', { dataLake: lake, crawlInput: true, schedule: 'cron(30 2 ? * MON *)', alarmTopic: topic });
  return { stack, lake, job, template: Template.fromStack(stack), topic, topicKey };
})();

describe('documented defaults', () => {
  const docs = documentedDefaults(SOURCE, 'EtlJobProps');
  const [l, p] = [EtlJob.defaults(Profile.LAB), EtlJob.defaults(Profile.PRODUCTION)];

  test('every optional prop documents its default', () => {
    expect(undocumentedOptionalProps(SOURCE, 'EtlJobProps')).toEqual([]);
  });

  test('profile-dependent defaults match EtlJob.defaults()', () => {
    expect(docs.numberOfWorkers).toBe(`- lab: ${l.numberOfWorkers}; production: ${p.numberOfWorkers}`);
    expect(docs.timeout).toBe(`- lab: ${l.timeoutMinutes} minutes; production: ${p.timeoutMinutes} minutes`);
    expect(docs.maxRetries).toBe(`- lab: ${l.maxRetries}; production: ${p.maxRetries}`);
    expect(docs.logRetention).toBe(`- lab: one week (${l.logRetention} days); production: one year (${p.logRetention} days)`);
  });

  test.each([
    ['lab', lab, l],
    ['production', production, p],
  ] as const)('the %s job uses them', (_name, b, d) => {
    b.template.hasResourceProperties('AWS::Glue::Job', {
      NumberOfWorkers: d.numberOfWorkers, Timeout: d.timeoutMinutes, MaxRetries: d.maxRetries,
    });
    for (const stream of ['error', 'output']) {
      b.template.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: Match.stringLikeRegexp(`^/aws-glue/jobs/etl/.+/${stream}-Test-Etl-[0-9A-F]{8}$`), RetentionInDays: d.logRetention,
      });
    }
  });

  test('the other defaults: Glue 5.0, G.1X, no bookmarks, raw customers CSV + clickstream Parquet -> features + training export, output crawler only, on demand', () => {
    expect(docs.glueVersion).toBe('GlueVersion.V5_0');
    expect(docs.workerType).toBe('GlueWorkerType.G_1X');
    expect(docs.jobBookmarks).toBe('false');
    expect(docs.inputZone).toBe('DataZone.RAW');
    expect(docs.inputPrefix).toBe("'customers/'");
    expect(docs.inputFormat).toBe('EtlInputFormat.CSV');
    expect(docs.outputZone).toBe('DataZone.FEATURES');
    expect(docs.outputPrefix).toBe("'customer_features/'");
    expect(docs.trainingExportPrefix).toBe("'training-export/'");
    expect(docs.transformation).toBe('FeatureTransformation.customerChurn()');
    expect(docs.additionalInputs).toContain("{ viewName: 'clickstream', zone: 'raw', prefix: 'clickstream/', format: PARQUET }");
    expect(docs.crawlInput).toBe('false');
    expect(docs.crawlOutput).toBe('true');
    const raw = ref(lab, lab.lake.rawBucket);
    const features = ref(lab, lab.lake.featuresBucket);
    lab.template.hasResourceProperties('AWS::Glue::Job', {
      GlueVersion: '5.0',
      WorkerType: 'G.1X',
      DefaultArguments: Match.objectLike({
        '--job-bookmark-option': 'job-bookmark-disable',
        '--write_mode': 'overwrite',
        '--input_views': 'raw_records,clickstream',
        '--input_formats': 'csv,parquet',
        '--input_paths': { 'Fn::Join': ['', ['s3://', raw, '/customers/,s3://', raw, '/clickstream/']] },
        '--output_path': { 'Fn::Join': ['', ['s3://', features, '/customer_features/']] },
        '--export_path': { 'Fn::Join': ['', ['s3://', features, '/training-export/']] },
        '--export_columns': 'churned,tenure_months,age_zscore,income_scaled,plan_basic,plan_standard,plan_premium,age_was_missing,income_was_missing,sessions,page_views,cart_adds,purchases,days_since_last_visit',
        '--split_column': 'split',
        '--partition_keys': 'country',
      }),
    });
    expect(lab.stack.resolve(lab.job.additionalInputPaths)).toEqual({ clickstream: { 'Fn::Join': ['', ['s3://', raw, '/clickstream/']] } });
    expect(lab.job.outputCrawler).toBeDefined();
    expect(lab.job.inputCrawler).toBeUndefined();
    lab.template.resourceCountIs('AWS::Glue::Crawler', 1);
    lab.template.hasResourceProperties('AWS::Glue::Trigger', { Type: 'ON_DEMAND', WorkflowName: ref(lab, lab.job.workflow) });
  });
});

describe('the job', () => {
  test('runs the script asset with Glue Spark and job metrics under the security configuration', () => {
    lab.template.hasResourceProperties('AWS::Glue::Job', {
      Command: { Name: 'glueetl', PythonVersion: '3', ScriptLocation: { 'Fn::Sub': Match.stringLikeRegexp(`${lab.job.scriptAsset.s3ObjectKey}$`) } },
      Role: { 'Fn::GetAtt': [lab.stack.getLogicalId(lab.job.role.node.defaultChild as iam.CfnRole), 'Arn'] },
      SecurityConfiguration: ref(lab, lab.job.securityConfiguration),
      ExecutionProperty: { MaxConcurrentRuns: 1 },
      DefaultArguments: Match.objectLike({
        '--enable-metrics': 'true',
        '--sql_path': { 'Fn::Sub': Match.stringLikeRegexp(`/${lab.job.sqlAsset.s3ObjectKey}$`) },
      }),
    });
  });

  test('Glue 5.0: exactly the groups Glue writes to under the security configuration, <prefix>/error-<name> and <prefix>/output-<name>, encrypted with the lake key', () => {
    const names = Object.values(lab.template.findResources('AWS::Logs::LogGroup', {
      Properties: { KmsKeyId: { 'Fn::GetAtt': [lab.stack.getLogicalId(lab.lake.encryptionKey.node.defaultChild as never), 'Arn'] } },
    })).map((r) => (r as { Properties: { LogGroupName: string } }).Properties.LogGroupName).filter((n) => typeof n === 'string' && n.startsWith('/aws-glue/jobs'));
    const config = lab.stack.resolve(lab.job.securityConfiguration.name);
    const prefix = lab.stack.resolve(lab.job.cfnJob.defaultArguments)['--custom-logGroup-prefix'];
    expect(prefix).toMatch(/^\/aws-glue\/jobs\/etl\/Test-Etl-[0-9A-F]{8}$/);
    expect(names.sort()).toEqual([`${prefix}/error-${config}`, `${prefix}/output-${config}`]);
    expect(lab.stack.resolve(lab.job.cfnJob.defaultArguments)['--continuous-log-logGroup']).toBeUndefined();
    expect(lab.job.logGroups).toEqual([lab.job.logGroup, lab.job.outputLogGroup]);
  });

  test('production keeps the log groups on delete but not after a failed first create (RetainExceptOnCreate); lab deletes them', () => {
    production.template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' });
    expect(Object.values(lab.template.findResources('AWS::Logs::LogGroup')).every((r) => (r as { DeletionPolicy: string }).DeletionPolicy === 'Delete')).toBe(true);
  });

  test('the job depends on its policy and on every log group, so no run starts before they exist', () => {
    const job = lab.template.findResources('AWS::Glue::Job');
    const dependsOn = (Object.values(job)[0] as { DependsOn: string[] }).DependsOn;
    for (const group of lab.job.logGroups) expect(dependsOn).toContain(lab.stack.getLogicalId(group.node.defaultChild as never));
    expect(dependsOn).toContain(lab.stack.getLogicalId(lab.job.policy.node.defaultChild as never));
  });

  test('Glue 4.0: the continuous-logging group <group>-<security configuration> and the classic /aws-glue/jobs-<role>-<security configuration>/output and /error, with retention and the key', () => {
    const config = custom.stack.resolve(custom.job.securityConfiguration.name);
    const group = custom.stack.resolve(custom.job.cfnJob.defaultArguments)['--continuous-log-logGroup'];
    expect(group).toMatch(/^\/aws-glue\/jobs\/etl\/Test-Etl-[0-9A-F]{8}$/);
    custom.template.hasResourceProperties('AWS::Glue::Job', {
      DefaultArguments: Match.objectLike({ '--enable-continuous-cloudwatch-log': 'true', '--custom-logGroup-prefix': Match.absent() }),
    });
    const key = { 'Fn::GetAtt': [custom.stack.getLogicalId(custom.lake.encryptionKey.node.defaultChild as never), 'Arn'] };
    const role = ref(custom, custom.job.role);
    const expected = [
      `${group}-${config}`,
      { 'Fn::Join': ['', ['/aws-glue/jobs-', role, `-${config}/output`]] },
      { 'Fn::Join': ['', ['/aws-glue/jobs-', role, `-${config}/error`]] },
    ];
    for (const name of expected) custom.template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: name, KmsKeyId: key, RetentionInDays: 30 });
    expect(custom.job.logGroups).toHaveLength(3);
    expect(custom.stack.resolve(custom.job.logGroup.logGroupName)).toEqual(ref(custom, custom.job.logGroup));
  });

  test('the SQL asset is the bundled features.sql by default', () => {
    expect(lab.job.sqlAsset.s3ObjectKey).toMatch(/\.sql$/);
    expect(FeatureTransformation.customerChurn().sqlPath).toBe(path.join(ROOT, 'lib', 'data', 'etl', 'features.sql'));
  });

  test('a security configuration encrypts S3 output and CloudWatch logs with SSE-KMS and bookmarks with CSE-KMS, all with the lake key', () => {
    const keyArn = { 'Fn::GetAtt': [lab.stack.getLogicalId(lab.lake.encryptionKey.node.defaultChild as never), 'Arn'] };
    lab.template.hasResource('AWS::Glue::SecurityConfiguration', {
      Properties: {
        Name: Match.anyValue(),
        EncryptionConfiguration: {
          S3Encryptions: [{ S3EncryptionMode: 'SSE-KMS', KmsKeyArn: keyArn }],
          CloudWatchEncryption: { CloudWatchEncryptionMode: 'SSE-KMS', KmsKeyArn: keyArn },
          JobBookmarksEncryption: { JobBookmarksEncryptionMode: 'CSE-KMS', KmsKeyArn: keyArn },
        },
      },
    });
    expect(lab.stack.resolve(lab.job.securityConfiguration.name)).toMatch(/^Test-Etl-/);
  });

  test('the key policy lets CloudWatch Logs use the key for Glue job log groups only', () => {
    lab.template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
          Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': {
            'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':log-group:/aws-glue/jobs*']],
          } } },
        })]),
      },
    });
  });

  test('uses the given version, worker type, workers, timeout, retries, format and zones', () => {
    custom.template.hasResourceProperties('AWS::Glue::Job', {
      GlueVersion: '4.0', WorkerType: 'G.2X', NumberOfWorkers: 4, Timeout: 180, MaxRetries: 2,
      DefaultArguments: Match.objectLike({
        '--input_formats': 'json',
        '--input_views': 'customers',
        '--output_path': { 'Fn::Join': ['', ['s3://', ref(custom, custom.lake.curatedBucket), '/clean/customers/']] },
        '--partition_keys': 'age_band,plan',
        '--export_path': 'none',
        '--export_columns': '',
      }),
    });
  });

  test('with bookmarks, each run processes only new files and appends to the output', () => {
    custom.template.hasResourceProperties('AWS::Glue::Job', {
      DefaultArguments: Match.objectLike({ '--job-bookmark-option': 'job-bookmark-enable', '--write_mode': 'append' }),
    });
    expect(custom.job.trainingExportPath).toBeUndefined();
  });
});

describe('your own SQL with a training export', () => {
  const sql = path.join(ROOT, 'lib', 'data', 'etl', 'features.sql');

  test('label and features given: the job exports them, label first, under trainingExportPrefix', () => {
    const b = build('lab', {
      transformation: FeatureTransformation.fromSqlFile(sql, { partitionKeys: ['country'], labelColumn: 'y', featureColumns: ['a', 'b'], additionalViews: ['clickstream'] }),
      additionalInputs: [{ viewName: 'clickstream', prefix: 'events/' }],
      trainingExportPrefix: 'exports/churn/',
    });
    b.template.hasResourceProperties('AWS::Glue::Job', { DefaultArguments: Match.objectLike({
      '--export_columns': 'y,a,b',
      '--export_path': { 'Fn::Join': ['', ['s3://', ref(b, b.lake.featuresBucket), '/exports/churn/']] },
      '--input_views': 'raw_records,clickstream',
      '--input_formats': 'csv,parquet',
    }) });
  });

  test('only a label, or no columns: no export, and no export grant', () => {
    const b = build('lab', { transformation: FeatureTransformation.fromSqlFile(sql, { partitionKeys: ['country'], labelColumn: 'y' }) });
    expect(b.job.trainingExportPath).toBeUndefined();
    b.template.hasResourceProperties('AWS::Glue::Job', { DefaultArguments: Match.objectLike({ '--export_path': 'none', '--export_columns': '' }) });
    expect(JSON.stringify(b.template.findResources('AWS::IAM::ManagedPolicy'))).not.toContain('training-export');
  });

  test('rejects a feature column Spark cannot name, and an empty feature list', () => {
    const stack = testStack('lab');
    const lake = new DataLake(stack, 'Lake');
    const bad = (featureColumns: string[]) => rejectionOf(() => new EtlJob(stack, `Etl${featureColumns.length}`, {
      dataLake: lake, transformation: FeatureTransformation.fromSqlFile(sql, { partitionKeys: ['country'], labelColumn: 'y', featureColumns }),
    }));
    expect(bad(['Tenure Months']).message).toContain('invalid transformation.featureColumns: got "Tenure Months"');
    expect(bad([]).message).toContain('invalid transformation.featureColumns: got []; allowed: at least one feature column');
  });
});

describe('the role', () => {
  const policyOf = (b: Built) => b.template.findResources('AWS::IAM::ManagedPolicy', {
    Properties: { Roles: [ref(b, b.job.role)] },
  });
  const statements = (b: Built) => {
    const policies = Object.values(policyOf(b));
    expect(policies).toHaveLength(1);
    return (policies[0] as { Properties: { PolicyDocument: { Statement: Array<Record<string, unknown>> } } }).Properties.PolicyDocument.Statement;
  };
  const sid = (b: Built, s: string) => statements(b).find((x) => x.Sid === s);
  const bucketArn = (b: Built, bucket: unknown) => ({ 'Fn::GetAtt': [b.stack.getLogicalId((bucket as { node: { defaultChild: never } }).node.defaultChild), 'Arn'] });

  test('is assumed by Glue only, with no managed AWS policies and no inline policy', () => {
    lab.template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'glue.amazonaws.com' } }] },
      ManagedPolicyArns: Match.absent(),
      Description: Match.stringLikeRegexp('Glue ETL job'),
    });
    expect(Object.values(lab.template.findResources('AWS::IAM::Policy')).filter((p) =>
      JSON.stringify(p).includes(lab.stack.getLogicalId(lab.job.role.node.defaultChild as iam.CfnRole)))).toEqual([]);
  });

  test('reads only the input folders, the bare folder keys included (Spark probes them; S3 answers 403, not 404, outside a grant)', () => {
    expect(sid(lab, 'ListInput0')).toEqual(expect.objectContaining({
      Action: 's3:ListBucket', Resource: bucketArn(lab, lab.lake.rawBucket), Condition: { StringLike: { 's3:prefix': ['customers*'] } },
    }));
    expect(sid(lab, 'ListInput1')).toEqual(expect.objectContaining({
      Action: 's3:ListBucket', Resource: bucketArn(lab, lab.lake.rawBucket), Condition: { StringLike: { 's3:prefix': ['clickstream*'] } },
    }));
    expect(sid(lab, 'ReadInput')).toEqual(expect.objectContaining({
      Action: 's3:GetObject', Resource: [
        { 'Fn::Join': ['', [bucketArn(lab, lab.lake.rawBucket), '/clickstream*']] },
        { 'Fn::Join': ['', [bucketArn(lab, lab.lake.rawBucket), '/customers*']] },
      ],
    }));
  });

  test('writes the output and the training export folders of the features zone, nothing else', () => {
    expect(sid(lab, 'WriteOutput')).toEqual(expect.objectContaining({
      Resource: [
        { 'Fn::Join': ['', [bucketArn(lab, lab.lake.featuresBucket), '/customer_features*']] },
        { 'Fn::Join': ['', [bucketArn(lab, lab.lake.featuresBucket), '/training-export*']] },
      ],
    }));
    expect(sid(lab, 'ListOutput')).toEqual(expect.objectContaining({ Condition: { StringLike: { 's3:prefix': ['customer_features*', 'training-export*'] } } }));
  });

  test('writes only the output prefix of the output zone', () => {
    expect(sid(custom, 'WriteOutput')).toEqual(expect.objectContaining({
      Action: ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject', 's3:PutObject'],
      Resource: { 'Fn::Join': ['', [bucketArn(custom, custom.lake.curatedBucket), '/clean/customers*']] },
    }));
    expect(sid(custom, 'ListOutput')).toEqual(expect.objectContaining({
      Resource: bucketArn(custom, custom.lake.curatedBucket), Condition: { StringLike: { 's3:prefix': ['clean/customers*'] } },
    }));
    const s3Resources = JSON.stringify(statements(custom).filter((s) => String(s.Action).includes('s3:')));
    for (const other of [custom.lake.featuresBucket, custom.lake.queryResultsBucket]) {
      expect(s3Resources).not.toContain(custom.stack.getLogicalId(other.node.defaultChild as never));
    }
  });

  test('uses the lake key with exact actions, reads only the two asset objects, and writes only Glue job logs', () => {
    expect(sid(lab, 'UseLakeKey')).toEqual(expect.objectContaining({
      Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
      Resource: { 'Fn::GetAtt': [lab.stack.getLogicalId(lab.lake.encryptionKey.node.defaultChild as never), 'Arn'] },
    }));
    const assets = sid(lab, 'ReadScriptAndSql')!;
    expect(assets.Action).toBe('s3:GetObject');
    expect(JSON.stringify(assets.Resource)).toContain(`/${lab.job.scriptAsset.s3ObjectKey}`);
    expect(JSON.stringify(assets.Resource)).toContain(`/${lab.job.sqlAsset.s3ObjectKey}`);
    expect(sid(lab, 'FindScriptAndSql')).toEqual(expect.objectContaining({
      Action: 's3:ListBucket', Condition: { StringEquals: { 's3:prefix': [lab.job.scriptAsset.s3ObjectKey, lab.job.sqlAsset.s3ObjectKey] } },
    }));
    expect(JSON.stringify(sid(lab, 'WriteJobLogs')!.Resource)).toContain(':log-group:/aws-glue/jobs*');
    expect(sid(lab, 'PublishJobMetrics')).toEqual(expect.objectContaining({
      Action: 'cloudwatch:PutMetricData', Resource: '*', Condition: { StringEquals: { 'cloudwatch:namespace': 'Glue' } },
    }));
  });

  test('has no wildcard actions and no Glue catalog access of its own (the crawlers have theirs)', () => {
    const actions = statements(lab).flatMap((s) => [s.Action].flat() as string[]);
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
    expect(actions.filter((a) => a.startsWith('glue:'))).toEqual([]);
  });

  test('grantStartRun lets a principal start, read and stop runs of this job only', () => {
    const stack = testStack('lab');
    const job = new EtlJob(stack, 'Etl', { dataLake: new DataLake(stack, 'Lake'), crawlOutput: false });
    const operator = new iam.Role(stack, 'Operator', { assumedBy: new iam.AccountRootPrincipal() });
    job.grantStartRun(operator);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: stack.getLogicalId(operator.node.defaultChild as iam.CfnRole) }],
      PolicyDocument: { Statement: [{
        Action: ['glue:BatchStopJobRun', 'glue:GetJobRun', 'glue:GetJobRuns', 'glue:StartJobRun'],
        Effect: 'Allow',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':glue:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':job/', { Ref: stack.getLogicalId(job.cfnJob) }]] },
      }] },
    });
  });
});

describe('orchestration', () => {
  test('with both crawlers, a scheduled workflow runs crawler -> job -> crawler, each step on the previous one succeeding', () => {
    const b = withTopic;
    const [inputCrawler, outputCrawler, job] = [b.job.inputCrawler!.crawlerName, b.job.outputCrawler!.crawlerName, b.job.cfnJob.ref].map((x) => b.stack.resolve(x));
    const workflow = ref(b, b.job.workflow);
    b.template.resourceCountIs('AWS::Glue::Workflow', 1);
    b.template.resourceCountIs('AWS::Glue::Trigger', 3);
    b.template.hasResourceProperties('AWS::Glue::Trigger', {
      Type: 'SCHEDULED', Schedule: 'cron(30 2 ? * MON *)', StartOnCreation: true, WorkflowName: workflow, Actions: [{ CrawlerName: inputCrawler }],
    });
    b.template.hasResourceProperties('AWS::Glue::Trigger', {
      Type: 'CONDITIONAL', WorkflowName: workflow, StartOnCreation: true, Actions: [{ JobName: job }],
      Predicate: { Logical: 'ANY', Conditions: [{ LogicalOperator: 'EQUALS', CrawlerName: inputCrawler, CrawlState: 'SUCCEEDED' }] },
    });
    b.template.hasResourceProperties('AWS::Glue::Trigger', {
      Type: 'CONDITIONAL', WorkflowName: workflow, StartOnCreation: true, Actions: [{ CrawlerName: outputCrawler }],
      Predicate: { Logical: 'ANY', Conditions: [{ LogicalOperator: 'EQUALS', JobName: job, State: 'SUCCEEDED' }] },
    });
  });

  test('the crawlers catalog the input and output prefixes into their zones\' databases', () => {
    const b = withTopic;
    b.template.hasResourceProperties('AWS::Glue::Crawler', {
      DatabaseName: b.stack.resolve(b.lake.databaseName(DataZone.RAW)),
      Targets: { S3Targets: [{ Path: { 'Fn::Join': ['', ['s3://', ref(b, b.lake.rawBucket), '/customers/']] } }] },
    });
    b.template.hasResourceProperties('AWS::Glue::Crawler', {
      DatabaseName: b.stack.resolve(b.lake.databaseName(DataZone.FEATURES)),
      Targets: { S3Targets: [{ Path: { 'Fn::Join': ['', ['s3://', ref(b, b.lake.featuresBucket), '/customer_features/']] } }] },
      CrawlerSecurityConfiguration: Match.anyValue(),
    });
  });

  test('without crawlers, a schedule is a scheduled trigger of the job itself', () => {
    custom.template.resourceCountIs('AWS::Glue::Workflow', 0);
    custom.template.resourceCountIs('AWS::Glue::Crawler', 0);
    custom.template.resourceCountIs('AWS::Glue::Trigger', 1);
    custom.template.hasResourceProperties('AWS::Glue::Trigger', {
      Type: 'SCHEDULED', Schedule: 'cron(0 3 * * ? *)', StartOnCreation: true, Actions: [{ JobName: ref(custom, custom.job.cfnJob) }], WorkflowName: Match.absent(),
    });
  });
});

describe('failure visibility', () => {
  test('an EventBridge rule matches FAILED, TIMEOUT and ERROR state changes of this job', () => {
    lab.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.glue'],
        'detail-type': ['Glue Job State Change'],
        detail: { jobName: [ref(lab, lab.job.cfnJob)], state: ['FAILED', 'TIMEOUT', 'ERROR'] },
      },
      State: 'ENABLED',
    });
  });

  test('with a topic, an alarm fires when the rule matched at least once in 5 minutes, and notifies the topic', () => {
    withTopic.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Events', MetricName: 'TriggeredRules', Dimensions: [{ Name: 'RuleName', Value: ref(withTopic, withTopic.job.failureRule) }],
      Statistic: 'Sum', Period: 300, Threshold: 1, EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching', AlarmActions: [ref(withTopic, withTopic.topic)],
    });
    withTopic.template.hasResourceProperties('AWS::Events::Rule', { Targets: [Match.objectLike({ Arn: ref(withTopic, withTopic.topic) })] });
  });

  test('without a topic, no alarm (an alarm without an action is what the HIPAA, NIST and PCI packs reject); the rule and metricFailedRuns() stay', () => {
    lab.template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    expect(lab.job.failureAlarm).toBeUndefined();
    lab.template.resourceCountIs('AWS::Events::Rule', 1);
  });

  test('the topic policy lets EventBridge and CloudWatch publish for this rule and this alarm only (aws:SourceArn)', () => {
    const b = withTopic;
    const statements = (Object.values(b.template.findResources('AWS::SNS::TopicPolicy'))[0] as { Properties: { PolicyDocument: { Statement: unknown[] } } }).Properties.PolicyDocument.Statement;
    const allows = statements.filter((x) => (x as { Effect: string }).Effect === 'Allow').map((x) => ({ ...(x as object), Sid: undefined }));
    expect(allows).toEqual([
      { Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sns:Publish', Resource: ref(b, b.topic),
        Condition: { ArnEquals: { 'aws:SourceArn': b.stack.resolve(b.job.failureRule.ruleArn) } }, Sid: undefined },
      { Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Resource: ref(b, b.topic),
        Condition: { ArnEquals: { 'aws:SourceArn': b.stack.resolve(b.job.failureAlarm!.alarmArn) } }, Sid: undefined },
    ]);
  });

  test("the topic's key lets EventBridge and CloudWatch use it for this topic only (kms:EncryptionContext:aws:sns:topicArn); the lake key gets no statement for them", () => {
    const b = withTopic;
    b.template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([{
        Effect: 'Allow',
        Principal: { Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: '*',
        Condition: { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': {
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sns:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':etl-alerts']],
        } } },
      }]) },
    });
    const lakeKey = JSON.stringify(b.template.toJSON().Resources[b.stack.getLogicalId(b.lake.encryptionKey.node.defaultChild as never)]);
    expect(lakeKey).not.toContain('events.amazonaws.com');
    expect(lakeKey).not.toContain('cloudwatch.amazonaws.com');
  });

  test('metric methods', () => {
    const s = lab.stack;
    const job = lab.job;
    expect(s.resolve(job.metricFailedRuns().dimensions)).toEqual({ RuleName: ref(lab, job.failureRule) });
    const failed = job.metricFailedTasks();
    expect([failed.namespace, failed.metricName, failed.statistic]).toEqual(['Glue', 'glue.driver.aggregate.numFailedTasks', 'Sum']);
    expect(s.resolve(failed.dimensions)).toEqual({ JobName: ref(lab, job.cfnJob), JobRunId: 'ALL', Type: 'count' });
    const elapsed = job.metricElapsedTime();
    expect([elapsed.metricName, elapsed.statistic]).toEqual(['glue.driver.aggregate.elapsedTime', 'Maximum']);
    expect(s.resolve(elapsed.dimensions)).toEqual({ JobName: ref(lab, job.cfnJob), JobRunId: 'ALL', Type: 'gauge' });
    expect(job.metric('glue.ALL.s3.filesystem.read_bytes', { period: Duration.hours(1) }).period.toMinutes()).toBe(60);
  });
});

describe('rejected at synth', () => {
  const reject = (props: Partial<EtlJobProps>, prop: string, value: string) => {
    const stack = testStack('lab');
    const lake = new DataLake(stack, 'Lake');
    const error = rejectionOf(() => new EtlJob(stack, 'Etl', { dataLake: lake, inputPrefix: 'customers/', ...props }));
    expect(error.prop).toBe(prop);
    expect(error.message).toContain('[Test/Etl]');
    expect(error.message).toContain(`invalid ${prop}: got ${value}`);
    return error.message;
  };

  test('fewer workers than the worker type allows', () => {
    expect(reject({ numberOfWorkers: 1 }, 'numberOfWorkers', '1')).toContain('at least 2 for worker type G.1X and at most 299');
  });

  test('more workers than Glue allows for the type: 300 G.1X, 150 G.2X', () => {
    reject({ numberOfWorkers: 300 }, 'numberOfWorkers', '300');
    expect(reject({ workerType: GlueWorkerType.G_2X, numberOfWorkers: 150 }, 'numberOfWorkers', '150')).toContain('at most 149');
  });

  test('a fractional number of workers', () => {
    reject({ workerType: GlueWorkerType.G_2X, numberOfWorkers: 2.5 }, 'numberOfWorkers', '2.5');
  });

  test('an unknown Glue version', () => {
    expect(reject({ glueVersion: GlueVersion.of('3.0') }, 'glueVersion', '"3.0"')).toContain('"4.0", "5.0"');
  });

  test.each([
    ['no "?" in either day field', 'cron(0 3 * * * *)'],
    ['"?" in both day fields', 'cron(0 3 ? * ? *)'],
    ['five fields', 'cron(0 3 * * ?)'],
    ['a rate expression', 'rate(1 day)'],
  ])('an invalid cron: %s', (_why, cron) => {
    expect(reject({ schedule: cron }, 'schedule', JSON.stringify(cron))).toContain('cron(0 3 * * ? *)');
  });

  test('output location equal to the input location', () => {
    reject({ outputZone: DataZone.RAW, outputPrefix: 'customers/' }, 'outputPrefix', '"customers/"');
  });

  test('output location inside the input location', () => {
    reject({ outputZone: DataZone.RAW, outputPrefix: 'customers/features/' }, 'outputPrefix', '"customers/features/"');
  });

  test('output location containing the input location', () => {
    reject({ inputPrefix: 'landing/customers/', outputZone: DataZone.RAW, outputPrefix: 'landing/' }, 'outputPrefix', '"landing/"');
  });

  test('an output zone the lake does not have', () => {
    expect(reject({ outputZone: 'gold' }, 'outputZone', '"gold"')).toContain('"raw", "curated", "features"');
  });

  test('an input zone the lake does not have', () => {
    reject({ inputZone: 'landing' }, 'inputZone', '"landing"');
  });

  test('an input prefix that is not a folder', () => {
    reject({ inputPrefix: '/customers' }, 'inputPrefix', '"/customers"');
  });

  test('a timeout beyond 7 days', () => {
    reject({ timeout: Duration.days(8) }, 'timeout', '11520');
  });

  test('more than 10 retries', () => {
    reject({ maxRetries: 11 }, 'maxRetries', '11');
  });

  test('a transformation without partition keys', () => {
    reject({ transformation: FeatureTransformation.fromSqlFile('x.sql', { partitionKeys: [] }) }, 'transformation.partitionKeys', '[]');
  });

  test('an imported key, whose policy cannot let CloudWatch Logs use it', () => {
    const stack = testStack('lab');
    const key = kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:us-east-1:111122223333:key/abc');
    const lake = new DataLake(stack, 'Lake', { encryptionKey: key });
    expect(() => new EtlJob(stack, 'Etl', { dataLake: lake, inputPrefix: 'customers/', crawlOutput: false }))
      .toThrow('[Test/Etl] invalid dataLake.encryptionKey: got "arn:aws:kms:us-east-1:111122223333:key/abc"');
  });

  test.each([
    ['G.025X (streaming jobs only)', 'G.025X'],
    ['Z.2X (Ray jobs only)', 'Z.2X'],
    ['an unknown type', 'G.3X'],
  ])('a worker type Glue does not run Spark ETL on: %s', (_why, name) => {
    expect(reject({ workerType: GlueWorkerType.of(name) }, 'workerType', JSON.stringify(name))).toContain('"G.1X", "G.2X", "G.4X", "G.8X", "G.12X", "G.16X", "R.1X", "R.2X", "R.4X", "R.8X"');
  });

  test.each([
    ['every minute', 'cron(* * * * ? *)'],
    ['every 4 minutes', 'cron(0/4 * * * ? *)'],
    ['twice within 4 minutes across the hour', 'cron(0,56 * * * ? *)'],
    ['a range of minutes', 'cron(10-12 3 * * ? *)'],
  ])("a cron faster than Glue's 5-minute minimum: %s", (_why, cron) => {
    expect(reject({ schedule: cron }, 'schedule', JSON.stringify(cron))).toContain('at most every 5 minutes');
  });

  test('a log retention CloudWatch Logs does not offer', () => {
    expect(reject({ logRetention: 8 as logs.RetentionDays }, 'logRetention', '8')).toContain('1, 3, 5, 7, 14');
  });

  test('a transformation that reads a view no input provides', () => {
    const transformation = FeatureTransformation.fromSqlFile('x.sql', { partitionKeys: ['country'], additionalViews: ['orders'] });
    expect(reject({ transformation }, 'additionalInputs', '[]')).toContain('missing: orders');
  });

  test('a topic encrypted with a key of this app but without a name known at synth (the key policy could not name it)', () => {
    const stack = testStack('lab');
    const topic = new sns.Topic(stack, 'Alerts', { masterKey: new kms.Key(stack, 'TopicKey') });
    const error = rejectionOf(() => new EtlJob(stack, 'Etl', { dataLake: new DataLake(stack, 'Lake'), alarmTopic: topic }));
    expect(error.message).toContain('[Test/Etl] invalid alarmTopic: got "Test/Alerts"; allowed: a topic whose topicName is known at synth');
  });

  test('two inputs read as the same view', () => {
    reject({ additionalInputs: [{ viewName: 'clickstream', prefix: 'a/' }, { viewName: 'clickstream', prefix: 'b/' }] }, 'additionalInputs', '"clickstream"');
  });

  test('an additional input with a view name Spark cannot use, or an unknown format', () => {
    reject({ additionalInputs: [{ viewName: 'Click-Stream', prefix: 'clickstream/' }] }, 'additionalInputs[0].viewName', '"Click-Stream"');
    reject({ additionalInputs: [{ viewName: 'clickstream', prefix: 'clickstream/', format: 'avro' as EtlInputFormat }] }, 'additionalInputs[0].format', '"avro"');
    reject({ additionalInputs: [{ viewName: 'clickstream', prefix: 'clickstream/', zone: 'gold' }] }, 'additionalInputs[0].zone', '"gold"');
  });

  test('an output folder whose name starts with an input folder\'s (the `<folder>*` grants would overlap)', () => {
    reject({ outputZone: DataZone.RAW, outputPrefix: 'customers_features/' }, 'outputPrefix', '"customers_features/"');
  });

  test('a training export inside the output', () => {
    reject({ trainingExportPrefix: 'customer_features/export/' }, 'trainingExportPrefix', '"customer_features/export/"');
  });
});

describe('accepted at the edges', () => {
  const accepts = (props: Partial<EtlJobProps>) => {
    const stack = testStack('lab');
    return new EtlJob(stack, 'Etl', { dataLake: new DataLake(stack, 'Lake'), ...props });
  };

  test.each([
    ['2 workers (the G.1X minimum)', { numberOfWorkers: 2 }],
    ['299 G.1X workers', { numberOfWorkers: 299 }],
    ['149 G.2X workers', { workerType: GlueWorkerType.G_2X, numberOfWorkers: 149 }],
    ['500 G.4X workers (no documented maximum: the account quota decides)', { workerType: GlueWorkerType.G_4X, numberOfWorkers: 500 }],
    ['a 1-minute timeout', { timeout: Duration.minutes(1) }],
    ['a 7-day timeout', { timeout: Duration.days(7) }],
    ['0 retries', { maxRetries: 0 }],
    ['10 retries', { maxRetries: 10 }],
    ['every 5 minutes', { schedule: 'cron(0/5 * * * ? *)' }],
    ['5 minutes apart across the hour', { schedule: 'cron(0,55 * * * ? *)' }],
    ['once an hour', { schedule: 'cron(7 * * * ? *)' }],
    ['G.16X, R.8X', { workerType: GlueWorkerType.of('R.8X') }],
    ['Glue 4.0', { glueVersion: GlueVersion.V4_0 }],
    ['10 years of logs', { logRetention: logs.RetentionDays.TEN_YEARS }],
    ['an output folder beside the input in the same zone', { outputZone: DataZone.RAW, outputPrefix: 'features/' }],
  ] as Array<[string, Partial<EtlJobProps>]>)('%s', (_what, props) => {
    expect(() => accepts(props)).not.toThrow();
  });

  test('tokens: numbers and a Duration in minutes are passed through to CloudFormation, not checked', () => {
    const stack = testStack('lab');
    const workers = Token.asNumber({ Ref: 'Workers' });
    const job = new EtlJob(stack, 'Etl', {
      dataLake: new DataLake(stack, 'Lake'), numberOfWorkers: workers, maxRetries: Token.asNumber({ Ref: 'Retries' }),
      timeout: Duration.minutes(Token.asNumber({ Ref: 'Minutes' })), schedule: Token.asString({ Ref: 'Cron' }),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Glue::Job', { NumberOfWorkers: { Ref: 'Workers' }, MaxRetries: { Ref: 'Retries' }, Timeout: { Ref: 'Minutes' } });
    expect(job.startTrigger).toBeDefined();
  });
});

describe('plain JavaScript and Python callers', () => {
  const misuse = (props: Record<string, unknown>, prop: string, value: string, allowed: string) => {
    const stack = testStack('lab');
    const lake = new DataLake(stack, 'Lake');
    const error = rejectionOf(() => new EtlJob(stack, 'Etl', { dataLake: lake, ...props } as unknown as EtlJobProps));
    expect(error.prop).toBe(prop);
    expect(error.message).toContain(`[Test/Etl] invalid ${prop}: got ${value}; allowed: ${allowed}`);
  };

  test('a missing dataLake', () => misuse({ dataLake: undefined }, 'dataLake', 'undefined', 'a DataLake'));
  test('a string where the lake is expected', () => misuse({ dataLake: 'my-lake' }, 'dataLake', '"my-lake"', 'a DataLake'));
  test('a number where a prefix is expected', () => misuse({ inputPrefix: 42 }, 'inputPrefix', '42', 'a string'));
  test('a string where a number is expected', () => misuse({ numberOfWorkers: '4' }, 'numberOfWorkers', '"4"', 'a number'));
  test('NaN workers', () => misuse({ numberOfWorkers: NaN }, 'numberOfWorkers', 'NaN', 'a number'));
  test('a string where a boolean is expected', () => misuse({ jobBookmarks: 'yes' }, 'jobBookmarks', '"yes"', 'a boolean'));
  test('a string where a GlueVersion is expected', () => misuse({ glueVersion: '5.0' }, 'glueVersion', '"5.0"', 'a GlueVersion'));
  test('a string where a GlueWorkerType is expected', () => misuse({ workerType: 'G.1X' }, 'workerType', '"G.1X"', 'a GlueWorkerType'));
  test('a number where a Duration is expected', () => misuse({ timeout: 30 }, 'timeout', '30', 'a Duration'));
  test('a string where a FeatureTransformation is expected', () => misuse({ transformation: 'features.sql' }, 'transformation', '"features.sql"', 'a FeatureTransformation'));
  test('one input where a list is expected', () => misuse({ additionalInputs: { viewName: 'clickstream', prefix: 'clickstream/' } }, 'additionalInputs', '{"viewName":"clickstream","prefix":"clickstream/"}', 'a list of EtlInput'));
  test('an input without a prefix', () => misuse({ additionalInputs: [{ viewName: 'clickstream' }] }, 'additionalInputs[0].prefix', 'undefined', 'a key prefix'));
  test('a string where a topic is expected', () => misuse({ alarmTopic: 'arn:aws:sns:us-east-1:111122223333:alerts' }, 'alarmTopic', '"arn:aws:sns:us-east-1:111122223333:alerts"', 'an sns.ITopic'));
});


describe('the smallest usage', () => {
  test.each(PROFILES)('new EtlJob(stack, "E", { dataLake }) is clean under all four nag packs (%s profile)', (profile) => {
    const app = testApp({ profile });
    const stack = new Stack(app, 'Minimal');
    new EtlJob(stack, 'E', { dataLake: new DataLake(stack, 'Lake') });
    app.synth();
    expect(formatNag(nagFindings(stack))).toEqual([]);
  });

  test('with an alert topic of its own key and name, still clean', () => {
    const app = testApp({ profile: 'production' });
    const stack = new Stack(app, 'WithTopic');
    const topic = new sns.Topic(stack, 'Alerts', { masterKey: new kms.Key(stack, 'TopicKey', { enableKeyRotation: true }), topicName: 'etl-alerts', enforceSSL: true });
    new EtlJob(stack, 'E', { dataLake: new DataLake(stack, 'Lake'), alarmTopic: topic });
    app.synth();
    expect(formatNag(nagFindings(stack))).toEqual([]);
  });
});
