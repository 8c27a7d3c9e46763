import { PriceTable } from './cost-estimator-prices';

// Pure logic over template JSON and the price table: no aws-cdk-lib, so the lab command line can
// use it on templates it synthesized or downloaded.

/** One priced item of an estimate. */
export interface CostLine {
  /** What costs money, e.g. `ml.c5.large × 1 (Endpoint Champion)`. */
  readonly item: string;
  /** US dollars: per hour for idle lines, in total for usage lines. */
  readonly usd: number;
  /** How the figure is computed (quantity × price, and any assumption). */
  readonly basis: string;
}

/** What a deployed stack costs per hour while nobody uses it. */
export interface IdleCost {
  /** The stack. */
  readonly stackName: string;
  /** Total US dollars per hour. */
  readonly usdPerHour: number;
  /** The items, largest first. */
  readonly lines: CostLine[];
  /** What the estimate leaves out (usage-priced services, free tiers). */
  readonly notCounted: string[];
}

/** The cost of one lab exercise beyond the idle cost of the stacks it needs. */
export interface ExerciseCost {
  /** Short id, the `lab` command that runs it, e.g. `etl`. */
  readonly id: string;
  /** Title as docs/LAB.md lists it. */
  readonly title: string;
  /** Minutes a learner spends on it (assumption). */
  readonly minutes: number;
  /** Usage cost in US dollars, idle cost of the stacks excluded. */
  readonly usageUsd: number;
  /** The items. */
  readonly lines: CostLine[];
}

/** A whole session: stacks idling for its length plus the exercises done. */
export interface SessionEstimate {
  /** Hours the data stack is up. */
  readonly hours: number;
  /** Hours the serving stack (endpoint) is up. */
  readonly endpointHours: number;
  /** Idle cost of the data stack for `hours`. */
  readonly dataIdleUsd: number;
  /** Idle cost of the serving stack for `endpointHours`. */
  readonly servingIdleUsd: number;
  /** Usage cost of the exercises included. */
  readonly exercisesUsd: number;
  /** Everything. */
  readonly totalUsd: number;
  /** The exercises counted. */
  readonly exercises: ExerciseCost[];
}

/** Assumptions of the exercise estimates (each documented default is what docs/LAB.md states). */
export interface LabUsageAssumptions {
  /**
   * Instance type of a training run and its baseline job.
   * @default 'ml.m5.large'
   */
  readonly trainingInstanceType?: string;
  /**
   * Billed minutes of one training run (start-up, 200 rounds on a few thousand rows, upload).
   * @default 6
   */
  readonly trainingMinutes?: number;
  /**
   * Billed minutes of the Model Monitor baseline job that follows training.
   * @default 5
   */
  readonly baselineMinutes?: number;
  /**
   * Billed minutes of one Glue job run (Glue 5.0 bills per second, one minute minimum).
   * @default 4
   */
  readonly etlJobMinutes?: number;
  /**
   * DPUs of one crawler run (AWS does not publish it; its pricing example uses 2).
   * @default 2
   */
  readonly crawlerDpus?: number;
  /**
   * Billed minutes of one crawler run (a 10-minute minimum applies).
   * @default 10
   */
  readonly crawlerMinutes?: number;
  /**
   * Billed minutes of a monitoring job run on demand (`lab drift`).
   * @default 8
   */
  readonly monitoringJobMinutes?: number;
  /**
   * Instance type of the monitoring job.
   * @default 'ml.m5.large'
   */
  readonly monitoringInstanceType?: string;
}

/** The request profile of the "Which option?" comparison. */
export interface InferenceWorkload {
  /**
   * Rows (customers) per request.
   * @default 1
   */
  readonly rowsPerRequest?: number;
  /**
   * Bytes per request and response together (13 numeric features as CSV, plus the score).
   * @default 200
   */
  readonly bytesPerRequest?: number;
  /**
   * Requests per second, steady, that the comparison assumes.
   * @default 1
   */
  readonly requestsPerSecond?: number;
  /**
   * Serverless memory size in MB.
   * @default 2048
   */
  readonly serverlessMemoryMb?: number;
  /**
   * Serverless billed duration per request, milliseconds (XGBoost on one row is fast; the
   * container overhead dominates).
   * @default 20
   */
  readonly serverlessMillisPerRequest?: number;
  /**
   * Instance type of real-time, asynchronous and batch.
   * @default 'ml.c5.large'
   */
  readonly instanceType?: string;
  /**
   * Rows one batch transform job scores.
   * @default 10000
   */
  readonly batchRows?: number;
  /**
   * Billed minutes of one batch transform job (instance start-up dominates at this size).
   * @default 7
   */
  readonly batchJobMinutes?: number;
}

