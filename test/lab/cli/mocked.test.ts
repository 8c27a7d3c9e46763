import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BudgetsClient, DescribeBudgetsCommand } from '@aws-sdk/client-budgets';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CostExplorerClient, GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { DescribeNetworkInterfacesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetJobRunCommand, GetWorkflowRunCommand, GlueClient, StartJobRunCommand, StartWorkflowRunCommand } from '@aws-sdk/client-glue';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { DescribeKeyCommand, KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { GetObjectCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateMonitoringScheduleCommand, DeleteMonitoringScheduleCommand, DescribeEndpointCommand, DescribeModelPackageCommand, DescribeMonitoringScheduleCommand,
  DescribeProcessingJobCommand, ListEndpointsCommand, ListModelPackagesCommand, ListMonitoringSchedulesCommand,
  ListProcessingJobsCommand, ListTrainingJobsCommand, ListTransformJobsCommand, SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { ListServiceQuotasCommand, ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import * as http from 'http';
import * as net from 'net';
import { mockClient } from 'aws-sdk-client-mock';
import { runLab } from '../../../lib/lab/cli';
import { CdkRunner, LabDeps } from '../../../lib/lab/cli/context';
import { Capture } from './moto';

const cfn = mockClient(CloudFormationClient);
const sm = mockClient(SageMakerClient);
const glue = mockClient(GlueClient);
const sts = mockClient(STSClient);
const ssm = mockClient(SSMClient);
const quotas = mockClient(ServiceQuotasClient);
const budgets = mockClient(BudgetsClient);
const s3 = mockClient(S3Client);
const kms = mockClient(KMSClient);
const ec2 = mockClient(EC2Client);
const runtime = mockClient(SageMakerRuntimeClient);
const ce = mockClient(CostExplorerClient);
const kinesis = mockClient(KinesisClient);
const sfn = mockClient(SFNClient);
const all = [cfn, sm, glue, sts, ssm, quotas, budgets, s3, kms, ec2, runtime, ce, kinesis, sfn];

const DATA_OUTPUTS = { RawBucketName: 'raw', FeaturesBucketName: 'features', CuratedBucketName: 'curated', EtlJobName: 'job', ClickstreamStreamName: 'clicks',
  AthenaWorkGroupName: 'wg', TrainingPipelineName: 'pipe', TrainingStateMachineArn: 'arn:aws:states:us-east-1:1:stateMachine:pipe',
  ModelPackageGroupName: 'churn', ExpiresAt: '2026-12-01T17:00:00' };
const SERVING_OUTPUTS = { EndpointName: 'ep', ModelDataUri: 's3://curated/m.tar.gz', MonitoringScheduleName: 'ep-dq',
  InferenceApiUrl: 'https://abc123.execute-api.us-east-1.amazonaws.com/prod/predictions' };

function stacks(outputs: Record<string, Record<string, string>>) {
  cfn.on(DescribeStacksCommand).callsFake((input: { StackName: string }) => {
    const o = outputs[input.StackName];
    if (!o) throw Object.assign(new Error(`Stack with id ${input.StackName} does not exist`), { name: 'ValidationError' });
    return { Stacks: [{ StackName: input.StackName, StackStatus: 'CREATE_COMPLETE', CreationTime: new Date(), RoleARN: 'arn:role',
      Outputs: Object.entries(o).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })) }] };
  });
}

// What the SDK's stream mixin offers a command: enough for GetObject bodies.
const body = (text: string) => ({ transformToString: async () => text });
const awsError = (name: string, message = name) => Object.assign(new Error(message), { name, $metadata: {} });

let clock = 0;
function run(argv: string[], extra: Partial<LabDeps> = {}, signal?: AbortSignal) {
  const stdout = new Capture();
  const stderr = new Capture();
  const deps: LabDeps = { region: 'us-east-1', pollMs: 1, timeoutMs: 50, now: () => (clock += 10), stdout, stderr, ...extra };
  return runLab(argv, deps, signal).then((r) => ({ ...r, stdout: stdout.text, stderr: stderr.text }));
}

