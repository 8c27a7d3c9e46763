import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { BuiltInImage, DataCaptureDestination, InferenceEndpoint, ModelImage, PrivateNetwork, Profile, TrafficRouting } from '../../lib';
import { ModelArtifacts, ModelArtifactsProps } from './model-artifacts';

/** Context key of the challenger's artifact, `s3://bucket/key`. */
export const CHALLENGER_MODEL_DATA_URI_CONTEXT = 'challengerModelDataUri';

/** Props of {@link AbTestingEndpointExample}. */
export interface AbTestingEndpointExampleProps extends StackProps, ModelArtifactsProps {}

/**
 * Two models behind one endpoint, 80 % of traffic to the champion and 20 % to the challenger,
 * each variant with its own metrics, alarms and autoscaling (study guide task 4.4: perform A/B testing).
 */
export class AbTestingEndpointExample extends Stack {
  /** The endpoint. */
  public readonly endpoint: InferenceEndpoint;

  constructor(scope: Construct, id: string, props: AbTestingEndpointExampleProps = {}) {
    super(scope, id, { description: 'cdk-ml-reference: A/B test of two XGBoost models at 80/20 on one endpoint', ...props });
    const artifacts = new ModelArtifacts(this, 'Artifacts', props);
    const network = new PrivateNetwork(this, 'Network');
    const image = ModelImage.fromBuiltIn(BuiltInImage.xgboost());
    this.endpoint = new InferenceEndpoint(this, 'Endpoint', {
      vpc: network.vpc,
      vpcSubnets: network.workloadSubnets,
      encryptionKey: artifacts.key,
      dataCapture: { destination: DataCaptureDestination.fromBucket(artifacts.bucket, 'data-capture') },
      // Linear steps may be at most half the new fleet: production's two instances per variant shift
      // in 50 % steps, the lab's single instances take the profile's all-at-once default.
      deployment: Profile.of(this).isLab ? undefined : { trafficRouting: TrafficRouting.linear(50) },
    });
    this.endpoint.addVariant({ variantName: 'Champion', image, modelData: artifacts.modelData(), initialWeight: 80 });
    this.endpoint.addVariant({
      variantName: 'Challenger',
      image,
      // The committed artifact unless -c challengerModelDataUri=s3://… names the model under test.
      modelData: artifacts.modelData(CHALLENGER_MODEL_DATA_URI_CONTEXT),
      initialWeight: 20,
    });
    new CfnOutput(this, 'EndpointName', { value: this.endpoint.endpointName });
    new CfnOutput(this, 'DataBucketName', { value: artifacts.bucket.bucketName, description: 'Captured requests and responses under data-capture/' });
  }
}
