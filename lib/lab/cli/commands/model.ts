import * as fs from 'fs';
import * as path from 'path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateMonitoringScheduleCommand, DeleteMonitoringScheduleCommand, DescribeEndpointCommand, DescribeModelPackageCommand,
  DescribeMonitoringScheduleCommand, DescribePipelineExecutionCommand, DescribeProcessingJobCommand, ListModelPackagesCommand,
  ListMonitoringSchedulesCommand, SageMakerClient, StartPipelineExecutionCommand, UpdateEndpointWeightsAndCapacitiesCommand, UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { DATA_STACK, LabContext, SERVING_STACK } from '../context';
import { LabError } from '../errors';
import { listKeys } from './data';

/** The committed model artifact (data-path work) and where `lab serve` puts it. */
export const COMMITTED_ARTIFACT = path.join('models', 'churn-xgboost', 'model.tar.gz');
export const ARTIFACT_KEY = 'models/churn-xgboost/model.tar.gz';
/** wire at merge: the ETL's test split prefix (label first, no header) from the data path. */
export const TEST_SPLIT_PREFIX = 'training/test/';

const needPipeline = () => new LabError('The training pipeline is not in this build of MlLabData.',
  'Update the repository (TrainingPipeline joins MlLabData), run `lab up` again, then `lab train`.');

