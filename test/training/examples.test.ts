import { Template } from 'aws-cdk-lib/assertions';
import { TrainingPipelineExample } from '../../examples/training/training-pipeline-example';
import { PROFILES, testApp } from '../support/app';
import { definitionOf, statesOf } from './helpers';

function example(profile: 'lab' | 'production', context: Record<string, unknown> = {}, tuning?: boolean) {
  const app = testApp({ profile, context });
  const stack = new TrainingPipelineExample(app, 'TrainingPipelineExample', { tuning });
  return { stack, t: Template.fromStack(stack) };
}

describe.each(PROFILES)('TrainingPipelineExample (%s profile)', (profile) => {
  const { stack, t } = example(profile);
  const states = statesOf(definitionOf(t));

  test('trains from the lake\'s features zone, in the private network\'s isolated subnets', () => {
    const train = states.Train.Parameters as { InputDataConfig: Array<{ DataSource: { S3DataSource: { S3Uri: string } } }>; VpcConfig: { Subnets: string[] } };
    const features = stack.getLogicalId(stack.lake.featuresBucket.node.defaultChild as never).toLowerCase();
    expect(train.InputDataConfig[0].DataSource.S3DataSource.S3Uri).toBe(`s3://ref-${features}/training-export/train/`);
    expect(train.VpcConfig.Subnets.every((s) => s.startsWith('ref-networkvpcisolated'))).toBe(true);
  });

  test('one training job unless tuning is asked for', () => {
    expect(states.Train).toBeDefined();
    expect(states.Tune).toBeUndefined();
  });

  test(profile === 'lab' ? 'no schedule: the lab starts it by hand or on new data' : 'retrains every Sunday at 04:00 UTC and on new data', () => {
    t.resourceCountIs('AWS::Scheduler::Schedule', profile === 'lab' ? 0 : 1);
    t.hasResourceProperties('AWS::Events::Rule', { EventPattern: { 'source': ['aws.s3'], 'detail-type': ['Object Created'] } });
  });
});

test('context tuning=true runs a Bayesian tuning job instead', () => {
  const states = statesOf(definitionOf(example('lab', { tuning: 'true' }).t));
  expect(states.Train).toBeUndefined();
  const config = (states.Tune.Parameters as { HyperParameterTuningJobConfig: { Strategy: string; ResourceLimits: unknown } }).HyperParameterTuningJobConfig;
  expect(config.Strategy).toBe('Bayesian');
  expect(config.ResourceLimits).toEqual({ MaxNumberOfTrainingJobs: 4, MaxParallelTrainingJobs: 2 });
});

test('the tuning prop does the same, with its own job name prefix', () => {
  const { stack } = example('production', {}, true);
  expect(stack.pipeline.jobNamePrefix).toBe('churnhpo');
});
