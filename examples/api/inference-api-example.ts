import { CfnOutput, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import {
  BuiltInImage, InferenceApi, InferenceEndpoint, ModelImage, PrivateNetwork, Profile, TrafficRouting,
} from '../../lib';
import { ModelArtifacts, ModelArtifactsProps } from '../inference/model-artifacts';

/** Props of {@link InferenceApiExample}. */
export interface InferenceApiExampleProps extends StackProps, ModelArtifactsProps {}

/**
 * A REST API in front of the churn model's real-time endpoint with no Lambda in between: JSON in
 * (validated against the feature schema), CSV to SageMaker, JSON out; SigV4 callers only, a
 * client role allowed to call it, throttling, JSON access logs, X-Ray, and in production a WAF
 * web ACL (study guide tasks 4.2, 4.4).
 */
export class InferenceApiExample extends Stack {
  /** The endpoint. */
  public readonly endpoint: InferenceEndpoint;
  /** The API. */
  public readonly api: InferenceApi;
  /** A role that may call the API (assumable by the account's administrators). */
  public readonly clientRole: iam.Role;

  constructor(scope: Construct, id: string, props: InferenceApiExampleProps = {}) {
    super(scope, id, { description: 'cdk-ml-reference: API Gateway REST API → SageMaker real-time endpoint (no Lambda), IAM auth, validation, WAF', ...props });
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
      deployment: Profile.of(this).isLab ? undefined : { trafficRouting: TrafficRouting.canary(20, Duration.minutes(5)) },
    });
    this.api = new InferenceApi(this, 'Api', { endpoint: this.endpoint, encryptionKey: artifacts.key });
    this.clientRole = new iam.Role(this, 'ClientRole', {
      assumedBy: new iam.AccountRootPrincipal(),
      description: 'Callers of the churn prediction API (SigV4)',
    });
    // A managed policy, not an inline one: the compliance packs reject inline policies.
    this.api.grantInvoke(new iam.ManagedPolicy(this, 'ClientPolicy', { description: 'Call the churn prediction API', roles: [this.clientRole] }));

    new CfnOutput(this, 'PredictionsUrl', { value: this.api.predictionsUrl, description: 'POST {"instances": [[13 numbers]]} signed with SigV4' });
    new CfnOutput(this, 'ClientRoleArn', { value: this.clientRole.roleArn });
  }
}
