import { CfnParameter } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import {
  HyperparameterRange, HyperparameterScaling, TrainingData, TrainingImage, TrainingPipeline, TrainingPipelineProps,
} from '../../lib';
import { Nag } from '../../lib/core/nag';
import { PropValidationError } from '../../lib/core/validation';
import { rejectionOf } from '../support/rejection';
import { definitionOf, fixture, pipeline, statesOf, unsynthesized } from './helpers';
import { flat } from '../support/template-values';

// Tests written for mutants StrykerJS found alive in lib/training (MUTATE=lib/training, 20 % sample);
// each names the behaviour it pins. Literal documented values, not values read back from the code.

/* eslint-disable @typescript-eslint/no-explicit-any -- template JSON and JavaScript-caller inputs, read field by field */

interface Statement { Sid?: string; Action: string | string[]; Resource: unknown; Condition?: unknown; Principal?: unknown }

const ARN = (service: string, rest: string) => `arn:<AWS::Partition>:${service}:<AWS::Region>:<AWS::AccountId>:${rest}`;

function resourceOf(t: Template, type: string, idPrefix: string): any {
  const [entry] = Object.entries(t.findResources(type)).filter(([id]) => id.startsWith(idPrefix));
  if (!entry) throw new Error(`no ${type} ${idPrefix}`);
  return entry[1];
}

/** The statements of the managed policies attached to a role, by its logical-id prefix. */
function managedStatements(t: Template, rolePrefix: string): Statement[] {
  const [roleId] = Object.keys(t.findResources('AWS::IAM::Role')).filter((id) => id.startsWith(rolePrefix));
  return Object.values(t.findResources('AWS::IAM::ManagedPolicy'))
    .filter((r: any) => (r.Properties.Roles ?? []).some((x: { Ref: string }) => x.Ref === roleId))
    .flatMap((r: any) => r.Properties.PolicyDocument.Statement as Statement[]);
}
const bySid = (statements: Statement[], sid: string) => flat(statements.find((s) => s.Sid === sid)) as Statement;
const trustOf = (t: Template, rolePrefix: string) => flat(resourceOf(t, 'AWS::IAM::Role', rolePrefix).Properties.AssumeRolePolicyDocument.Statement);

const TUNING_RANGES = [
  HyperparameterRange.continuous('eta', 0.01, 0.3, HyperparameterScaling.LOGARITHMIC),
  HyperparameterRange.integer('max_depth', 3, 8),
  HyperparameterRange.categorical('tree_method', ['hist', 'approx']),
];

// Each configuration is synthesized once.
const lab = pipeline({ schedule: 'rate(1 day)', retrainOnNewData: true });
const labStates = statesOf(definitionOf(lab.t));
const noCheckpoints = pipeline({ checkpoints: false }, 'production');
const tuned = pipeline({ tuning: { ranges: TUNING_RANGES } });
const tunedStates = statesOf(definitionOf(tuned.t));

