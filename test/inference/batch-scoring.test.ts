import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { JSONPath } from 'jsonpath-plus';
import { BatchScoring, BatchScoringProps } from '../../lib';
import { ProfileName } from '../support/app';
import { rejectionOf } from '../support/rejection';
import { testStack } from '../support/stack';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const aslValidator = require('asl-validator') as (definition: unknown) => { isValid: boolean; errorsText: (sep?: string) => string };

function build(overrides: Partial<BatchScoringProps> = {}, profile: ProfileName = 'production') {
  const stack = testStack(profile);
  const role = new iam.Role(stack, 'ModelRole', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
  const bucket = s3.Bucket.fromBucketName(stack, 'Data', 'churn-data');
  const scoring = new BatchScoring(stack, 'Scoring', {
    modelName: 'churn-model', modelRole: role, inputBucket: bucket, inputPrefix: 'features/scoring', outputBucket: bucket, ...overrides,
  });
  return { stack, scoring, t: Template.fromStack(stack) };
}

/** The definition with every token replaced by a placeholder string, as Step Functions will see it. */
function definitionOf(b: ReturnType<typeof build>): Record<string, unknown> {
  const resolved = b.stack.resolve((b.scoring as unknown as { definition: unknown }).definition);
  const pseudo: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::Region': 'us-east-1', 'AWS::AccountId': '111122223333', 'AWS::URLSuffix': 'amazonaws.com' };
  const flat = (v: unknown): unknown => {
    if (typeof v !== 'object' || v === null) return v;
    if (Array.isArray(v)) return v.map(flat);
    const o = v as Record<string, unknown>;
    if (o['Fn::Join']) {
      const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
      return parts.map((p) => (typeof p === 'string' ? p : (p as { Ref?: string }).Ref && pseudo[(p as { Ref: string }).Ref] ? pseudo[(p as { Ref: string }).Ref] : 'TOKEN')).join(sep);
    }
    if (o.Ref) return pseudo[o.Ref as string] ?? 'TOKEN';
    if (o['Fn::GetAtt']) return 'TOKEN';
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, flat(x)]));
  };
  return flat(resolved) as Record<string, unknown>;
}

