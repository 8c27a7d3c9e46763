import * as fs from 'fs';
import * as path from 'path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateMonitoringScheduleCommand, DeleteMonitoringScheduleCommand, DescribeEndpointCommand, DescribeModelPackageCommand, DescribeModelPackageCommandOutput,
  DescribeMonitoringScheduleCommand, DescribeProcessingJobCommand, ListModelPackagesCommand,
  SageMakerClient, UpdateEndpointWeightsAndCapacitiesCommand, UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { DATA_STACK, LabContext, SERVING_STACK } from '../context';
import { LabError } from '../errors';
import { signV4 } from '../sigv4';
import { listKeys } from './data';

/** The committed model artifact: MlLabServing ships it as a file asset when no version is approved. */
export const COMMITTED_ARTIFACT = path.join('models', 'churn-xgboost', 'model.tar.gz');
/** The ETL's test split in the features bucket (label first, no header): MlLabData's training export `test/`. */
export const TEST_SPLIT_PREFIX = 'training-export/test/';

const needPipeline = () => new LabError('The training pipeline is not in this build of MlLabData.',
  'Update the repository (TrainingPipeline joins MlLabData), run `lab up` again, then `lab train`.');

/** `lab train`: start the training pipeline (a Step Functions state machine), follow it, show the metric against the gate. */
export async function train(ctx: LabContext): Promise<void> {
  const outputs = await ctx.stackOutputs(DATA_STACK);
  const stateMachineArn = outputs.TrainingStateMachineArn;
  if (!stateMachineArn) throw needPipeline();
  const sfn = ctx.client(SFNClient);
  const { executionArn } = await ctx.aws('starting the training pipeline', () => sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ trigger: 'lab' }) })));
  ctx.out.set('executionArn', executionArn);
  await ctx.waitFor(`pipeline ${outputs.TrainingPipelineName ?? stateMachineArn}`, async () => {
    const e = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    const s = e.status ?? '?';
    return { done: s !== 'RUNNING' && s !== 'PENDING_REDRIVE', failed: s !== 'SUCCEEDED', status: s, reason: e.cause ?? e.error,
      next: 'Open Step Functions → State machines → the execution to see the failed state (a gate failure means the model scored below the threshold).' };
  }, 'Follow it in the Step Functions console; run `lab models` when it has finished.');
  const versions = await modelVersions(ctx, outputs);
  const latest = versions[0];
  ctx.out.set('latest', latest);
  ctx.out.line(latest
    ? `Registered version ${latest.version}: validation AUC ${latest.auc ?? 'n/a'} (gate ${outputs.TrainingGateAuc ?? 'see the pipeline'}), status ${latest.approval}. Next: \`lab models\` (approve or reject), then \`lab serve\`.`
    : 'The pipeline finished but registered no version (the gate stopped it). Read the gate state in the Step Functions console.');
}

interface Version { version: number; arn: string; approval: string; auc?: string; created?: string }

async function modelVersions(ctx: LabContext, outputs: Record<string, string>): Promise<Version[]> {
  const group = outputs.ModelPackageGroupName;
  if (!group) throw needPipeline();
  const sm = ctx.client(SageMakerClient);
  const list = await ctx.aws('listing model versions', () => sm.send(new ListModelPackagesCommand({ ModelPackageGroupName: group, SortBy: 'CreationTime', SortOrder: 'Descending' })));
  const versions: Version[] = [];
  for (const p of list.ModelPackageSummaryList ?? []) {
    const d = await ctx.aws('reading a model version', () => sm.send(new DescribeModelPackageCommand({ ModelPackageName: p.ModelPackageArn })));
    versions.push({
      version: p.ModelPackageVersion ?? 0,
      arn: p.ModelPackageArn!,
      approval: p.ModelApprovalStatus ?? '?',
      // The pipeline records the gate's metric under its own name (and as objective_value).
      auc: d.CustomerMetadataProperties?.['validation:auc'] ?? d.CustomerMetadataProperties?.objective_value,
      created: p.CreationTime?.toISOString().slice(0, 16),
    });
  }
  return versions;
}

