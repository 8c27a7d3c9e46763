import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  IDataLake, BuiltInImage, DataKey, InferenceEndpoint, InferenceEndpointProps, InstanceVariantProps, ModelData, ModelImage,
  PrivateNetwork, ServerlessVariantProps,
} from '../../lib';
import { ProfileName } from '../support/app';
import { testStack } from '../support/stack';

/** The pieces an endpoint test needs: a stack, a private network, a key and a model bucket. */
export interface Fixture {
  readonly stack: Stack;
  readonly network: PrivateNetwork;
  readonly key: kms.IKey;
  readonly bucket: s3.IBucket;
}

export function fixture(profile?: ProfileName, context?: Record<string, unknown>): Fixture {
  const stack = testStack(profile, context);
  const key = new DataKey(stack, 'Key');
  // The artifact bucket exists before the stack (CreateModel reads the object at deploy): imported.
  const bucket = s3.Bucket.fromBucketAttributes(stack, 'Models', { bucketName: 'churn-model-artifacts', encryptionKey: key });
  const network = new PrivateNetwork(stack, 'Network');
  return { stack, network, key, bucket };
}

export const XGBOOST = ModelImage.fromBuiltIn(BuiltInImage.xgboost());

export function variant(f: Fixture, overrides: Partial<InstanceVariantProps> = {}): InstanceVariantProps {
  return { variantName: 'AllTraffic', image: XGBOOST, modelData: ModelData.fromBucket(f.bucket, 'models/a/model.tar.gz'), ...overrides };
}

export function serverless(f: Fixture, overrides: Partial<ServerlessVariantProps> = {}): ServerlessVariantProps {
  return { variantName: 'AllTraffic', image: XGBOOST, modelData: ModelData.fromBucket(f.bucket, 'models/a/model.tar.gz'), ...overrides };
}

/** An instance endpoint in the fixture's network, with `overrides` on top. */
export function endpoint(f: Fixture, overrides: Partial<InferenceEndpointProps> = {}, id = 'Endpoint'): InferenceEndpoint {
  return new InferenceEndpoint(f.stack, id, { vpc: f.network.vpc, variants: [variant(f)], ...overrides });
}

/** A minimal IDataLake: two zone buckets under one key. */
export class FakeLake extends Construct implements IDataLake {
  public readonly accessLogsBucket: s3.IBucket;
  public readonly zoneNames = ['raw', 'features'];
  public readonly catalogArn = 'arn:aws:glue:eu-west-1:111122223333:catalog';
  private readonly buckets: Record<string, s3.IBucket>;

  constructor(scope: Construct, id: string, public readonly encryptionKey: kms.IKey) {
    super(scope, id);
    this.accessLogsBucket = s3.Bucket.fromBucketName(this, 'Logs', 'lake-logs');
    this.buckets = { raw: s3.Bucket.fromBucketName(this, 'Raw', 'lake-raw'), features: s3.Bucket.fromBucketName(this, 'Features', 'lake-features') };
  }

  public hasZone(zone: string): boolean { return zone in this.buckets; }
  public zoneBucket(zone: string): s3.IBucket { return this.buckets[zone]; }
  public databaseName(zone: string): string { return `lake_${zone}`; }
  public databaseArn(zone: string): string { return `arn:aws:glue:eu-west-1:111122223333:database/lake_${zone}`; }
  public grantRead(_zone: string, grantee: iam.IGrantable): iam.Grant { return iam.Grant.drop(grantee, 'read'); }
  public grantWrite(_zone: string, grantee: iam.IGrantable): iam.Grant { return iam.Grant.drop(grantee, 'write'); }
}

