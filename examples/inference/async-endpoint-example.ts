import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { BuiltInImage, InferenceEndpoint, ModelImage, PrivateNetwork } from '../../lib';
import { ModelArtifacts, ModelArtifactsProps } from './model-artifacts';

/** Props of {@link AsyncEndpointExample}. */
export interface AsyncEndpointExampleProps extends StackProps, ModelArtifactsProps {}

/**
 * XGBoost behind an asynchronous endpoint: requests are queued from S3, results and failures land
 * in S3 under the customer managed key, SNS topics (encrypted) report each outcome, and the fleet
 * scales on its backlog down to zero instances when the queue is empty (study guide task 4.2:
 * large payloads, long processing, no idle cost).
 */
export class AsyncEndpointExample extends Stack {
  /** The endpoint. */
  public readonly endpoint: InferenceEndpoint;

  constructor(scope: Construct, id: string, props: AsyncEndpointExampleProps = {}) {
    super(scope, id, { description: 'cdk-ml-reference: asynchronous XGBoost endpoint that scales to zero', ...props });
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
      }],
      asyncInference: {
        bucket: artifacts.bucket,
        outputPrefix: 'async-inference/output',
        failurePrefix: 'async-inference/failures',
        maxConcurrentInvocationsPerInstance: 4,
        autoScaling: { minCapacity: 0, targetBacklogPerInstance: 5 },
      },
    });
    new CfnOutput(this, 'EndpointName', { value: this.endpoint.endpointName });
    new CfnOutput(this, 'DataBucketName', { value: artifacts.bucket.bucketName, description: 'Put requests anywhere you may write; results under async-inference/output/' });
    new CfnOutput(this, 'SuccessTopicArn', { value: this.endpoint.asyncInference!.successTopic.topicArn });
    new CfnOutput(this, 'ErrorTopicArn', { value: this.endpoint.asyncInference!.errorTopic.topicArn });
  }
}
