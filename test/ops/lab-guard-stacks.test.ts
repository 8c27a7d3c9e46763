import { Match, Template } from 'aws-cdk-lib/assertions';
import { MlLabData } from '../../examples/lab/ml-lab-data';
import { LAB_DEFAULT_BASELINE_PREFIX, MlLabServing } from '../../examples/lab/ml-lab-serving';
import { TEST_SPLIT_PREFIX } from '../../lib/lab/cli/commands/model';
import { DATA_OUTPUT_KEYS, SERVING_OUTPUT_KEYS, TRAINING_OUTPUT_KEYS } from '../../lib/lab/cli/context';
import { ProfileName, testApp } from '../support/app';
import { rejectionOf } from '../support/rejection';

function lab(profile?: ProfileName, context: Record<string, unknown> = {}) {
  const app = testApp({ profile, context });
  const data = new MlLabData(app, 'MlLabData');
  const serving = new MlLabServing(app, 'MlLabServing', { data });
  return { data, serving, dataT: Template.fromStack(data), servingT: Template.fromStack(serving) };
}

const EXPIRY = { labExpiresAt: '2026-12-01T18:00:00Z' };

describe('lab stacks', () => {
  test('the lab profile is their default; -c profile=production still wins', () => {
    const byDefault = lab();
    byDefault.dataT.hasResourceProperties('AWS::Kinesis::Stream', { ShardCount: 1 });
    byDefault.servingT.hasResourceProperties('AWS::SageMaker::EndpointConfig', { ProductionVariants: [Match.objectLike({ InitialInstanceCount: 1 })] });
    const prod = lab('production');
    prod.dataT.hasResourceProperties('AWS::Kinesis::Stream', { StreamModeDetails: { StreamMode: 'ON_DEMAND' } });
    prod.servingT.hasResourceProperties('AWS::SageMaker::EndpointConfig', { ProductionVariants: [Match.objectLike({ InitialInstanceCount: 2 })] });
  });

  test('each stack has its own budget and, with an expiry, a schedule; serving is deleted 30 minutes before data', () => {
    const { data, serving, dataT, servingT } = lab(undefined, EXPIRY);
    dataT.resourceCountIs('AWS::Budgets::Budget', 1);
    servingT.resourceCountIs('AWS::Budgets::Budget', 1);
    dataT.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'at(2026-12-01T18:00:00)' });
    servingT.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'at(2026-12-01T17:30:00)' });
    expect(serving.guard.deleteAt! < data.guard.deleteAt!).toBe(true);
    // The serving stack depends on the data stack (its VPC and lake): the CDK deploys data first.
    expect(serving.dependencies).toContain(data);
  });

  test('the outputs the lab command line reads are there (a renamed output would break `lab`)', () => {
    const { dataT, servingT } = lab(undefined, EXPIRY);
    expect(Object.keys(dataT.toJSON().Outputs)).toEqual(expect.arrayContaining(DATA_OUTPUT_KEYS));
    expect(Object.keys(servingT.toJSON().Outputs)).toEqual(expect.arrayContaining(SERVING_OUTPUT_KEYS));
    expect(Object.keys(dataT.toJSON().Outputs)).toEqual(expect.arrayContaining(TRAINING_OUTPUT_KEYS));
    expect(dataT.toJSON().Outputs.TrainingGateAuc.Value).toBe('0.75');
    expect(dataT.toJSON().Outputs.ExpiresAt.Value).toBe('2026-12-01T18:00:00');
  });

  test('serves the committed artifact as a file asset by default, the approved version by context', () => {
    const byDefault = lab();
    const asset = JSON.stringify(byDefault.servingT.toJSON().Outputs.ModelDataUri.Value);
    expect(asset).toContain('cdk-hnb659fds-assets');
    expect(asset).toMatch(/[0-9a-f]{64}\.gz"/);
    expect(byDefault.servingT.toJSON().Outputs.ModelPackageArn.Value).toBe('none (the committed artifact)');
    const artifact = lab(undefined, { labModelDataUri: 's3://my-lake-bucket/pipelines/run-1/model.tar.gz' });
    artifact.servingT.hasResourceProperties('AWS::SageMaker::Model', { PrimaryContainer: Match.objectLike({
      ModelDataUrl: 's3://my-lake-bucket/pipelines/run-1/model.tar.gz',
    }) });
    const arn = 'arn:aws:sagemaker:us-east-1:123456789012:model-package/mllabdata-training/3';
    const approved = lab(undefined, { labModelDataUri: 's3://my-lake-bucket/pipelines/run-1/model.tar.gz', labModelPackageArn: arn });
    approved.servingT.hasResourceProperties('AWS::SageMaker::Model', { PrimaryContainer: Match.objectLike({ ModelPackageName: arn }) });
    expect(approved.servingT.toJSON().Outputs.ModelPackageArn.Value).toBe(arn);
  });

  test('a package ARN without its artifact URI is rejected (the role needs the artifact to read)', () => {
    const e = rejectionOf(() => lab(undefined, { labModelPackageArn: 'arn:aws:sagemaker:us-east-1:123456789012:model-package/g/1' }));
    expect(e.prop).toBe('labModelDataUri');
    expect(rejectionOf(() => lab(undefined, { labModelDataUri: 's3://b-1/m.tar.gz', labModelPackageArn: 'not-an-arn' })).prop).toBe('variants[Champion].modelPackage');
  });

  test('the monitor checks data quality against the baseline given by context, else the pipeline\'s default prefix', () => {
    const byDefault = lab();
    byDefault.servingT.resourceCountIs('AWS::SageMaker::MonitoringSchedule', 1);
    expect(JSON.stringify(byDefault.servingT.toJSON().Outputs.BaselineLocation.Value)).toContain(`/${LAB_DEFAULT_BASELINE_PREFIX}`);
    const given = lab(undefined, { labBaselineUri: 's3://my-lake-bucket/model-baselines/lab-abc/' });
    given.servingT.hasResourceProperties('AWS::SageMaker::DataQualityJobDefinition', { DataQualityBaselineConfig: {
      ConstraintsResource: { S3Uri: 's3://my-lake-bucket/model-baselines/lab-abc/constraints.json' },
      StatisticsResource: { S3Uri: 's3://my-lake-bucket/model-baselines/lab-abc/statistics.json' },
    } });
    // With a known baseline the lab also runs the monitor once at deploy.
    given.servingT.resourceCountIs('AWS::SageMaker::MonitoringSchedule', 2);
    expect(rejectionOf(() => lab(undefined, { labBaselineUri: 'https://x/y' })).prop).toBe('labBaselineUri');
  });

  test('the drift alarm starts the data stack\'s training pipeline; the data stack does not reference the serving stack', () => {
    const { data, serving, servingT } = lab();
    servingT.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ 'detail-type': ['CloudWatch Alarm State Change'], 'detail': { state: { value: ['ALARM'] } } }),
      Targets: [Match.objectLike({ Input: '{"trigger":"alarm"}', RoleArn: Match.anyValue() })],
    });
    servingT.hasResourceProperties('AWS::IAM::ManagedPolicy', { PolicyDocument: { Statement: [Match.objectLike({ Action: 'states:StartExecution' })] } });
    expect(data.dependencies).not.toContain(serving);
  });

  test('the API is IAM-authorized and its URL is an output', () => {
    const { servingT } = lab();
    servingT.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'POST', AuthorizationType: 'AWS_IAM' });
    expect(Object.keys(servingT.toJSON().Outputs)).toEqual(expect.arrayContaining(['InferenceApiUrl', 'MonitoringScheduleName']));
  });

  test('the data stack trains on the ETL\'s export of customers joined with the clickstream', () => {
    const { data, dataT } = lab();
    expect(data.etl.additionalInputPaths).toEqual({ clickstream: expect.stringContaining('/clickstream/') });
    expect(data.etl.trainingExportPath).toMatch(/\/training-export\/$/);
    expect(`training-export/test/`).toBe(TEST_SPLIT_PREFIX);
    dataT.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    dataT.resourceCountIs('AWS::SageMaker::ModelPackageGroup', 1);
    dataT.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  test('a model artifact URI that is not s3://bucket/key.tar.gz is rejected with the context key named', () => {
    const e = rejectionOf(() => lab(undefined, { labModelDataUri: 'https://example.com/model.tar.gz' }));
    expect(e.message).toBe('[MlLabServing] invalid labModelDataUri: got "https://example.com/model.tar.gz"; allowed: s3://<bucket>/<key>.tar.gz of the approved model package');
    expect(rejectionOf(() => lab(undefined, { labModelDataUri: 42 })).prop).toBe('labModelDataUri');
  });

  test('labChallenger adds a Challenger at weight 0 next to the Champion', () => {
    lab().servingT.hasResourceProperties('AWS::SageMaker::EndpointConfig', { ProductionVariants: [Match.objectLike({ VariantName: 'Champion', InitialVariantWeight: 1 })] });
    lab(undefined, { labChallenger: 'true' }).servingT.hasResourceProperties('AWS::SageMaker::EndpointConfig', { ProductionVariants: [
      Match.objectLike({ VariantName: 'Champion', InitialVariantWeight: 1 }),
      Match.objectLike({ VariantName: 'Challenger', InitialVariantWeight: 0 }),
    ] });
  });

  test('the endpoint runs in the data stack\'s VPC, network-isolated, capturing to the curated zone', () => {
    const { servingT } = lab();
    servingT.hasResourceProperties('AWS::SageMaker::Model', { EnableNetworkIsolation: true, VpcConfig: Match.objectLike({ Subnets: Match.anyValue() }) });
    servingT.hasResourceProperties('AWS::SageMaker::EndpointConfig', { DataCaptureConfig: Match.objectLike({
      DestinationS3Uri: Match.anyValue(), CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
    }) });
  });

});
