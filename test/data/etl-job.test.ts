import * as path from 'path';
import { CfnElement, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  DataLake, DataZone, EtlInputFormat, EtlJob, EtlJobProps, FeatureTransformation, GlueVersion, GlueWorkerType, Profile,
} from '../../lib';
import { ROOT } from '../support/app';
import { documentedDefaults, undocumentedOptionalProps } from '../support/documented-defaults';
import { testStack } from '../support/stack';
import { rejectionOf } from '../support/rejection';

const SOURCE = path.join(ROOT, 'lib', 'data', 'etl-job.ts');

interface Built { stack: Stack; lake: DataLake; job: EtlJob; template: Template }
function build(profile: 'lab' | 'production', props: Partial<EtlJobProps> = {}): Built {
  const stack = testStack(profile);
  const lake = new DataLake(stack, 'Lake');
  const job = new EtlJob(stack, 'Etl', { dataLake: lake, inputPrefix: 'customers/', ...props });
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
  jobBookmarks: false,
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
  const topic = new sns.Topic(stack, 'Alerts', { masterKey: lake.encryptionKey, enforceSSL: true });
  const job = new EtlJob(stack, 'Etl', { dataLake: lake, inputPrefix: 'customers/', crawlInput: true, schedule: 'cron(30 2 ? * MON *)', alarmTopic: topic });
  return { stack, lake, job, template: Template.fromStack(stack), topic };
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
        LogGroupName: Match.stringLikeRegexp(`^/aws-glue/jobs/etl/.+/${stream}$`), RetentionInDays: d.logRetention,
      });
    }
  });

  test('the other defaults: Glue 5.0, G.1X, bookmarks, raw -> features, CSV, output crawler only, on demand', () => {
    expect(docs.glueVersion).toBe('GlueVersion.V5_0');
    expect(docs.workerType).toBe('GlueWorkerType.G_1X');
    expect(docs.jobBookmarks).toBe('true');
    expect(docs.inputZone).toBe('DataZone.RAW');
    expect(docs.outputZone).toBe('DataZone.FEATURES');
    expect(docs.crawlInput).toBe('false');
    expect(docs.crawlOutput).toBe('true');
    lab.template.hasResourceProperties('AWS::Glue::Job', {
      GlueVersion: '5.0',
      WorkerType: 'G.1X',
      DefaultArguments: Match.objectLike({
        '--job-bookmark-option': 'job-bookmark-enable',
        '--write_mode': 'append',
        '--input_format': 'csv',
        '--input_path': { 'Fn::Join': ['', ['s3://', ref(lab, lab.lake.rawBucket), '/customers/']] },
        '--output_path': { 'Fn::Join': ['', ['s3://', ref(lab, lab.lake.featuresBucket), '/customers/']] },
        '--partition_keys': 'country',
        '--view_name': 'raw_records',
      }),
    });
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

  test('Glue 5.0 logs to its own error and output log groups, encrypted with the lake key', () => {
    const names = Object.values(lab.template.findResources('AWS::Logs::LogGroup', {
      Properties: { KmsKeyId: { 'Fn::GetAtt': [lab.stack.getLogicalId(lab.lake.encryptionKey.node.defaultChild as never), 'Arn'] } },
    })).map((r) => (r as { Properties: { LogGroupName: string } }).Properties.LogGroupName).filter((n) => typeof n === 'string' && n.startsWith('/aws-glue/jobs/'));
    expect(names).toHaveLength(2);
    const [error, output] = [names.find((n) => n.endsWith('/error'))!, names.find((n) => n.endsWith('/output'))!];
    expect(error.replace(/\/error$/, '')).toBe(output.replace(/\/output$/, ''));
    const args = lab.stack.resolve(lab.job.cfnJob.defaultArguments);
    expect(args['--custom-logGroup-prefix']).toBe(error.replace(/\/error$/, ''));
    expect(args['--continuous-log-logGroup']).toBeUndefined();
    expect(lab.stack.resolve(lab.job.logGroup.logGroupName)).toEqual(ref(lab, lab.job.logGroup));
  });

  test('Glue 4.0 logs continuously to one encrypted log group of its own', () => {
    custom.template.hasResourceProperties('AWS::Glue::Job', {
      DefaultArguments: Match.objectLike({
        '--enable-continuous-cloudwatch-log': 'true',
        '--continuous-log-logGroup': ref(custom, custom.job.logGroup),
        '--custom-logGroup-prefix': Match.absent(),
      }),
    });
    expect(custom.job.outputLogGroup).toBeUndefined();
    custom.template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: Match.stringLikeRegexp('^/aws-glue/jobs/etl/[^/]+$'),
      KmsKeyId: { 'Fn::GetAtt': [custom.stack.getLogicalId(custom.lake.encryptionKey.node.defaultChild as never), 'Arn'] },
      RetentionInDays: 30,
    });
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
        '--input_format': 'json',
        '--output_path': { 'Fn::Join': ['', ['s3://', ref(custom, custom.lake.curatedBucket), '/clean/customers/']] },
        '--partition_keys': 'age_band,plan',
        '--view_name': 'customers',
      }),
    });
  });

  test('without bookmarks, each run reprocesses everything and overwrites the output', () => {
    custom.template.hasResourceProperties('AWS::Glue::Job', {
      DefaultArguments: Match.objectLike({ '--job-bookmark-option': 'job-bookmark-disable', '--write_mode': 'overwrite' }),
    });
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

  test('reads only the input prefix of the input zone', () => {
    expect(sid(lab, 'ListInput')).toEqual(expect.objectContaining({
      Action: 's3:ListBucket', Resource: bucketArn(lab, lab.lake.rawBucket), Condition: { StringLike: { 's3:prefix': ['customers/*'] } },
    }));
    expect(sid(lab, 'ReadInput')).toEqual(expect.objectContaining({
      Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [bucketArn(lab, lab.lake.rawBucket), '/customers/*']] },
    }));
  });

  test('writes only the output prefix of the output zone', () => {
    expect(sid(custom, 'WriteOutput')).toEqual(expect.objectContaining({
      Action: ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject', 's3:PutObject'],
      Resource: [
        { 'Fn::Join': ['', [bucketArn(custom, custom.lake.curatedBucket), '/clean/customers/*']] },
        { 'Fn::Join': ['', [bucketArn(custom, custom.lake.curatedBucket), '/clean/customers_$folder$']] },
      ],
    }));
    expect(sid(custom, 'ListOutput')).toEqual(expect.objectContaining({
      Resource: bucketArn(custom, custom.lake.curatedBucket), Condition: { StringLike: { 's3:prefix': ['clean/customers/*', 'clean/customers'] } },
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
    const job = new EtlJob(stack, 'Etl', { dataLake: new DataLake(stack, 'Lake'), inputPrefix: 'customers/', crawlOutput: false });
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
      Targets: { S3Targets: [{ Path: { 'Fn::Join': ['', ['s3://', ref(b, b.lake.featuresBucket), '/customers/']] } }] },
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

  test('an alarm fires when the rule matched at least once in 5 minutes', () => {
    lab.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Events', MetricName: 'TriggeredRules', Dimensions: [{ Name: 'RuleName', Value: ref(lab, lab.job.failureRule) }],
      Statistic: 'Sum', Period: 300, Threshold: 1, EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching',
    });
  });

  test('with a topic, the rule and the alarm notify it', () => {
    const b = withTopic;
    const topicRef = ref(b, b.topic);
    b.template.hasResourceProperties('AWS::Events::Rule', { Targets: [Match.objectLike({ Arn: topicRef })] });
    b.template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: [topicRef] });
    lab.template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: Match.absent() });
  });

  test("the topic's own policy still lets CloudWatch publish this job's alarm (the rule target replaced SNS's default policy)", () => {
    const b = withTopic;
    b.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [ref(b, b.topic)],
      PolicyDocument: { Statement: Match.arrayWith([
        Match.objectLike({ Principal: { Service: 'events.amazonaws.com' }, Action: 'sns:Publish' }),
        Match.objectLike({
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: 'sns:Publish',
          Resource: ref(b, b.topic),
          Condition: { ArnLike: { 'aws:SourceArn': b.stack.resolve(b.job.failureAlarm.alarmArn) } },
        }),
      ]) },
    });
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
    expect(reject({ numberOfWorkers: 1 }, 'numberOfWorkers', '1')).toContain('at least 2 for worker type G.1X');
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
    reject({ outputZone: DataZone.RAW }, 'outputPrefix', '"customers/"');
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
});
