import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { BuiltInImage, InferenceEndpoint, ModelImage } from '../../lib';
import { ModelArtifacts, ModelArtifactsProps } from './model-artifacts';

/** Props of {@link ServerlessEndpointExample}. */
export interface ServerlessEndpointExampleProps extends StackProps, ModelArtifactsProps {}

/**
 * XGBoost on a serverless endpoint: pay per request, no instances to size, no VPC (serverless
 * does not support one), storage and logs still under the customer managed key (study guide
 * task 4.2: choosing serverless for spiky, low-volume traffic).
 */
export class ServerlessEndpointExample extends Stack {
  /** The endpoint. */
  public readonly endpoint: InferenceEndpoint;

  constructor(scope: Construct, id: string, props: ServerlessEndpointExampleProps = {}) {
    super(scope, id, { description: 'cdk-ml-reference: serverless XGBoost endpoint', ...props });
    const artifacts = new ModelArtifacts(this, 'Artifacts', props);
    this.endpoint = new InferenceEndpoint(this, 'Endpoint', {
      encryptionKey: artifacts.key,
      serverlessVariant: {
        variantName: 'AllTraffic',
        image: ModelImage.fromBuiltIn(BuiltInImage.xgboost()),
        modelData: artifacts.modelData(),
        memorySizeInMb: 2048,
        maxConcurrency: 5,
      },
    });
    new CfnOutput(this, 'EndpointName', { value: this.endpoint.endpointName });
  }
}
