import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import {
  IEtlMetrics, IIngestionMetrics, ITrainingPipelineMetrics, MlOpsDashboard, MlOpsDashboardProps,
} from '../../lib';
import { MonitoredEndpointExample } from '../../examples/monitoring/monitored-endpoint-example';
import { testApp } from '../support/app';
import { rejectionOf } from '../support/rejection';
import { testStack } from '../support/stack';

const metric = (namespace: string, name: string) => (props: cloudwatch.MetricOptions = {}) => new cloudwatch.Metric({ namespace, metricName: name, ...props });

/** A source with the members of the interfaces, and one alarm, as a team's own construct would be. */
class FakeSource extends Construct implements IIngestionMetrics, IEtlMetrics, ITrainingPipelineMetrics {
  public readonly metricIteratorAge = metric('AWS/Kinesis', 'GetRecords.IteratorAgeMilliseconds');
  public readonly metricWriteThrottles = metric('AWS/Kinesis', 'WriteProvisionedThroughputExceeded');
  public readonly metricDeliveryFreshness = metric('AWS/Firehose', 'DeliveryToS3.DataFreshness');
  public readonly metricDeliverySuccess = metric('AWS/Firehose', 'DeliveryToS3.Success');
  public readonly metricFailedRuns = metric('Glue', 'glue.driver.aggregate.numFailedTasks');
  public readonly metricElapsedTime = metric('Glue', 'glue.driver.aggregate.elapsedTime');
  public readonly metricExecutionStarted = metric('AWS/Sagemaker/ModelBuildingPipeline', 'ExecutionStarted');
  public readonly metricExecutionFailed = metric('AWS/Sagemaker/ModelBuildingPipeline', 'ExecutionFailed');
  public readonly metricExecutionDuration = metric('AWS/Sagemaker/ModelBuildingPipeline', 'ExecutionDuration');
  public readonly failureAlarm: cloudwatch.Alarm;
  public readonly alarms: cloudwatch.IAlarm[];
  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.failureAlarm = this.metricFailedRuns().createAlarm(this, 'Alarm', { threshold: 1, evaluationPeriods: 1 });
    this.alarms = [this.failureAlarm];
  }
}

describe('MlOpsDashboard on the monitored endpoint example', () => {
  const stack = new MonitoredEndpointExample(testApp({ profile: 'lab' }), 'Monitored');
  const t = Template.fromStack(stack);
  const body = JSON.stringify(stack.resolve(t.findResources('AWS::CloudWatch::Dashboard')));

  test('draws the endpoint (invocations, 4XX/5XX, latency, CPU, memory) and every feature\'s drift', () => {
    for (const name of ['Invocations', 'Invocation4XXErrors', 'Invocation5XXErrors', 'ModelLatency', 'CPUUtilization', 'MemoryUtilization']) expect(body).toContain(name);
    for (const feature of stack.monitor.features) expect(body).toContain(`feature_baseline_drift_${feature}`);
    expect(body).toContain('aws/sagemaker/Endpoints/data-metrics');
  });

  test('one composite "ML system health" alarm over the endpoint\'s alarms and the drift alarm', () => {
    const composites = t.findResources('AWS::CloudWatch::CompositeAlarm', { Properties: { AlarmDescription: Match.stringLikeRegexp('^ML system health') } });
    expect(Object.keys(composites)).toHaveLength(1);
    const rule = JSON.stringify(Object.values(composites)[0].Properties.AlarmRule);
    expect(stack.dashboard.watchedAlarms).toEqual([...stack.endpoint.alarms, stack.monitor.driftAlarm]);
    expect((rule.match(/ALARM\(/g) ?? []).length).toBe(stack.dashboard.watchedAlarms.length);
  });
});

describe('MlOpsDashboard with any subset', () => {
  test('ingestion, ETL and training sections from the small interfaces; the alarm topic gets the health alarm', () => {
    const stack = testStack('lab');
    const source = new FakeSource(stack, 'Source');
    const topic = new sns.Topic(stack, 'Topic');
    const d = new MlOpsDashboard(stack, 'Dash', { ingestion: [source], etlJobs: [source], trainingPipelines: [source], alarmTopic: topic, start: Duration.days(7) });
    const t = Template.fromStack(stack);
    const body = JSON.stringify(stack.resolve(t.findResources('AWS::CloudWatch::Dashboard')));
    for (const name of ['GetRecords.IteratorAgeMilliseconds', 'WriteProvisionedThroughputExceeded', 'DeliveryToS3.DataFreshness', 'DeliveryToS3.Success',
      'glue.driver.aggregate.numFailedTasks', 'glue.driver.aggregate.elapsedTime', 'ExecutionStarted', 'ExecutionFailed', 'ExecutionDuration']) {
      expect(body).toContain(name);
    }
    expect(body).toContain('-P7D');
    // One alarm, seen through three interfaces, is watched once.
    expect(d.watchedAlarms).toHaveLength(1);
    t.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', { AlarmActions: [{ Ref: Match.stringLikeRegexp('^Topic') }] });
  });

  test('sources without alarms give a dashboard and no health alarm', () => {
    const stack = testStack();
    const src = new FakeSource(stack, 'Source');
    const noAlarms = { ...src, alarms: [], metricIteratorAge: src.metricIteratorAge, metricWriteThrottles: src.metricWriteThrottles,
      metricDeliveryFreshness: src.metricDeliveryFreshness, metricDeliverySuccess: src.metricDeliverySuccess } as IIngestionMetrics;
    const d = new MlOpsDashboard(stack, 'Dash', { ingestion: [noAlarms] });
    expect(d.healthAlarm).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::CompositeAlarm', 0);
  });

  describe('rejections', () => {
    const build = (props: unknown) => new MlOpsDashboard(testStack(), 'Dash', props as MlOpsDashboardProps);
    test('no source at all', () => {
      expect(rejectionOf(() => build({})).message).toBe('[Test/Dash] invalid props: got "no sources"; allowed: at least one of ingestion, etlJobs, trainingPipelines, endpoints, monitors, apis');
    });
    test('a source given alone instead of in a list', () => {
      const stack = testStack();
      expect(rejectionOf(() => new MlOpsDashboard(stack, 'Dash', { etlJobs: new FakeSource(stack, 'S') } as unknown as MlOpsDashboardProps)).prop).toBe('etlJobs');
    });
    test('a source without the metric methods of its section', () => {
      const e = rejectionOf(() => build({ endpoints: [{ endpointName: 'x' }] }));
      expect(e.prop).toBe('endpoints[0]');
      expect(e.allowed).toContain('missing metricInvocations');
    });
    test('a bad dashboard name and time range', () => {
      const stack = testStack();
      const s = new FakeSource(stack, 'S');
      expect(rejectionOf(() => new MlOpsDashboard(stack, 'D1', { etlJobs: [s], dashboardName: 'has space' })).prop).toBe('dashboardName');
      expect(rejectionOf(() => new MlOpsDashboard(stack, 'D2', { etlJobs: [s], start: Duration.minutes(4) })).prop).toBe('start');
      expect(() => new MlOpsDashboard(stack, 'D3', { etlJobs: [s], start: Duration.minutes(5), dashboardName: 'ml-ops_1' })).not.toThrow();
    });
  });
});
