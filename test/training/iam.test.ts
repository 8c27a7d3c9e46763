import { Match, Template } from 'aws-cdk-lib/assertions';
import { HyperparameterRange, TrainingPipeline, TrainingPipelineProps } from '../../lib';
import { definitionOf, pipeline, statesOf } from './helpers';

/**
 * What each Task resource of the definition needs, from the Step Functions developer guide's
 * "IAM policies for integrated services" pages (SageMaker, Glue, AWS SDK integrations):
 * https://docs.aws.amazon.com/step-functions/latest/dg/sagemaker-iam.html
 * https://docs.aws.amazon.com/step-functions/latest/dg/glue-iam.html
 */
const NEEDS: Record<string, { actions: string[]; rule?: string }> = {
  'arn:aws:states:::aws-sdk:sfn:listExecutions': { actions: ['states:ListExecutions'] },
  'arn:aws:states:::sagemaker:createTrainingJob.sync': {
    actions: ['sagemaker:CreateTrainingJob', 'sagemaker:DescribeTrainingJob', 'sagemaker:StopTrainingJob', 'sagemaker:ListTags', 'iam:PassRole'],
    rule: 'StepFunctionsGetEventsForSageMakerTrainingJobsRule',
  },
  'arn:aws:states:::sagemaker:createHyperParameterTuningJob.sync': {
    actions: ['sagemaker:CreateHyperParameterTuningJob', 'sagemaker:DescribeHyperParameterTuningJob', 'sagemaker:StopHyperParameterTuningJob',
      'sagemaker:ListTrainingJobsForHyperParameterTuningJob', 'sagemaker:ListTags', 'iam:PassRole'],
    rule: 'StepFunctionsGetEventsForSageMakerTuningJobsRule',
  },
  'arn:aws:states:::sagemaker:createProcessingJob.sync': {
    actions: ['sagemaker:CreateProcessingJob', 'sagemaker:DescribeProcessingJob', 'sagemaker:StopProcessingJob', 'sagemaker:ListTags', 'iam:PassRole'],
    rule: 'StepFunctionsGetEventsForSageMakerProcessingJobsRule',
  },
  'arn:aws:states:::aws-sdk:sagemaker:describeTrainingJob': { actions: ['sagemaker:DescribeTrainingJob'] },
  'arn:aws:states:::aws-sdk:sagemaker:createModelPackage': { actions: ['sagemaker:CreateModelPackage'] },
  'arn:aws:states:::glue:startJobRun.sync': { actions: ['glue:StartJobRun', 'glue:GetJobRun', 'glue:GetJobRuns', 'glue:BatchStopJobRun'] },
};
/** Beyond the tasks: logging and tracing of the state machine, and grants on the jobs' KMS key made as the caller. */
const ALWAYS = [
  'logs:CreateLogDelivery', 'logs:GetLogDelivery', 'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery', 'logs:ListLogDeliveries',
  'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups',
  'xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets',
  'kms:CreateGrant', 'kms:DescribeKey',
];

interface Statement { Sid?: string; Action: string | string[]; Resource: unknown; Condition?: unknown }

function statementsOfRole(t: Template, roleLogicalId: string): { managed: Statement[]; inline: Statement[] } {
  const attachedTo = (r: { Properties: { Roles?: Array<{ Ref: string }> } }) => (r.Properties.Roles ?? []).some((x) => x.Ref === roleLogicalId);
  const pick = (type: string) => Object.values(t.findResources(type))
    .filter((r) => attachedTo(r as never))
    .flatMap((r) => (r as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement);
  return { managed: pick('AWS::IAM::ManagedPolicy'), inline: pick('AWS::IAM::Policy') };
}

/** Order-free comparison of a statement's Resource (CDK sorts and dedupes). */
const sorted = (x: unknown) => (Array.isArray(x) ? x : [x]).map((y) => JSON.stringify(y)).sort();
const actionsOf = (statements: Statement[]) => new Set(statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])));

function check(props: Partial<TrainingPipelineProps>) {
  const { f, p, t } = pipeline(props);
  const states = Object.values(statesOf(definitionOf(t)));
  const resources = [...new Set(states.filter((s) => s.Type === 'Task').map((s) => s.Resource as string))];
  const roleId = f.stack.getLogicalId(p.role.node.defaultChild as never);
  return { f, p, t, resources, ...statementsOfRole(t, roleId) };
}

