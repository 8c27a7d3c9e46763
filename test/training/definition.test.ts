import * as fs from 'fs';
import * as path from 'path';
import { HyperparameterRange, HyperparameterScaling, TrainingPipelineProps } from '../../lib';
import { Context, intrinsic, walk } from './asl-sim';
import { definitionOf, pipeline, statesOf } from './helpers';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const aslValidator = require('asl-validator') as (d: unknown) => { isValid: boolean; errorsText: (sep?: string) => string };

const FIXTURES = path.join(__dirname, 'fixtures');
const trainingJob = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'describe-training-job.json'), 'utf8'));
const tuningJob = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'describe-tuning-job.json'), 'utf8'));

const SELF = 'arn:aws:states:us-east-1:111122223333:execution:Test-Pipeline:self';
const OTHER = 'arn:aws:states:us-east-1:111122223333:execution:Test-Pipeline:other';
const context: Context = { Execution: { Id: SELF, Name: 'self' }, StateMachine: { Id: 'arn:aws:states:us-east-1:111122223333:stateMachine:Test-Pipeline' } };
const running = (arn: string, start: number) => ({ ExecutionArn: arn, StartDate: start, Status: 'RUNNING', Name: arn.split(':').pop() });

function statesFor(props: Partial<TrainingPipelineProps> = {}, profile: 'lab' | 'production' = 'lab') {
  return statesOf(definitionOf(pipeline(props, profile).t));
}

/** The guard's ResultSelector, applied to a ListExecutions response, then the walk from the state after it. */
function afterGuard(states: ReturnType<typeof statesFor>, executions: unknown[]) {
  const guard = states['List running executions'];
  const id = intrinsic((guard.ResultSelector as Record<string, string>)['id.$'], {}, context);
  return walk(states, guard.Next!, { guard: { executions, id } }, context);
}

const withTraining = (job: unknown) => ({ run: { jobName: 'churn-0000000a0000000adddd', self: SELF }, training: job });
const withMetric = (name: string, value: unknown) => withTraining({
  ...trainingJob,
  FinalMetricDataList: [{ MetricName: 'train:auc', Value: 0.99, Timestamp: 1 }, { MetricName: name, Value: value, Timestamp: 1 }],
});

describe('the rendered definition', () => {
  test.each([
    ['training', {}],
    ['tuning', { tuning: { ranges: [HyperparameterRange.integer('max_depth', 3, 8)] } }],
    ['ETL first, no baseline', { etlJob: { jobName: 'features' }, baseline: false }],
    ['a metric to minimize', { hyperparameters: { eval_metric: 'logloss' }, objectiveMetric: 'validation:logloss', threshold: 0.5 }],
  ] as Array<[string, Partial<TrainingPipelineProps>]>)('passes asl-validator (%s)', (_name, props) => {
    const result = aslValidator(definitionOf(pipeline(props).t));
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
  });

  test('the validator rejects a broken definition (it is not vacuous)', () => {
    const broken = definitionOf(pipeline().t);
    (statesOf(broken).Gate as { Default?: string }).Default = 'No such state';
    expect(aslValidator(broken).isValid).toBe(false);
  });

  test('runs the SageMaker jobs through the .sync integrations', () => {
    const states = statesFor({ etlJob: { jobName: 'features' } });
    expect(states.Train.Resource).toBe('arn:aws:states:::sagemaker:createTrainingJob.sync');
    expect(states['Compute the baseline'].Resource).toBe('arn:aws:states:::sagemaker:createProcessingJob.sync');
    expect(states['Run the ETL job'].Resource).toBe('arn:aws:states:::glue:startJobRun.sync');
    expect(statesFor({ tuning: { ranges: [HyperparameterRange.integer('max_depth', 3, 8)] } }).Tune.Resource)
      .toBe('arn:aws:states:::sagemaker:createHyperParameterTuningJob.sync');
  });
});

describe('one execution at a time (the guard)', () => {
  const states = statesFor();

  test('the only running execution goes on to training', () => {
    expect(afterGuard(states, [running(SELF, 2)]).stoppedAt).toBe('Train');
  });

  test('an empty list (not yet consistent) goes on to training', () => {
    expect(afterGuard(states, []).stoppedAt).toBe('Train');
  });

  test('a later trigger while an older execution runs stops without training', () => {
    const outcome = afterGuard(states, [running(SELF, 2), running(OTHER, 1)]);
    expect(outcome.type).toBe('Succeed');
    expect(outcome.stoppedAt).toBe('Skip: another execution is running');
  });

  test('the oldest of two racing executions goes on (ListExecutions lists the newest first)', () => {
    expect(afterGuard(states, [running(OTHER, 2), running(SELF, 1)]).stoppedAt).toBe('Train');
  });

  test('job names: the prefix and 20 hex characters, at most 32 characters (tuning job names)', () => {
    const outcome = afterGuard(states, [running(SELF, 1)]);
    const name = (outcome.output as { run: { jobName: string } }).run.jobName;
    expect(name).toMatch(/^pipeline-[0-9a-f]{20}$/);
    expect(name.length).toBeLessThanOrEqual(32);
    const again = (afterGuard(states, [running(SELF, 1)]).output as { run: { jobName: string } }).run.jobName;
    expect(again).not.toBe(name);
  });
});

