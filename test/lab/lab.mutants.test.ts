import * as fs from 'fs';
import * as path from 'path';
import { PassThrough } from 'stream';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CostExplorerClient, GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { DescribeNetworkInterfacesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetWorkflowRunCommand, GlueClient, StartWorkflowRunCommand } from '@aws-sdk/client-glue';
import { DescribeKeyCommand, KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import {
  ListEndpointsCommand, ListModelPackagesCommand, ListMonitoringSchedulesCommand, ListProcessingJobsCommand, ListTrainingJobsCommand,
  ListTransformJobsCommand, SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { runLab } from '../../lib/lab/cli';
import { CdkRunner, DATA_OUTPUT_KEYS, LabDeps } from '../../lib/lab/cli/context';
import { signV4 } from '../../lib/lab/cli/sigv4';
import { generateCustomers } from '../../lib/lab/customer-generator';
import { EdaReport, renderEdaReport } from '../../lib/lab/eda-report';
import { computeEdaStats, parseCsv } from '../../lib/lab/eda-stats';
import { Capture } from './cli/moto';
import { withEnv } from '../support/env';
import { tempDir } from '../support/temp-dirs';

// Tests written for mutants StrykerJS found alive in lib/lab (MUTATE=lib/lab, 2.2 % sample); each
// names the behaviour it pins. Literal expected values, small inputs.

describe('EDA report on a small hand-made table', () => {
  // b: one missing cell and exactly 3 * churned + 1 (r = 1); a: 100-108 and an outlier 150.
  const CSV = ['customer_id,a,b,churned,plan',
    '1,100,1,0,x', '2,101,1,0,x', '3,102,,0,y', '4,103,1,0,x', '5,104,1,0,y',
    '6,105,4,1,x', '7,106,4,1,x', '8,107,4,1,y', '9,108,4,1,x', '10,150,4,1,x'].join('\n');
  let report: EdaReport;
  const chart = (id: string) => report.charts.find((c) => c.id === id)!;
  beforeAll(async () => {
    report = await renderEdaReport(parseCsv(CSV), { label: 'churned', source: 'hand-made' });
  });

  test('the missing-values reading names only the columns that have gaps', () => {
    expect(chart('missing-values').reading).toBe('1 of 5 columns have gaps (b); the most is b with 1 (10.0 %). '
      + 'Missing values are planted: the ETL imputes them rather than dropping rows.');
  });

  test('each feature\'s reading and the heatmap reading give its own correlation with the label', () => {
    expect(chart('histogram-b').reading).toContain('Correlation with churned: r = 1 — part of the planted signal.');
    expect(chart('histogram-a').reading).toContain('Correlation with churned: r = 0.47 — part of the planted signal.');
    expect(chart('correlation-heatmap').reading).toMatch(/^Correlations with churned: a 0\.47, b 1\. The strongest pair is b and churned \(r = 1\)\./);
  });

  test('the box of a box plot spans Q1 to Q3 and the outliers sit on the feature\'s row', () => {
    const svg = chart('boxplot-a').svg;
    expect(svg).toContain('aria-label="q1: 102; y: a; q3: 107"');
    expect(svg).toContain('aria-label="v: 150; y: a"');
  });
});

describe('EDA statistics', () => {
  test('a doubled quote inside a quoted CSV field is one quote character', () => {
    expect(parseCsv('name,n\n"say ""hi""",1\n').rows).toEqual([['say "hi"', '1']]);
  });

  test('categorical columns list each value with its count, most frequent first', () => {
    const stats = computeEdaStats(parseCsv('plan,churned\nx,0\ny,1\nx,1\n'), 'churned', 4);
    expect(stats.categorical).toEqual([{ column: 'plan', count: 3, missing: 0, values: [{ value: 'x', count: 2 }, { value: 'y', count: 1 }] }]);
  });
});

describe('customer generator', () => {
  const rows = parseCsv(generateCustomers({ seed: 20261201, customers: 400 }).csv);
  const col = (name: string) => rows.rows.map((r) => r[rows.columns.indexOf(name)]);

  test('emails use the three example domains (upper-cased for some customers)', () => {
    const domains = new Set(col('email').map((e) => String(e).split('@')[1].toLowerCase()));
    expect([...domains].sort()).toEqual(['example.com', 'example.org', 'mail.example.net']);
  });

  test('plans come in exactly the planted messy spellings (and some are missing)', () => {
    const spellings = new Set(col('plan').filter((p) => p !== null));
    expect([...spellings].sort()).toEqual([' BASIC ', ' Premium', 'Basic', 'Standard', 'basic', 'premium', 'standard']);
    expect(col('plan')).toContain(null);
  });
});

describe('lab command line (AWS mocked)', () => {
  const cfn = mockClient(CloudFormationClient);
  const sm = mockClient(SageMakerClient);
  const glue = mockClient(GlueClient);
  const s3 = mockClient(S3Client);
  const kms = mockClient(KMSClient);
  const ec2 = mockClient(EC2Client);
  const ce = mockClient(CostExplorerClient);
  const sfn = mockClient(SFNClient);
  const all = [cfn, sm, glue, s3, kms, ec2, ce, sfn];
  const OUTPUTS: Record<string, Record<string, string>> = {
    MlLabData: { EtlWorkflowName: 'wf', TrainingPipelineName: 'pipe', TrainingStateMachineArn: 'arn:aws:states:us-east-1:1:stateMachine:pipe', ModelPackageGroupName: 'churn' },
    MlLabServing: { EndpointName: 'ep', InferenceApiUrl: 'https://api.example.com/prod/predictions' },
  };
  let clock = 0;
  const run = async (argv: string[], extra: Partial<LabDeps> = {}) => {
    const stdout = new Capture();
    const stderr = new Capture();
    const r = await runLab(argv, { region: 'us-east-1', pollMs: 1, timeoutMs: 50, now: () => (clock += 10), stdout, stderr, ...extra });
    return { ...r, stdout: stdout.text, stderr: stderr.text };
  };
  const noCdk = (): CdkRunner => ({ deploy: async () => undefined, destroy: async () => undefined });

  beforeEach(() => {
    all.forEach((m) => m.reset());
    clock = 0;
    cfn.on(DescribeStacksCommand).callsFake((input: { StackName: string }) => ({ Stacks: [{ StackName: input.StackName, StackStatus: 'CREATE_COMPLETE', CreationTime: new Date(),
      Outputs: Object.entries(OUTPUTS[input.StackName]).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })) }] }));
  });
  afterAll(() => all.forEach((m) => m.restore()));

  test('a stack whose last status is DELETE_COMPLETE counts as not deployed and the error says to run lab up', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [{ StackName: 'MlLabData', StackStatus: 'DELETE_COMPLETE', CreationTime: new Date(), Outputs: [] }] });
    const r = await run(['etl']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('✖ MlLabData is not deployed in us-east-1.');
    expect(r.stderr).toContain('→ Run `lab up` first.');
  });

  test('cost --actual shows a Cost Explorer group without a service key as "?"', async () => {
    const estimator = { estimate: () => ({ idle: [], exercises: [], sessionUsd: 0 }) };
    ce.on(GetCostAndUsageCommand).resolves({ ResultsByTime: [{ Groups: [{ Metrics: { UnblendedCost: { Amount: '0.10', Unit: 'USD' } } }] }] });
    const r = await run(['cost', '--actual', '--json'], { estimator });
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout).actual).toEqual([{ service: '?', 'actual $ (7 d)': '$0.10' }]);
  });

  test('etl keeps waiting while Glue returns no run yet, then times out saying how to follow it', async () => {
    glue.on(StartWorkflowRunCommand).resolves({ RunId: 'r1' });
    glue.on(GetWorkflowRunCommand).resolves({});
    const r = await run(['etl']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('✖ Timed out after 0 s waiting for workflow wf (still ? (0/? steps)).');
    expect(r.stderr).toContain('→ Follow the run in the console (Glue → Workflows or ETL jobs → Runs)');
  });

  test('train: an execution without a status ends the wait as failed, shown as "?", with where to look', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec', startDate: new Date() });
    sfn.on(DescribeExecutionCommand).resolves({});
    const r = await run(['train']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('✖ pipeline pipe ended ?.');
    expect(r.stderr).toContain('→ Open Step Functions → State machines → the execution to see the failed state');
    expect(sm.commandCalls(ListModelPackagesCommand)).toHaveLength(0);
  });

  test('invoke --api without a region to sign for says to pass --region', () => withEnv({ AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined }, async () => {
    const r = await run(['invoke', '--api', '--file', path.join(__dirname, 'cli', 'rows.csv')], { region: undefined });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('✖ No region to sign the API request for.');
    expect(r.stderr).toContain('→ Pass --region or set AWS_REGION.');
  }));

  test('down names a training job still running and a live lab key as billable leftovers', async () => {
    sm.on(ListEndpointsCommand).resolves({ Endpoints: [] });
    sm.on(ListMonitoringSchedulesCommand).resolves({ MonitoringScheduleSummaries: [] });
    sm.on(ListTrainingJobsCommand).resolves({ TrainingJobSummaries: [{ TrainingJobName: 'churn-train-1', TrainingJobArn: 'a', CreationTime: new Date(), TrainingJobStatus: 'InProgress' }] });
    sm.on(ListProcessingJobsCommand).resolves({ ProcessingJobSummaries: [] });
    sm.on(ListTransformJobsCommand).resolves({ TransformJobSummaries: [] });
    ec2.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: [] });
    s3.on(ListBucketsCommand).resolves({ Buckets: [] });
    kms.on(ListKeysCommand).resolves({ Keys: [{ KeyId: 'k3' }] });
    kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: 'k3', KeyManager: 'CUSTOMER', KeyState: 'Enabled', Description: 'Data key of MlLabData/Lake' } });
    const r = await run(['--yes', 'down'], { cdk: noCdk() });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('✖ 2 billable lab resource(s) remain: training job churn-train-1, key k3.');
  });

  test('on a terminal, the question goes to standard error and the answer comes from standard input', async () => {
    const stdin = new PassThrough();
    const saved = Object.getOwnPropertyDescriptor(process, 'stdin')!;
    Object.defineProperty(process, 'stdin', { value: stdin, configurable: true });
    const asked: string[] = [];
    const write = jest.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => { asked.push(String(s)); return true; });
    const cdk: CdkRunner = { deploy: jest.fn(), destroy: jest.fn() };
    try {
      setTimeout(() => stdin.write('n\n'), 20);
      const r = await run(['down'], { cdk, tty: true });
      expect(asked.join('')).toContain('Destroy MlLabServing and MlLabData and all lab data? [y/N] ');
      expect(r.stderr).toContain('Nothing destroyed: you answered no.');
      expect(cdk.destroy).not.toHaveBeenCalled();
    } finally {
      write.mockRestore();
      Object.defineProperty(process, 'stdin', saved);
    }
  });
});

