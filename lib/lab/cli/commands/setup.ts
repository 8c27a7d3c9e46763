import { BudgetsClient, DescribeBudgetsCommand } from '@aws-sdk/client-budgets';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeNetworkInterfacesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeKeyCommand, KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import {
  ListEndpointsCommand, ListMonitoringSchedulesCommand, ListProcessingJobsCommand, ListTrainingJobsCommand, ListTransformJobsCommand, SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { ListServiceQuotasCommand, ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { DATA_STACK, LabContext, SERVING_STACK } from '../context';
import { LabError, toLabError } from '../errors';
import { SUPPORTED_REGIONS } from '../regions';

/** SageMaker quotas the lab needs: instance type and use, as Service Quotas names them. */
export const REQUIRED_QUOTAS = [
  'ml.c5.large for endpoint usage',
  'ml.m5.large for training job usage',
  'ml.m5.large for processing job usage',
];

interface Check { check: string; ok: boolean; detail: string }

/** `lab doctor`: credentials, region, CDK bootstrap, SageMaker quotas, budget rights. */
export async function doctor(ctx: LabContext): Promise<void> {
  const checks: Check[] = [];
  const spinner = ctx.out.spinner('checking the account');
  const add = (check: string, ok: boolean, detail: string) => {
    checks.push({ check, ok, detail });
    spinner.update(`${checks.length} checks done`);
  };

  let account: string | undefined;
  try {
    const id = await ctx.client(STSClient).send(new GetCallerIdentityCommand({}));
    account = id.Account;
    add('credentials', true, `${id.Arn}`);
  } catch (e) {
    add('credentials', false, toLabError(e, 'checking credentials').message);
  }
  const region = ctx.region;
  add('region', !!region && SUPPORTED_REGIONS.includes(region),
    !region ? 'no region: set AWS_REGION or pass --region' : SUPPORTED_REGIONS.includes(region) ? region : `${region} has no built-in XGBoost image in the table; use one of ${SUPPORTED_REGIONS.slice(0, 6).join(', ')}, ...`);

  if (account) {
    try {
      const p = await ctx.client(SSMClient).send(new GetParameterCommand({ Name: '/cdk-bootstrap/hnb659fds/version' }));
      const version = Number(p.Parameter?.Value);
      add('CDK bootstrap', version >= 6, version >= 6 ? `version ${version}` : `version ${version}: run npx cdk bootstrap`);
    } catch (e) {
      const missing = /ParameterNotFound/.test(String((e as Error).name));
      add('CDK bootstrap', false, missing ? `not bootstrapped: run npx cdk bootstrap aws://${account}/${region}` : toLabError(e, 'reading the bootstrap version').message);
    }
    try {
      const quotas = new Map<string, number>();
      let token: string | undefined;
      do {
        const page = await ctx.client(ServiceQuotasClient).send(new ListServiceQuotasCommand({ ServiceCode: 'sagemaker', NextToken: token }));
        for (const q of page.Quotas ?? []) if (q.QuotaName) quotas.set(q.QuotaName, q.Value ?? 0);
        token = page.NextToken;
      } while (token);
      for (const name of REQUIRED_QUOTAS) {
        const value = quotas.get(name);
        add(`quota: ${name}`, (value ?? 0) >= 1,
          value === undefined ? 'not listed: check the Service Quotas console (SageMaker)'
            : value >= 1 ? `${value}` : '0: request an increase in Service Quotas → Amazon SageMaker (new accounts often start at 0)');
      }
    } catch (e) {
      add('quotas', false, toLabError(e, 'reading SageMaker quotas').message);
    }
    try {
      await ctx.client(BudgetsClient).send(new DescribeBudgetsCommand({ AccountId: account, MaxResults: 1 }));
      add('budget rights', true, 'budgets:ViewBudget allowed');
    } catch (e) {
      add('budget rights', false, `${toLabError(e, 'reading budgets').message} (LabGuard's budget needs budgets:ModifyBudget when deployed)`);
    }
  }
  spinner.stop(checks.every((c) => c.ok), `checked ${checks.length} things`);
  ctx.out.table('checks', checks.map((c) => ({ check: c.check, result: c.ok ? 'ok' : 'FAIL', detail: c.detail })));
  const failed = checks.filter((c) => !c.ok);
  ctx.out.set('ok', failed.length === 0);
  if (failed.length > 0) {
    throw new LabError(`${failed.length} check(s) failed: ${failed.map((c) => c.check).join(', ')}.`, 'Fix each FAIL line above (its detail says how), then run `lab doctor` again.');
  }
  ctx.out.line('All checks passed: run `lab up` next.');
}

/** The expiry time `lab up` passes: now + hours, to the minute, UTC. */
export function expiryFrom(now: number, hours: number): string {
  return `${new Date(now + hours * 3_600_000).toISOString().slice(0, 16)}:00Z`;
}

/** `lab up`: deploy MlLabData with its expiry time. */
export async function up(ctx: LabContext, opts: { hours: string; budget?: string; email?: string }): Promise<void> {
  const hours = Number(opts.hours);
  if (!Number.isFinite(hours) || hours < 1 || hours > 24) throw new LabError(`--hours must be from 1 to 24, not ${opts.hours}.`, 'Run `lab up --hours 4` (the default).');
  const expiresAt = expiryFrom(ctx.now(), hours);
  const context: Record<string, string> = { profile: 'lab', labExpiresAt: expiresAt };
  if (opts.budget) context.labBudgetUsd = opts.budget;
  if (opts.email) context.labEmail = opts.email;
  if (!(await ctx.confirm(`Deploy ${DATA_STACK} (about $0.02/h idle) that deletes itself at ${expiresAt}?`))) {
    throw new LabError('Nothing deployed: you answered no.', 'Run `lab up` again when ready.');
  }
  await ctx.cdk.deploy(DATA_STACK, context, ctx.signal);
  const outputs = await ctx.stackOutputs(DATA_STACK);
  const stack = (await ctx.aws('reading the stack', () => ctx.client(CloudFormationClient).send(new DescribeStacksCommand({ StackName: DATA_STACK })))).Stacks?.[0];
  // The time-to-live relies on the stack's service role (CDK's CloudFormation execution role).
  if (!stack?.RoleARN) ctx.out.warn('The stack has no CloudFormation service role, so its time-to-live cannot delete it: run `lab down` yourself before it expires.');
  ctx.out.set('stack', DATA_STACK);
  ctx.out.set('expiresAt', expiresAt);
  ctx.out.set('outputs', outputs);
  ctx.out.line(`${DATA_STACK} is up until ${expiresAt} (then it deletes itself; the serving stack goes 30 minutes earlier).`);
  ctx.out.line('Next: `lab data` to upload customers.');
}

/** `lab down`: destroy serving then data, then verify nothing billable is left. */
export async function down(ctx: LabContext): Promise<void> {
  if (!(await ctx.confirm(`Destroy ${SERVING_STACK} and ${DATA_STACK} and all lab data?`))) {
    throw new LabError('Nothing destroyed: you answered no.', 'Run `lab down` again when ready.');
  }
  for (const stack of [SERVING_STACK, DATA_STACK]) await ctx.cdk.destroy(stack, ctx.signal);
  const spinner = ctx.out.spinner('checking for anything left behind');
  let left: Leftover[];
  try {
    left = await leftovers(ctx);
  } catch (e) {
    spinner.stop(false);
    throw e;
  }
  spinner.stop(true, 'checked endpoints, monitoring schedules, jobs, network interfaces, buckets and keys');
  ctx.out.table('leftovers', left.map((l) => ({ kind: l.kind, name: l.name, state: l.state })));
  const billable = left.filter((l) => l.billable);
  ctx.out.set('clean', billable.length === 0);
  if (billable.length > 0) {
    throw new LabError(`${billable.length} billable lab resource(s) remain: ${billable.map((l) => `${l.kind} ${l.name}`).join(', ')}.`,
      'Delete them in the console (or run `lab down` again once running jobs end).');
  }
  ctx.out.line(left.length === 0 ? 'Nothing of the lab is left.' : 'Nothing billable is left (keys pending deletion cost nothing and go away on their own).');
}

interface Leftover { kind: string; name: string; state: string; billable: boolean }

const LAB_NAME = /mllab/i;
// The lab's keys: every one is described after its stack ("... of MlLabData/Lake").
const LAB_KEY = /MlLab/;

async function leftovers(ctx: LabContext): Promise<Leftover[]> {
  const sm = ctx.client(SageMakerClient);
  const out: Leftover[] = [];
  const read = <T>(what: string, call: () => Promise<T>) => ctx.aws(`checking ${what}`, call);
  for (const e of (await read('endpoints', () => sm.send(new ListEndpointsCommand({ NameContains: 'MlLab' })))).Endpoints ?? []) {
    out.push({ kind: 'endpoint', name: e.EndpointName!, state: e.EndpointStatus ?? '?', billable: true });
  }
  for (const s of (await read('monitoring schedules', () => sm.send(new ListMonitoringSchedulesCommand({})))).MonitoringScheduleSummaries ?? []) {
    out.push({ kind: 'monitoring schedule', name: s.MonitoringScheduleName!, state: s.MonitoringScheduleStatus ?? '?', billable: true });
  }
  for (const j of (await read('training jobs', () => sm.send(new ListTrainingJobsCommand({ StatusEquals: 'InProgress' })))).TrainingJobSummaries ?? []) {
    out.push({ kind: 'training job', name: j.TrainingJobName!, state: 'InProgress', billable: true });
  }
  for (const j of (await read('processing jobs', () => sm.send(new ListProcessingJobsCommand({ StatusEquals: 'InProgress' })))).ProcessingJobSummaries ?? []) {
    out.push({ kind: 'processing job', name: j.ProcessingJobName!, state: 'InProgress', billable: true });
  }
  for (const j of (await read('transform jobs', () => sm.send(new ListTransformJobsCommand({ StatusEquals: 'InProgress' })))).TransformJobSummaries ?? []) {
    out.push({ kind: 'transform job', name: j.TransformJobName!, state: 'InProgress', billable: true });
  }
  const enis = await read('network interfaces', () => ctx.client(EC2Client).send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'description', Values: ['*SageMaker*', '*sagemaker*'] }] })));
  for (const n of enis.NetworkInterfaces ?? []) out.push({ kind: 'network interface', name: n.NetworkInterfaceId!, state: n.Status ?? '?', billable: false });
  for (const b of (await read('buckets', () => ctx.client(S3Client).send(new ListBucketsCommand({})))).Buckets ?? []) {
    if (LAB_NAME.test(b.Name ?? '')) out.push({ kind: 'bucket', name: b.Name!, state: 'exists', billable: true });
  }
  const kms = ctx.client(KMSClient);
  for (const k of (await read('keys', () => kms.send(new ListKeysCommand({})))).Keys ?? []) {
    const meta = (await read('keys', () => kms.send(new DescribeKeyCommand({ KeyId: k.KeyId })))).KeyMetadata;
    if (meta?.KeyManager !== 'CUSTOMER' || !LAB_KEY.test(meta.Description ?? '')) continue;
    if (meta.KeyState === 'PendingDeletion') {
      out.push({ kind: 'key', name: k.KeyId!, state: `PendingDeletion until ${meta.DeletionDate?.toISOString().slice(0, 10) ?? '?'}`, billable: false });
    } else {
      out.push({ kind: 'key', name: k.KeyId!, state: meta.KeyState ?? '?', billable: true });
    }
  }
  return out;
}