describe('BatchScoring', () => {
  const b = build();
  const def = definitionOf(b);

  test('the definition is valid Amazon States Language (asl-validator)', () => {
    const result = aslValidator(def);
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
  });

  test('one createTransformJob.sync task: CSV lines in, ids dropped before the model and joined back after', () => {
    const task = JSONPath({ path: '$.States.Score', json: def, wrap: false }) as Record<string, Record<string, unknown>>;
    expect(task.Resource).toBe('arn:aws:states:::sagemaker:createTransformJob.sync');
    expect(task.Parameters.DataProcessing).toEqual({ InputFilter: '$[1:]', JoinSource: 'Input', OutputFilter: '$[0,-1]' });
    expect(task.Parameters.TransformInput).toEqual({ DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://churn-data/features/scoring/' } }, ContentType: 'text/csv', SplitType: 'Line' });
    expect(task.Parameters.BatchStrategy).toBe('MultiRecord');
    expect(task.Parameters.ModelName).toBe('churn-model');
    expect(task.Parameters['TransformJobName.$']).toBe("States.Format('scoring-{}', States.UUID())");
    expect((task.Parameters.TransformOutput as Record<string, unknown>)['S3OutputPath.$']).toBe("States.Format('s3://churn-data/predictions/{}/', $$.Execution.Name)");
    expect(task.Parameters.TransformOutput).toMatchObject({ Accept: 'text/csv', AssembleWith: 'Line', KmsKeyId: 'TOKEN' });
    // The key is the construct's own (a token resolving to its ARN).
    expect(task.Parameters.TransformResources).toEqual({ InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeKmsKeyId: 'TOKEN' });
    // The key is the construct's own (a token resolving to its ARN).
    expect(def.TimeoutSeconds).toBe(7200);
  });

  test('the transform job name fits SageMaker: "scoring-" plus a 36-character UUID is 44 characters', () => {
    expect('scoring-'.length + 36).toBeLessThanOrEqual(63);
  });

  test('state machine logs everything (without execution data) to an encrypted group, X-Ray on', () => {
    b.t.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false, Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: Match.anyValue() } }] },
      TracingConfiguration: { Enabled: true },
    });
    b.t.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: Match.stringLikeRegexp('^/aws/vendedlogs/states/'), KmsKeyId: Match.anyValue() });
  });

  test('the model role reads the input prefix and writes the output prefix only', () => {
    const policies = b.t.findResources('AWS::IAM::ManagedPolicy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^ModelRole') }] } });
    const statements = (Object.values(policies)[0].Properties.PolicyDocument.Statement as Array<{ Action: unknown; Resource: unknown }>)
      .map((st) => [st.Action, JSON.stringify(st.Resource)]);
    expect(statements).toEqual(expect.arrayContaining([
      ['s3:GetObject', expect.stringContaining(':s3:::churn-data/features/scoring/*')],
      [['s3:AbortMultipartUpload', 's3:PutObject'], expect.stringContaining(':s3:::churn-data/predictions/*')],
    ]));
    expect(JSON.stringify(statements)).not.toMatch(/s3:\*|s3:DeleteObject/);
  });

  test('on demand by default: no schedule; failures alarm to an encrypted topic', () => {
    b.t.resourceCountIs('AWS::Scheduler::Schedule', 0);
    b.t.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/States', MetricName: 'ExecutionsFailed', Threshold: 1, AlarmActions: [{ Ref: Match.stringLikeRegexp('AlarmTopic') }] });
    b.t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
  });

  test('a schedule starts executions through EventBridge Scheduler with a role that may only start this state machine', () => {
    const s = build({ schedule: 'cron(0 2 * * ? *)' });
    s.t.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 2 * * ? *)', ScheduleExpressionTimezone: 'UTC', FlexibleTimeWindow: { Mode: 'OFF' },
      Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('StateMachine'), 'Arn'] } }),
    });
    s.t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'states:StartExecution', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('StateMachine'), 'Arn'] } }] },
    });
  });

  test('lab uses ml.m5.large', () => {
    expect(JSON.stringify(definitionOf(build({}, 'lab')))).toContain('"InstanceType":"ml.m5.large"');
  });

  test('grantStartExecution and metrics', () => {
    const s = build();
    expect(s.stack.resolve(s.scoring.metricExecutionTime().toMetricConfig().metricStat)).toMatchObject({ namespace: 'AWS/States', metricName: 'ExecutionTime', statistic: 'Average' });
  });
});

describe('BatchScoring rejections', () => {
  test.each([
    ['inputPrefix with slash', { inputPrefix: 'features/' }, 'inputPrefix'],
    ['outputPrefix inside the input', { outputPrefix: 'features/scoring/out' }, 'outputPrefix'],
    ['instanceType', { instanceType: 'large' }, 'instanceType'],
    ['instanceCount 0', { instanceCount: 0 }, 'instanceCount'],
    ['instanceCount 101', { instanceCount: 101 }, 'instanceCount'],
    ['timeout below a minute', { timeout: Duration.seconds(30) }, 'timeout'],
    ['a rate schedule', { schedule: 'rate(1 day)' }, 'schedule'],
  ] as Array<[string, Partial<BatchScoringProps>, string]>)('%s', (_n, overrides, prop) => {
    expect(rejectionOf(() => build(overrides)).prop).toBe(prop);
  });

  test('edges accepted: 1 and 100 instances, one-minute timeout', () => {
    expect(() => build({ instanceCount: 100, timeout: Duration.minutes(1) })).not.toThrow();
    expect(() => build({ instanceCount: 1 })).not.toThrow();
  });

  test.each([
    ['modelName missing', { modelName: undefined }, 'modelName'],
    ['modelName as a number', { modelName: 7 }, 'modelName'],
    ['modelRole missing', { modelRole: undefined }, 'modelRole'],
    ['instanceCount as a string', { instanceCount: '2' }, 'instanceCount'],
    ['timeout as a number', { timeout: 3600 }, 'timeout'],
    ['schedule as an object', { schedule: { cron: '0 2' } }, 'schedule'],
  ])('plain JavaScript: %s', (_n, overrides, prop) => {
    expect(rejectionOf(() => build(overrides as unknown as Partial<BatchScoringProps>)).prop).toBe(prop);
  });
});