/** One row of the "Which option?" table. */
export interface InferenceOption {
  /** Real-time, serverless, asynchronous or batch. */
  readonly mode: string;
  /** US dollars per hour with no traffic. */
  readonly idleUsdPerHour: number;
  /** US dollars per 1,000 predictions at the workload's size and rate. */
  readonly usdPer1000: number;
  /** How the per-1,000 figure is computed. */
  readonly basis: string;
  /** Cold start to expect. */
  readonly coldStart: string;
  /** Latency to expect. */
  readonly latency: string;
  /** Payload and time limits, with the doc they come from. */
  readonly limits: string;
  /** When to choose it. */
  readonly choose: string;
}

// Template JSON is untyped by nature; one alias keeps the casts in one place.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

interface Resource { Type: string; Properties?: Record<string, Json> }

const GLUE_DPU_PER_WORKER: Record<string, number> = { 'G.025X': 0.25, 'G.1X': 1, 'G.2X': 2, 'G.4X': 4, 'G.8X': 8 };

/**
 * Costs of the lab, computed from synthesized templates and the {@link PriceTable}: idle cost per
 * hour of a stack, the usage cost of each exercise, a session, and the inference-mode comparison.
 * Pure logic: the `lab cost` command and the README renderer call the same code.
 */
export class CostEstimator {
  /** The prices in use. */
  public readonly prices: PriceTable;

  constructor(prices?: PriceTable) {
    this.prices = prices ?? PriceTable.usEast1();
  }

