import { CfnOutput, Duration, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  BuiltInImage, CaptureMode, DataCaptureDestination, InferenceEndpoint, ModelImage, PrivateNetwork, Profile, TrafficRouting,
} from '../../lib';
import { ModelArtifacts, ModelArtifactsProps } from './model-artifacts';

/** Props of {@link RealtimeEndpointExample}. */
export interface RealtimeEndpointExampleProps extends StackProps, ModelArtifactsProps {}

/**
 * Built-in XGBoost behind a real-time endpoint in a VPC with no internet route: KMS everywhere,
 * network isolation, data capture to S3, autoscaling, and blue/green updates that roll back on
 * its alarms in production (study guide tasks 4.1–4.4).
 */
export class RealtimeEndpointExample extends Stack {
  /** The endpoint. */
  public readonly endpoint: InferenceEndpoint;

  constructor(scope: Construct, id: string, props: RealtimeEndpointExampleProps = {}) {
    super(scope, id, { description: 'cdk-ml-reference: VPC-only real-time XGBoost endpoint with data capture, autoscaling and guardrails', ...props });
    const artifacts = new ModelArtifacts(this, 'Artifacts', props);
    const network = new PrivateNetwork(this, 'Network');
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
      dataCapture: {
        destination: DataCaptureDestination.fromBucket(artifacts.bucket, 'data-capture'),
        captureMode: CaptureMode.INPUT_AND_OUTPUT,
      },
      // A canary may be at most half the new fleet: production's two instances shift a 20 % canary,
      // the lab's single instance takes the profile's all-at-once default.
      deployment: Profile.of(this).isLab ? undefined : { trafficRouting: TrafficRouting.canary(20, Duration.minutes(5)) },
    });
    new CfnOutput(this, 'EndpointName', { value: this.endpoint.endpointName });
    new CfnOutput(this, 'DataBucketName', { value: artifacts.bucket.bucketName, description: 'Captured requests and responses under data-capture/' });
  }
}
