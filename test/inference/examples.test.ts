import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { PropValidationError } from '../../lib/core/validation';
import { AbTestingEndpointExample, CHALLENGER_MODEL_KEY } from '../../examples/inference/ab-testing-endpoint-example';
import { DEFAULT_MODEL_KEY } from '../../examples/inference/model-artifacts';
import { RealtimeEndpointExample } from '../../examples/inference/realtime-endpoint-example';
import { ServerlessEndpointExample } from '../../examples/inference/serverless-endpoint-example';
import { testApp } from '../support/app';

const artifactsBucketId = (template: Template) => Object.keys(template.findResources('AWS::S3::Bucket')).find((k) => k.startsWith('ArtifactsBucket'))!;

describe('inference examples', () => {
  const app = testApp({ profile: 'lab' });
  const realtime = new RealtimeEndpointExample(app, 'Realtime');
  const ab = new AbTestingEndpointExample(app, 'Ab');
  const serverless = new ServerlessEndpointExample(app, 'Serverless');
  const overridden = new RealtimeEndpointExample(testApp({ profile: 'lab', context: { modelDataUri: 's3://team-models/churn/v7/model.tar.gz' } }), 'Overridden');
  const byProp = new ServerlessEndpointExample(testApp({ profile: 'lab' }), 'ByProp', { modelDataUri: 's3://team-models/churn/v8/model.tar.gz' });
  const t = (s: Stack) => Template.fromStack(s);

  test('by default the model artifact is models/xgboost/model.tar.gz in the stack\'s own bucket', () => {
    const template = t(realtime);
    template.hasResourceProperties('AWS::SageMaker::Model', {
      PrimaryContainer: { ModelDataUrl: { 'Fn::Join': ['', ['s3://', { Ref: artifactsBucketId(template) }, `/${DEFAULT_MODEL_KEY}`]] } },
      EnableNetworkIsolation: true,
    });
  });

  test('context modelDataUri points the example at another artifact, and the role reads exactly that object', () => {
    const template = t(overridden);
    template.hasResourceProperties('AWS::SageMaker::Model', { PrimaryContainer: { ModelDataUrl: 's3://team-models/churn/v7/model.tar.gz' } });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([{
        Effect: 'Allow', Action: 's3:GetObject',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::team-models/churn/v7/model.tar.gz']] },
      }]) },
    });
  });

  test('the modelDataUri prop does the same', () => {
    t(byProp).hasResourceProperties('AWS::SageMaker::Model', { PrimaryContainer: { ModelDataUrl: 's3://team-models/churn/v8/model.tar.gz' } });
  });

  test('a modelDataUri that is not s3://bucket/key is rejected', () => {
    const app2 = testApp({ profile: 'lab', context: { modelDataUri: 'https://example.com/model.tar.gz' } });
    expect(() => new RealtimeEndpointExample(app2, 'Bad')).toThrow(PropValidationError);
    expect(() => new RealtimeEndpointExample(testApp({ context: { modelDataUri: 's3://x' } }), 'Bad2')).toThrow(/invalid modelDataUri: got "s3:\/\/x"/);
  });

  const routingOf = (s: Stack) => Object.values(t(s).findResources('AWS::SageMaker::Endpoint'))[0].Properties.DeploymentConfig.BlueGreenUpdatePolicy.TrafficRoutingConfiguration;
  const countsOf = (s: Stack) => Object.values(t(s).findResources('AWS::SageMaker::EndpointConfig'))[0].Properties.ProductionVariants
    .map((v: { InitialInstanceCount: number }) => v.InitialInstanceCount);

  test('the realtime example captures data and autoscales; the lab\'s single instance shifts all at once', () => {
    const template = t(realtime);
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', { DataCaptureConfig: Match.objectLike({ EnableCapture: true }) });
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 1);
    expect(countsOf(realtime)).toEqual([1]);
    expect(routingOf(realtime)).toMatchObject({ Type: 'ALL_AT_ONCE' });
  });

  test('in production the realtime example shifts a 20 % canary of two instances', () => {
    const prod = new RealtimeEndpointExample(testApp({ profile: 'production' }), 'RealtimeProd');
    expect(countsOf(prod)).toEqual([2]);
    expect(routingOf(prod)).toMatchObject({ Type: 'CANARY', CanarySize: { Type: 'CAPACITY_PERCENT', Value: 20 } });
  });

  test('the A/B example shifts all at once in the lab and in 50 % linear steps of two instances in production', () => {
    expect(routingOf(ab)).toMatchObject({ Type: 'ALL_AT_ONCE' });
    const prod = new AbTestingEndpointExample(testApp({ profile: 'production' }), 'AbProd');
    expect(countsOf(prod)).toEqual([2, 2]);
    expect(routingOf(prod)).toMatchObject({ Type: 'LINEAR', LinearStepSize: { Type: 'CAPACITY_PERCENT', Value: 50 } });
  });

  test('the A/B example splits traffic 80/20 between two models', () => {
    const template = t(ab);
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [
        Match.objectLike({ VariantName: 'Champion', InitialVariantWeight: 80 }),
        Match.objectLike({ VariantName: 'Challenger', InitialVariantWeight: 20 }),
      ],
    });
    template.hasResourceProperties('AWS::SageMaker::Model', {
      PrimaryContainer: { ModelDataUrl: { 'Fn::Join': ['', Match.arrayWith([`/${CHALLENGER_MODEL_KEY}`])] } },
    });
  });

  test('the serverless example has one serverless variant and no VPC', () => {
    const template = t(serverless);
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [Match.objectLike({ ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 5 } })],
    });
    template.resourceCountIs('AWS::EC2::VPC', 0);
  });
});