beforeEach(() => {
  all.forEach((m) => m.reset());
  clock = 0;
  stacks({ MlLabData: DATA_OUTPUTS, MlLabServing: SERVING_OUTPUTS });
});
afterAll(() => all.forEach((m) => m.restore()));

describe('doctor', () => {
  beforeEach(() => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '111122223333', Arn: 'arn:aws:iam::111122223333:user/learner' });
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: '27' } });
    budgets.on(DescribeBudgetsCommand).resolves({ Budgets: [] });
  });

  test('a new account\'s zero quota fails with how to raise it; a paginated listing is read to the end', async () => {
    quotas.on(ListServiceQuotasCommand, { ServiceCode: 'sagemaker', NextToken: undefined }).resolves({
      Quotas: [{ QuotaName: 'ml.c5.large for endpoint usage', Value: 0 }], NextToken: 'p2' });
    quotas.on(ListServiceQuotasCommand, { ServiceCode: 'sagemaker', NextToken: 'p2' }).resolves({ Quotas: [
      { QuotaName: 'ml.m5.large for training job usage', Value: 1 }, { QuotaName: 'ml.m5.large for processing job usage', Value: 2 }] });
    const r = await run(['doctor', '--json']);
    expect(r.exitCode).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.checks.find((c: { check: string }) => c.check === 'quota: ml.c5.large for endpoint usage'))
      .toEqual({ check: 'quota: ml.c5.large for endpoint usage', result: 'FAIL', detail: '0: request an increase in Service Quotas → Amazon SageMaker (new accounts often start at 0)' });
    expect(json.checks.find((c: { check: string }) => c.check === 'quota: ml.m5.large for processing job usage').result).toBe('ok');
    expect(r.stderr).toContain('✖ 1 check(s) failed: quota: ml.c5.large for endpoint usage.');
  });

  test('no budget rights, no bootstrap, unsupported region: each a FAIL with its remedy', async () => {
    quotas.on(ListServiceQuotasCommand).resolves({ Quotas: [] });
    budgets.on(DescribeBudgetsCommand).rejects(awsError('AccessDeniedException', 'User is not authorized to perform: budgets:ViewBudget'));
    ssm.on(GetParameterCommand).rejects(awsError('ParameterNotFound'));
    const r = await run(['doctor', '--json', '--region', 'af-south-1']);
    const checks = Object.fromEntries(JSON.parse(r.stdout).checks.map((c: { check: string; detail: string }) => [c.check, c.detail]));
    expect(checks['budget rights']).toMatch(/^AWS denied access while reading budgets: User is not authorized/);
    expect(checks['CDK bootstrap']).toBe('not bootstrapped: run npx cdk bootstrap aws://111122223333/af-south-1');
    expect(checks.region).toMatch(/^af-south-1 has no built-in XGBoost image/);
    expect(checks['quota: ml.c5.large for endpoint usage']).toBe('not listed: check the Service Quotas console (SageMaker)');
  });

  test('missing credentials: one sentence, no stack trace; --debug adds the trace', async () => {
    sts.on(GetCallerIdentityCommand).rejects(awsError('CredentialsProviderError', 'Could not load credentials from any providers'));
    const r = await run(['doctor']);
    expect(r.stdout).toContain('No AWS credentials were found while checking credentials.');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    glue.on(StartJobRunCommand).rejects(awsError('InternalServiceException'));
    const debug = await run(['--debug', 'etl']);
    expect(debug.stderr).toMatch(/^✖ Something failed while starting the ETL job: InternalServiceException\n.*\nInternalServiceException: .*\n\s+at /);
  });
});