describe('the job roles and their policies', () => {
  const job = managedStatements(lab.t, 'PipelineJobRole');
  const baseline = managedStatements(lab.t, 'PipelineBaselineRole');

  test('the training and baseline roles are assumed by SageMaker only', () => {
    const sagemaker = [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' } }];
    expect(trustOf(lab.t, 'PipelineJobRole')).toEqual(sagemaker);
    expect(trustOf(lab.t, 'PipelineBaselineRole')).toEqual(sagemaker);
  });

  test('the baseline role and the job policy are described with the construct path', () => {
    expect(resourceOf(lab.t, 'AWS::IAM::Role', 'PipelineBaselineRole').Properties.Description).toBe('Model Monitor baseline jobs of Test/Pipeline');
    expect(resourceOf(lab.t, 'AWS::IAM::ManagedPolicy', 'PipelineJobPolicy').Properties.Description).toBe('Least privilege of the SageMaker jobs of Test/Pipeline');
  });

  test('training jobs log to SageMaker\'s TrainingJobs log group and put metrics in its namespace only', () => {
    const group = ARN('logs', 'log-group:/aws/sagemaker/TrainingJobs:*');
    expect(bySid(job, 'Logs').Resource).toEqual([group, `${group}:*`]);
    expect(bySid(job, 'Metrics').Condition).toEqual({ StringEquals: { 'cloudwatch:namespace': '/aws/sagemaker/TrainingJobs' } });
  });

  test('baseline jobs log to SageMaker\'s ProcessingJobs log group', () => {
    const group = ARN('logs', 'log-group:/aws/sagemaker/ProcessingJobs:*');
    expect(bySid(baseline, 'Logs').Resource).toEqual([group, `${group}:*`]);
  });

  test('network interfaces are deleted and shared only in the pipeline\'s VPC', () => {
    expect(bySid(job, 'UseInterfaces').Condition).toEqual({ ArnEquals: { 'ec2:Vpc': ARN('ec2', 'vpc/<Vpc8378EB38>') } });
  });

  test('without spot and checkpoints the job reads the two channels and writes only the output prefix', () => {
    const statements = managedStatements(noCheckpoints.t, 'PipelineJobRole');
    const objects = (prefix: string) => `<Bucket83908E77.Arn>/${prefix}*`;
    expect(bySid(statements, 'Write').Resource).toEqual(objects('training-output/'));
    expect(bySid(statements, 'Read').Resource).toEqual([objects('training-export/train/'), objects('training-export/validation/')]);
  });

  test('with the default subnets the jobs run in the isolated subnets, not in the ones with egress', () => {
    const f = fixture('lab');
    const vpc = new ec2.Vpc(f.stack, 'Tiers', {
      natGateways: 1,
      subnetConfiguration: [
        { name: 'Public', subnetType: ec2.SubnetType.PUBLIC },
        { name: 'Egress', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        { name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      ],
    });
    new TrainingPipeline(f.stack, 'Pipeline', { trainingData: f.data, vpc });
    const subnets = (statesOf(definitionOf(Template.fromStack(f.stack))).Train.Parameters as any).VpcConfig.Subnets as string[];
    expect(subnets).toEqual(vpc.isolatedSubnets.map((s) => `ref-${String(f.stack.resolve(s.subnetId).Ref).toLowerCase()}`));
    expect(subnets.length).toBe(2);
  });
});

describe('the state machine role\'s policy', () => {
  const statements = managedStatements(lab.t, 'PipelineRole');
  const tunedStatements = managedStatements(tuned.t, 'PipelineRole');
  const sm = (rest: string) => ARN('sagemaker', rest);

  test('key grants only for AWS resources (the SageMaker jobs)', () => {
    expect(bySid(statements, 'JobKey').Condition).toEqual({ Bool: { 'kms:GrantIsForAWSResource': 'true' } });
  });

  test('ListTags on this pipeline\'s training, tuning and baseline jobs only', () => {
    // CDK sorts a statement's resources: compared as sets.
    const resources = (s: Statement) => [...(s.Resource as string[])].sort();
    expect(resources(bySid(statements, 'JobTags'))).toEqual([sm('processing-job/pipeline-*'), sm('training-job/pipeline-*')]);
    expect(resources(bySid(tunedStatements, 'JobTags')))
      .toEqual([sm('hyper-parameter-tuning-job/pipeline-*'), sm('processing-job/pipeline-*'), sm('training-job/pipeline-*')]);
  });

  test('tuning jobs are started only under this pipeline\'s prefix', () => {
    expect(bySid(tunedStatements, 'TuningJobs').Resource).toEqual(sm('hyper-parameter-tuning-job/pipeline-*'));
  });
});

describe('the definition', () => {
  test('the guard lists only the running executions', () => {
    expect(labStates['List running executions'].Parameters).toEqual({ 'StateMachineArn.$': '$$.StateMachine.Id', 'StatusFilter': 'RUNNING', 'MaxResults': 100 });
  });

  test('the baseline job reads the export from the analyzer\'s input path and uploads its reports at the end', () => {
    const params = labStates['Compute the baseline'].Parameters as any;
    expect(params.Environment.dataset_source).toBe('/opt/ml/processing/input/baseline_dataset_input');
    expect(params.ProcessingInputs[0].S3Input.S3DataType).toBe('S3Prefix');
    expect(params.ProcessingInputs[0].S3Input.LocalPath).toBe('/opt/ml/processing/input/baseline_dataset_input');
    expect(params.ProcessingOutputConfig.Outputs).toEqual([{
      OutputName: 'monitoring_output',
      S3Output: {
        'S3Uri.$': "States.Format('s3://ref-bucket83908e77/model-baselines/{}/', $.run.jobName)",
        'LocalPath': '/opt/ml/processing/output',
        'S3UploadMode': 'EndOfJob',
      },
    }]);
  });

  test('states and the state machine carry their comments (what the console shows)', () => {
    expect(labStates['Find the oldest running execution'].Comment).toBe('ListExecutions lists the newest first.');
    expect(labStates['Register the model version'].Comment).toBe('A new version in the model package group, with the gate\'s metric.');
    expect(tunedStates.Tune.Comment).toBe('Runs the tuning job and waits for it (.sync).');
    expect(definitionOf(lab.t).Comment).toBe('Training pipeline of Test/Pipeline: training, gate validation:auc >= 0.75, registry, baseline');
  });

  test('the tuning job searches each range in its own kind, with automatic early stopping by default', () => {
    const config = (tunedStates.Tune.Parameters as any).HyperParameterTuningJobConfig;
    expect(config.ParameterRanges).toEqual({
      ContinuousParameterRanges: [{ Name: 'eta', MinValue: '0.01', MaxValue: '0.3', ScalingType: 'Logarithmic' }],
      IntegerParameterRanges: [{ Name: 'max_depth', MinValue: '3', MaxValue: '8', ScalingType: 'Auto' }],
      CategoricalParameterRanges: [{ Name: 'tree_method', Values: ['hist', 'approx'] }],
    });
    expect(config.TrainingJobEarlyStoppingType).toBe('Auto');
  });
});

describe('notifications and triggers', () => {
  test('the failure alarm is described and is the pipeline\'s only alarm', () => {
    expect(resourceOf(lab.t, 'AWS::CloudWatch::Alarm', 'PipelineFailureAlarm').Properties.AlarmDescription)
      .toBe('An execution of Test/Pipeline failed (gate, job or registration)');
    expect(lab.p.alarms).toEqual([lab.p.failureAlarm]);
  });

  test('EventBridge publishes failures and starts executions only for this account; so does the scheduler', () => {
    const sourceAccount = { StringEquals: { 'aws:SourceAccount': '<AWS::AccountId>' } };
    expect(trustOf(lab.t, 'PipelineNotifyRole')).toEqual([
      { Action: 'sts:AssumeRole', Condition: sourceAccount, Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' } },
    ]);
    expect(trustOf(lab.t, 'PipelineTriggerRole')).toEqual([
      { Action: 'sts:AssumeRole', Condition: sourceAccount, Effect: 'Allow', Principal: { Service: ['events.amazonaws.com', 'scheduler.amazonaws.com'] } },
    ]);
  });

  test('the topic the pipeline creates lets the failure alarm publish, and the key lets CloudWatch encrypt for that topic only', () => {
    const statements = flat(resourceOf(lab.t, 'AWS::SNS::TopicPolicy', 'PipelineTopicPolicy').Properties.PolicyDocument.Statement) as Statement[];
    expect(statements.find((s) => s.Sid === 'CloudWatchAlarm')).toEqual({
      Sid: 'CloudWatchAlarm', Action: 'sns:Publish', Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' },
      Resource: '<PipelineTopic95C94D25>', Condition: { ArnLike: { 'aws:SourceArn': '<PipelineFailureAlarm1C63EFB9.Arn>' } },
    });
    const topicName = resourceOf(lab.t, 'AWS::SNS::Topic', 'PipelineTopic').Properties.TopicName;
    const keyStatements = flat(resourceOf(lab.t, 'AWS::KMS::Key', 'Key').Properties.KeyPolicy.Statement) as Statement[];
    const alarms = keyStatements.find((s) => s.Sid?.startsWith('AlarmsPublishTo'));
    expect(alarms?.Principal).toEqual({ Service: 'cloudwatch.amazonaws.com' });
    expect(alarms?.Condition).toEqual({ StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': ARN('sns', topicName) } });
  });

  test('the schedule and the new-data rule are described with the construct path', () => {
    expect(resourceOf(lab.t, 'AWS::Scheduler::Schedule', 'PipelineSchedule').Properties.Description).toBe('Retrains Test/Pipeline');
    expect(resourceOf(lab.t, 'AWS::Events::Rule', 'PipelineNewDataRule').Properties.Description)
      .toBe('New objects under training-export/train/ start Test/Pipeline');
  });

  test('addAlarmTrigger names a missing alarm', () => {
    const error = rejectionOf(() => unsynthesized().p.addAlarmTrigger(undefined as unknown as cloudwatch.IAlarm));
    expect(error.message).toBe('[Test/Pipeline] invalid alarm: got undefined; allowed: a cloudwatch.IAlarm');
  });

  test('logging errors only (the production default) acknowledges AwsSolutions-SF1; logging everything (lab) does not', () => {
    const acknowledged = (profile: 'lab' | 'production') => {
      const { f } = unsynthesized({}, profile);
      Nag.enable(f.stack.node.root as never);
      const machine = resourceOf(Template.fromStack(f.stack), 'AWS::StepFunctions::StateMachine', 'PipelineStateMachine');
      return (machine.Metadata?.cdk_nag?.rules_to_suppress ?? []).map((r: { id: string }) => r.id).filter((id: string) => id === 'AwsSolutions-SF1');
    };
    expect(acknowledged('production')).toEqual(['AwsSolutions-SF1']);
    expect(acknowledged('lab')).toEqual([]);
  });
});

/** Builds a pipeline with `props` in a fresh fixture (not synthesized). */
function build(props: Partial<TrainingPipelineProps> | Record<string, unknown> = {}): TrainingPipeline {
  return unsynthesized(props as Partial<TrainingPipelineProps>).p;
}
const customImage = (names: string[]) => {
  const f = fixture('lab');
  const image = TrainingImage.fromEcrRepository(new ecr.Repository(f.stack, 'Repo'), 'v1', names.map((name) => ({ name, regex: `${name}=([0-9.]+)` })));
  return (props: Partial<TrainingPipelineProps>) => new TrainingPipeline(f.stack, 'Pipeline', { trainingData: f.data, vpc: f.vpc, image, ...props });
};

describe('the objective metric', () => {
  // The SageMaker Developer Guide's XGBoost tuning table: direction, and whether the metric lies between 0 and 1.
  const TABLE: Array<[string, boolean, boolean]> = [
    ['accuracy', true, true], ['auc', true, true], ['aucpr', true, true], ['error', false, true], ['f1', true, true],
    ['logloss', false, false], ['mae', false, false], ['map', true, true], ['merror', false, true], ['mlogloss', false, false],
    ['mse', false, false], ['ndcg', true, true], ['rmse', false, false],
  ];

  test('each built-in XGBoost metric is maximized or minimized as the guide says, and only bounded ones cap the threshold at 1', () => {
    const f = fixture('lab');
    const make = (metric: string, i: number, threshold: number) => new TrainingPipeline(f.stack, `M${i}t${threshold * 10}`, {
      trainingData: f.data, vpc: f.vpc, hyperparameters: { eval_metric: metric }, objectiveMetric: `validation:${metric}`, threshold,
    });
    const capped = (metric: string, i: number) => {
      try {
        make(metric, i, 1.5);
        return false;
      } catch (e) {
        if (e instanceof PropValidationError && e.prop === 'threshold') return true;
        throw e;
      }
    };
    const seen = TABLE.map(([metric], i) => [metric, make(metric, i, 0.5).maximize, capped(metric, i)]);
    expect(seen).toEqual(TABLE);
  });

  test('eval_metric may list metrics with spaces after the commas', () => {
    expect(build({ hyperparameters: { eval_metric: 'auc, logloss' }, objectiveMetric: 'validation:logloss', threshold: 0.3 }).maximize).toBe(false);
  });

  test('without eval_metric the rejection shows it empty', () => {
    expect(rejectionOf(() => build({ hyperparameters: { eval_metric: undefined } })).message)
      .toBe('[Test/Pipeline] invalid objectiveMetric: got "validation:auc"; allowed: a metric named in the eval_metric hyperparameter (""): XGBoost emits only those');
  });

  test('a custom image\'s metric is minimized when it reads as an error or a loss, maximized otherwise', () => {
    expect(customImage(['validation:f1'])({ objectiveMetric: 'validation:f1' }).maximize).toBe(true);
    expect(customImage(['validation:loss'])({ objectiveMetric: 'validation:loss', threshold: 0.2 }).maximize).toBe(false);
  });

  test('a custom image\'s metric is not held to 0..1, even when it shares an XGBoost metric\'s name', () => {
    expect(customImage(['validation:auc'])({ objectiveMetric: 'validation:auc', threshold: 5 }).threshold).toBe(5);
  });
});

describe('rules on props', () => {
  test('a hyperparameter value of exactly 2500 characters is accepted; 2501 is rejected', () => {
    expect(() => build({ hyperparameters: { note: 'x'.repeat(2500) } })).not.toThrow();
    expect(rejectionOf(() => build({ hyperparameters: { note: 'x'.repeat(2501) } })).prop).toBe('hyperparameters.note');
  });

  test('a bad baseline prefix is named as trainingData.baselinePrefix', () => {
    const f = fixture('lab');
    const data = TrainingData.fromBucket(f.bucket, f.key, { baselinePrefix: '/baseline/' });
    expect(rejectionOf(() => new TrainingPipeline(f.stack, 'Pipeline', { trainingData: data, vpc: f.vpc })).prop).toBe('trainingData.baselinePrefix');
  });

  test.each(['cron(0 12 ? * MON *)', 'cron(0 3 15 * ? *)'])('the schedule %s (multi-digit fields, "?" in day-of-week) is accepted', (schedule) => {
    expect(() => build({ schedule })).not.toThrow();
  });

  test.each(['xrate(1 day)', 'cron(0 3 ? * MON *)x'])('the schedule %p (text around the expression) is rejected', (schedule) => {
    expect(rejectionOf(() => build({ schedule })).prop).toBe('schedule');
  });

  test('tuning.maxJobs out of range names its unit', () => {
    expect(rejectionOf(() => build({ tuning: { ranges: [HyperparameterRange.integer('max_depth', 3, 8)], maxJobs: 0 } })).message)
      .toBe('[Test/Pipeline] invalid tuning.maxJobs: got 0; allowed: an integer from 1 to 750 training jobs');
  });

  test('a bad range name and non-string categorical values are named by their path', () => {
    expect(rejectionOf(() => build({ tuning: { ranges: [HyperparameterRange.integer('9depth', 3, 8)] } })).prop).toBe('tuning.ranges[0].name');
    expect(rejectionOf(() => build({ tuning: { ranges: [HyperparameterRange.categorical('tree_method', 'hist' as unknown as string[])] } })).prop)
      .toBe('tuning.ranges[0].values');
  });

  test('a categorical range takes up to 30 values', () => {
    const values = (n: number) => Array.from({ length: n }, (_, i) => `v${i}`);
    expect(() => build({ tuning: { ranges: [HyperparameterRange.categorical('tree_method', values(30))] } })).not.toThrow();
    expect(rejectionOf(() => build({ tuning: { ranges: [HyperparameterRange.categorical('tree_method', values(31))] } })).prop)
      .toBe('tuning.ranges[0].values');
  });

  test('only logarithmic scaling needs a minimum above 0, and the rejection shows the range', () => {
    expect(() => build({ tuning: { ranges: [HyperparameterRange.continuous('alpha', 0, 1)] } })).not.toThrow();
    expect(rejectionOf(() => build({ tuning: { ranges: [HyperparameterRange.continuous('alpha', 0, 1, HyperparameterScaling.LOGARITHMIC)] } })).message)
      .toBe('[Test/Pipeline] invalid tuning.ranges[0]: got "0..1"; allowed: a minimum above 0 with logarithmic scaling');
  });
});

describe('job name prefixes in one app', () => {
  const two = (first: string, second: string) => {
    const f = fixture('lab');
    new TrainingPipeline(f.stack, 'A', { trainingData: f.data, vpc: f.vpc, jobNamePrefix: first });
    return () => new TrainingPipeline(f.stack, 'B', { trainingData: f.data, vpc: f.vpc, jobNamePrefix: second });
  };

  test('the same prefix twice, or one that starts another\'s jobs\' names, is rejected', () => {
    expect(rejectionOf(two('churn', 'churn')).prop).toBe('jobNamePrefix');
    expect(rejectionOf(two('churn-a', 'churn')).prop).toBe('jobNamePrefix');
  });

  test('a prefix known only at deploy time is not compared (CloudFormation sees it)', () => {
    const f = fixture('lab');
    const prefix = new CfnParameter(f.stack, 'Prefix', { type: 'String' }).valueAsString;
    new TrainingPipeline(f.stack, 'A', { trainingData: f.data, vpc: f.vpc, jobNamePrefix: prefix });
    expect(() => new TrainingPipeline(f.stack, 'B', { trainingData: f.data, vpc: f.vpc, jobNamePrefix: prefix })).not.toThrow();
  });
});
