import { CfnParameter, Duration, Size, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as kms from 'aws-cdk-lib/aws-kms';
import {
  BuiltInImage, HyperparameterRange, HyperparameterScaling, ModelApprovalStatus, TrainingImage, TrainingPipeline, TrainingPipelineProps, TuningStrategy,
} from '../../lib';
import { rejectionOf } from '../support/rejection';
import { fixture } from './helpers';

/** Builds a pipeline with `props` over the fixture's defaults; `raw` bypasses the type checker like a JavaScript caller. */
function build(props: Partial<TrainingPipelineProps> | Record<string, unknown> = {}, id = 'Pipeline') {
  const f = fixture('lab');
  return new TrainingPipeline(f.stack, id, { trainingData: f.data, vpc: f.vpc, ...(props as Partial<TrainingPipelineProps>) });
}
const tuning = (extra: Record<string, unknown>) => ({ tuning: { ranges: [HyperparameterRange.integer('max_depth', 3, 8)], ...extra } });

describe('rejected at synth, each naming the construct path, the prop, the value and what is allowed', () => {
  test.each<[string, Record<string, unknown>, string, RegExp]>([
    // Spot, checkpoints, time limits.
    ['spot without checkpoints', { spot: true, checkpoints: false }, 'checkpoints', /true with spot training/],
    ['MaxWait below MaxRuntime', { spot: true, maxRuntime: Duration.hours(2), maxWait: Duration.hours(1) }, 'maxWait', /at least maxRuntime \(7200 seconds\)/],
    ['MaxWait without spot', { spot: false, maxWait: Duration.hours(2) }, 'maxWait', /unset without spot/],
    ['MaxWait over 28 days', { spot: true, maxRuntime: Duration.hours(1), maxWait: Duration.days(29) }, 'maxWait', /1 to 2419200/],
    ['maxRuntime over 28 days', { spot: false, maxRuntime: Duration.days(29) }, 'maxRuntime', /from 1 to 2419200/],
    ['maxRuntime of zero', { maxRuntime: Duration.seconds(0) }, 'maxRuntime', /from 1 to 2419200/],
    ['a fractional maxRuntime', { maxRuntime: Duration.millis(1500) }, 'maxRuntime', /an integer/],
    // Capacity.
    ['instance count 0', { instanceCount: 0 }, 'instanceCount', /an integer from 1 to 100/],
    ['a fractional instance count', { instanceCount: 1.5 }, 'instanceCount', /an integer from 1 to 100/],
    ['an instance type without ml.', { instanceType: 'm5.large' }, 'instanceType', /"ml\.m5\.large"/],
    ['a volume of 0 GiB', { volumeSize: Size.gibibytes(0) }, 'volumeSize', /from 1 to 16384 GiB/],
    // Tuning.
    ['a continuous range with min = max', tuningRanges([HyperparameterRange.continuous('eta', 0.3, 0.3)]), 'tuning.ranges[0]', /a minimum below the maximum/],
    ['an integer range with min > max', tuningRanges([HyperparameterRange.integer('max_depth', 8, 3)]), 'tuning.ranges[0]', /a minimum below the maximum/],
    ['an integer range with fractional bounds', tuningRanges([HyperparameterRange.integer('max_depth', 3, 7.5)]), 'tuning.ranges[0]', /integer bounds/],
    ['logarithmic scaling from 0', tuningRanges([HyperparameterRange.continuous('eta', 0, 0.3, HyperparameterScaling.LOGARITHMIC)]), 'tuning.ranges[0]', /above 0 with logarithmic/],
    ['an empty categorical range', tuningRanges([HyperparameterRange.categorical('tree_method', [])]), 'tuning.ranges[0].values', /1 to 30 values/],
    ['a hyperparameter tuned twice', tuningRanges([HyperparameterRange.integer('max_depth', 3, 8), HyperparameterRange.integer('max_depth', 2, 4)]), 'tuning.ranges[1].name', /no other range/],
    ['tuning eval_metric', tuningRanges([HyperparameterRange.categorical('eval_metric', ['auc', 'error'])]), 'tuning.ranges[0].name', /other than objective and eval_metric/],
    ['no ranges', { tuning: { ranges: [] } }, 'tuning.ranges', /at least one/],
    ['parallel jobs above max jobs', tuning({ maxJobs: 4, maxParallelJobs: 5 }), 'tuning.maxParallelJobs', /at most tuning.maxJobs \(4\)/],
    ['max jobs 0', tuning({ maxJobs: 0, maxParallelJobs: 1 }), 'tuning.maxJobs', /from 1 to 750/],
    ['a strategy this construct does not run', tuning({ strategy: 'Hyperband' }), 'tuning.strategy', /"Bayesian", "Random"/],
    // Objective and gate.
    ['a metric XGBoost does not have', { objectiveMetric: 'validation:r2' }, 'objectiveMetric', /one of accuracy, auc/],
    ['a metric eval_metric does not name', { objectiveMetric: 'validation:logloss' }, 'objectiveMetric', /eval_metric hyperparameter \("auc"\)/],
    ['a channel that does not exist', { objectiveMetric: 'test:auc' }, 'objectiveMetric', /train or validation/],
    ['a NaN threshold', { threshold: Number.NaN }, 'threshold', /a number/],
    ['an AUC threshold above 1', { threshold: 1.2 }, 'threshold', /from 0 to 1/],
    ['a custom image without the objective among its metrics', { image: 'custom' }, 'objectiveMetric', /metric definitions \(validation:rmse\)/],
    ['a built-in image other than XGBoost', { image: TrainingImage.fromBuiltIn(BuiltInImage.LINEAR_LEARNER) }, 'image', /built-in XGBoost/],
    ['network isolation off for a built-in image', { networkIsolation: false }, 'networkIsolation', /only custom images/],
    // Registration.
    ['an approval status in the wrong case', { approvalStatus: 'approved' }, 'approvalStatus', /"Approved", "PendingManualApproval"/],
    ['registering as Rejected', { approvalStatus: 'Rejected' }, 'approvalStatus', /"Approved", "PendingManualApproval"/],
    ['no content types', { contentTypes: [] }, 'contentTypes', /at least one MIME type/],
    ['a content type that is not a MIME type', { contentTypes: ['csv'] }, 'contentTypes[0]', /a MIME type/],
    ['an inference instance type without ml.', { inferenceInstanceTypes: ['c5.large'] }, 'inferenceInstanceTypes[0]', /SageMaker instance type/],
    ['an existing group without its name', { createModelPackageGroup: false }, 'modelPackageGroupName', /name of the existing group/],
    ['a model package group name with underscores', { modelPackageGroupName: 'churn_models' }, 'modelPackageGroupName', /letters, digits and hyphens/],
    // Schedules.
    ['a schedule every 5 minutes', { schedule: 'rate(5 minutes)' }, 'schedule', /at least hourly/],
    ['a plural unit for 1', { schedule: 'rate(1 hours)' }, 'schedule', /"1 hour" is singular/],
    ['a cron with both day fields', { schedule: 'cron(0 4 * * SUN *)' }, 'schedule', /"\?" in one day field/],
    ['a cron with five fields', { schedule: 'cron(0 4 * * ?)' }, 'schedule', /EventBridge Scheduler expression/],
    ['a cron firing every minute', { schedule: 'cron(* 4 ? * SUN *)' }, 'schedule', /minutes field a single number/],
    ['a Unix crontab', { schedule: '0 4 * * 0' }, 'schedule', /EventBridge Scheduler expression/],
    ['a new-data suffix without retrainOnNewData', { newDataKeySuffix: '_SUCCESS' }, 'newDataKeySuffix', /unless retrainOnNewData/],
    ['a new-data suffix with a wildcard', { retrainOnNewData: true, newDataKeySuffix: '*.csv' }, 'newDataKeySuffix', /without "\*"/],
    // Names and prefixes.
    ['a job name prefix that is too long', { jobNamePrefix: 'churn-model-x' }, 'jobNamePrefix', /1 to 10 lower-case/],
    ['an upper-case job name prefix', { jobNamePrefix: 'Churn' }, 'jobNamePrefix', /lower-case/],
    ['a prefix without a trailing slash', { outputPrefix: 'models' }, 'outputPrefix', /followed by "\/"/],
    ['a prefix with a leading slash', { checkpointPrefix: '/ckpt/' }, 'checkpointPrefix', /without a leading "\/"/],
    ['output written into a channel', { outputPrefix: 'training-export/train/out/' }, 'outputPrefix', /neither contains nor lies inside trainingData.trainPrefix/],
    ['baselines written around the export', { baselineOutputPrefix: 'training-export/' }, 'baselineOutputPrefix', /write into their own input/],
    ['a hyperparameter that is a number', { hyperparameters: { max_depth: 6 } }, 'hyperparameters.max_depth', /a string/],
    ['a hyperparameter name with spaces', { hyperparameters: { 'max depth': '6' } }, 'hyperparameters', /names of 1 to 256/],
    // Plain JavaScript misuse.
    ['an instance count given as a string', { instanceCount: '2' }, 'instanceCount', /a number/],
    ['spot given as a string', { spot: 'yes' }, 'spot', /a boolean/],
    ['content types given as one string', { contentTypes: 'text/csv' }, 'contentTypes', /a list of strings/],
    ['maxRuntime given as seconds', { maxRuntime: 3600 }, 'maxRuntime', /a Duration/],
    ['a volume size given as a number', { volumeSize: 10 }, 'volumeSize', /a Size/],
    ['an image given as a URI', { image: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1' }, 'image', /a TrainingImage/],
    ['training data given as a bucket name', { trainingData: 'my-bucket' }, 'trainingData', /a TrainingData/],
    ['no vpc', { vpc: undefined }, 'vpc', /an ec2.IVpc/],
    ['a range that is a plain object', { tuning: { ranges: [{ name: 'eta', min: 0, max: 1 }] } }, 'tuning.ranges[0]', /a HyperparameterRange/],
    ['ranges that are not a list', { tuning: { ranges: HyperparameterRange.integer('max_depth', 3, 8) } }, 'tuning.ranges', /a list of HyperparameterRange/],
  ])('%s', (_name, props, prop, allowed) => {
    const resolved = props.image === 'custom'
      ? { ...props, image: customImage(), objectiveMetric: 'validation:auc' }
      : props;
    const error = rejectionOf(() => build(resolved));
    expect(error.constructPath).toBe('Test/Pipeline');
    expect(error.prop).toBe(prop);
    expect(error.message).toMatch(/^\[Test\/Pipeline\] invalid .+: got .+; allowed: /);
    expect(error.message).toMatch(allowed);
  });

  test('no training data at all (a JavaScript caller)', () => {
    const f = fixture('lab');
    const error = rejectionOf(() => new TrainingPipeline(f.stack, 'Pipeline', { vpc: f.vpc } as unknown as TrainingPipelineProps));
    expect(error.prop).toBe('trainingData');
  });

  test('two pipelines of an app whose job name prefixes overlap (IAM covers <prefix>-*)', () => {
    const f = fixture('lab');
    new TrainingPipeline(f.stack, 'A', { trainingData: f.data, vpc: f.vpc, jobNamePrefix: 'churn' });
    const error = rejectionOf(() => new TrainingPipeline(f.stack, 'B', { trainingData: f.data, vpc: f.vpc, jobNamePrefix: 'churn-v2' }));
    expect(error.prop).toBe('jobNamePrefix');
    expect(error.message).toMatch(/Test\/A uses "churn"/);
  });

  test('an imported key (the topic and the log group need key-policy statements)', () => {
    const f = fixture('lab');
    const imported = kms.Key.fromKeyArn(f.stack, 'Imported', 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    const error = rejectionOf(() => new TrainingPipeline(f.stack, 'Pipeline', { trainingData: f.data, vpc: f.vpc, encryptionKey: imported }));
    expect(error.prop).toBe('encryptionKey');
  });
});

function tuningRanges(ranges: HyperparameterRange[]): Record<string, unknown> {
  return { tuning: { ranges } };
}

function customImage(): TrainingImage {
  const f = fixture('lab');
  const repo = ecr.Repository.fromRepositoryName(f.stack, 'Repo', 'churn-trainer');
  return TrainingImage.fromEcrRepository(repo, 'v1', [{ name: 'validation:rmse', regex: 'rmse=([0-9.]+)' }]);
}

describe('accepted at the edges', () => {
  test.each<[string, Record<string, unknown>]>([
    ['MaxWait equal to MaxRuntime', { spot: true, maxRuntime: Duration.hours(1), maxWait: Duration.hours(1) }],
    ['maxRuntime of exactly 28 days on demand', { spot: false, maxRuntime: Duration.days(28) }],
    ['maxRuntime of 1 second', { spot: false, maxRuntime: Duration.seconds(1) }],
    ['one instance and a hundred', { instanceCount: 100 }],
    ['on demand without checkpoints', { spot: false, checkpoints: false }],
    ['parallel jobs equal to max jobs', tuning({ maxJobs: 3, maxParallelJobs: 3, strategy: TuningStrategy.RANDOM })],
    ['a continuous range just above its minimum', tuningRanges([HyperparameterRange.continuous('eta', 0.1, 0.1000001, HyperparameterScaling.LOGARITHMIC)])],
    ['30 categorical values', tuningRanges([HyperparameterRange.categorical('tree_method', Array.from({ length: 30 }, (_, i) => `m${i}`))])],
    ['an AUC threshold of 0 and of 1', { threshold: 1 }],
    ['a metric eval_metric names among several', { hyperparameters: { eval_metric: 'auc,logloss' }, objectiveMetric: 'validation:logloss', threshold: 0.4 }],
    ['a train-channel metric', { objectiveMetric: 'train:auc' }],
    ['an unbounded metric threshold above 1', { hyperparameters: { eval_metric: 'rmse' }, objectiveMetric: 'validation:rmse', threshold: 3 }],
    ['a schedule of exactly one hour', { schedule: 'rate(1 hour)' }],
    ['a daily cron with ? in day-of-month', { schedule: 'cron(15 2 ? * MON-FRI *)' }],
    ['a 10-character job prefix with hyphens', { jobNamePrefix: 'churn-v2-a' }],
    ['an existing group by name', { createModelPackageGroup: false, modelPackageGroupName: 'churn-models' }],
    ['a pending approval status in the lab', { approvalStatus: ModelApprovalStatus.PENDING_MANUAL_APPROVAL }],
    ['a custom image with its metric and isolation off', { image: 'custom', objectiveMetric: 'validation:rmse', networkIsolation: false }],
  ])('%s', (_name, props) => {
    const resolved = props.image === 'custom' ? { ...props, image: customImage() } : props;
    expect(() => build(resolved)).not.toThrow();
  });

  test('a threshold of 0 for a bounded metric', () => {
    expect(() => build({ threshold: 0 })).not.toThrow();
  });

  test('tokens are accepted, not crashed on (CloudFormation checks them)', () => {
    const f = fixture('lab');
    const type = new CfnParameter(f.stack, 'Type', { default: 'ml.m5.large' });
    const count = new CfnParameter(f.stack, 'Count', { type: 'Number', default: 1 });
    const schedule = new CfnParameter(f.stack, 'Schedule', { default: 'rate(1 day)' });
    const group = new CfnParameter(f.stack, 'Group', { default: 'churn-models' });
    const p = new TrainingPipeline(f.stack, 'Pipeline', {
      trainingData: f.data, vpc: f.vpc,
      instanceType: type.valueAsString, instanceCount: count.valueAsNumber, schedule: schedule.valueAsString,
      modelPackageGroupName: group.valueAsString, createModelPackageGroup: false,
    });
    expect(Token.isUnresolved(p.modelPackageGroupName)).toBe(true);
  });
});