/** `lab models`: versions with metrics; approve or reject one. */
export async function models(ctx: LabContext, opts: { approve?: string; reject?: string }): Promise<void> {
  const outputs = await ctx.stackOutputs(DATA_STACK);
  const versions = await modelVersions(ctx, outputs);
  const target = opts.approve ?? opts.reject;
  if (target !== undefined) {
    const v = versions.find((x) => String(x.version) === String(target));
    if (!v) throw new LabError(`There is no version ${target}.`, `Pick one of ${versions.map((x) => x.version).join(', ') || '(none yet: run `lab train`)'}.`);
    const status = opts.approve !== undefined ? 'Approved' : 'Rejected';
    await ctx.aws(`marking version ${target} ${status}`, () => ctx.client(SageMakerClient).send(new UpdateModelPackageCommand({ ModelPackageArn: v.arn, ModelApprovalStatus: status })));
    v.approval = status;
    ctx.out.line(`Version ${target} is ${status}.${status === 'Approved' ? ' Next: `lab serve`.' : ''}`);
  }
  ctx.out.table('versions', versions.map((v) => ({ version: v.version, approval: v.approval, auc: v.auc ?? '', created: v.created ?? '' })));
}

/** The prefix holding a model package's data-quality baseline (statistics.json and constraints.json), if it names one. */
export function baselinePrefix(d: Pick<DescribeModelPackageCommandOutput, 'DriftCheckBaselines' | 'ModelMetrics'>): string | undefined {
  const uri = d.DriftCheckBaselines?.ModelDataQuality?.Statistics?.S3Uri ?? d.ModelMetrics?.ModelDataQuality?.Statistics?.S3Uri;
  return uri && /^s3:\/\/.+\/statistics\.json$/.test(uri) ? uri.replace(/\/statistics\.json$/, '') : undefined;
}

/** `lab serve`: deploy MlLabServing with the approved version (package, artifact, baseline), else the committed artifact. */
export async function serve(ctx: LabContext, opts: { challenger?: boolean }): Promise<void> {
  const outputs = await ctx.stackOutputs(DATA_STACK);
  const sm = ctx.client(SageMakerClient);
  const context: Record<string, string> = { profile: 'lab' };
  if (outputs.ModelPackageGroupName) {
    const approved = await ctx.aws('finding the approved version', () => sm.send(new ListModelPackagesCommand({
      ModelPackageGroupName: outputs.ModelPackageGroupName, ModelApprovalStatus: 'Approved', SortBy: 'CreationTime', SortOrder: 'Descending', MaxResults: 1,
    })));
    const arn = approved.ModelPackageSummaryList?.[0]?.ModelPackageArn;
    if (arn) {
      const d = await ctx.aws('reading the approved version', () => sm.send(new DescribeModelPackageCommand({ ModelPackageName: arn })));
      const uri = d.InferenceSpecification?.Containers?.[0]?.ModelDataUrl;
      if (uri) {
        context.labModelPackageArn = arn;
        context.labModelDataUri = uri;
        const baseline = baselinePrefix(d);
        if (baseline) context.labBaselineUri = baseline;
        ctx.out.set('modelPackageArn', arn);
      }
    }
  }
  if (!context.labModelPackageArn) {
    if (!fs.existsSync(path.join(ctx.root, COMMITTED_ARTIFACT))) throw new LabError(`No approved model version and no committed artifact at ${COMMITTED_ARTIFACT}.`, 'Run `lab train` and `lab models --approve <version>` first.');
    ctx.out.line(`No approved version: serving the committed artifact (${COMMITTED_ARTIFACT}, uploaded as a CDK asset). Model Monitor runs need a baseline: \`lab train\`, then \`lab serve\` again.`);
  }
  const expiry = outputs.ExpiresAt && /^\d{4}-/.test(outputs.ExpiresAt) ? `${outputs.ExpiresAt}Z` : undefined;
  if (expiry) context.labExpiresAt = expiry;
  if (opts.challenger) context.labChallenger = 'true';
  if (!(await ctx.confirm(`Deploy ${SERVING_STACK} (an ml.c5.large endpoint, about $0.10/h${opts.challenger ? ', two with the challenger' : ''}, plus an hourly ml.m5.large monitoring job)?`))) {
    throw new LabError('Nothing deployed: you answered no.', 'Run `lab serve` again when ready.');
  }
  await ctx.cdk.deploy(SERVING_STACK, context, ctx.signal);
  const served = await ctx.stackOutputs(SERVING_STACK);
  const ep = await ctx.aws('reading the endpoint', () => sm.send(new DescribeEndpointCommand({ EndpointName: served.EndpointName })));
  ctx.out.set('endpoint', { name: served.EndpointName, status: ep.EndpointStatus, model: served.ModelDataUri });
  ctx.out.line(`Endpoint ${served.EndpointName} is ${ep.EndpointStatus}, serving ${served.ModelDataUri}. Next: \`lab invoke\`.`);
}