  /**
   * What a stack costs per hour while deployed and unused: endpoint instances, provisioned
   * Kinesis shards or on-demand streams, NAT gateways, interface endpoints, KMS keys, alarms and
   * scheduled monitoring jobs. Usage-priced services (S3 requests, Glue runs, Athena, Firehose)
   * cost nothing idle and are listed in `notCounted`.
   */
  public idleCost(stackName: string, template: unknown): IdleCost {
    const resources: Record<string, Resource> = (template as Json)?.Resources ?? {};
    const lines: CostLine[] = [];
    const hour = (item: string, usd: number, basis: string) => lines.push({ item, usd, basis });
    let keys = 0;
    let alarms = 0;
    for (const [id, r] of Object.entries(resources)) {
      const p = r.Properties ?? {};
      switch (r.Type) {
        case 'AWS::SageMaker::Endpoint': {
          const config = resources[refOf(p.EndpointConfigName) ?? ''];
          for (const v of config?.Properties?.ProductionVariants ?? []) {
            if (v.ServerlessConfig) {
              if (v.ServerlessConfig.ProvisionedConcurrency) {
                hour(`serverless provisioned concurrency (${id} ${v.VariantName})`, 0, 'not in the price table: see the SageMaker pricing page');
              }
              continue;
            }
            const count = Number(v.InitialInstanceCount ?? 1);
            const price = this.prices.instanceHour(v.InstanceType);
            hour(`${v.InstanceType} × ${count} (endpoint ${id}, variant ${v.VariantName})`, count * price, `${count} × $${price}/h`);
          }
          break;
        }
        case 'AWS::Kinesis::Stream': {
          if (p.StreamModeDetails?.StreamMode === 'ON_DEMAND') {
            const price = this.prices.usd('kinesis:on-demand-stream-hour');
            hour(`Kinesis on-demand stream (${id})`, price, `$${price}/stream-hour (+ per GB in and out)`);
          } else {
            const shards = Number(p.ShardCount ?? 1);
            const price = this.prices.usd('kinesis:shard-hour');
            hour(`Kinesis ${shards} shard(s) (${id})`, shards * price, `${shards} × $${price}/shard-hour`);
          }
          break;
        }
        case 'AWS::EC2::NatGateway':
          hour(`NAT gateway (${id})`, this.prices.usd('nat:hour'), `$${this.prices.usd('nat:hour')}/h (+ per GB)`);
          break;
        case 'AWS::EC2::VPCEndpoint':
          if (p.VpcEndpointType === 'Interface') {
            const azs = Array.isArray(p.SubnetIds) ? p.SubnetIds.length : 1;
            const price = this.prices.usd('vpce:az-hour');
            hour(`interface endpoint ${serviceOf(p.ServiceName)} (${id})`, azs * price, `${azs} AZ × $${price}/AZ-hour`);
          }
          break;
        case 'AWS::KMS::Key':
          keys++;
          break;
        case 'AWS::CloudWatch::Alarm':
          alarms++;
          break;
        case 'AWS::SageMaker::MonitoringSchedule': {
          const runsPerHour = runsPerHourOf(p.MonitoringScheduleConfig?.ScheduleConfig?.ScheduleExpression);
          // The definition by reference, or by the literal name ModelMonitor gives it.
          const defName = p.MonitoringScheduleConfig?.MonitoringJobDefinitionName;
          const definition = resources[getAttOf(defName) ?? '']
            ?? (typeof defName === 'string' ? Object.values(resources).find((r) => r?.Properties?.JobDefinitionName === defName) : undefined);
          const cluster = definition?.Properties?.JobResources?.ClusterConfig;
          if (cluster && runsPerHour > 0) {
            const minutes = 10;
            const price = this.prices.instanceHour(cluster.InstanceType);
            const count = Number(cluster.InstanceCount ?? 1);
            hour(`monitoring job ${cluster.InstanceType} × ${count} (${id})`, runsPerHour * count * price * minutes / 60,
              `${fmt(runsPerHour)} run/h × ${minutes} min (assumed) × $${price}/h`);
          }
          break;
        }
        default:
      }
    }
    if (keys > 0) {
      const price = this.prices.hourly('kms:key-month');
      hour(`KMS customer managed keys × ${keys}`, keys * price, `${keys} × $1/key-month ÷ ${PriceTable.HOURS_PER_MONTH} h`);
    }
    if (alarms > 0) {
      const price = this.prices.hourly('cloudwatch:alarm-month');
      hour(`CloudWatch alarms × ${alarms}`, alarms * price, `${alarms} × $0.10/alarm-month ÷ ${PriceTable.HOURS_PER_MONTH} h`);
    }
    lines.sort((a, b) => b.usd - a.usd);
    return {
      stackName,
      usdPerHour: lines.reduce((sum, l) => sum + l.usd, 0),
      lines,
      notCounted: [
        'S3 storage and requests (a few MB of lab data: well under $0.01 a month)',
        'Glue job and crawler runs, Athena queries, Firehose GB, Kinesis PUT units, SageMaker jobs: per use (see the exercises)',
        'SNS, EventBridge Scheduler, Budgets (no actions), Step Functions / SageMaker Pipelines: free tier or per use',
        'KMS requests ($0.03 per 10,000)',
      ],
    };
  }

