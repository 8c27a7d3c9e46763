import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/**
 * The small contracts through which `MlOpsDashboard` reads each part of the pipeline: `metric*`
 * methods and alarms the constructs already offer, never their internals. Any construct (ours or a
 * team's own) that has these members can be put on the dashboard.
 */

/** Streaming ingestion: Kinesis and Firehose health (StreamingIngestion). */
export interface IIngestionMetrics {
  /** Age of the oldest record not yet read (ms). */
  metricIteratorAge(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Writes throttled by the stream. */
  metricWriteThrottles(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Age of the oldest record not yet delivered to S3 (s). */
  metricDeliveryFreshness(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Share of successful S3 deliveries. */
  metricDeliverySuccess(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** The ingestion's alarms. */
  readonly alarms: cloudwatch.IAlarm[];
}

/** A batch ETL job (EtlJob). */
export interface IEtlMetrics {
  /** Failed runs. */
  metricFailedRuns(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Run duration. */
  metricElapsedTime(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Fires on a failed run; undefined when the job has no alarm (EtlJob creates one with `alarmTopic`). */
  readonly failureAlarm?: cloudwatch.IAlarm;
}

/** A training pipeline (TrainingPipeline: Step Functions execution metrics). */
export interface ITrainingPipelineMetrics {
  /** Executions started. */
  metricExecutionStarted(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Executions failed. */
  metricExecutionFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Execution duration. */
  metricExecutionDuration(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** The pipeline's alarms (e.g. failed executions). */
  readonly alarms: cloudwatch.IAlarm[];
}

/** Metric options with the variant to read (an endpoint's metrics are per variant). */
export interface VariantMetricOptions extends cloudwatch.MetricOptions {
  /**
   * The variant.
   * @default - the first variant
   */
  readonly variantName?: string;
}

/** A real-time endpoint (InferenceEndpoint). */
export interface IEndpointMetrics {
  /** The endpoint's name. */
  readonly endpointName: string;
  /** Requests. */
  metricInvocations(options?: VariantMetricOptions): cloudwatch.Metric;
  /** Model latency (µs). */
  metricModelLatency(options?: VariantMetricOptions): cloudwatch.Metric;
  /** 4XX answers. */
  metricInvocation4xxErrors(options?: VariantMetricOptions): cloudwatch.Metric;
  /** 5XX answers. */
  metricInvocation5xxErrors(options?: VariantMetricOptions): cloudwatch.Metric;
  /** CPU of the instances. */
  metricCpuUtilization(options?: VariantMetricOptions): cloudwatch.Metric;
  /** Memory of the instances. */
  metricMemoryUtilization(options?: VariantMetricOptions): cloudwatch.Metric;
  /** The endpoint's alarms. */
  readonly alarms: cloudwatch.IAlarm[];
}

/** Metric options for one feature of a monitored model. */
export interface FeatureMetricOptions extends cloudwatch.MetricOptions {
  /** The feature (column) name. */
  readonly feature: string;
}

/** A model monitor (ModelMonitor). */
export interface IMonitorMetrics {
  /** Features with a drift metric. */
  readonly features: string[];
  /** `feature_baseline_drift_<feature>`. */
  metricFeatureDrift(options: FeatureMetricOptions): cloudwatch.Metric;
  /** Fires when any feature drifted. */
  readonly driftAlarm: cloudwatch.IAlarm;
  /** Fires when model quality fell; undefined without model-quality monitoring. */
  readonly modelQualityAlarm?: cloudwatch.IAlarm;
}

/** An HTTP front door (InferenceApi). */
export interface IApiMetrics {
  /** Requests. */
  metricCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** 4XX answers. */
  metricClientError(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** 5XX answers. */
  metricServerError(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** End-to-end latency (ms). */
  metricLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** The API's alarms. */
  readonly alarms: cloudwatch.IAlarm[];
}