/** Rows of a CSV with the label first and no header. */
export function parseLabelled(csv: string): { labels: number[]; rows: string[] } {
  const lines = csv.split('\n').map((l) => l.trim()).filter(Boolean);
  return { labels: lines.map((l) => Number(l.split(',')[0])), rows: lines.map((l) => l.split(',').slice(1).join(',')) };
}

/** Area under the ROC curve (Mann–Whitney U, ties counted half). */
export function auc(labels: number[], scores: number[]): number {
  const pos = scores.filter((_, i) => labels[i] === 1);
  const neg = scores.filter((_, i) => labels[i] !== 1);
  if (pos.length === 0 || neg.length === 0) return NaN;
  let wins = 0;
  for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return wins / (pos.length * neg.length);
}

/** The q-quantile (nearest rank) of numbers. */
export function percentile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

async function testRows(ctx: LabContext, file?: string): Promise<string> {
  if (file) return fs.readFileSync(file, 'utf8');
  const outputs = await ctx.stackOutputs(DATA_STACK);
  const keys = await listKeys(ctx, outputs.FeaturesBucketName, TEST_SPLIT_PREFIX);
  if (keys.length === 0) throw new LabError(`No test split under s3://${outputs.FeaturesBucketName}/${TEST_SPLIT_PREFIX}.`, 'Run `lab etl` first, or pass --file <csv, label first>.');
  const obj = await ctx.aws('reading the test split', () => ctx.client(S3Client).send(new GetObjectCommand({ Bucket: outputs.FeaturesBucketName, Key: keys[0] })));
  return obj.Body!.transformToString();
}

/** Sends one batch of feature rows (CSV lines) and returns one score per row. */
type Scorer = (rows: string[]) => Promise<number[]>;

/** The SageMaker runtime: CSV in, CSV (or line-separated) scores out. */
function runtimeScorer(ctx: LabContext, endpoint: string): Scorer {
  const runtime = ctx.client(SageMakerRuntimeClient);
  return async (rows) => {
    const res = await ctx.aws('invoking the endpoint', () => runtime.send(new InvokeEndpointCommand({ EndpointName: endpoint, ContentType: 'text/csv', Accept: 'text/csv', Body: Buffer.from(rows.join('\n')) })));
    return Buffer.from(res.Body ?? []).toString().split(/[\n,]/).map((x) => x.trim()).filter(Boolean).map(Number);
  };
}

/** The REST API (IAM auth): a SigV4-signed POST of `{"instances": [[...]]}`, answered `{"predictions": [...]}`. */
function apiScorer(ctx: LabContext, url: string): Scorer {
  const region = /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com/.exec(url)?.[1] ?? ctx.region;
  if (!region) throw new LabError('No region to sign the API request for.', 'Pass --region or set AWS_REGION.');
  return async (rows) => {
    // The SDK's standard credential chain, as every other command uses it.
    const credentials = await ctx.aws('reading your credentials', () => ctx.client(SageMakerRuntimeClient).config.credentials());
    const body = JSON.stringify({ instances: rows.map((r) => r.split(',').map(Number)) });
    const headers = signV4({ method: 'POST', url, body, headers: { 'content-type': 'application/json' } }, credentials, region, 'execute-api', new Date(ctx.now()));
    let res: Response;
    try {
      res = await fetch(url, { method: 'POST', headers, body, signal: ctx.signal });
    } catch (e) {
      throw new LabError(`Could not reach the API at ${url} (${(e as Error).message}).`, 'Check your network, or run `lab invoke` without --api to use the SageMaker runtime.');
    }
    const text = await res.text();
    if (!res.ok) {
      throw new LabError(`The API answered ${res.status}: ${text.slice(0, 200)}`, res.status === 403
        ? 'Your identity needs execute-api:Invoke on the API (an administrator has it), and the clock must be right.'
        : 'Read the API\'s access log (CloudWatch Logs) for the request id, or run `lab invoke` without --api.');
    }
    const predictions = (JSON.parse(text) as { predictions?: unknown }).predictions;
    if (!Array.isArray(predictions)) throw new LabError(`The API answered without predictions: ${text.slice(0, 200)}`, 'Run `lab invoke` without --api to compare with the runtime.');
    return predictions.map(Number);
  };
}

