import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { PropValidationError } from '../../lib/core/validation';
import { AbTestingEndpointExample } from '../../examples/inference/ab-testing-endpoint-example';
import { AsyncEndpointExample } from '../../examples/inference/async-endpoint-example';
import { MODEL_ARTIFACT_PATH } from '../../examples/inference/model-artifacts';
import { RealtimeEndpointExample } from '../../examples/inference/realtime-endpoint-example';
import { ServerlessEndpointExample } from '../../examples/inference/serverless-endpoint-example';
import { testApp } from '../support/app';

const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('inference examples', () => {
  const app = testApp({ profile: 'lab' });
  const realtime = new RealtimeEndpointExample(app, 'Realtime');
  const ab = new AbTestingEndpointExample(app, 'Ab');
  const serverless = new ServerlessEndpointExample(app, 'Serverless');
  const asyncExample = new AsyncEndpointExample(app, 'Async');
  const assembly = app.synth();
  const overridden = new RealtimeEndpointExample(testApp({ profile: 'lab', context: { modelDataUri: 's3://team-models/churn/v7/model.tar.gz' } }), 'Overridden');
  const byProp = new ServerlessEndpointExample(testApp({ profile: 'lab' }), 'ByProp', { modelDataUri: 's3://team-models/churn/v8/model.tar.gz', modelDataKmsKeyArn: KEY_ARN });
  const t = (s: Stack) => Template.fromStack(s);

  /** The file assets of a synthesized stack: object key → source file. */
  function fileAssets(stack: Stack): Record<string, string> {
    const manifest = JSON.parse(fs.readFileSync(path.join(assembly.directory, `${stack.artifactId}.assets.json`), 'utf8'));
    return Object.fromEntries(Object.values(manifest.files as Record<string, { source: { path: string; packaging: string }; destinations: Record<string, { objectKey: string }> }>)
      .map((f) => [Object.values(f.destinations)[0].objectKey, path.join(assembly.directory, f.source.path)]));
  }

  test('the committed model artifact exists and is a gzip file', () => {
    const header = fs.readFileSync(MODEL_ARTIFACT_PATH).subarray(0, 2);
    expect([...header]).toEqual([0x1f, 0x8b]);
    expect(path.relative(path.join(__dirname, '..', '..'), MODEL_ARTIFACT_PATH)).toBe(path.join('models', 'churn-xgboost', 'model.tar.gz'));
  });

  test.each([['Realtime', realtime], ['Ab', ab], ['Serverless', serverless], ['Async', asyncExample]] as const)(
    '%s serves by default the committed artifact, uploaded by the CLI as a file asset before the deploy', (_name, stack) => {
      const models = Object.values(t(stack).findResources('AWS::SageMaker::Model'));
      expect(models.length).toBeGreaterThan(0);
      const assets = fileAssets(stack);
      for (const model of models) {
        const url = model.Properties.PrimaryContainer.ModelDataUrl['Fn::Sub'] as string;
        const match = /^s3:\/\/cdk-hnb659fds-assets-\$\{AWS::AccountId\}-\$\{AWS::Region\}\/(.+)$/.exec(url);
        expect(match).not.toBeNull();
        const source = assets[match![1]];
        expect(source).toBeDefined();
        expect(fs.readFileSync(source).equals(fs.readFileSync(MODEL_ARTIFACT_PATH))).toBe(true);
      }
    });

  test.each([['Realtime', realtime], ['Ab', ab], ['Serverless', serverless], ['Async', asyncExample]] as const)(
    '%s reads no S3 object from a bucket its own template creates', (_name, stack) => {
      const template = t(stack);
      const buckets = Object.keys(template.findResources('AWS::S3::Bucket'));
      const models = template.findResources('AWS::SageMaker::Model');
      for (const model of Object.values(models)) {
        const refs = JSON.stringify(model.Properties.PrimaryContainer.ModelDataUrl);
        for (const bucket of buckets) expect(refs).not.toContain(`"${bucket}"`);
      }
    });

  test('the role reads exactly the asset object (no wildcard), and needs no KMS grant for the bootstrap bucket', () => {
    const template = t(realtime);
    const statements = Object.entries(template.findResources('AWS::IAM::ManagedPolicy')).find(([k]) => k.startsWith('EndpointPolicy'))![1]
      .Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>;
    const kmsResources = statements.filter((st) => [st.Action].flat().includes('kms:Decrypt')).map((st) => JSON.stringify(st.Resource));
    // The only key the role decrypts with is the example's own (captured data), not a bootstrap key.
    expect(kmsResources).toEqual([JSON.stringify({ 'Fn::GetAtt': [Object.keys(template.findResources('AWS::KMS::Key'))[0], 'Arn'] })]);
    const url = Object.values(template.findResources('AWS::SageMaker::Model'))[0].Properties.PrimaryContainer.ModelDataUrl['Fn::Sub'] as string;
    const objectKey = url.split('/').pop();
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([{
        Effect: 'Allow', Action: 's3:GetObject',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', { 'Fn::Sub': 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}' }, `/${objectKey}`]] },
      }]) },
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

  test('the modelDataUri prop does the same, and modelDataKmsKeyArn lets the role decrypt the artifact with that key', () => {
    const template = t(byProp);
    template.hasResourceProperties('AWS::SageMaker::Model', { PrimaryContainer: { ModelDataUrl: 's3://team-models/churn/v8/model.tar.gz' } });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY_ARN }]) },
    });
  });

  test('a modelDataUri that is not s3://bucket/key is rejected', () => {
    const app2 = testApp({ profile: 'lab', context: { modelDataUri: 'https://example.com/model.tar.gz' } });
    expect(() => new RealtimeEndpointExample(app2, 'Bad')).toThrow(PropValidationError);
    expect(() => new RealtimeEndpointExample(testApp({ context: { modelDataUri: 's3://x' } }), 'Bad2')).toThrow(/invalid modelDataUri: got "s3:\/\/x"/);
  });

  test('a modelDataKmsKeyArn that is not a key ARN, or one without modelDataUri, is rejected', () => {
    expect(() => new RealtimeEndpointExample(testApp({ context: { modelDataUri: 's3://team-models/m.tar.gz', modelDataKmsKeyArn: 'alias/models' } }), 'BadKey'))
      .toThrow(/invalid modelDataKmsKeyArn: got "alias\/models"; allowed: a KMS key ARN/);
    expect(() => new RealtimeEndpointExample(testApp({ context: { modelDataKmsKeyArn: KEY_ARN } }), 'KeyAlone'))
      .toThrow(/invalid modelDataKmsKeyArn: .*allowed: nothing without modelDataUri/);
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

  test('the A/B example splits traffic 80/20 between two models; -c challengerModelDataUri names the challenger', () => {
    t(ab).hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [
        Match.objectLike({ VariantName: 'Champion', InitialVariantWeight: 80 }),
        Match.objectLike({ VariantName: 'Challenger', InitialVariantWeight: 20 }),
      ],
    });
    t(ab).resourceCountIs('AWS::SageMaker::Model', 2);
    const challenged = new AbTestingEndpointExample(testApp({ profile: 'lab', context: { challengerModelDataUri: 's3://team-models/churn/v9/model.tar.gz' } }), 'AbC');
    const urls = Object.values(t(challenged).findResources('AWS::SageMaker::Model')).map((m) => m.Properties.PrimaryContainer.ModelDataUrl);
    expect(urls).toContainEqual('s3://team-models/churn/v9/model.tar.gz');
    expect(urls.filter((u) => typeof u === 'object' && 'Fn::Sub' in u)).toHaveLength(1);
  });

  test('the serverless example has one serverless variant, no VPC and no bucket of its own', () => {
    const template = t(serverless);
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [Match.objectLike({ ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 5 } })],
    });
    template.resourceCountIs('AWS::EC2::VPC', 0);
    template.resourceCountIs('AWS::S3::Bucket', 0);
  });

  test('the async example writes results and failures under KMS, notifies two encrypted topics and scales 0–2 on the backlog', () => {
    const template = t(asyncExample);
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      AsyncInferenceConfig: {
        OutputConfig: Match.objectLike({ S3OutputPath: Match.anyValue(), S3FailurePath: Match.anyValue(), KmsKeyId: Match.anyValue() }),
        ClientConfig: { MaxConcurrentInvocationsPerInstance: 4 },
      },
    });
    template.resourceCountIs('AWS::SNS::Topic', 2);
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 0, MaxCapacity: 2 });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', { PolicyType: 'StepScaling' });
  });
});