  /**
   * The usage cost of each `lab` exercise, from the data stack's template (Glue job size, crawler
   * steps, stream) and the serving stack's (endpoint instance type), plus the assumptions.
   */
  public exercises(dataTemplate: unknown, servingTemplate: unknown, assumptions: LabUsageAssumptions = {}): ExerciseCost[] {
    const a = {
      trainingInstanceType: 'ml.m5.large', trainingMinutes: 6, baselineMinutes: 5, etlJobMinutes: 4, crawlerDpus: 2,
      crawlerMinutes: 10, monitoringJobMinutes: 8, monitoringInstanceType: 'ml.m5.large', ...assumptions,
    };
    const data: Record<string, Resource> = (dataTemplate as Json)?.Resources ?? {};
    const serving: Record<string, Resource> = (servingTemplate as Json)?.Resources ?? {};
    const glueDpuHour = this.prices.usd('glue:dpu-hour');

    const jobs = Object.values(data).filter((r) => r.Type === 'AWS::Glue::Job');
    const jobDpus = jobs.reduce((sum, j) => sum + (GLUE_DPU_PER_WORKER[j.Properties?.WorkerType] ?? 1) * Number(j.Properties?.NumberOfWorkers ?? 2), 0);
    const crawlerSteps = Object.values(data).filter((r) => r.Type === 'AWS::Glue::Trigger')
      .flatMap((t) => t.Properties?.Actions ?? []).filter((x: Json) => x.CrawlerName).length;
    const endpointInstance = Object.values(serving).filter((r) => r.Type === 'AWS::SageMaker::EndpointConfig')
      .flatMap((c) => c.Properties?.ProductionVariants ?? []).find((v: Json) => v.InstanceType)?.InstanceType ?? 'ml.c5.large';

    const line = (item: string, usd: number, basis: string): CostLine => ({ item, usd, basis });
    const ex = (id: string, title: string, minutes: number, lines: CostLine[]): ExerciseCost =>
      ({ id, title, minutes, usageUsd: lines.reduce((s, l) => s + l.usd, 0), lines });
    const training = this.prices.instanceHour(a.trainingInstanceType);
    const monitoring = this.prices.instanceHour(a.monitoringInstanceType);
    const endpoint = this.prices.instanceHour(endpointInstance);
    const athenaQuery = this.prices.usd('athena:tb') * 10 / 1_000_000; // 10 MB minimum per query
    const puts = 60 * 20; // lab stream default: 60 s at 20 events/s

    return [
      ex('doctor', 'Set up and check the account', 15, []),
      ex('up', 'Deploy the data stack with its guard', 15, []),
      ex('data', 'Generate and upload customers', 5, [line('S3 PUT requests', 0.0001, 'a few requests; storage of ~1 MB')]),
      ex('stream', 'Stream clickstream through Kinesis and Firehose', 10, [
        line('Kinesis PUT payload units', puts * this.prices.usd('kinesis:put-million') / 1e6, `${puts} records × $0.014/million`),
        line('Firehose ingestion and conversion', 0.0001 * (this.prices.usd('firehose:gb') + this.prices.usd('firehose:conversion-gb')), '~0.1 MB at $0.047/GB'),
      ]),
      ex('etl', 'Run the feature ETL and crawlers', 20, [
        line(`Glue job, ${fmt(jobDpus)} DPU × ${a.etlJobMinutes} min`, jobDpus * glueDpuHour * a.etlJobMinutes / 60, `$${glueDpuHour}/DPU-hour`),
        line(`Glue crawlers × ${crawlerSteps}, ${a.crawlerDpus} DPU × ${a.crawlerMinutes} min each`,
          crawlerSteps * a.crawlerDpus * glueDpuHour * a.crawlerMinutes / 60, `10-minute minimum per run; ${a.crawlerDpus} DPU assumed`),
      ]),
      ex('query', 'Query the features with Athena', 10, [line('Athena, 5 sample queries', 5 * athenaQuery, '10 MB minimum each at $5/TB')]),
      ex('explore', 'Explore the data', 15, [line('S3 GET requests', 0.0001, 'reads the features table once')]),
      ex('train', 'Train, gate and register a model', 20, [
        line(`training ${a.trainingInstanceType} × ${a.trainingMinutes} min`, training * a.trainingMinutes / 60, `$${training}/h`),
        line(`baseline ${a.trainingInstanceType} × ${a.baselineMinutes} min`, training * a.baselineMinutes / 60, `$${training}/h`),
      ]),
      ex('models', 'Review and approve the model version', 5, []),
      ex('serve', 'Deploy the serving stack', 15, []),
      ex('invoke', 'Score the test split and read latency', 10, [line('real-time invocations', 0, 'no per-request charge on an instance endpoint')]),
      ex('shift', 'Shift A/B weights to a challenger', 15, [line(`challenger ${endpointInstance} × 15 min`, endpoint * 15 / 60, `$${endpoint}/h while it runs`)]),
      ex('drift', 'Send skewed traffic and read the drift report', 15, [
        line(`monitoring job ${a.monitoringInstanceType} × ${a.monitoringJobMinutes} min`, monitoring * a.monitoringJobMinutes / 60, `$${monitoring}/h`),
      ]),
      ex('cost', 'Compare estimated and actual cost', 5, [line('Cost Explorer API', 0.01, '$0.01 per request, one request')]),
      ex('down', 'Tear down and verify nothing is left', 15, []),
    ];
  }