describe('errors a learner meets', () => {
  test.each([
    ['ThrottlingException', 'AWS throttled the requests while starting the ETL job.', 'Wait a minute and run the same command again; nothing was left half-done.'],
    ['AccessDeniedException', 'AWS denied access while starting the ETL job: AccessDeniedException', 'Use a role with the permissions listed under Prerequisites in docs/LAB.md, then retry.'],
    ['ExpiredTokenException', 'AWS rejected your credentials while starting the ETL job (ExpiredTokenException).', 'Sign in again (aws sso login or fresh keys), then retry.'],
    ['ResourceNumberLimitExceededException', 'An AWS quota stopped starting the ETL job: ResourceNumberLimitExceededException', 'Run `lab doctor` to see which quota, and request an increase in the Service Quotas console.'],
    ['InternalServiceException', 'Something failed while starting the ETL job: InternalServiceException', 'Run the command again with --debug to see the details.'],
  ])('%s', async (name, sentence, next) => {
    stacks({ MlLabData: { ...DATA_OUTPUTS } });
    glue.on(StartJobRunCommand).rejects(awsError(name));
    const r = await run(['etl']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(`✖ ${sentence}\n  → ${next}\n`);
  });

  test('--json reports the error in the document too', async () => {
    glue.on(StartJobRunCommand).rejects(awsError('ThrottlingException'));
    const r = await run(['etl', '--json']);
    expect(JSON.parse(r.stdout)).toEqual(expect.objectContaining({ ok: false, error: 'AWS throttled the requests while starting the ETL job.' }));
  });
});

describe('waits', () => {
  test('etl follows the workflow through its states; plain lines without a terminal', async () => {
    stacks({ MlLabData: { ...DATA_OUTPUTS, EtlWorkflowName: 'wf' } });
    glue.on(StartWorkflowRunCommand).resolves({ RunId: 'r1' });
    glue.on(GetWorkflowRunCommand)
      .resolvesOnce({ Run: { Status: 'RUNNING', Statistics: { TotalActions: 3, SucceededActions: 0 } } })
      .resolvesOnce({ Run: { Status: 'RUNNING', Statistics: { TotalActions: 3, SucceededActions: 1 } } })
      .resolves({ Run: { Status: 'COMPLETED', Statistics: { TotalActions: 3, SucceededActions: 3 } } });
    const r = await run(['etl', '--json'], { timeoutMs: 10_000 });
    expect(r.exitCode).toBe(0);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      'workflow wf ...',
      'workflow wf: RUNNING (0/3 steps)',
      'workflow wf: RUNNING (1/3 steps)',
      'workflow wf: COMPLETED (3/3 steps)',
      expect.stringMatching(/^✔ workflow wf: COMPLETED \(3\/3 steps\) \(\d+ s\)$/),
    ]);
  });

  test('a workflow that completes with a failed step is a failure', async () => {
    stacks({ MlLabData: { ...DATA_OUTPUTS, EtlWorkflowName: 'wf' } });
    glue.on(StartWorkflowRunCommand).resolves({ RunId: 'r1' });
    glue.on(GetWorkflowRunCommand).resolves({ Run: { Status: 'COMPLETED', Statistics: { TotalActions: 3, SucceededActions: 2, FailedActions: 1 } } });
    const r = await run(['etl']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('✖ workflow wf ended COMPLETED (2/3 steps).');
  });

  test('a failed job run says why', async () => {
    glue.on(StartJobRunCommand).resolves({ JobRunId: 'j1' });
    glue.on(GetJobRunCommand).resolvesOnce({ JobRun: { JobRunState: 'RUNNING' } }).resolves({ JobRun: { JobRunState: 'FAILED', ErrorMessage: 'AnalysisException: no such table' } });
    const r = await run(['etl']);
    expect(r.stderr).toContain('✖ job job ended FAILED: AnalysisException: no such table.');
  });

  test('a wait that outlasts its time-out says the work goes on and where to follow it', async () => {
    glue.on(StartJobRunCommand).resolves({ JobRunId: 'j1' });
    glue.on(GetJobRunCommand).resolves({ JobRun: { JobRunState: 'RUNNING' } });
    const r = await run(['etl'], { timeoutMs: 30 });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('✖ Timed out after 0 s waiting for job job (still RUNNING).');
    expect(r.stderr).toContain('→ Follow the run in the console (Glue → Workflows or ETL jobs → Runs); run `lab etl` again only after it ends.');
  });

  test('Ctrl-C stops waiting (exit 130), leaves the run going and says how to resume', async () => {
    const controller = new AbortController();
    glue.on(StartJobRunCommand).resolves({ JobRunId: 'j1' });
    glue.on(GetJobRunCommand).callsFake(() => {
      controller.abort();
      return { JobRun: { JobRunState: 'RUNNING' } };
    });
    const r = await run(['etl'], { timeoutMs: 10_000 }, controller.signal);
    expect(r.exitCode).toBe(130);
    expect(r.stderr).toContain('✖ Stopped waiting for job job; the work continues in AWS.');
    expect(glue.commandCalls(StartJobRunCommand)).toHaveLength(1);
  });

  test('train: a failed pipeline names the reason and where to read it', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec', startDate: new Date() });
    sfn.on(DescribeExecutionCommand).resolvesOnce({ status: 'RUNNING' } as never)
      .resolves({ status: 'FAILED', cause: 'validation:auc 0.61 does not reach the gate >= 0.75: nothing registered' } as never);
    const r = await run(['train'], { timeoutMs: 10_000 });
    expect(sfn.commandCalls(StartExecutionCommand)[0].args[0].input).toEqual({ stateMachineArn: 'arn:aws:states:us-east-1:1:stateMachine:pipe', input: '{"trigger":"lab"}' });
    expect(r.stderr).toContain('pipeline pipe: RUNNING');
    expect(r.stderr).toContain('✖ pipeline pipe ended FAILED: validation:auc 0.61 does not reach the gate >= 0.75: nothing registered.');
    expect(r.stderr).toContain('→ Open Step Functions → State machines → the execution');
  });

  test('models shows the gate metric the pipeline recorded (validation:auc, else objective_value)', async () => {
    sm.on(ListModelPackagesCommand).resolves({ ModelPackageSummaryList: [
      { ModelPackageArn: 'arn:p/2', ModelPackageVersion: 2, ModelApprovalStatus: 'Approved', CreationTime: new Date('2026-12-01T14:00:00Z') },
      { ModelPackageArn: 'arn:p/1', ModelPackageVersion: 1, ModelApprovalStatus: 'Rejected', CreationTime: new Date('2026-12-01T13:00:00Z') },
    ] } as never);
    sm.on(DescribeModelPackageCommand, { ModelPackageName: 'arn:p/2' }).resolves({ CustomerMetadataProperties: { 'validation:auc': '0.86', 'objective_value': '0.86' } } as never);
    sm.on(DescribeModelPackageCommand, { ModelPackageName: 'arn:p/1' }).resolves({ CustomerMetadataProperties: { objective_value: '0.79' } } as never);
    const r = await run(['models', '--json']);
    expect(JSON.parse(r.stdout).versions.map((v: { auc: string }) => v.auc)).toEqual(['0.86', '0.79']);
  });

  test('train without a pipeline in the stack says what to update', async () => {
    stacks({ MlLabData: { RawBucketName: 'raw' } });
    const r = await run(['train']);
    expect(r.stderr).toBe('✖ The training pipeline is not in this build of MlLabData.\n  → Update the repository (TrainingPipeline joins MlLabData), run `lab up` again, then `lab train`.\n');
  });
});