describe('the gate on DescribeTrainingJob (validation:auc >= 0.75)', () => {
  const states = statesFor();

  test('above the threshold: on to the baseline, then registration with the artifact and the metric', () => {
    const outcome = walk(states, 'Metrics reported?', withTraining(trainingJob), context);
    expect(outcome.visited).toEqual(['Metrics reported?', 'Read the objective metric', 'Gate', 'Compute the baseline']);
    const register = states['Register the model version'];
    const after = walk({ ...states, 'Compute the baseline': { Type: 'Pass', ResultPath: '$.baseline', Next: 'Register the model version', Parameters: {} } },
      'Compute the baseline', outcome.output, context);
    expect(after.stoppedAt).toBe('Register the model version');
    const params = register.Parameters as Record<string, Record<string, unknown>>;
    const container = (params.InferenceSpecification.Containers as Array<Record<string, string>>)[0];
    expect(container['ModelDataUrl.$']).toBe('$.training.ModelArtifacts.S3ModelArtifacts');
    expect(intrinsic(params.CustomerMetadataProperties['objective_value.$'] as string, after.output, context)).toBe('0.8614');
    // Also under the metric's own name, which `lab models` and the registry console show.
    expect(intrinsic(params.CustomerMetadataProperties['validation:auc.$'] as string, after.output, context)).toBe('0.8614');
  });

  test('the metadata key follows the objective metric (validation:rmse for a regression gate)', () => {
    const register = statesFor({ objectiveMetric: 'validation:rmse', threshold: 2, hyperparameters: { eval_metric: 'rmse', objective: 'reg:squarederror' } })['Register the model version'];
    const metadata = (register.Parameters as Record<string, Record<string, unknown>>).CustomerMetadataProperties;
    expect(Object.keys(metadata)).toEqual(['objective_metric', 'objective_value.$', 'validation:rmse.$', 'training_job.$', 'execution.$']);
    expect(metadata['validation:rmse.$']).toBe("States.Format('{}', $.metric.values[0])");
  });

  test('exactly at the threshold passes', () => {
    expect(walk(states, 'Metrics reported?', withMetric('validation:auc', 0.75), context).stoppedAt).toBe('Compute the baseline');
  });

  test('below the threshold: fails with a cause naming the value, nothing registered', () => {
    const outcome = walk(states, 'Metrics reported?', withMetric('validation:auc', 0.6213), context);
    expect(outcome.type).toBe('Fail');
    expect(outcome.error).toBe('BelowThreshold');
    expect(outcome.cause).toBe('validation:auc 0.6213 does not reach the gate >= 0.75: nothing registered');
    expect(outcome.visited).not.toContain('Register the model version');
  });

  test('the objective metric missing from FinalMetricDataList fails cleanly', () => {
    const outcome = walk(states, 'Metrics reported?', withMetric('validation:rmse', 0.9), context);
    expect(outcome.error).toBe('ObjectiveMetricMissing');
    expect(outcome.cause).toMatch(/reported no validation:auc/);
  });

  test('no FinalMetricDataList at all fails cleanly', () => {
    const job = { ...trainingJob };
    delete job.FinalMetricDataList;
    expect(walk(states, 'Metrics reported?', withTraining(job), context).error).toBe('ObjectiveMetricMissing');
  });

  test('a metric value that is not a number fails cleanly', () => {
    expect(walk(states, 'Metrics reported?', withMetric('validation:auc', 'NaN'), context).error).toBe('ObjectiveMetricMissing');
  });
});

describe('the gate of a metric to minimize (validation:logloss <= 0.5)', () => {
  const states = statesFor({ hyperparameters: { eval_metric: 'logloss' }, objectiveMetric: 'validation:logloss', threshold: 0.5 });

  test('below the threshold passes, above fails', () => {
    expect(walk(states, 'Metrics reported?', withMetric('validation:logloss', 0.41), context).stoppedAt).toBe('Compute the baseline');
    const fail = walk(states, 'Metrics reported?', withMetric('validation:logloss', 0.58), context);
    expect(fail.error).toBe('BelowThreshold');
    expect(fail.cause).toBe('validation:logloss 0.58 does not reach the gate <= 0.5: nothing registered');
  });
});

describe('the tuning path on DescribeHyperParameterTuningJob', () => {
  const states = statesFor({
    jobNamePrefix: 'churnhpo',
    tuning: { ranges: [HyperparameterRange.continuous('eta', 0.01, 0.3, HyperparameterScaling.LOGARITHMIC), HyperparameterRange.integer('max_depth', 3, 8)] },
  });
  const input = (job: unknown) => ({ run: { jobName: 'churnhpo-0000000b0000000bdddd', self: SELF }, tuning: job });

  test('the tuning objective is the gate\'s metric, in its direction', () => {
    const config = (states.Tune.Parameters as Record<string, Record<string, unknown>>).HyperParameterTuningJobConfig;
    expect(config.HyperParameterTuningJobObjective).toEqual(tuningJob.HyperParameterTuningJobConfig.HyperParameterTuningJobObjective);
  });

  test('a best training job: its description is read, then the same gate', () => {
    const outcome = walk(states, 'Best training job?', input(tuningJob), context);
    expect(outcome.stoppedAt).toBe('Describe the best training job');
    expect(states['Describe the best training job'].Parameters).toEqual({ 'TrainingJobName.$': '$.tuning.BestTrainingJob.TrainingJobName' });
    expect(states['Describe the best training job'].Next).toBe('Metrics reported?');
  });

  test('no completed training job fails cleanly, nothing registered', () => {
    const job = { ...tuningJob };
    delete job.BestTrainingJob;
    const outcome = walk(states, 'Best training job?', input(job), context);
    expect(outcome.error).toBe('NoBestTrainingJob');
  });

  test('the tuned hyperparameters are not also static ones', () => {
    const definition = (states.Tune.Parameters as Record<string, Record<string, Record<string, string>>>).TrainingJobDefinition;
    expect(Object.keys(definition.StaticHyperParameters)).not.toEqual(expect.arrayContaining(['eta']));
    expect(definition.StaticHyperParameters.eval_metric).toBe('auc');
  });
});