  /**
   * A session: the data stack up for `hours`, the serving stack for `endpointHours`, and the
   * exercises named in `exerciseIds` (all when empty).
   */
  public session(dataTemplate: unknown, servingTemplate: unknown, hours: number, endpointHours: number, exerciseIds: string[] = [], assumptions: LabUsageAssumptions = {}): SessionEstimate {
    const all = this.exercises(dataTemplate, servingTemplate, assumptions);
    const exercises = exerciseIds.length === 0 ? all : all.filter((e) => exerciseIds.includes(e.id));
    const unknown = exerciseIds.filter((id) => !all.some((e) => e.id === id));
    if (unknown.length > 0) throw new Error(`unknown exercise(s) ${unknown.join(', ')}; known: ${all.map((e) => e.id).join(', ')}`);
    const dataIdleUsd = this.idleCost('data', dataTemplate).usdPerHour * hours;
    const servingIdleUsd = this.idleCost('serving', servingTemplate).usdPerHour * endpointHours;
    const exercisesUsd = exercises.reduce((s, e) => s + e.usageUsd, 0);
    return { hours, endpointHours, dataIdleUsd, servingIdleUsd, exercisesUsd, totalUsd: dataIdleUsd + servingIdleUsd + exercisesUsd, exercises };
  }

  /**
   * Real-time, serverless, asynchronous and batch inference for the lab's model at one workload:
   * idle cost per hour, cost per 1,000 predictions, cold start, latency, limits and when to choose.
   */
  public inferenceOptions(workload: InferenceWorkload = {}): InferenceOption[] {
    const w = {
      rowsPerRequest: 1, bytesPerRequest: 200, requestsPerSecond: 1, serverlessMemoryMb: 2048, serverlessMillisPerRequest: 20,
      instanceType: 'ml.c5.large', batchRows: 10000, batchJobMinutes: 7, ...workload,
    };
    const instance = this.prices.instanceHour(w.instanceType);
    const perHour = w.requestsPerSecond * 3600;
    const predictionsPerHour = perHour * w.rowsPerRequest;
    const realtimePer1000 = instance / predictionsPerHour * 1000;
    const gbSeconds = (w.serverlessMemoryMb / 1024) * (w.serverlessMillisPerRequest / 1000);
    const serverlessPerRequest = gbSeconds * this.prices.usd('sagemaker:serverless-gb-second')
      + (w.bytesPerRequest / 1e9) * this.prices.usd('sagemaker:serverless-gb-processed');
    const serverlessPer1000 = serverlessPerRequest / w.rowsPerRequest * 1000;
    const batchJob = instance * w.batchJobMinutes / 60;
    const batchPer1000 = batchJob / w.batchRows * 1000;
    return [
      {
        mode: 'Real-time endpoint',
        idleUsdPerHour: instance,
        usdPer1000: realtimePer1000,
        basis: `1 × ${w.instanceType} at $${instance}/h serving ${fmt(perHour)} requests/h`,
        coldStart: 'none once InService (deploy takes minutes)',
        latency: 'milliseconds (model latency of one XGBoost row is well under 10 ms)',
        limits: '6 MB payload, 60 s per invocation (InvokeEndpoint API reference); API Gateway in front: 29 s',
        choose: 'steady traffic that needs an answer now; A/B variants, data capture and Model Monitor',
      },
      {
        mode: 'Serverless endpoint',
        idleUsdPerHour: 0,
        usdPer1000: serverlessPer1000,
        basis: `${w.serverlessMemoryMb} MB × ${w.serverlessMillisPerRequest} ms at $0.00002/GB-s + ${w.bytesPerRequest} B at $0.016/GB, per request`,
        coldStart: 'seconds after idle (provisioned concurrency removes it, billed while provisioned)',
        latency: 'milliseconds when warm',
        limits: '4 MB payload, 60 s per invocation, no VPC, data capture or Model Monitor (serverless-endpoints docs)',
        choose: 'spiky or rare traffic that tolerates cold starts; pay nothing idle',
      },
      {
        mode: 'Asynchronous endpoint',
        idleUsdPerHour: 0,
        usdPer1000: realtimePer1000,
        basis: `same instance as real-time while requests are queued; scales to 0 instances between bursts`,
        coldStart: 'minutes when scaling out from 0 instances',
        latency: 'seconds to minutes (queued; results land in S3, SNS tells you)',
        limits: '1 GB payload (via S3), up to 1 hour per request (async-inference docs)',
        choose: 'large payloads or long processing, near-real-time answers, idle periods between bursts',
      },
      {
        mode: 'Batch transform',
        idleUsdPerHour: 0,
        usdPer1000: batchPer1000,
        basis: `one job of ${fmt(w.batchRows)} rows on ${w.instanceType}, ${w.batchJobMinutes} min billed`,
        coldStart: 'minutes per job (instances start for each job)',
        latency: 'minutes per job; no per-request answer',
        limits: 'up to 100 MB per mini-batch (MaxPayloadInMB, CreateTransformJob API); whole datasets in S3',
        choose: 'score a whole table on a schedule (nightly churn scores) when nobody waits for one answer',
      },
    ];
  }