describe('questions', () => {
  test('without --yes and without a terminal, up refuses to guess', async () => {
    const cdk: CdkRunner = { deploy: jest.fn(), destroy: jest.fn() };
    const r = await run(['up'], { cdk, tty: false });
    expect(r.stderr).toContain('needs an answer and there is no terminal to ask.');
    expect(r.stderr).toContain('→ Add --yes to answer yes non-interactively.');
    expect(cdk.deploy).not.toHaveBeenCalled();
  });

  test('answering no deploys nothing', async () => {
    const cdk: CdkRunner = { deploy: jest.fn(), destroy: jest.fn() };
    const r = await run(['down'], { cdk, confirm: async () => false });
    expect(r.stderr).toContain('Nothing destroyed: you answered no.');
    expect(cdk.destroy).not.toHaveBeenCalled();
  });

  test('up rejects a time-to-live outside 1-24 hours before touching AWS', async () => {
    const cdk: CdkRunner = { deploy: jest.fn(), destroy: jest.fn() };
    expect((await run(['--yes', 'up', '--hours', '25'], { cdk })).stderr).toContain('✖ --hours must be from 1 to 24, not 25.');
    expect((await run(['--yes', 'up', '--hours', '0'], { cdk })).stderr).toContain('✖ --hours must be from 1 to 24, not 0.');
    expect(cdk.deploy).not.toHaveBeenCalled();
  });

  test('up warns when the stack has no service role (the time-to-live could not delete it)', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [{ StackName: 'MlLabData', StackStatus: 'CREATE_COMPLETE', CreationTime: new Date(), Outputs: [] }] });
    const r = await run(['--yes', 'up', '--hours', '1'], { cdk: { deploy: async () => undefined, destroy: async () => undefined }, now: () => Date.parse('2026-12-01T10:59:30Z') });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain('! The stack has no CloudFormation service role, so its time-to-live cannot delete it');
    expect(r.stdout).toContain('MlLabData is up until 2026-12-01T11:59:00Z');
  });
});

