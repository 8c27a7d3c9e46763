/* eslint-disable @typescript-eslint/ban-ts-comment -- the next line is removed in the scratch app */
// @ts-nocheck -- scripts/pack-roundtrip.sh drops this line: the file is type-checked in the scratch app, where cdk-ml-reference is installed
import { Stack, StackProps } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  BuiltInImage, DataLake, InferenceEndpoint, ModelData, ModelImage, PrivateNetwork,
} from 'cdk-ml-reference';

/** What a team writes first: a lake and an endpoint serving a model that is already in S3. */
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
        // CreateModel reads the artifact at the first deploy: a bucket that exists before this stack.
        modelData: ModelData.fromBucket(s3.Bucket.fromBucketName(this, 'Models', 'team-ml-models'), 'churn/model.tar.gz'),
      }],
    });
  }
}