  /** A dollar amount as the estimates print it: `$0.102`, two significant figures for small amounts. */
  public static formatUsd(value: number, digits: number = 2): string {
    return usd(value, digits);
  }

  /** The "Which option?" table as Markdown (what `npm run render:costs` writes into the README). */
  public renderInferenceTable(workload: InferenceWorkload = {}): string {
    const w = { rowsPerRequest: 1, bytesPerRequest: 200, requestsPerSecond: 1, ...workload };
    const rows = this.inferenceOptions(workload).map((o) =>
      `| ${o.mode} | ${usd(o.idleUsdPerHour, 3)} | ${usd(o.usdPer1000, 4)} | ${o.coldStart} | ${o.latency} | ${o.limits} | ${o.choose} |`);
    return [
      `Workload: the lab's churn model (built-in XGBoost), ${w.rowsPerRequest} row (${w.bytesPerRequest} bytes in and out) per request, `
        + `${w.requestsPerSecond} request/s steady; us-east-1 on-demand prices (\`lib/ops/cost-estimator-prices.ts\`).`,
      '',
      '| option | idle $/h | $ per 1,000 predictions | cold start | latency | limits | choose it for |',
      '|---|---|---|---|---|---|---|',
      ...rows,
    ].join('\n');
  }
}

/** `$0.102`, with at least `digits` decimals and two significant figures for small amounts. */
function usd(value: number, digits = 2): string {
  if (value === 0) return '$0';
  let d = digits;
  while (d < 8 && Math.abs(value) < Math.pow(10, 1 - d)) d++;
  return `$${value.toFixed(d)}`;
}

function fmt(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toFixed(2);
}

function refOf(value: Json): string | undefined {
  return value?.Ref ?? value?.['Fn::GetAtt']?.[0];
}

function getAttOf(value: Json): string | undefined {
  return value?.['Fn::GetAtt']?.[0] ?? value?.Ref;
}

function serviceOf(name: Json): string {
  // com.amazonaws.<region>.<service>; the service may hold dots itself (sagemaker.runtime).
  if (typeof name === 'string') return /^[a-z.-]*amazonaws\.[a-z0-9-]+\.(.+)$/.exec(name)?.[1] ?? name;
  const text = JSON.stringify(name ?? '');
  const m = /\.([a-z0-9.-]+)"?\]*\}*"?$/.exec(text.replace(/\\"/g, ''));
  return m ? m[1] : 'service';
}

// Runs per hour of a Model Monitor cron: hourly, every n hours (a step in the hours field) or daily.
function runsPerHourOf(expression: unknown): number {
  const hours = typeof expression === 'string' ? /^cron\(\d+ (\S+) /.exec(expression)?.[1] : undefined;
  if (hours === undefined) return 0;
  if (hours === '*') return 1;
  const step = /^(?:\*|\d+)\/(\d+)$/.exec(hours)?.[1];
  if (step !== undefined) return Number(step) > 0 ? 1 / Number(step) : 0;
  return /^\d+$/.test(hours) ? 1 / 24 : 0;
}
