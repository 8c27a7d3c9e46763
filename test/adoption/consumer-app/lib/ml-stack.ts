/* eslint-disable @typescript-eslint/ban-ts-comment -- the next line is removed in the scratch app */
// @ts-nocheck -- scripts/pack-roundtrip.sh drops this line: the file is type-checked in the scratch app, where cdk-ml-reference is installed
import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  BuiltInImage, DataLake, DataZone, InferenceEndpoint, ModelData, ModelImage, PrivateNetwork,
} from 'cdk-ml-reference';

/** What a team writes first: a lake and an endpoint serving a model stored in the lake. */
export class MlStack extends Stack {
  public readonly lake: DataLake;
  public readonly endpoint: InferenceEndpoint;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.lake = new DataLake(this, 'Lake');
    const network = new PrivateNetwork(this, 'Network');
    this.endpoint = new InferenceEndpoint(this, 'Endpoint', {
      vpc: network.vpc,
      vpcSubnets: network.workloadSubnets,
      encryptionKey: this.lake.encryptionKey,
      variants: [{
        variantName: 'AllTraffic',
        image: ModelImage.fromBuiltIn(BuiltInImage.xgboost()),
        modelData: ModelData.fromDataLake(this.lake, DataZone.FEATURES, 'models/churn/model.tar.gz'),
      }],
    });
  }
}