describe('down verifies', () => {
  const cdk = (): CdkRunner & { order: string[] } => {
    const order: string[] = [];
    return { order, deploy: async () => undefined, destroy: async (s) => { order.push(s); } };
  };
  beforeEach(() => {
    sm.on(ListEndpointsCommand).resolves({ Endpoints: [] });
    sm.on(ListMonitoringSchedulesCommand).resolves({ MonitoringScheduleSummaries: [] });
    sm.on(ListTrainingJobsCommand).resolves({ TrainingJobSummaries: [] });
    sm.on(ListProcessingJobsCommand).resolves({ ProcessingJobSummaries: [] });
    sm.on(ListTransformJobsCommand).resolves({ TransformJobSummaries: [] });
    ec2.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: [] });
    s3.on(ListBucketsCommand).resolves({ Buckets: [{ Name: 'someone-elses-bucket' }] });
    kms.on(ListKeysCommand).resolves({ Keys: [{ KeyId: 'k1' }, { KeyId: 'k2' }] });
    kms.on(DescribeKeyCommand, { KeyId: 'k1' }).resolves({ KeyMetadata: { KeyId: 'k1', KeyManager: 'CUSTOMER', KeyState: 'PendingDeletion', Description: 'Budget notifications of MlLabData', DeletionDate: new Date('2026-12-08T00:00:00Z') } });
    kms.on(DescribeKeyCommand, { KeyId: 'k2' }).resolves({ KeyMetadata: { KeyId: 'k2', KeyManager: 'CUSTOMER', KeyState: 'Enabled', Description: 'not ours' } });
  });

  test('serving goes before data; keys pending deletion are reported, not billable', async () => {
    const runner = cdk();
    const r = await run(['--yes', '--json', 'down'], { cdk: runner });
    expect(runner.order).toEqual(['MlLabServing', 'MlLabData']);
    const json = JSON.parse(r.stdout);
    expect(json.clean).toBe(true);
    expect(json.leftovers).toEqual([{ kind: 'key', name: 'k1', state: 'PendingDeletion until 2026-12-08' }]);
    expect(sm.commandCalls(ListTrainingJobsCommand)[0].args[0].input).toEqual({ StatusEquals: 'InProgress' });
    expect(sm.commandCalls(ListEndpointsCommand)[0].args[0].input).toEqual({ NameContains: 'MlLab' });
  });

  test('a running endpoint, monitoring schedule and lab bucket fail the check and are named', async () => {
    sm.on(ListEndpointsCommand).resolves({ Endpoints: [{ EndpointName: 'MlLabServing-Endpoint-x', EndpointStatus: 'Deleting', CreationTime: new Date(), LastModifiedTime: new Date(), EndpointArn: 'a' }] });
    sm.on(ListMonitoringSchedulesCommand).resolves({ MonitoringScheduleSummaries: [{ MonitoringScheduleName: 'ep-now', MonitoringScheduleStatus: 'Scheduled', MonitoringScheduleArn: 'a', CreationTime: new Date(), LastModifiedTime: new Date() }] });
    s3.on(ListBucketsCommand).resolves({ Buckets: [{ Name: 'mllabdata-lakerawbucket-abc' }] });
    const r = await run(['--yes', 'down'], { cdk: cdk() });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('✖ 3 billable lab resource(s) remain: endpoint MlLabServing-Endpoint-x, monitoring schedule ep-now, bucket mllabdata-lakerawbucket-abc.');
  });

  test('a failed destroy stops before verifying and the data stack is not touched', async () => {
    const order: string[] = [];
    const failing: CdkRunner = { deploy: async () => undefined, destroy: async (s) => { order.push(s); throw new Error('boom'); } };
    const r = await run(['--yes', 'down'], { cdk: failing });
    expect(order).toEqual(['MlLabServing']);
    expect(r.exitCode).toBe(1);
  });
});