describe('lab --help', () => {
  let help = '';
  beforeAll(async () => {
    const stdout = new Capture();
    await runLab(['--help'], { stdout, stderr: new Capture(), region: 'us-east-1' });
    help = stdout.text.replace(/\s+/g, ' ');
  });

  test('says what the tool is and where the lab guide is', () => {
    expect(help).toContain('The cdk-ml-reference hands-on lab: deploy, exercise and tear down the ML lab stacks (docs/LAB.md).');
  });

  test('says which model serve deploys', () => {
    expect(help).toContain('serve [options] deploy MlLabServing with the approved version (else the committed model)');
  });
});

describe('lab CDK runner (a stand-in npx on PATH)', () => {
  const bin = tempDir('fake-npx-mutants-');
  fs.writeFileSync(path.join(bin, 'npx'), `#!/bin/sh
echo "MlLabData failed: Error: The stack named MlLabData failed creation" >&2
echo "Notices: 1 notice" >&2
exit 1
`, { mode: 0o755 });
  const cfn = mockClient(CloudFormationClient);
  const savedPath = process.env.PATH;
  beforeAll(() => { process.env.PATH = `${bin}:${savedPath}`; });
  afterAll(() => { process.env.PATH = savedPath; cfn.restore(); });

  test('a failed deploy quotes the CDK CLI\'s last error line, not whatever it printed after', async () => {
    const stderr = new Capture();
    const r = await runLab(['--yes', 'up'], { region: 'eu-west-1', stdout: new Capture(), stderr, root: bin, now: () => Date.parse('2026-12-01T10:00:00Z') });
    expect(r.exitCode).toBe(1);
    expect(stderr.text).toContain('✖ The CDK CLI failed deploying MlLabData: MlLabData failed: Error: The stack named MlLabData failed creation');
  });
});

describe('SigV4 signing', () => {
  test('the characters encodeURIComponent keeps (!\'()*) are percent-encoded in the signed query', () => {
    const creds = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
    const now = new Date('2026-12-01T13:00:00Z');
    const sign = (query: string) => signV4({ method: 'POST', url: `https://abc.execute-api.us-east-1.amazonaws.com/prod/p?${query}`, body: '', headers: {} }, creds, 'us-east-1', 'execute-api', now).authorization;
    expect(sign('q=(x)')).not.toBe(sign('q=x'));
    expect(sign('q=(x)')).toBe(sign('q=%28x%29'));
  });
});

test('the MlLabData outputs the commands read are the documented ten', () => {
  expect(DATA_OUTPUT_KEYS).toEqual(['RawBucketName', 'CuratedBucketName', 'FeaturesBucketName', 'ClickstreamStreamName', 'EtlJobName',
    'EtlWorkflowName', 'AthenaWorkGroupName', 'RawDatabaseName', 'FeaturesDatabaseName', 'ExpiresAt']);
});