/** Score rows in batches; predictions and per-call latency. */
async function score(ctx: LabContext, target: string, scorer: Scorer, rows: string[], batch: number): Promise<{ predictions: number[]; latencies: number[] }> {
  const predictions: number[] = [];
  const latencies: number[] = [];
  const spinner = ctx.out.spinner(`scoring ${rows.length} rows on ${target}`);
  for (let i = 0; i < rows.length; i += batch) {
    if (ctx.signal.aborted) {
      spinner.stop(false);
      throw new LabError(`Stopped after ${predictions.length} predictions.`, 'Run `lab invoke` again; requests already sent need no cleanup.', 130);
    }
    const start = process.hrtime.bigint();
    let scores: number[];
    try {
      scores = await scorer(rows.slice(i, i + batch));
    } catch (e) {
      spinner.stop(false);
      throw e;
    }
    latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
    predictions.push(...scores);
    spinner.update(`${predictions.length}/${rows.length}`);
  }
  spinner.stop(true, `scored ${predictions.length} rows`);
  return { predictions, latencies };
}

/** `lab invoke`: score the test split: predictions, AUC, p50/p95 latency. */
export async function invoke(ctx: LabContext, opts: { file?: string; batch: string; api?: boolean }): Promise<void> {
  const served = await ctx.stackOutputs(SERVING_STACK);
  if (opts.api && !served.InferenceApiUrl) throw new LabError('MlLabServing has no InferenceApiUrl output.', 'Update the repository and run `lab serve` again, or run `lab invoke` without --api.');
  const { labels, rows } = parseLabelled(await testRows(ctx, opts.file));
  const scorer = opts.api ? apiScorer(ctx, served.InferenceApiUrl) : runtimeScorer(ctx, served.EndpointName);
  const { predictions, latencies } = await score(ctx, opts.api ? served.InferenceApiUrl : served.EndpointName, scorer, rows, Math.max(1, Number(opts.batch)));
  ctx.out.set('via', opts.api ? 'api' : 'runtime');
  if (predictions.length !== rows.length) throw new LabError(`The endpoint returned ${predictions.length} predictions for ${rows.length} rows.`, 'Check that the rows have the feature columns only, label first in the file.');
  const summary = {
    rows: rows.length,
    auc: Number(auc(labels, predictions).toFixed(4)),
    p50Ms: Number(percentile(latencies, 0.5).toFixed(1)),
    p95Ms: Number(percentile(latencies, 0.95).toFixed(1)),
    predictedChurners: predictions.filter((p) => p >= 0.5).length,
  };
  ctx.out.set('summary', summary);
  ctx.out.set('predictions', predictions);
  ctx.out.line(`${summary.rows} rows: AUC ${summary.auc}, latency p50 ${summary.p50Ms} ms, p95 ${summary.p95Ms} ms per request, ${summary.predictedChurners} predicted churners.`);
}

/** `lab shift`: move traffic between Champion and Challenger. */
export async function shift(ctx: LabContext, opts: { challenger: string }): Promise<void> {
  const percent = Number(opts.challenger);
  if (!(percent >= 0 && percent <= 100)) throw new LabError(`--challenger must be a percentage from 0 to 100, not ${opts.challenger}.`, 'Try `lab shift --challenger 20`.');
  const served = await ctx.stackOutputs(SERVING_STACK);
  const sm = ctx.client(SageMakerClient);
  const ep = await ctx.aws('reading the endpoint', () => sm.send(new DescribeEndpointCommand({ EndpointName: served.EndpointName })));
  const names = (ep.ProductionVariants ?? []).map((v) => v.VariantName);
  if (!names.includes('Challenger')) throw new LabError('The endpoint has no Challenger variant.', 'Run `lab serve --challenger` first (it adds one at weight 0).');
  await ctx.aws('updating the weights', () => sm.send(new UpdateEndpointWeightsAndCapacitiesCommand({
    EndpointName: served.EndpointName,
    DesiredWeightsAndCapacities: [{ VariantName: 'Champion', DesiredWeight: 100 - percent }, { VariantName: 'Challenger', DesiredWeight: percent }],
  })));
  await ctx.waitFor(`endpoint ${served.EndpointName}`, async () => {
    const e = await sm.send(new DescribeEndpointCommand({ EndpointName: served.EndpointName }));
    const s = e.EndpointStatus ?? '?';
    return { done: s === 'InService' || s === 'Failed', failed: s !== 'InService', status: s, reason: e.FailureReason };
  }, 'SageMaker keeps updating the weights; run `lab shift` again later to check.', 30 * 60_000);
  ctx.out.set('weights', { Champion: 100 - percent, Challenger: percent });
  ctx.out.line(`Champion ${100 - percent} %, Challenger ${percent} %. Watch Invocations per variant in CloudWatch.`);
}