/** `lab train`: start the training pipeline, follow it, show the metric against the gate. */
export async function train(ctx: LabContext): Promise<void> {
  const outputs = await ctx.stackOutputs(DATA_STACK);
  const pipeline = outputs.TrainingPipelineName;
  if (!pipeline) throw needPipeline();
  const sm = ctx.client(SageMakerClient);
  const { PipelineExecutionArn } = await ctx.aws('starting the training pipeline', () => sm.send(new StartPipelineExecutionCommand({ PipelineName: pipeline })));
  ctx.out.set('executionArn', PipelineExecutionArn);
  await ctx.waitFor(`pipeline ${pipeline}`, async () => {
    const e = await sm.send(new DescribePipelineExecutionCommand({ PipelineExecutionArn }));
    const s = e.PipelineExecutionStatus ?? '?';
    return { done: ['Succeeded', 'Failed', 'Stopped'].includes(s), failed: s !== 'Succeeded', status: s, reason: e.FailureReason,
      next: 'Open SageMaker Studio → Pipelines → the failed step to read why (a gate failure means the model scored below the threshold).' };
  }, 'Follow it in SageMaker Studio → Pipelines; run `lab models` when it has finished.');
  const versions = await modelVersions(ctx, outputs);
  const latest = versions[0];
  ctx.out.set('latest', latest);
  ctx.out.line(latest
    ? `Registered version ${latest.version}: validation AUC ${latest.auc ?? 'n/a'} (gate ${outputs.TrainingGateAuc ?? 'see the pipeline'}), status ${latest.approval}. Next: \`lab models --approve ${latest.version}\`.`
    : 'The pipeline finished but registered no version (the gate stopped it). Read the evaluation step in Studio.');
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
      auc: d.CustomerMetadataProperties?.['validation:auc'],
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

/** `lab serve`: deploy MlLabServing with the approved version, else the committed artifact. */
export async function serve(ctx: LabContext, opts: { challenger?: boolean }): Promise<void> {
  const outputs = await ctx.stackOutputs(DATA_STACK);
  const sm = ctx.client(SageMakerClient);
  let modelDataUri: string | undefined;
  if (outputs.ModelPackageGroupName) {
    const approved = await ctx.aws('finding the approved version', () => sm.send(new ListModelPackagesCommand({
      ModelPackageGroupName: outputs.ModelPackageGroupName, ModelApprovalStatus: 'Approved', SortBy: 'CreationTime', SortOrder: 'Descending', MaxResults: 1,
    })));
    const arn = approved.ModelPackageSummaryList?.[0]?.ModelPackageArn;
    if (arn) {
      const d = await ctx.aws('reading the approved version', () => sm.send(new DescribeModelPackageCommand({ ModelPackageName: arn })));
      modelDataUri = d.InferenceSpecification?.Containers?.[0]?.ModelDataUrl;
      ctx.out.set('modelPackageArn', arn);
    }
  }
  if (!modelDataUri) {
    const file = path.join(ctx.root, COMMITTED_ARTIFACT);
    if (!fs.existsSync(file)) throw new LabError(`No approved model version and no committed artifact at ${COMMITTED_ARTIFACT}.`, 'Run `lab train` and `lab models --approve <version>` first.');
    await ctx.aws('uploading the committed model', () => ctx.client(S3Client).send(new PutObjectCommand({ Bucket: outputs.CuratedBucketName, Key: ARTIFACT_KEY, Body: fs.readFileSync(file) })));
    ctx.out.line(`No approved version: serving the committed artifact (${COMMITTED_ARTIFACT}).`);
  }
  const expiry = outputs.ExpiresAt && /^\d{4}-/.test(outputs.ExpiresAt) ? `${outputs.ExpiresAt}Z` : undefined;
  const context: Record<string, string> = { profile: 'lab' };
  if (expiry) context.labExpiresAt = expiry;
  if (modelDataUri) context.labModelDataUri = modelDataUri;
  if (opts.challenger) context.labChallenger = 'true';
  if (!(await ctx.confirm(`Deploy ${SERVING_STACK} (an ml.c5.large endpoint, about $0.10/h${opts.challenger ? ', two with the challenger' : ''})?`))) {
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

/** Score rows through the runtime in batches; predictions and per-call latency. */
async function score(ctx: LabContext, endpoint: string, rows: string[], batch: number): Promise<{ predictions: number[]; latencies: number[] }> {
  const runtime = ctx.client(SageMakerRuntimeClient);
  const predictions: number[] = [];
  const latencies: number[] = [];
  const spinner = ctx.out.spinner(`scoring ${rows.length} rows on ${endpoint}`);
  for (let i = 0; i < rows.length; i += batch) {
    if (ctx.signal.aborted) {
      spinner.stop(false);
      throw new LabError(`Stopped after ${predictions.length} predictions.`, 'Run `lab invoke` again; requests already sent need no cleanup.', 130);
    }
    const body = rows.slice(i, i + batch).join('\n');
    const start = process.hrtime.bigint();
    const res = await ctx.aws('invoking the endpoint', () => runtime.send(new InvokeEndpointCommand({ EndpointName: endpoint, ContentType: 'text/csv', Accept: 'text/csv', Body: Buffer.from(body) })));
    latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
    predictions.push(...Buffer.from(res.Body ?? []).toString().split(/[\n,]/).map((x) => x.trim()).filter(Boolean).map(Number));
    spinner.update(`${predictions.length}/${rows.length}`);
  }
  spinner.stop(true, `scored ${predictions.length} rows`);
  return { predictions, latencies };
}

/** `lab invoke`: score the test split: predictions, AUC, p50/p95 latency. */
export async function invoke(ctx: LabContext, opts: { file?: string; batch: string; api?: boolean }): Promise<void> {
  if (opts.api) throw new LabError('The REST API (InferenceApi) is not in this build of MlLabServing.', 'Run `lab invoke` without --api to use the SageMaker runtime.');
  // wire at merge: InferenceApi — SigV4-signed POST of {"instances": [...]} to the API's URL output.
  const served = await ctx.stackOutputs(SERVING_STACK);
  const { labels, rows } = parseLabelled(await testRows(ctx, opts.file));
  const { predictions, latencies } = await score(ctx, served.EndpointName, rows, Math.max(1, Number(opts.batch)));
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
  const schedules = await ctx.aws('finding the monitoring schedule', () => sm.send(new ListMonitoringSchedulesCommand({ EndpointName: served.EndpointName })));
  const schedule = schedules.MonitoringScheduleSummaries?.[0];
  // wire at merge: ModelMonitor in MlLabServing creates this schedule.
  if (!schedule) throw new LabError('The endpoint has no monitoring schedule in this build.', 'Update the repository (ModelMonitor joins MlLabServing), then `lab serve` again.');
  const { rows } = parseLabelled(await testRows(ctx, opts.file));
  const skewed = rows.slice(0, Number(opts.rows)).map(skew);
  await score(ctx, served.EndpointName, skewed, 10);
  const desc = await ctx.aws('reading the monitoring schedule', () => sm.send(new DescribeMonitoringScheduleCommand({ MonitoringScheduleName: schedule.MonitoringScheduleName })));
  const definition = desc.MonitoringScheduleConfig?.MonitoringJobDefinitionName;
  const oneOff = `${schedule.MonitoringScheduleName}-now`.slice(0, 63);
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
