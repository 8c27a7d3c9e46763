import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, IConstruct } from 'constructs';
import {
  IApiMetrics, IEndpointMetrics, IEtlMetrics, IIngestionMetrics, IMonitorMetrics, ITrainingPipelineMetrics,
} from '../core/dashboard-sources';
import { check, checkArray, checkPattern, checkRequired } from '../core/validation';

/** Props of {@link MlOpsDashboard}: any subset of the pipeline. */
export interface MlOpsDashboardProps {
  /**
   * Dashboard name (letters, digits, `-`, `_`; at most 255).
   * @default - a name CloudFormation generates
   */
  readonly dashboardName?: string;
  /**
   * Streaming ingestion (iterator age, throttles, delivery freshness and success).
   * @default - none
   */
  readonly ingestion?: IIngestionMetrics[];
  /**
   * ETL jobs (failures, duration).
   * @default - none
   */
  readonly etlJobs?: IEtlMetrics[];
  /**
   * Training pipelines (executions, failures, duration).
   * @default - none
   */
  readonly trainingPipelines?: ITrainingPipelineMetrics[];
  /**
   * Endpoints (invocations, latency, 4XX/5XX, CPU and memory).
   * @default - none
   */
  readonly endpoints?: IEndpointMetrics[];
  /**
   * Model monitors (drift per feature).
   * @default - none
   */
  readonly monitors?: IMonitorMetrics[];
  /**
   * APIs (requests, 4XX/5XX, latency).
   * @default - none
   */
  readonly apis?: IApiMetrics[];
  /**
   * Where the "ML system health" composite alarm notifies.
   * @default - nobody: the alarm shows state on the dashboard
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * Time range the dashboard opens with.
   * @default Duration.hours(24)
   */
  readonly start?: Duration;
}

/**
 * One CloudWatch dashboard for any subset of the ML system (ingestion, ETL, training, endpoints,
 * monitors, APIs), read through the constructs' `metric*` methods and alarms, plus a composite
 * alarm "ML system health" that is in ALARM when any of their alarms is.
 */
export class MlOpsDashboard extends Construct {
  /** The dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;
  /** ALARM when any alarm of the sources is; undefined when the sources have no alarms. */
  public readonly healthAlarm?: cloudwatch.CompositeAlarm;
  /** The alarms the health alarm watches. */
  public readonly watchedAlarms: cloudwatch.IAlarm[];