/** Skew rows on purpose: the first feature tripled, the activity counts zeroed. */
export function skew(row: string): string {
  const v = row.split(',').map(Number);
  v[0] = v[0] * 3 + 2;
  for (let i = 8; i < v.length; i++) v[i] = 0;
  return v.join(',');
}

/** `lab drift`: send skewed traffic, run the monitor now, show the violations. */
export async function drift(ctx: LabContext, opts: { file?: string; rows: string }): Promise<void> {
  const served = await ctx.stackOutputs(SERVING_STACK);
  const sm = ctx.client(SageMakerClient);
  const scheduleName = served.MonitoringScheduleName;
  if (!scheduleName) throw new LabError('MlLabServing has no monitoring schedule output.', 'Update the repository and run `lab serve` again.');
  const { rows } = parseLabelled(await testRows(ctx, opts.file));
  const skewed = rows.slice(0, Number(opts.rows)).map(skew);
  await score(ctx, served.EndpointName, runtimeScorer(ctx, served.EndpointName), skewed, 10);
  const desc = await ctx.aws('reading the monitoring schedule', () => sm.send(new DescribeMonitoringScheduleCommand({ MonitoringScheduleName: scheduleName })));
  const definition = desc.MonitoringScheduleConfig?.MonitoringJobDefinitionName;
  const oneOff = `${scheduleName}-now`.slice(0, 63);
  await ctx.aws('starting a monitoring run now', () => sm.send(new CreateMonitoringScheduleCommand({
    MonitoringScheduleName: oneOff,
    MonitoringScheduleConfig: {
      MonitoringJobDefinitionName: definition,
      MonitoringType: desc.MonitoringScheduleConfig?.MonitoringType ?? 'DataQuality',
      ScheduleConfig: { ScheduleExpression: 'NOW', DataAnalysisStartTime: '-PT1H', DataAnalysisEndTime: 'PT0H' },
    },
  })));
  ctx.out.set('oneOffSchedule', oneOff);
  try {
    const done = await ctx.waitFor('monitoring run', async () => {
      const d = await sm.send(new DescribeMonitoringScheduleCommand({ MonitoringScheduleName: oneOff }));
      const s = d.LastMonitoringExecutionSummary?.MonitoringExecutionStatus ?? 'Pending';
      return { done: ['Completed', 'CompletedWithViolations', 'Failed', 'Stopped'].includes(s), failed: s === 'Failed' || s === 'Stopped', status: s,
        reason: d.LastMonitoringExecutionSummary?.FailureReason, ref: d.LastMonitoringExecutionSummary?.ProcessingJobArn };
    }, `The run continues: see SageMaker → Endpoints → ${served.EndpointName} → Monitoring, and delete schedule ${oneOff} afterwards (\`lab down\` reports it).`, 30 * 60_000);
    const jobArn = done.ref;
    const violations = jobArn ? await readViolations(ctx, jobArn) : [];
    ctx.out.table('violations', violations);
    ctx.out.line(violations.length ? `${violations.length} violation(s): the skewed features drifted from the baseline.` : 'No violations reported.');
  } finally {
    if (!ctx.signal.aborted) await ctx.aws('removing the one-off schedule', () => sm.send(new DeleteMonitoringScheduleCommand({ MonitoringScheduleName: oneOff })));
  }
}

async function readViolations(ctx: LabContext, processingJobArn: string): Promise<Array<Record<string, string>>> {
  const job = await ctx.aws('reading the monitoring job', () => ctx.client(SageMakerClient).send(new DescribeProcessingJobCommand({ ProcessingJobName: processingJobArn.split('/').pop() })));
  const uri = job.ProcessingOutputConfig?.Outputs?.[0]?.S3Output?.S3Uri;
  const m = uri ? /^s3:\/\/([^/]+)\/(.*)$/.exec(uri) : null;
  if (!m) return [];
  const obj = await ctx.aws('reading the violations', () => ctx.client(S3Client).send(new GetObjectCommand({ Bucket: m[1], Key: `${m[2].replace(/\/$/, '')}/constraint_violations.json` })));
  const report = JSON.parse(await obj.Body!.transformToString()) as { violations?: Array<{ feature_name: string; constraint_check_type: string; description: string }> };
  return (report.violations ?? []).map((v) => ({ feature: v.feature_name, check: v.constraint_check_type, description: v.description }));
}
