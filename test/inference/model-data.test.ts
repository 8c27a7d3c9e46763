import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { DataCaptureDestination, InferenceEndpoint, ModelData, ModelImage, ModelPackage, BuiltInImage } from '../../lib';
import { MODEL_ARTIFACT_PATH } from '../../examples/inference/model-artifacts';
import { rejectionOf } from '../support/rejection';
import { endpoint, FakeLake, fixture, serverless, variant, XGBOOST } from './helpers';

const managedPolicyStatements = (template: Template, prefix = 'EndpointPolicy') =>
  Object.entries(template.findResources('AWS::IAM::ManagedPolicy')).find(([k]) => k.startsWith(prefix))![1]
    .Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown; Condition?: unknown }>;
const withAction = (statements: ReturnType<typeof managedPolicyStatements>, action: string) => statements.filter((s) => [s.Action].flat().includes(action));

describe('ModelData.fromAsset', () => {
  test('ships the file as an asset: the model reads it from the bootstrap bucket, the role reads exactly that object', () => {
    const f = fixture('lab');
    const ep = endpoint(f, { variants: [variant(f, { modelData: ModelData.fromAsset(MODEL_ARTIFACT_PATH) })] });
    const template = Template.fromStack(f.stack);
    const url = Object.values(template.findResources('AWS::SageMaker::Model'))[0].Properties.PrimaryContainer.ModelDataUrl;
    expect(url).toEqual({ 'Fn::Sub': expect.stringMatching(/^s3:\/\/cdk-hnb659fds-assets-\$\{AWS::AccountId\}-\$\{AWS::Region\}\/[a-f0-9]{64}\.gz$/) });
    const objectKey = (url['Fn::Sub'] as string).split('/').pop();
    const reads = withAction(managedPolicyStatements(template), 's3:GetObject');
    expect(reads).toEqual([{
      Action: 's3:GetObject', Effect: 'Allow',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', { 'Fn::Sub': 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}' }, `/${objectKey}`]] },
    }]);
    // The default bootstrap bucket (aws/s3 or the bootstrap key admitting the account via S3) needs no kms grant.
    expect(withAction(managedPolicyStatements(template), 'kms:Decrypt').map((s) => JSON.stringify(s.Resource)).join()).not.toContain('bootstrap');
    expect(ep.model('AllTraffic')).toBeDefined();
  });

  test('a bootstrap key passed in lets the role decrypt with it', () => {
    const f = fixture('lab');
    const bootstrapKey = kms.Key.fromKeyArn(f.stack, 'BootstrapKey', 'arn:aws:kms:eu-west-1:111122223333:key/abcd');
    endpoint(f, { variants: [variant(f, { modelData: ModelData.fromAsset(MODEL_ARTIFACT_PATH, bootstrapKey) })] });
    expect(withAction(managedPolicyStatements(Template.fromStack(f.stack)), 'kms:Decrypt').map((s) => s.Resource))
      .toContain('arn:aws:kms:eu-west-1:111122223333:key/abcd');
  });

  test('one ModelData used by two variants is uploaded once', () => {
    const f = fixture('lab');
    const data = ModelData.fromAsset(MODEL_ARTIFACT_PATH);
    endpoint(f, { variants: [variant(f, { variantName: 'A', modelData: data }), variant(f, { variantName: 'B', modelData: data })] });
    const urls = Object.values(Template.fromStack(f.stack).findResources('AWS::SageMaker::Model')).map((m) => JSON.stringify(m.Properties.PrimaryContainer.ModelDataUrl));
    expect(urls).toHaveLength(2);
    expect(urls[0]).toBe(urls[1]);
    expect(f.stack.node.findAll().filter((c) => c.node.id === 'ModelDataAsset')).toHaveLength(1);
  });

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'model-data-'));
  const plain = path.join(dir, 'model.tar.gz');
  fs.writeFileSync(plain, 'not gzip');
  const wrongName = path.join(dir, 'model.zip');
  fs.copyFileSync(MODEL_ARTIFACT_PATH, wrongName);

  test.each([
    ['a missing file', path.join(dir, 'missing.tar.gz')],
    ['a directory', dir],
    ['a file that is not gzip', plain],
    ['a gzip file not named .tar.gz', wrongName],
  ])('rejects %s, naming the endpoint and the variant prop', (_what, file) => {
    const f = fixture('lab');
    const e = rejectionOf(() => endpoint(f, { variants: [variant(f, { modelData: ModelData.fromAsset(file) })] }));
    expect(e.constructPath).toBe('Test/Endpoint');
    expect(e.prop).toBe('variants[AllTraffic].modelData');
    expect(e.message).toContain(`got ${JSON.stringify(file)}`);
    expect(e.message).toContain('a local model.tar.gz file');
  });
});

