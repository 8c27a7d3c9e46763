import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import {
  IApiMetrics, IEndpointMetrics, IEtlMetrics, IIngestionMetrics, ITrainingPipelineMetrics, MlOpsDashboard, MlOpsDashboardProps,
} from '../../lib';
import { CostEstimator } from '../../lib/ops/cost-estimator';
import { PriceTable } from '../../lib/ops/cost-estimator-prices';
import { LabGuard } from '../../lib/ops/lab-guard';
import { ROOT, testApp } from '../support/app';
import { rejectionOf } from '../support/rejection';
import { testStack } from '../support/stack';

// Tests written for mutants StrykerJS found alive in lib/ops (MUTATE=lib/ops npm run mutate); each
// names the behaviour it pins. Literal documented values (aws-facts.md §5, docs/LAB.md), not values
// read back from the code under test.

const estimator = new CostEstimator();

describe('price table', () => {
  test('each price is per the unit aws-facts.md §5 gives it', () => {
    const byId = Object.fromEntries(PriceTable.usEast1().facts.map((f) => [f.id, [f.usd, f.unit]]));
    expect(byId).toEqual({
      'sagemaker:ml.t2.medium': [0.056, 'hour'],
      'sagemaker:ml.t3.medium': [0.05, 'hour'],
      'sagemaker:ml.m5.large': [0.115, 'hour'],
      'sagemaker:ml.c5.large': [0.102, 'hour'],
      'sagemaker:ml.m5.xlarge': [0.23, 'hour'],
      'sagemaker:ml.c5.xlarge': [0.204, 'hour'],
      'sagemaker:serverless-gb-second': [0.00002, 'GB-second'],
      'sagemaker:serverless-gb-processed': [0.016, 'GB'],
      'kinesis:shard-hour': [0.015, 'shard-hour'],
      'kinesis:put-million': [0.014, 'million units'],
      'kinesis:on-demand-stream-hour': [0.04, 'stream-hour'],
      'firehose:gb': [0.029, 'GB'],
      'firehose:conversion-gb': [0.018, 'GB'],
      'glue:dpu-hour': [0.44, 'DPU-hour'],
      'nat:hour': [0.045, 'hour'],
      'vpce:az-hour': [0.01, 'AZ-hour'],
      'kms:key-month': [1, 'key-month'],
      'kms:10k-requests': [0.03, '10,000 requests'],
      's3:gb-month': [0.023, 'GB-month'],
      'cloudwatch:alarm-month': [0.1, 'alarm-month'],
      'athena:tb': [5, 'TB'],
    });
  });

  test('every price names what it prices, each item differently', () => {
    const items = PriceTable.usEast1().facts.map((f) => f.item);
    expect(items.filter((i) => i.trim() === '')).toEqual([]);
    expect(new Set(items).size).toBe(items.length);
  });

  test('hasInstance: true for a priced SageMaker instance type, false for an unpriced one or a bare EC2 name', () => {
    const p = PriceTable.usEast1();
    expect([p.hasInstance('ml.c5.large'), p.hasInstance('ml.t2.medium')]).toEqual([true, true]);
    expect([p.hasInstance('ml.p5.48xlarge'), p.hasInstance('c5.large'), p.hasInstance('kinesis:shard-hour')]).toEqual([false, false, false]);
  });
});

