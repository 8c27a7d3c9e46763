import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeEndpointCommand, DescribeModelPackageCommand, ListEndpointsCommand, ListModelPackagesCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { ListServiceQuotasCommand, ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { mockClient } from 'aws-sdk-client-mock';
import { runLab } from '../../../lib/lab/cli';
import { LAB_SEED } from '../../../lib/lab/cli/commands/data';
import { generateCustomers } from '../../../lib/lab/customer-generator';
import { LabDeps } from '../../../lib/lab/cli/context';
import { CREDENTIALS, MotoCdk, REGION } from './fake-cdk';
import { Capture, Moto, motoAvailability, startMoto } from './moto';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const available = motoAvailability().ok;
const maybe = available ? describe : describe.skip;

maybe('lab, doctor to down, against moto_server (real SDK clients, real HTTP)', () => {
  let moto: Moto;
  let cdk: MotoCdk;
  let cfg: Record<string, unknown>;
  const quotas = mockClient(ServiceQuotasClient); // moto does not model ListServiceQuotas
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-cli-'));
  const NOW = Date.parse('2026-12-01T13:00:00Z');

  beforeAll(async () => {
    // moto 5.2 does not model monitoring schedules: `lab down` lists none.
    moto = await startMoto({ 'SageMaker.ListMonitoringSchedules': { MonitoringScheduleSummaries: [] } });
    // Let moto run state machines (its Step Functions interpreter): the training execution then ends SUCCEEDED.
    await moto.control('/moto-api/config', { stepfunctions: { execute_state_machine: true } });
    cdk = new MotoCdk(moto.endpoint);
    cfg = { region: REGION, endpoint: moto.endpoint, credentials: CREDENTIALS, forcePathStyle: true, requestHandler: new NodeHttpHandler() };
    quotas.on(ListServiceQuotasCommand).resolves({ Quotas: [
      { QuotaName: 'ml.c5.large for endpoint usage', Value: 2 },
      { QuotaName: 'ml.m5.large for training job usage', Value: 1 },
      { QuotaName: 'ml.m5.large for processing job usage', Value: 1 },
    ] });
    await new SSMClient(cfg).send(new PutParameterCommand({ Name: '/cdk-bootstrap/hnb659fds/version', Value: '27', Type: 'String' }));
  });
  afterAll(async () => {
    quotas.restore();
    await moto?.stop();
  });

  const deps = (): LabDeps => ({
    endpoint: moto.endpoint, region: REGION, credentials: CREDENTIALS, cdk, pollMs: 5, timeoutMs: 5000, now: () => NOW, root: ROOT,
    estimator: { estimate: () => ({ idle: [{ stack: 'MlLabData', profile: 'lab', usdPerHour: 0.021 }], exercises: [{ id: 'etl', title: 'ETL', usageUsd: 0.35 }], sessionUsd: 0.65 }) },
  });
  async function lab(...argv: string[]) {
    const stdout = new Capture();
    const stderr = new Capture();
    const r = await runLab(['--json', '--yes', ...argv], { ...deps(), stdout, stderr });
    if (r.exitCode !== 0) throw new Error(`lab ${argv.join(' ')} exited ${r.exitCode}: ${stderr.text}`);
    return { json: JSON.parse(stdout.text), stderr: stderr.text };
  }

  test('doctor: credentials, region, bootstrap, quotas, budget rights', async () => {
    const { json } = await lab('doctor');
    expect(json.ok).toBe(true);
    expect(json.checks.map((c: { check: string; result: string }) => `${c.check}=${c.result}`)).toEqual([
      'credentials=ok', 'region=ok', 'CDK bootstrap=ok',
      'quota: ml.c5.large for endpoint usage=ok', 'quota: ml.m5.large for training job usage=ok', 'quota: ml.m5.large for processing job usage=ok',
      'budget rights=ok',
    ]);
    expect(json.checks[0].detail).toMatch(/^arn:aws:(sts|iam)::123456789012:/);
  });

  test('up: deploys MlLabData with an expiry 4 hours out and reads its outputs', async () => {
    const { json } = await lab('up');
    expect(cdk.contexts.MlLabData).toEqual({ profile: 'lab', labExpiresAt: '2026-12-01T17:00:00Z' });
    expect(json.expiresAt).toBe('2026-12-01T17:00:00Z');
    expect(json.outputs.RawBucketName).toBe('mllabdata-raw');
  });

  test('data: the seeded customers land in raw/customers/', async () => {
    const { json } = await lab('data', '--customers', '300');
    const expected = generateCustomers({ seed: LAB_SEED, customers: 300 });
    expect(json.uploaded).toEqual({ uri: 's3://mllabdata-raw/customers/customers.csv', rows: expected.rows, bytes: Buffer.byteLength(expected.csv) });
    const obj = await new S3Client(cfg).send(new GetObjectCommand({ Bucket: 'mllabdata-raw', Key: 'customers/customers.csv' }));
    expect(await obj.Body!.transformToString()).toBe(expected.csv);
  });

  test('stream: events of the same customers are on the Kinesis stream', async () => {
    const { json, stderr } = await lab('stream', '--seconds', '1', '--rate', '10', '--customers', '300');
    expect(json).toEqual(expect.objectContaining({ sent: 10, failed: 0 }));
    expect(stderr).toMatch(/streamed 10 events/);
    const k = new KinesisClient(cfg);
    const shard = (await k.send(new ListShardsCommand({ StreamName: 'MlLabData-Clickstream' }))).Shards![0].ShardId;
    const it = await k.send(new GetShardIteratorCommand({ StreamName: 'MlLabData-Clickstream', ShardId: shard, ShardIteratorType: 'TRIM_HORIZON' }));
    const records = (await k.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator }))).Records!;
    expect(records).toHaveLength(10);
    const ids = new Set(generateCustomers({ seed: LAB_SEED, customers: 300 }).profiles.map((p) => String(p.customerId)));
    const users = records.map((r) => JSON.parse(Buffer.from(r.Data!).toString()).user_id as string);
    expect(users.every((u) => ids.has(u))).toBe(true);
    expect(JSON.parse(Buffer.from(records[0].Data!).toString())).toEqual(expect.objectContaining({ event_id: `${LAB_SEED + 1}-000001` }));
  });

  test('etl: the job runs and succeeds', async () => {
    const { json } = await lab('etl');
    expect(json.status).toBe('SUCCEEDED');
    expect(json.jobRunId).toBeTruthy();
  });

  test('query: Athena rows as a table', async () => {
    await moto.control('/moto-api/static/athena/query-results', { region: REGION, results: [{
      rows: [{ Data: [{ VarCharValue: 'plan' }, { VarCharValue: 'customers' }] }, { Data: [{ VarCharValue: 'basic' }, { VarCharValue: '61' }] }],
      column_info: [],
    }] });
    const { json } = await lab('query');
    expect(json.rows).toEqual([{ plan: 'basic', customers: '61' }]);
  });

  test('explore: the EDA report of the generated customers is written (no AWS call needed)', async () => {
    const out = path.join(tmp, 'eda.html');
    const { json } = await lab('explore', '--out', out, '--customers', '300');
    expect(json.report).toBe(out);
    expect(json.rows).toBe(generateCustomers({ seed: LAB_SEED, customers: 300 }).rows);
    const html = fs.readFileSync(out, 'utf8');
    expect(html).toContain('Customers: exploratory data analysis');
    expect(html).toContain('<svg');
  }, 60_000);

  test('train: the pipeline succeeds and the new version shows its AUC', async () => {
    const { json } = await lab('train');
    expect(json.executionArn).toMatch(/^arn:aws:states:us-east-1:123456789012:execution:MlLabData-Training:/);
    expect(json.latest).toEqual(expect.objectContaining({ version: 1, approval: 'PendingManualApproval', auc: '0.87' }));
  });

  test('models --approve 1: the version is approved in the registry', async () => {
    const { json } = await lab('models', '--approve', '1');
    expect(json.versions[0]).toEqual(expect.objectContaining({ version: 1, approval: 'Approved' }));
    const sm = new SageMakerClient(cfg);
    const [summary] = (await sm.send(new ListModelPackagesCommand({ ModelPackageGroupName: 'MlLabData-Churn' }))).ModelPackageSummaryList!;
    const d = await sm.send(new DescribeModelPackageCommand({ ModelPackageName: summary.ModelPackageArn }));
    expect(d.ModelApprovalStatus).toBe('Approved');
  });

  test('serve --challenger: MlLabServing serves the approved version with its baseline, expiring with the data stack', async () => {
    const { json } = await lab('serve', '--challenger');
    const [summary] = (await new SageMakerClient(cfg).send(new ListModelPackagesCommand({ ModelPackageGroupName: 'MlLabData-Churn' }))).ModelPackageSummaryList!;
    expect(cdk.contexts.MlLabServing).toEqual({
      profile: 'lab', labExpiresAt: '2026-12-01T17:00:00Z', labModelPackageArn: summary.ModelPackageArn,
      labModelDataUri: 's3://mllabdata-curated/training/output/model.tar.gz', labBaselineUri: 's3://mllabdata-features/model-baselines/lab-0123',
      labChallenger: 'true',
    });
    expect(json.endpoint).toEqual({ name: 'MlLabServing-Endpoint', status: 'InService', model: 's3://mllabdata-curated/training/output/model.tar.gz' });
  });

  test('invoke: scores the test split, AUC and latency percentiles', async () => {
    // Four rows, label first; two batches of two rows, each answered by a canned CSV body.
    await new S3Client(cfg).send(new PutObjectCommand({ Bucket: 'mllabdata-features', Key: 'training-export/test/part-0.csv', Body: '1,5,0.1\n0,40,0.9\n1,3,0.2\n0,50,0.7\n' }));
    await moto.control('/moto-api/static/sagemaker/endpoint-results', { region: REGION, results: [
      { Body: '0.9\n0.2\n', ContentType: 'text/csv', InvokedProductionVariant: 'Champion', CustomAttributes: '' },
      { Body: '0.6\n0.4\n', ContentType: 'text/csv', InvokedProductionVariant: 'Champion', CustomAttributes: '' },
    ] });
    const { json } = await lab('invoke', '--batch', '2');
    expect(json.predictions).toEqual([0.9, 0.2, 0.6, 0.4]);
    expect(json.summary).toEqual(expect.objectContaining({ rows: 4, auc: 1, predictedChurners: 2 }));
    expect(json.summary.p95Ms).toBeGreaterThanOrEqual(json.summary.p50Ms);
    // The same run for people: one summary line on stdout, progress on stderr.
    const stdout = new Capture();
    const stderr = new Capture();
    expect((await runLab(['invoke', '--batch', '2'], { ...deps(), stdout, stderr })).exitCode).toBe(0);
    expect(stdout.text).toMatch(/^4 rows: AUC 1, latency p50 [\d.]+ ms, p95 [\d.]+ ms per request, 2 predicted churners\.\n$/);
    expect(stderr.text).toMatch(/scoring 4 rows on MlLabServing-Endpoint \.\.\.\n.*\n.*\n✔ scored 4 rows \(\d+ s\)\n$/);
  });

  test('shift: 30 % to the challenger', async () => {
    const { json } = await lab('shift', '--challenger', '30');
    expect(json.weights).toEqual({ Champion: 70, Challenger: 30 });
    const ep = await new SageMakerClient(cfg).send(new DescribeEndpointCommand({ EndpointName: 'MlLabServing-Endpoint' }));
    expect(Object.fromEntries(ep.ProductionVariants!.map((v) => [v.VariantName, v.CurrentWeight]))).toEqual({ Champion: 70, Challenger: 30 });
  });

  test('cost: the estimate', async () => {
    const { json } = await lab('cost');
    expect(json.sessionUsd).toBe(0.65);
    expect(json.idle).toEqual([{ stack: 'MlLabData', profile: 'lab', 'idle $/h': '$0.02' }]);
  });

  test('down: serving first, then data, and nothing billable is left', async () => {
    const { json } = await lab('down');
    expect(cdk.calls.filter((c) => c.startsWith('destroy'))).toEqual(['destroy MlLabServing', 'destroy MlLabData']);
    expect(json.clean).toBe(true);
    expect(json.leftovers).toEqual([]);
    expect((await new SageMakerClient(cfg).send(new ListEndpointsCommand({}))).Endpoints).toEqual([]);
  });

  test('after down, commands say the stack is gone and what to do', async () => {
    const stderr = new Capture();
    const r = await runLab(['data'], { ...deps(), stdout: new Capture(), stderr });
    expect(r.exitCode).toBe(1);
    expect(stderr.text).toBe('✖ MlLabData is not deployed in us-east-1.\n  → Run `lab up` first.\n');
  });
});