describe('serving and monitoring (SageMaker status progressions)', () => {
  test('serve without an approved version and without the committed artifact says to train first', async () => {
    sm.on(ListModelPackagesCommand).resolves({ ModelPackageSummaryList: [] });
    const r = await run(['--yes', 'serve'], { root: '/nonexistent', cdk: { deploy: jest.fn(), destroy: jest.fn() } });
    expect(r.stderr).toContain('✖ No approved model version and no committed artifact at models/churn-xgboost/model.tar.gz.');
  });

  test('shift waits Updating → InService and sets both weights', async () => {
    sm.on(DescribeEndpointCommand)
      .resolvesOnce({ EndpointStatus: 'InService', ProductionVariants: [{ VariantName: 'Champion' }, { VariantName: 'Challenger' }] } as never)
      .resolvesOnce({ EndpointStatus: 'Updating' } as never)
      .resolves({ EndpointStatus: 'InService' } as never);
    const r = await run(['shift', '--challenger', '100', '--json'], { timeoutMs: 10_000 });
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout).weights).toEqual({ Champion: 0, Challenger: 100 });
    expect(r.stderr).toContain('endpoint ep: Updating');
  });

  test('shift without a challenger variant says how to add one', async () => {
    sm.on(DescribeEndpointCommand).resolves({ EndpointStatus: 'InService', ProductionVariants: [{ VariantName: 'Champion' }] } as never);
    const r = await run(['shift']);
    expect(r.stderr).toContain('✖ The endpoint has no Challenger variant.\n  → Run `lab serve --challenger` first');
  });

  test('shift rejects a share outside 0-100', async () => {
    expect((await run(['shift', '--challenger', '101'])).stderr).toContain('--challenger must be a percentage from 0 to 100, not 101.');
  });

  test('drift: skewed traffic, a NOW schedule, the violations, and the one-off schedule removed', async () => {
    // The schedule comes from MlLabServing's MonitoringScheduleName output.
    sm.on(DescribeMonitoringScheduleCommand, { MonitoringScheduleName: 'ep-dq' }).resolves({ MonitoringScheduleConfig: { MonitoringJobDefinitionName: 'dq-def', MonitoringType: 'DataQuality' } });
    sm.on(DescribeMonitoringScheduleCommand, { MonitoringScheduleName: 'ep-dq-now' })
      .resolvesOnce({ LastMonitoringExecutionSummary: { MonitoringExecutionStatus: 'InProgress' } as never })
      .resolves({ LastMonitoringExecutionSummary: { MonitoringExecutionStatus: 'CompletedWithViolations', ProcessingJobArn: 'arn:aws:sagemaker:us-east-1:1:processing-job/job-1' } as never });
    sm.on(DescribeProcessingJobCommand).resolves({ ProcessingOutputConfig: { Outputs: [{ OutputName: 'result', S3Output: { S3Uri: 's3://curated/monitoring/ep/run1', LocalPath: '/x', S3UploadMode: 'EndOfJob' } }] } } as never);
    s3.on(GetObjectCommand, { Bucket: 'curated', Key: 'monitoring/ep/run1/constraint_violations.json' }).resolves({ Body: body(JSON.stringify({ violations: [
      { feature_name: 'tenure_months', constraint_check_type: 'baseline_drift_check', description: 'distance 0.62 > 0.1' }] })) } as never);
    runtime.on(InvokeEndpointCommand).callsFake((input: { Body: Uint8Array }) => ({ Body: Buffer.from(Buffer.from(input.Body).toString().split('\n').map(() => '0.5').join('\n')) }));
    const r = await run(['drift', '--json', '--file', `${__dirname}/rows.csv`, '--rows', '3'], { timeoutMs: 10_000 });
    expect(r.exitCode).toBe(0);
    const sent = runtime.commandCalls(InvokeEndpointCommand).map((c) => Buffer.from(c.args[0].input.Body as Uint8Array).toString());
    expect(sent).toEqual(['17,0.1,0.2,1,0,0,0,0,0,0,0,0,0\n5,0.3,0.4,0,1,0,0,0,0,0,0,0,0\n32,0.5,0.6,0,0,1,0,0,0,0,0,0,0']);
    expect(sm.commandCalls(CreateMonitoringScheduleCommand)[0].args[0].input.MonitoringScheduleConfig!.ScheduleConfig)
      .toEqual({ ScheduleExpression: 'NOW', DataAnalysisStartTime: '-PT1H', DataAnalysisEndTime: 'PT0H' });
    expect(JSON.parse(r.stdout).violations).toEqual([{ feature: 'tenure_months', check: 'baseline_drift_check', description: 'distance 0.62 > 0.1' }]);
    expect(sm.commandCalls(DeleteMonitoringScheduleCommand)[0].args[0].input).toEqual({ MonitoringScheduleName: 'ep-dq-now' });
  });

  test('drift without a monitoring schedule output says what to update', async () => {
    stacks({ MlLabData: DATA_OUTPUTS, MlLabServing: { EndpointName: 'ep' } });
    expect((await run(['drift'])).stderr).toContain('✖ MlLabServing has no monitoring schedule output.');
  });

  test('invoke --api: SigV4-signed JSON to the API URL, predictions from its JSON answer; a 403 says what is missing', async () => {
    const seen: Array<{ url?: string; headers: http.IncomingHttpHeaders; body: string }> = [];
    let status = 200;
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ url: req.url, headers: req.headers, body });
        const n = (JSON.parse(body) as { instances: number[][] }).instances.length;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(status === 200 ? JSON.stringify({ predictions: Array.from({ length: n }, (_, i) => (i % 2 ? 0.2 : 0.8)) }) : '{"message":"Missing Authentication Token"}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/prod/predictions`;
    try {
      stacks({ MlLabData: DATA_OUTPUTS, MlLabServing: { ...SERVING_OUTPUTS, InferenceApiUrl: url } });
      const creds = { credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'tok' } };
      const r = await run(['invoke', '--api', '--json', '--file', `${__dirname}/rows.csv`, '--batch', '2'], creds);
      expect(r.exitCode).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual(expect.objectContaining({ via: 'api', predictions: [0.8, 0.2, 0.8] }));
      expect(seen).toHaveLength(2);
      expect(JSON.parse(seen[0].body).instances).toEqual([[5, 0.1, 0.2, 1, 0, 0, 0, 0, 3, 10, 1, 0, 4], [1, 0.3, 0.4, 0, 1, 0, 0, 0, 1, 2, 0, 0, 30]]);
      expect(seen[0].headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/execute-api\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/);
      expect(seen[0].headers['x-amz-security-token']).toBe('tok');
      expect(runtime.commandCalls(InvokeEndpointCommand)).toHaveLength(0);
      status = 403;
      const denied = await run(['invoke', '--api', '--file', `${__dirname}/rows.csv`], creds);
      expect(denied.stderr).toContain('✖ The API answered 403: {"message":"Missing Authentication Token"}');
      expect(denied.stderr).toContain('→ Your identity needs execute-api:Invoke on the API');
    } finally {
      server.close();
    }
  });

  test('a prediction count mismatch is an error', async () => {
    runtime.on(InvokeEndpointCommand).resolves({ Body: Buffer.from('0.5\n') } as never);
    const r = await run(['invoke', '--file', `${__dirname}/rows.csv`, '--batch', '10']);
    expect(r.stderr).toContain('✖ The endpoint returned 1 predictions for 3 rows.');
  });

  test('models --approve of a version that does not exist lists the ones that do', async () => {
    sm.on(ListModelPackagesCommand).resolves({ ModelPackageSummaryList: [{ ModelPackageArn: 'arn:1', ModelPackageVersion: 1, ModelApprovalStatus: 'Approved', CreationTime: new Date(), ModelPackageName: 'x' } as never] });
    sm.on(DescribeModelPackageCommand).resolves({});
    expect((await run(['models', '--approve', '7'])).stderr).toContain('✖ There is no version 7.\n  → Pick one of 1.');
  });
});