describe('idle cost: edges of the template reading', () => {
  test('an endpoint whose config is not in the template (another stack\'s) costs nothing here, and does not throw', () => {
    const idle = estimator.idleCost('T', { Resources: {
      Ep: { Type: 'AWS::SageMaker::Endpoint', Properties: { EndpointConfigName: 'config-of-another-stack' } },
    } });
    expect(idle.lines).toEqual([]);
    expect(idle.usdPerHour).toBe(0);
  });

  const monitored = (expression: string) => ({ Resources: {
    Def: { Type: 'AWS::SageMaker::ModelQualityJobDefinition', Properties: { JobResources: { ClusterConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1 } } } },
    Mon: { Type: 'AWS::SageMaker::MonitoringSchedule', Properties: { MonitoringScheduleConfig: {
      MonitoringJobDefinitionName: { 'Fn::GetAtt': ['Def', 'JobDefinitionName'] }, ScheduleConfig: { ScheduleExpression: expression } } } },
  } });

  test('a daily monitoring schedule (hour 12) is priced as 1/24 run per hour', () => {
    const idle = estimator.idleCost('T', monitored('cron(0 12 ? * * *)'));
    expect(idle.lines).toEqual([{
      item: 'monitoring job ml.m5.large × 1 (Mon)', usd: expect.closeTo(0.115 * 10 / 60 / 24, 12), basis: '0.04 run/h × 10 min (assumed) × $0.115/h',
    }]);
  });

  test('an hourly schedule runs once an hour, one every n hours (*/n or h/n) 1/n times', () => {
    const runs = (expression: string) => estimator.idleCost('T', monitored(expression)).lines.map((l) => l.basis);
    expect({
      hourly: runs('cron(0 * ? * * *)'),
      every12: runs('cron(0 */12 ? * * *)'),
      every6From3: runs('cron(0 3/6 ? * * *)'),
      zeroStep: runs('cron(0 */0 ? * * *)'),
      hourList: runs('cron(0 1,13 ? * * *)'),
    }).toEqual({
      hourly: ['1 run/h × 10 min (assumed) × $0.115/h'],
      every12: ['0.08 run/h × 10 min (assumed) × $0.115/h'],
      every6From3: ['0.17 run/h × 10 min (assumed) × $0.115/h'],
      zeroStep: [],
      hourList: [],
    });
  });

  test('a one-time (NOW) monitoring schedule has no idle cost line', () => {
    expect(estimator.idleCost('T', monitored('NOW')).lines).toEqual([]);
  });

  test('an interface endpoint is listed by its service, whether the name is joined with the region, literal or a parameter', () => {
    const item = (ServiceName: unknown) => estimator.idleCost('T', { Resources: {
      If: { Type: 'AWS::EC2::VPCEndpoint', Properties: { VpcEndpointType: 'Interface', SubnetIds: ['a', 'b'], ServiceName } },
    } }).lines.map((l) => l.item);
    expect(item({ 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.logs']] })).toEqual(['interface endpoint logs (If)']);
    expect(item('com.amazonaws.us-east-1.logs')).toEqual(['interface endpoint logs (If)']);
    expect(item('com.amazonaws.eu-west-1.sagemaker.runtime')).toEqual(['interface endpoint sagemaker.runtime (If)']);
    expect(item({ Ref: 'EndpointServiceName' })).toEqual(['interface endpoint service (If)']);
  });

  test('the estimate says which usage-priced services it leaves out', () => {
    const notCounted = estimator.idleCost('T', {}).notCounted;
    expect(notCounted).toEqual(expect.arrayContaining([expect.stringMatching(/^S3 storage and requests/)]));
    const perUse = notCounted.find((n) => /^Glue job and crawler runs/.test(n));
    for (const service of ['Athena', 'Firehose', 'Kinesis PUT', 'SageMaker jobs']) expect(perUse).toContain(service);
  });
});

describe('exercises', () => {
  test('ids are the numbered sections of docs/LAB.md, in order, and each title is its section\'s title', () => {
    const lab = fs.readFileSync(path.join(ROOT, 'docs', 'LAB.md'), 'utf8');
    const sections = [...lab.matchAll(/^## \d+\. (.+) \(`([a-z]+)`\)$/gm)].map((m) => ({ id: m[2], title: m[1] }));
    expect(sections).toHaveLength(15);
    const exercises = estimator.exercises({}, {});
    expect(exercises.map((e) => e.id)).toEqual(sections.map((s) => s.id));
    expect(exercises.map((e) => e.title)).toEqual(sections.map((s) => s.title));
  });

  test('the A/B shift prices a challenger of the serving stack\'s instance type', () => {
    const serving = { Resources: {
      Model: { Type: 'AWS::SageMaker::Model', Properties: {} },
      Cfg: { Type: 'AWS::SageMaker::EndpointConfig', Properties: { ProductionVariants: [{ VariantName: 'Champion', InstanceType: 'ml.m5.xlarge' }] } },
    } };
    const shift = estimator.exercises({}, serving).find((e) => e.id === 'shift')!;
    expect(shift.lines).toEqual([{ item: 'challenger ml.m5.xlarge × 15 min', usd: expect.closeTo(0.23 * 15 / 60, 12), basis: '$0.23/h while it runs' }]);
  });

  test('without an endpoint config in the serving template the shift assumes ml.c5.large', () => {
    const shift = estimator.exercises({}, {}).find((e) => e.id === 'shift')!;
    expect(shift.lines).toEqual([{ item: 'challenger ml.c5.large × 15 min', usd: expect.closeTo(0.102 * 15 / 60, 12), basis: '$0.102/h while it runs' }]);
  });
});

describe('which option? bases', () => {
  test('each per-1,000 figure says how it is computed (default workload)', () => {
    expect(estimator.inferenceOptions().map((o) => o.basis)).toEqual([
      '1 × ml.c5.large at $0.102/h serving 3,600 requests/h',
      '2048 MB × 20 ms at $0.00002/GB-s + 200 B at $0.016/GB, per request',
      'same instance as real-time while requests are queued; scales to 0 instances between bursts',
      'one job of 10,000 rows on ml.c5.large, 7 min billed',
    ]);
  });
});

describe('LabGuard', () => {
  function guarded(context: Record<string, unknown> = {}, props: ConstructorParameters<typeof LabGuard>[2] = {}) {
    const stack = new Stack(testApp({ profile: 'lab', context }), 'Lab');
    const guard = new LabGuard(stack, 'Guard', props);
    return { guard, template: Template.fromStack(stack) };
  }

  test('a budget from context with two or more integer digits (as the CLI passes it) is read as a number', () => {
    expect(guarded({ labBudgetUsd: '12.50' }).guard.monthlyBudgetUsd).toBe(12.5);
    expect(guarded({ labBudgetUsd: '250' }).guard.monthlyBudgetUsd).toBe(250);
  });

  test('budget and threshold rejections state the allowed range with its unit', () => {
    expect(rejectionOf(() => guarded({}, { monthlyBudgetUsd: 0.009 })).allowed).toBe('a number from 0.01 to 1000 USD');
    expect(rejectionOf(() => guarded({}, { actualThresholdPercent: 0 })).allowed).toBe('a number from 1 to 1000 %');
    expect(rejectionOf(() => guarded({}, { forecastThresholdPercent: 1001 })).allowed).toBe('a number from 1 to 1000 %');
  });

  test('the topic key and the scheduler policy describe what they are for, naming the stack', () => {
    const { template } = guarded({ labExpiresAt: '2026-12-01T18:00:00Z' });
    template.hasResourceProperties('AWS::KMS::Key', { Description: 'Budget notifications of Lab' });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', { Description: 'DeleteStack on Lab only' });
  });
});

describe('MlOpsDashboard sections', () => {
  const metric = (namespace: string, name: string) => (props: cloudwatch.MetricOptions = {}) => new cloudwatch.Metric({ namespace, metricName: name, ...props });

  class Pipeline extends Construct implements IIngestionMetrics, IEtlMetrics, ITrainingPipelineMetrics {
    public readonly metricIteratorAge = metric('AWS/Kinesis', 'GetRecords.IteratorAgeMilliseconds');
    public readonly metricWriteThrottles = metric('AWS/Kinesis', 'WriteProvisionedThroughputExceeded');
    public readonly metricDeliveryFreshness = metric('AWS/Firehose', 'DeliveryToS3.DataFreshness');
    public readonly metricDeliverySuccess = metric('AWS/Firehose', 'DeliveryToS3.Success');
    public readonly metricFailedRuns = metric('Glue', 'glue.driver.aggregate.numFailedTasks');
    public readonly metricElapsedTime = metric('Glue', 'glue.driver.aggregate.elapsedTime');
    public readonly metricExecutionStarted = metric('AWS/States', 'ExecutionsStarted');
    public readonly metricExecutionFailed = metric('AWS/States', 'ExecutionsFailed');
    public readonly metricExecutionDuration = metric('AWS/States', 'ExecutionTime');
    public readonly alarms: cloudwatch.IAlarm[] = [];
  }

  class Serving extends Construct implements IEndpointMetrics, IApiMetrics {
    public readonly endpointName = 'churn';
    public readonly metricInvocations = metric('AWS/SageMaker', 'Invocations');
    public readonly metricModelLatency = metric('AWS/SageMaker', 'ModelLatency');
    public readonly metricInvocation4xxErrors = metric('AWS/SageMaker', 'Invocation4XXErrors');
    public readonly metricInvocation5xxErrors = metric('AWS/SageMaker', 'Invocation5XXErrors');
    public readonly metricCpuUtilization = metric('/aws/sagemaker/Endpoints', 'CPUUtilization');
    public readonly metricMemoryUtilization = metric('/aws/sagemaker/Endpoints', 'MemoryUtilization');
    public readonly metricCount = metric('AWS/ApiGateway', 'Count');
    public readonly metricClientError = metric('AWS/ApiGateway', '4XXError');
    public readonly metricServerError = metric('AWS/ApiGateway', '5XXError');
    public readonly metricLatency = metric('AWS/ApiGateway', 'Latency');
    public readonly alarms: cloudwatch.IAlarm[] = [];
  }

  interface Widget { type: string; properties: { title?: string; markdown?: string; metrics?: unknown[][] } }

  /** The dashboard body's widgets; tokens inside strings become "TOKEN". */
  function widgetsOf(stack: Stack): Widget[] {
    const [dashboard] = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard'));
    const body = dashboard.Properties.DashboardBody;
    const text = typeof body === 'string' ? body : (body['Fn::Join'][1] as unknown[]).map((p) => (typeof p === 'string' ? p : 'TOKEN')).join('');
    return JSON.parse(text).widgets;
  }

  let widgets: Widget[];
  beforeAll(() => {
    const stack = testStack('lab');
    const pipeline = new Pipeline(stack, 'Pipeline');
    const serving = new Serving(stack, 'Serving');
    // A plain object (no construct node) is labelled by its position in its list.
    const plainEtl: IEtlMetrics = { metricFailedRuns: pipeline.metricFailedRuns, metricElapsedTime: pipeline.metricElapsedTime };
    new MlOpsDashboard(stack, 'Dash', { ingestion: [pipeline], etlJobs: [pipeline, plainEtl], trainingPipelines: [pipeline], endpoints: [serving], apis: [serving] });
    widgets = widgetsOf(stack);
  });

  test('headers name each source by its construct path, or by its position when it has none', () => {
    expect(widgets.filter((w) => w.type === 'text').map((w) => w.properties.markdown)).toEqual([
      '## Ingestion Test/Pipeline', '## ETL Test/Pipeline', '## ETL #2', '## Training Test/Pipeline', '## Endpoint churn', '## API Test/Serving',
    ]);
  });

  test('graph titles of every section, in order', () => {
    expect(widgets.filter((w) => w.type === 'metric').map((w) => w.properties.title)).toEqual([
      'Iterator age (ms)', 'Write throttles', 'Delivery freshness (s) / success',
      'Failed runs', 'Duration (ms)', 'Failed runs', 'Duration (ms)',
      'Executions started / failed', 'Execution duration',
      'Invocations / 4XX / 5XX', 'Model latency (µs, p90)', 'CPU / memory (%)',
      'Requests / 4XX / 5XX', 'Latency (ms, p90)',
    ]);
  });

  test('model latency and API latency are drawn as p90; the API graph shows requests, 4XX and 5XX', () => {
    const metricsOf = (title: string) => widgets.find((w) => w.properties.title === title)!.properties.metrics;
    expect(metricsOf('Model latency (µs, p90)')).toEqual([['AWS/SageMaker', 'ModelLatency', { stat: 'p90' }]]);
    expect(metricsOf('Latency (ms, p90)')).toEqual([['AWS/ApiGateway', 'Latency', { stat: 'p90' }]]);
    expect(metricsOf('Requests / 4XX / 5XX')).toEqual([
      ['AWS/ApiGateway', 'Count'], ['AWS/ApiGateway', '4XXError', { yAxis: 'right' }], ['AWS/ApiGateway', '5XXError', { yAxis: 'right' }],
    ]);
  });

  describe('rejections name the list entry that lacks metric methods', () => {
    const build = (props: unknown) => new MlOpsDashboard(testStack(), 'Dash', props as MlOpsDashboardProps);
    const entries = (stack: Stack) => ({ pipeline: new Pipeline(stack, 'P'), serving: new Serving(stack, 'S') });

    test('ingestion, training pipelines and APIs, by index', () => {
      const { pipeline, serving } = entries(testStack());
      expect(rejectionOf(() => build({ ingestion: [pipeline, {}] })).prop).toBe('ingestion[1]');
      expect(rejectionOf(() => build({ trainingPipelines: [{}] })).prop).toBe('trainingPipelines[0]');
      const e = rejectionOf(() => build({ apis: [serving, { metricCount: serving.metricCount }] }));
      expect(e.prop).toBe('apis[1]');
      expect(e.allowed).toBe('a construct with metricCount, metricClientError, metricServerError, metricLatency (missing metricClientError, metricServerError, metricLatency)');
    });

    test('at most 100 alarms in all: 100 are watched, 101 are rejected under "sources"', () => {
      const withAlarms = (n: number) => {
        const stack = testStack();
        const pipeline = new Pipeline(stack, 'P');
        const alarms = Array.from({ length: n }, (_, k) => cloudwatch.Alarm.fromAlarmArn(stack, `A${k}`, `arn:aws:cloudwatch:us-east-1:111122223333:alarm:a${k}`));
        return () => new MlOpsDashboard(stack, 'Dash', { trainingPipelines: [{ ...pipeline, alarms }] });
      };
      expect(withAlarms(100)().watchedAlarms).toHaveLength(100);
      const e = rejectionOf(withAlarms(101));
      expect(e.message).toBe('[Test/Dash] invalid sources: got "101 alarms"; allowed: at most 100 alarms in all (a composite alarm rule limit)');
    });
  });
});