describe.each([
  ['training with a baseline', {}],
  ['tuning with a baseline', { tuning: { ranges: [HyperparameterRange.integer('max_depth', 3, 8)] } }],
  ['ETL, training, no baseline', { etlJob: { jobName: 'features' }, baseline: false }],
] as Array<[string, Partial<TrainingPipelineProps>]>)('the state machine role (%s)', (_name, props) => {
  const { f, p, resources, managed, inline } = check(props);

  test('every Task resource of the definition is one this test knows', () => {
    expect(resources.filter((r) => !NEEDS[r])).toEqual([]);
  });

  test('allows exactly the actions the definition calls, and nothing else', () => {
    const expected = new Set([...resources.flatMap((r) => NEEDS[r].actions), ...ALWAYS,
      ...(resources.some((r) => NEEDS[r].rule) ? ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'] : [])]);
    expect([...actionsOf(managed)].sort()).toEqual([...expected].sort());
  });

  test('has no inline policy (everything is in the hand-written managed policy)', () => {
    expect(inline).toEqual([]);
  });

  test('.sync: the EventBridge rules Step Functions manages, exactly for the job types it runs', () => {
    const sync = managed.find((s) => s.Sid === 'SyncRules')!;
    const rendered = JSON.stringify(f.stack.resolve(sync.Resource));
    const rules = resources.map((r) => NEEDS[r].rule).filter((r): r is string => r !== undefined);
    for (const rule of rules) expect(rendered).toContain(`:rule/${rule}`);
    expect((rendered.match(/:rule\//g) ?? []).length).toBe(rules.length);
  });

  test('iam:PassRole only to SageMaker, only the jobs\' roles', () => {
    const pass = managed.find((s) => s.Sid === 'PassJobRoles')!;
    expect(pass.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } });
    const roles = [p.jobRole, ...(p.baselineRole ? [p.baselineRole] : [])].map((r) => f.stack.resolve(r.roleArn));
    expect(sorted(pass.Resource)).toEqual(sorted(roles));
  });

  test('SageMaker actions are limited to this pipeline\'s job name prefix and model package group', () => {
    const sm = managed.filter((s) => actionsOf([s]).has('sagemaker:DescribeTrainingJob') || actionsOf([s]).has('sagemaker:CreateModelPackage'));
    const rendered = JSON.stringify(f.stack.resolve(sm.map((s) => s.Resource)));
    expect(rendered).toContain(':training-job/pipeline-*');
    expect(rendered).toContain(`:model-package/${p.modelPackageGroupName.toLowerCase()}/*`);
    expect(rendered).not.toMatch(/training-job\/\*/);
  });
});

describe('the training job role', () => {
  const { f, p, t } = check({});
  const jobRoleId = f.stack.getLogicalId(p.jobRole.node.defaultChild as never);
  const { managed, inline } = statementsOfRole(t, jobRoleId);
  const bySid = (sid: string) => managed.find((s) => s.Sid === sid)!;
  const objects = (prefix: string) => f.stack.resolve(f.bucket.arnForObjects(prefix));

  test('reads only the channel prefixes (and its checkpoints)', () => {
    expect(bySid('Read').Action).toBe('s3:GetObject');
    expect(sorted(bySid('Read').Resource)).toEqual(sorted([objects('training-export/train/*'), objects('training-export/validation/*'), objects('training-checkpoints/*')]));
  });

  test('writes only the output and checkpoint prefixes', () => {
    expect(sorted(bySid('Write').Action)).toEqual(sorted(['s3:PutObject', 's3:AbortMultipartUpload']));
    expect(sorted(bySid('Write').Resource)).toEqual(sorted([objects('training-output/*'), objects('training-checkpoints/*')]));
  });

  test('lists the bucket only under those prefixes', () => {
    const listed = (bySid('List').Condition as { StringLike: Record<string, string[]> }).StringLike['s3:prefix'];
    expect([...listed].sort()).toEqual(['training-checkpoints/*', 'training-export/train/*', 'training-export/validation/*', 'training-output/*']);
  });

  test('uses only its key', () => {
    expect(bySid('Key').Resource).toEqual(f.stack.resolve(f.key.keyArn));
    expect(bySid('VolumeKey').Condition).toEqual({ Bool: { 'kms:GrantIsForAWSResource': 'true' } });
  });

  test('pulls only the XGBoost repository', () => {
    expect(JSON.stringify(bySid('PullImage').Resource)).toContain('repository/sagemaker-xgboost');
  });

  test('no wildcard actions, no inline policy, no managed AWS policies', () => {
    expect([...actionsOf(managed)].filter((a) => a.includes('*'))).toEqual([]);
    expect(inline).toEqual([]);
    t.hasResourceProperties('AWS::IAM::Role', { AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'sagemaker.amazonaws.com' } }] }, ManagedPolicyArns: Match.absent() });
  });

  test('the baseline role reads the export with a header, writes baselines, pulls the Model Monitor analyzer', () => {
    const baselineId = f.stack.getLogicalId(p.baselineRole!.node.defaultChild as never);
    const b = statementsOfRole(t, baselineId).managed;
    const sid = (s: string) => b.find((x) => x.Sid === s)!;
    expect(sid('Read').Resource).toEqual(objects('training-export/baseline/*'));
    expect(sid('Write').Resource).toEqual(objects('model-baselines/*'));
    expect(JSON.stringify(sid('PullImage').Resource)).toContain('repository/sagemaker-model-monitor-analyzer');
  });
});

describe('the trigger role', () => {
  test('may only start this state machine (and read the schedule with the key)', () => {
    const { f, p, t } = pipeline({ schedule: 'rate(1 day)' });
    const roles = t.findResources('AWS::IAM::Role');
    const triggerId = Object.keys(roles).find((id) => id.includes('TriggerRole'))!;
    const { managed, inline } = statementsOfRole(t, triggerId);
    expect(inline).toEqual([]);
    expect(managed.map((s) => s.Action)).toEqual(['states:StartExecution', 'kms:Decrypt']);
    expect(managed[0].Resource).toEqual(f.stack.resolve(p.stateMachine.stateMachineArn));
  });
});

test('TrainingPipeline is exported for users (not only the example)', () => {
  expect(typeof TrainingPipeline.defaults).toBe('function');
});
