import { Match, Template } from 'aws-cdk-lib/assertions';
import { MlLabData } from '../../examples/lab/ml-lab-data';
import { LAB_DEFAULT_MODEL_KEY, MlLabServing } from '../../examples/lab/ml-lab-serving';
import { ARTIFACT_KEY } from '../../lib/lab/cli/commands/model';
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
    // wire at merge: TrainingPipeline adds these; until then `lab train` says the pipeline is missing.
    expect(Object.keys(dataT.toJSON().Outputs).filter((k) => TRAINING_OUTPUT_KEYS.includes(k))).toEqual([]);
    expect(dataT.toJSON().Outputs.ExpiresAt.Value).toBe('2026-12-01T18:00:00');
  });

  test('serves the committed artifact from the curated zone by default, the approved version\'s artifact by context', () => {
    const byDefault = lab().servingT.toJSON();
    expect(JSON.stringify(byDefault.Outputs.ModelDataUri.Value)).toContain('/models/churn-xgboost/model.tar.gz');
    const approved = lab(undefined, { labModelDataUri: 's3://my-lake-bucket/pipelines/run-1/model.tar.gz' });
    approved.servingT.hasResourceProperties('AWS::SageMaker::Model', { PrimaryContainer: Match.objectLike({
      ModelDataUrl: 's3://my-lake-bucket/pipelines/run-1/model.tar.gz',
    }) });
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

  test('the committed-artifact key is where `lab serve` uploads it', () => {
    expect(ARTIFACT_KEY).toBe(LAB_DEFAULT_MODEL_KEY);
    expect(LAB_DEFAULT_MODEL_KEY).toBe('models/churn-xgboost/model.tar.gz');
  });
});
