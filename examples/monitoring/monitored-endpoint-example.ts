import { CfnOutput, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  BuiltInImage, CaptureMode, DataCaptureDestination, InferenceEndpoint, MlOpsDashboard, ModelImage, ModelMonitor, MonitoringBaseline,
  PrivateNetwork, Profile, TrafficRouting,
} from '../../lib';
import { invalidProp } from '../../lib/core/validation';
import { ModelArtifacts, ModelArtifactsProps } from '../inference/model-artifacts';

/** Context key of the baseline location: `s3://bucket/prefix` holding statistics.json and constraints.json. */
export const BASELINE_URI_CONTEXT = 'baselineUri';
/** Where the baseline is by default: this prefix of the example's own bucket, where the lab uploads it. */
export const DEFAULT_BASELINE_PREFIX = 'baselines/churn-xgboost';

/** Props of {@link MonitoredEndpointExample}. */
export interface MonitoredEndpointExampleProps extends StackProps, ModelArtifactsProps {
  /**
   * `s3://bucket/prefix` of the data-quality baseline (e.g. the TrainingPipeline's baseline step output).
   * @default - context `baselineUri`, else `s3://<the stack's bucket>/baselines/churn-xgboost`
   */
  readonly baselineUri?: string;
}

/**
 * A real-time endpoint with data capture, Model Monitor data-quality checks against the training
 * baseline (hourly; in the lab also one run at deploy), drift alarms per feature, failures and
 * violations to an encrypted topic, and one operations dashboard (study guide tasks 4.1, 4.4).
 */
export class MonitoredEndpointExample extends Stack {
  /** The endpoint. */
  public readonly endpoint: InferenceEndpoint;
  /** The monitor. */
  public readonly monitor: ModelMonitor;
  /** The dashboard. */
  public readonly dashboard: MlOpsDashboard;

  constructor(scope: Construct, id: string, props: MonitoredEndpointExampleProps = {}) {
    super(scope, id, { description: 'cdk-ml-reference: real-time endpoint with Model Monitor data quality, drift alarms and an MLOps dashboard', ...props });
    const artifacts = new ModelArtifacts(this, 'Artifacts', props);
    const network = new PrivateNetwork(this, 'Network');
    const capture = DataCaptureDestination.fromBucket(artifacts.bucket, 'data-capture');
    this.endpoint = new InferenceEndpoint(this, 'Endpoint', {
      vpc: network.vpc,
      vpcSubnets: network.workloadSubnets,
      networkIsolation: true,
      encryptionKey: artifacts.key,
      variants: [{
        variantName: 'AllTraffic',
        image: ModelImage.fromBuiltIn(BuiltInImage.xgboost()),
        modelData: artifacts.modelData(),
        modelDataDownloadTimeout: Duration.minutes(10),
        containerStartupHealthCheckTimeout: Duration.minutes(10),
      }],
      dataCapture: { destination: capture, captureMode: CaptureMode.INPUT_AND_OUTPUT },
      deployment: Profile.of(this).isLab ? undefined : { trafficRouting: TrafficRouting.canary(20, Duration.minutes(5)) },
    });

    this.monitor = new ModelMonitor(this, 'Monitor', {
      endpoint: this.endpoint,
      captureDestination: capture,
      baseline: this.baseline(artifacts, props.baselineUri),
      outputBucket: artifacts.bucket,
      outputPrefix: 'model-monitor',
      vpc: network.vpc,
      vpcSubnets: network.workloadSubnets,
      encryptionKey: artifacts.key,
    });

    this.dashboard = new MlOpsDashboard(this, 'Dashboard', {
      endpoints: [this.endpoint],
      monitors: [this.monitor],
    });

    new CfnOutput(this, 'EndpointName', { value: this.endpoint.endpointName });
    new CfnOutput(this, 'ScheduleName', { value: this.monitor.scheduleName });
    new CfnOutput(this, 'ReportsLocation', { value: this.monitor.outputUri, description: 'constraint_violations.json of each run lands under here' });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitor.alarmTopic.topicArn });
  }

  private baseline(artifacts: ModelArtifacts, prop?: string): MonitoringBaseline {
    const uri: unknown = prop ?? this.node.tryGetContext(BASELINE_URI_CONTEXT);
    if (uri === undefined) return MonitoringBaseline.fromBucket(artifacts.bucket, DEFAULT_BASELINE_PREFIX, artifacts.key);
    const match = typeof uri === 'string' ? /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.+?)\/?$/.exec(uri) : null;
    if (!match) return invalidProp(this, BASELINE_URI_CONTEXT, uri, 's3://<bucket>/<prefix holding statistics.json and constraints.json>');
    return MonitoringBaseline.fromBucket(s3.Bucket.fromBucketName(this, 'BaselineBucket', match[1]), match[2]);
  }
}