describe('ModelData and DataCaptureDestination from a data lake', () => {
  test('a zone the lake does not have names the endpoint that uses it, not the lake', () => {
    const f = fixture('lab');
    const lake = new FakeLake(f.stack, 'Lake', f.key);
    const e = rejectionOf(() => endpoint(f, { variants: [variant(f, { modelData: ModelData.fromDataLake(lake, 'gold', 'm/model.tar.gz') })] }));
    expect(e.message).toBe('[Test/Endpoint] invalid variants[AllTraffic].modelData zone: got "gold"; allowed: a zone of data lake Test/Lake: raw, features');
  });

  test('a capture zone the lake does not have names the endpoint', () => {
    const f = fixture('lab');
    const lake = new FakeLake(f.stack, 'Lake', f.key);
    const e = rejectionOf(() => endpoint(f, { dataCapture: { destination: DataCaptureDestination.fromDataLake(lake, 'gold', 'capture') } }));
    expect(e.message).toBe('[Test/Endpoint] invalid dataCapture.destination zone: got "gold"; allowed: a zone of data lake Test/Lake: raw, features');
  });

  test('the check runs at construction, not wrapped in "Resolution error" layers', () => {
    const f = fixture('lab');
    const lake = new FakeLake(f.stack, 'Lake', f.key);
    const e = rejectionOf(() => endpoint(f, { variants: [variant(f, { modelData: ModelData.fromDataLake(lake, 'gold', 'm/model.tar.gz') })] }));
    expect(e.message).not.toContain('Resolution error');
  });
});

describe('ModelPackage: serving a registered model package version', () => {
  const ARN = 'arn:aws:sagemaker:eu-west-1:111122223333:model-package/churn-xgboost/3';

  test('the model container is the package; the role pulls the named image and reads the named artifact', () => {
    const f = fixture('lab');
    const data = ModelData.fromBucket(f.bucket, 'models/churn/3/model.tar.gz');
    endpoint(f, { variants: [{ variantName: 'AllTraffic', modelPackage: ModelPackage.fromArn(ARN, { image: XGBOOST, modelData: data }) }] });
    const template = Template.fromStack(f.stack);
    template.hasResourceProperties('AWS::SageMaker::Model', { PrimaryContainer: { ModelPackageName: ARN, Image: Match.absent(), ModelDataUrl: Match.absent() } });
    const statements = managedPolicyStatements(template);
    expect(withAction(statements, 's3:GetObject').map((s) => s.Resource)).toEqual([f.stack.resolve(f.bucket.arnForObjects('models/churn/3/model.tar.gz'))]);
    expect(JSON.stringify(withAction(statements, 'ecr:BatchGetImage').map((s) => s.Resource))).toContain(':repository/sagemaker-xgboost');
  });

  test('a serverless variant can serve a package too, and a token ARN is accepted', () => {
    const f = fixture('lab');
    const arn = Token.asString({ Ref: 'PackageArn' });
    new InferenceEndpoint(f.stack, 'S', { serverlessVariant: { variantName: 'AllTraffic', modelPackage: ModelPackage.fromArn(arn) } });
    Template.fromStack(f.stack).hasResourceProperties('AWS::SageMaker::Model', { PrimaryContainer: { ModelPackageName: { Ref: 'PackageArn' } } });
  });

  test.each([
    ['an unversioned group ARN', 'arn:aws:sagemaker:eu-west-1:111122223333:model-package-group/churn-xgboost'],
    ['a package ARN without version', 'arn:aws:sagemaker:eu-west-1:111122223333:model-package/churn-xgboost'],
    ['a name instead of an ARN', 'churn-xgboost/3'],
  ])('rejects %s', (_what, arn) => {
    const f = fixture('lab');
    const e = rejectionOf(() => endpoint(f, { variants: [{ variantName: 'AllTraffic', modelPackage: ModelPackage.fromArn(arn) }] }));
    expect(e.prop).toBe('variants[AllTraffic].modelPackage');
    expect(e.message).toContain(`got ${JSON.stringify(arn)}`);
  });

  test('rejects both an image and a package, and neither', () => {
    const f = fixture('lab');
    const both = rejectionOf(() => endpoint(f, { variants: [{ variantName: 'AllTraffic', image: XGBOOST, modelPackage: ModelPackage.fromArn(ARN) }] }));
    expect(both.message).toContain('invalid variants[AllTraffic].image: got "ModelImage"; allowed: exactly one of image (with modelData) and modelPackage');
    const f2 = fixture('lab');
    const neither = rejectionOf(() => endpoint(f2, { variants: [{ variantName: 'AllTraffic' }] }));
    expect(neither.message).toContain('invalid variants[AllTraffic].image: got undefined; allowed: exactly one of image');
  });

  test('rejects modelData beside a package', () => {
    const f = fixture('lab');
    const e = rejectionOf(() => endpoint(f, { variants: [{ variantName: 'AllTraffic', modelPackage: ModelPackage.fromArn(ARN), modelData: ModelData.fromBucket(f.bucket, 'm/model.tar.gz') }] }));
    expect(e.prop).toBe('variants[AllTraffic].modelData');
  });

  test('serverless also rejects an image with a package', () => {
    const f = fixture('lab');
    const e = rejectionOf(() => new InferenceEndpoint(f.stack, 'S', { serverlessVariant: serverless(f, { modelPackage: ModelPackage.fromArn(ARN) }) }));
    expect(e.prop).toBe('serverlessVariant.image');
  });

  test('ModelData.grantRead binds in the given scope', () => {
    const f = fixture('lab');
    const role = new iam.Role(f.stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    const config = ModelData.fromAsset(MODEL_ARTIFACT_PATH).grantRead(f.stack, role);
    expect(JSON.stringify(f.stack.resolve(config.s3Uri))).toMatch(/s3:\/\/cdk-hnb659fds-assets-/);
    Template.fromStack(f.stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: 's3:GetObject' })] },
    });
  });

  test('ModelImage is still usable alone (built-in image)', () => {
    expect(ModelImage.fromBuiltIn(BuiltInImage.xgboost())).toBeInstanceOf(ModelImage);
  });
});