describe('stream and cost', () => {
  test('throttled records are counted, not hidden', async () => {
    kinesis.on(PutRecordsCommand).resolves({ FailedRecordCount: 2, Records: [] });
    const r = await run(['stream', '--seconds', '1', '--rate', '5', '--json']);
    expect(JSON.parse(r.stdout)).toEqual(expect.objectContaining({ sent: 3, failed: 2 }));
    expect(r.stderr).toContain('✖ streamed 3 events, 2 throttled');
  });

  test('stream rejects rates outside 1-500 before sending', async () => {
    expect((await run(['stream', '--rate', '501'])).stderr).toContain('--rate must be from 1 to 500 events per second, not 501.');
    expect(kinesis.commandCalls(PutRecordsCommand)).toHaveLength(0);
  });

  test('cost --actual: Cost Explorer by service; denied access is a warning, not a failure', async () => {
    const estimator = { estimate: () => ({ idle: [], exercises: [], sessionUsd: 0.65 }) };
    ce.on(GetCostAndUsageCommand).resolves({ ResultsByTime: [{ Groups: [
      { Keys: ['Amazon SageMaker'], Metrics: { UnblendedCost: { Amount: '0.21', Unit: 'USD' } } },
      { Keys: ['AWS Glue'], Metrics: { UnblendedCost: { Amount: '0.35', Unit: 'USD' } } },
    ] }] });
    const ok = JSON.parse((await run(['cost', '--actual', '--json'], { estimator, now: () => Date.parse('2026-12-01T12:00:00Z') })).stdout);
    expect(ok.actual).toEqual([{ service: 'AWS Glue', 'actual $ (7 d)': '$0.35' }, { service: 'Amazon SageMaker', 'actual $ (7 d)': '$0.21' }]);
    expect(ok.actualUsd).toBeCloseTo(0.56, 10);
    expect(ce.commandCalls(GetCostAndUsageCommand)[0].args[0].input.TimePeriod).toEqual({ Start: '2026-11-24', End: '2026-12-01' });
    ce.on(GetCostAndUsageCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform: ce:GetCostAndUsage'));
    const denied = await run(['cost', '--actual'], { estimator });
    expect(denied.exitCode).toBe(0);
    expect(denied.stderr).toContain('! Actual costs unavailable: AWS denied access while reading actual costs');
  });
});

describe('explore and data options', () => {
  test('explore --csv reads a CSV with a header (e.g. Athena results), needs no stack, and names a missing label column', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-explore-'));
    const csv = path.join(dir, 'results.csv');
    fs.writeFileSync(csv, 'plan,tenure_months,churned\nbasic,3,1\npremium,40,0\nbasic,5,1\nstandard,20,0\n');
    stacks({});
    const out = path.join(dir, 'r.html');
    const r = await run(['explore', '--json', '--csv', csv, '--out', out]);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(expect.objectContaining({ report: out, rows: 4 }));
    expect(fs.readFileSync(out, 'utf8')).toContain(path.resolve(csv));
    expect(cfn.commandCalls(DescribeStacksCommand)).toHaveLength(0);
    const bad = await run(['explore', '--csv', csv, '--label', 'label', '--out', out]);
    expect(bad.stderr).toBe('✖ The CSV has no label column label.\n  → Pass --label <one of plan, tenure_months, churned>.\n');
  }, 60_000);

  test('data, stream and explore reject a seed or size out of range before touching AWS', async () => {
    expect((await run(['data', '--seed', '-1'])).stderr).toContain('--seed must be an integer from 0 to 4294967295, not -1.');
    expect((await run(['stream', '--customers', '0'])).stderr).toContain('--customers must be an integer from 1 to 200000, not 0.');
    expect((await run(['explore', '--customers', '1.5'])).stderr).toContain('--customers must be an integer from 1 to 200000, not 1.5.');
    expect(cfn.commandCalls(DescribeStacksCommand)).toHaveLength(0);
  });
});