  constructor(scope: Construct, id: string, props: MlOpsDashboardProps = {}) {
    super(scope, id);
    const lists = ['ingestion', 'etlJobs', 'trainingPipelines', 'endpoints', 'monitors', 'apis'] as const;
    for (const key of lists) checkArray(this, key, props[key], 'constructs');
    const count = lists.reduce((n, key) => n + (props[key]?.length ?? 0), 0);
    check(this, count > 0, 'props', 'no sources', 'at least one of ingestion, etlJobs, trainingPipelines, endpoints, monitors, apis');
    checkPattern(this, 'dashboardName', props.dashboardName, /^[A-Za-z0-9_-]{1,255}$/, 'letters, digits, "-" and "_", at most 255');
    const start = props.start ?? Duration.hours(24);
    const seconds = start.toSeconds({ integral: false });
    check(this, seconds >= 300 && seconds <= 455 * 86400, 'start', start.toHumanString(), 'from 5 minutes to 455 days');

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: start,
    });
    const alarms: cloudwatch.IAlarm[] = [];
    const graph = (title: string, left: cloudwatch.IMetric[], right: cloudwatch.IMetric[] = []) =>
      new cloudwatch.GraphWidget({ title, left, right, width: 8, height: 6 });
    const header = (text: string) => new cloudwatch.TextWidget({ markdown: `## ${text}`, width: 24, height: 1 });

    (props.ingestion ?? []).forEach((s, i) => {
      required(this, `ingestion[${i}]`, s, ['metricIteratorAge', 'metricWriteThrottles', 'metricDeliveryFreshness', 'metricDeliverySuccess']);
      this.dashboard.addWidgets(header(`Ingestion ${label(s, i)}`));
      this.dashboard.addWidgets(
        graph('Iterator age (ms)', [s.metricIteratorAge()]),
        graph('Write throttles', [s.metricWriteThrottles()]),
        graph('Delivery freshness (s) / success', [s.metricDeliveryFreshness()], [s.metricDeliverySuccess()]),
      );
      alarms.push(...(s.alarms ?? []));
    });
    (props.etlJobs ?? []).forEach((s, i) => {
      required(this, `etlJobs[${i}]`, s, ['metricFailedRuns', 'metricElapsedTime']);
      this.dashboard.addWidgets(header(`ETL ${label(s, i)}`));
      this.dashboard.addWidgets(graph('Failed runs', [s.metricFailedRuns()]), graph('Duration (ms)', [s.metricElapsedTime()]));
      if (s.failureAlarm) alarms.push(s.failureAlarm);
    });
    (props.trainingPipelines ?? []).forEach((s, i) => {
      required(this, `trainingPipelines[${i}]`, s, ['metricExecutionStarted', 'metricExecutionFailed', 'metricExecutionDuration']);
      this.dashboard.addWidgets(header(`Training ${label(s, i)}`));
      this.dashboard.addWidgets(
        graph('Executions started / failed', [s.metricExecutionStarted(), s.metricExecutionFailed()]),
        graph('Execution duration', [s.metricExecutionDuration()]),
      );
      alarms.push(...(s.alarms ?? []));
    });
    (props.endpoints ?? []).forEach((s, i) => {
      required(this, `endpoints[${i}]`, s, ['metricInvocations', 'metricModelLatency', 'metricInvocation4xxErrors', 'metricInvocation5xxErrors',
        'metricCpuUtilization', 'metricMemoryUtilization']);
      this.dashboard.addWidgets(header(`Endpoint ${s.endpointName ?? label(s, i)}`));
      this.dashboard.addWidgets(
        graph('Invocations / 4XX / 5XX', [s.metricInvocations()], [s.metricInvocation4xxErrors(), s.metricInvocation5xxErrors()]),
        graph('Model latency (µs, p90)', [s.metricModelLatency({ statistic: 'p90' })]),
        graph('CPU / memory (%)', [s.metricCpuUtilization(), s.metricMemoryUtilization()]),
      );
      alarms.push(...(s.alarms ?? []));
    });
    (props.monitors ?? []).forEach((s, i) => {
      required(this, `monitors[${i}]`, s, ['metricFeatureDrift']);
      this.dashboard.addWidgets(header(`Model Monitor ${label(s, i)}`));
      this.dashboard.addWidgets(
        new cloudwatch.GraphWidget({
          title: 'Feature drift from baseline (distance)',
          left: s.features.map((feature) => s.metricFeatureDrift({ feature, label: feature })),
          width: 16, height: 6, legendPosition: cloudwatch.LegendPosition.RIGHT,
        }),
        new cloudwatch.AlarmStatusWidget({ title: 'Drift', alarms: [s.driftAlarm], width: 8, height: 6 }),
      );
      // The drift alarm already covers every feature's alarm.
      alarms.push(s.driftAlarm, ...(s.modelQualityAlarm ? [s.modelQualityAlarm] : []));
    });
    (props.apis ?? []).forEach((s, i) => {
      required(this, `apis[${i}]`, s, ['metricCount', 'metricClientError', 'metricServerError', 'metricLatency']);
      this.dashboard.addWidgets(header(`API ${label(s, i)}`));
      this.dashboard.addWidgets(
        graph('Requests / 4XX / 5XX', [s.metricCount()], [s.metricClientError(), s.metricServerError()]),
        graph('Latency (ms, p90)', [s.metricLatency({ statistic: 'p90' })]),
      );
      alarms.push(...(s.alarms ?? []));
    });

    this.watchedAlarms = [...new Set(alarms)];
    if (this.watchedAlarms.length > 0) {
      // A composite alarm takes at most 100 alarms in its rule.
      check(this, this.watchedAlarms.length <= 100, 'sources', `${this.watchedAlarms.length} alarms`, 'at most 100 alarms in all (a composite alarm rule limit)');
      this.healthAlarm = new cloudwatch.CompositeAlarm(this, 'HealthAlarm', {
        alarmDescription: 'ML system health: ALARM when any alarm of ingestion, ETL, training, endpoints, monitors or APIs is',
        alarmRule: cloudwatch.AlarmRule.anyOf(...this.watchedAlarms.map((a) => cloudwatch.AlarmRule.fromAlarm(a, cloudwatch.AlarmState.ALARM))),
      });
      if (props.alarmTopic) this.healthAlarm.addAlarmAction(new cloudwatchActions.SnsAction(props.alarmTopic));
      this.dashboard.addWidgets(header('ML system health'));
      this.dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: 'ML system health', alarms: [this.healthAlarm, ...this.watchedAlarms], width: 24, height: 6 }));
    }
  }
}

function label(source: unknown, i: number): string {
  const node = (source as IConstruct).node;
  return node?.path ?? `#${i + 1}`;
}

/** For callers without a type checker: every source must bring the metric methods its section draws. */
function required(scope: IConstruct, prop: string, source: unknown, methods: string[]): void {
  checkRequired(scope, prop, source, 'a construct');
  const missing = methods.filter((m) => typeof (source as Record<string, unknown>)[m] !== 'function');
  check(scope, missing.length === 0, prop, source, `a construct with ${methods.join(', ')} (missing ${missing.join(', ')})`);
}
