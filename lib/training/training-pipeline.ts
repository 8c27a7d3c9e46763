import { ArnFormat, Aws, Duration, Names, Size, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { BuiltInImage } from '../core/built-in-image';
import type { ITrainingPipelineMetrics } from '../core/dashboard-sources';
import { EncryptedLogGroup } from '../core/encrypted-log-group';
import { ChurnModelDefaults } from '../core/model-defaults';
import { Nag } from '../core/nag';
import { SageMakerNames } from '../core/naming';
import { fixedNameRemovalPolicy } from '../core/private/fixed-name-removal';
import { hasLocalNvmeStorage } from '../core/private/instance-storage';
import { Profile } from '../core/profile';
import { UniqueNames } from '../core/unique-names';
import {
  check, checkArray, checkInstance, checkOneOf, checkPattern, checkRange, checkRequired, checkType, invalidProp, isConcrete,
} from '../core/validation';
import { HyperparameterRange, HyperparameterRangeType, HyperparameterScaling, TuningConfig, TuningStrategy } from './hyperparameter-tuning';
import { XGBOOST_METRICS } from './private/xgboost-metrics';
import { TrainingData } from './training-data';
import { TrainingImage } from './training-image';

/** The approval status a new model package version is registered with. */
export enum ModelApprovalStatus {
  /** Deployable at once (the lab default). */
  APPROVED = 'Approved',
  /** Waits for a person to approve it (the production default). */
  PENDING_MANUAL_APPROVAL = 'PendingManualApproval',
}

/** A Glue job the pipeline runs before training: `EtlJob` (lib/data) has this shape. */
export interface ITrainingEtlJob {
  /** The Glue job's name. */
  readonly jobName: string;
}

/** Props of {@link TrainingPipeline}. */
export interface TrainingPipelineProps {
  /** Where the training export is: `TrainingData.fromLake(lake)` or `TrainingData.fromBucket(...)`. */
  readonly trainingData: TrainingData;
  /** The VPC the training and processing jobs run in (e.g. `PrivateNetwork.vpc`). */
  readonly vpc: ec2.IVpc;
  /**
   * The subnets of the jobs.
   * @default - the VPC's isolated subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * The key for job volumes, model artifacts, checkpoints, the topic and the state machine's logs;
   * it must be defined in this app (the log group needs a key-policy statement).
   * @default - the training data's key
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * The training container.
   * @default TrainingImage.fromBuiltIn(BuiltInImage.xgboost())
   */
  readonly image?: TrainingImage;
  /**
   * Hyperparameters that replace or add to the defaults (every value a string, as SageMaker takes them).
   * @default - ChurnModelDefaults.hyperparameters()
   */
  readonly hyperparameters?: { [name: string]: string };
  /**
   * The objective metric the gate (and a tuning job) reads, as `<channel>:<metric>`.
   * @default 'validation:auc'
   */
  readonly objectiveMetric?: string;
  /**
   * The gate: the objective's value must reach this (at least it for metrics to maximize, at most
   * it for metrics to minimize), or the execution fails and nothing is registered.
   * @default 0.75
   */
  readonly threshold?: number;
  /**
   * Instance type of the training jobs.
   * @default - lab: 'ml.m5.large'; production: 'ml.m5.xlarge'
   */
  readonly instanceType?: string;
  /**
   * Instances per training job; with more than one the `train` channel is sharded by S3 key and
   * traffic between instances is encrypted.
   * @default 1
   */
  readonly instanceCount?: number;
  /**
   * Storage volume of each instance (1 to 16384 GiB).
   * @default Size.gibibytes(10)
   */
  readonly volumeSize?: Size;
  /**
   * Managed spot training (needs checkpoints).
   * @default - lab: true; production: false
   */
  readonly spot?: boolean;
  /**
   * Checkpoints in S3 under `checkpointPrefix/<job name>/`, so an interrupted spot job resumes.
   * @default true
   */
  readonly checkpoints?: boolean;
  /**
   * Longest a training job may run (1 second to 28 days).
   * @default - lab: 1 hour; production: 4 hours
   */
  readonly maxRuntime?: Duration;
  /**
   * Longest a spot job may take including waiting for capacity: at least `maxRuntime`, at most 28 days.
   * @default - twice maxRuntime with spot; unset without
   */
  readonly maxWait?: Duration;
  /**
   * Network isolation of the training containers (no calls out at all); only custom images may turn it off.
   * @default true
   */
  readonly networkIsolation?: boolean;
  /**
   * Run a hyperparameter tuning job instead of one training job.
   * @default - no tuning: one training job
   */
  readonly tuning?: TuningConfig;
  /**
   * A Glue job to run (`.sync`) before training, e.g. the `EtlJob` that writes the export.
   * @default - none
   */
  readonly etlJob?: ITrainingEtlJob;
  /**
   * Prefix of the training, tuning and baseline job names (1 to 10 lower-case letters, digits and
   * hyphens); each execution adds `-` and 20 random hex characters.
   * @default - the construct id, lower-case letters and digits only, cut to 10 characters
   */
  readonly jobNamePrefix?: string;
  /**
   * Where model artifacts go, in the training data's bucket.
   * @default 'training-output/'
   */
  readonly outputPrefix?: string;
  /**
   * Where checkpoints go, in the training data's bucket.
   * @default 'training-checkpoints/'
   */
  readonly checkpointPrefix?: string;
  /**
   * The model package group the versions are registered in.
   * @default - a name derived from the stack and construct path
   */
  readonly modelPackageGroupName?: string;
  /**
   * Whether the construct creates the model package group (false: it exists already, and
   * `modelPackageGroupName` names it).
   * @default true
   */
  readonly createModelPackageGroup?: boolean;
  /**
   * Approval status of new versions.
   * @default - lab: ModelApprovalStatus.APPROVED; production: ModelApprovalStatus.PENDING_MANUAL_APPROVAL
   */
  readonly approvalStatus?: ModelApprovalStatus;
  /**
   * Request content types the model accepts.
   * @default ['text/csv']
   */
  readonly contentTypes?: string[];
  /**
   * Response content types the model returns.
   * @default ['text/csv']
   */
  readonly responseTypes?: string[];
  /**
   * Instance types the model may be deployed to (real-time and batch transform).
   * @default ['ml.c5.large', 'ml.m5.large']
   */
  readonly inferenceInstanceTypes?: string[];
  /**
   * Compute the Model Monitor baseline (statistics and constraints) of the export with a header,
   * under `baselineOutputPrefix/<job name>/`, and link it from the model package.
   * @default true
   */
  readonly baseline?: boolean;
  /**
   * Where baselines go, in the training data's bucket.
   * @default 'model-baselines/'
   */
  readonly baselineOutputPrefix?: string;
  /**
   * An EventBridge Scheduler expression that starts the pipeline: `rate(N hours|days)` (at least
   * hourly) or `cron(minutes hours day-of-month month day-of-week year)`, in UTC.
   * @default - no schedule
   */
  readonly schedule?: string;
  /**
   * Start the pipeline when an object is created under the `train` prefix (S3 events through
   * EventBridge; the bucket's EventBridge notifications are turned on).
   * @default false
   */
  readonly retrainOnNewData?: boolean;
  /**
   * With `retrainOnNewData`, only objects whose key ends with this start the pipeline, e.g.
   * `_SUCCESS` (the marker Spark writes when a job's output is complete), so a training does not
   * start on the first of many files still being written.
   * @default - any object under the train prefix
   */
  readonly newDataKeySuffix?: string;
  /**
   * The topic failed, timed-out and aborted executions are sent to.
   * @default - a new topic encrypted with the key
   */
  readonly notificationTopic?: sns.ITopic;
  /**
   * What the state machine logs.
   * @default - lab: sfn.LogLevel.ALL; production: sfn.LogLevel.ERROR
   */
  readonly logLevel?: sfn.LogLevel;
  /**
   * Retention of the state machine's log group.
   * @default - lab: one week; production: one year
   */
  readonly logRetention?: logs.RetentionDays;
}

/** The profile-dependent defaults of {@link TrainingPipelineProps}. */
export interface TrainingPipelineDefaults {
  /** Training instance type. */
  readonly instanceType: string;
  /** Training instances. */
  readonly instanceCount: number;
  /** Managed spot training. */
  readonly spot: boolean;
  /** Longest training run, in seconds. */
  readonly maxRuntimeSeconds: number;
  /** Approval status of new versions. */
  readonly approvalStatus: ModelApprovalStatus;
  /** State machine log level. */
  readonly logLevel: sfn.LogLevel;
  /** State machine log retention. */
  readonly logRetention: logs.RetentionDays;
}

const MAX_SECONDS = 28 * 24 * 3600;
const PREFIX_PATTERN = /^([A-Za-z0-9!_.'()=-]+\/)+$/;
const PREFIX_RULE = 'one or more folder names each followed by "/", e.g. "training-output/", without a leading "/" or wildcards';
const JOB_PREFIX_PATTERN = /^[a-z0-9](-*[a-z0-9]){0,9}$/;
const JOB_PREFIX_RULE = '1 to 10 lower-case letters, digits and hyphens, starting and ending with a letter or digit (tuning job names are at most 32 characters and SageMaker ARNs are lower case)';
const INSTANCE_TYPE_PATTERN = /^ml\.[a-z0-9]+\.[a-z0-9]+$/;
const CONTENT_TYPE_PATTERN = /^[a-z]+\/[a-z0-9.+-]+$/;
const HP_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_.:-]{0,255}$/;
const RATE_PATTERN = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON_PATTERN = /^cron\(([0-9*,/-]+) ([0-9*,/-]+) ([0-9*,/?LW-]+) ([0-9A-Za-z*,/-]+) ([0-9A-Za-z*,/?L#-]+) ([0-9*,/-]+)\)$/;
const BASELINE_INSTANCE_TYPE = 'ml.m5.large';

/**
 * Training as a Step Functions state machine: optional ETL, a training job (or a tuning job) in
 * isolated subnets under KMS with managed spot and checkpoints, a gate on the objective metric,
 * the Model Monitor baseline, and a model package version in the registry; failures reach an
 * encrypted topic; a schedule, new data or any alarm starts it, one execution at a time.
 */
export class TrainingPipeline extends Construct implements ec2.IConnectable, ITrainingPipelineMetrics {
  /** Profile-dependent defaults, documented on the props. */
  public static defaults(profile: Profile): TrainingPipelineDefaults {
    return profile.isLab
      ? {
        instanceType: 'ml.m5.large', instanceCount: 1, spot: true, maxRuntimeSeconds: 3600,
        approvalStatus: ModelApprovalStatus.APPROVED, logLevel: sfn.LogLevel.ALL, logRetention: logs.RetentionDays.ONE_WEEK,
      }
      : {
        instanceType: 'ml.m5.xlarge', instanceCount: 1, spot: false, maxRuntimeSeconds: 4 * 3600,
        approvalStatus: ModelApprovalStatus.PENDING_MANUAL_APPROVAL, logLevel: sfn.LogLevel.ERROR, logRetention: logs.RetentionDays.ONE_YEAR,
      };
  }

  /** The state machine. */
  public readonly stateMachine: sfn.StateMachine;
  /** The state machine's name (fixed, so its own policy can name it). */
  public readonly stateMachineName: string;
  /** The state machine's role. */
  public readonly role: iam.Role;
  /** The state machine role's permissions (written by hand: every action its states call). */
  public readonly policy: iam.ManagedPolicy;
  /** The role the training (and tuning) jobs run as. */
  public readonly jobRole: iam.Role;
  /** The role the baseline processing job runs as; undefined without a baseline. */
  public readonly baselineRole?: iam.Role;
  /** The model package group's name. */
  public readonly modelPackageGroupName: string;
  /** The model package group, when the construct created it. */
  public readonly modelPackageGroup?: sagemaker.CfnModelPackageGroup;
  /** The security group of the jobs. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** The jobs' network connections. */
  public readonly connections: ec2.Connections;
  /** The state machine's log group. */
  public readonly logGroup: logs.LogGroup;
  /** The topic that hears about failed executions. */
  public readonly notificationTopic: sns.ITopic;
  /** EventBridge rule matching failed, timed-out and aborted executions. */
  public readonly failureRule: events.Rule;
  /** Alarm on failed executions. */
  public readonly failureAlarm: cloudwatch.Alarm;
  /** The schedule, if `schedule` was given. */
  public readonly schedule?: scheduler.CfnSchedule;
  /** The rule that starts the pipeline on new training data, if `retrainOnNewData`. */
  public readonly newDataRule?: events.Rule;
  /** The objective metric the gate reads. */
  public readonly objectiveMetric: string;
  /** Whether the objective is maximized. */
  public readonly maximize: boolean;
  /** The gate's threshold. */
  public readonly threshold: number;
  /** Prefix of the job names. */
  public readonly jobNamePrefix: string;

  private readonly triggerRole: iam.Role;
  private readonly triggerPolicy: iam.ManagedPolicy;
  private alarmTriggers = 0;

  constructor(scope: Construct, id: string, props: TrainingPipelineProps) {
    super(scope, id);
    const profile = Profile.of(this);
    const defaults = TrainingPipeline.defaults(profile);
    const stack = Stack.of(this);

    // For callers without a type checker: shapes first, so the rules below read real values.
    checkRequired(this, 'trainingData', props?.trainingData, 'a TrainingData (TrainingData.fromLake or TrainingData.fromBucket)');
    checkInstance(this, 'trainingData', props.trainingData, ctor(TrainingData), 'a TrainingData (TrainingData.fromLake or TrainingData.fromBucket)');
    checkRequired(this, 'vpc', props.vpc, 'an ec2.IVpc, e.g. PrivateNetwork.vpc');
    checkInstance(this, 'image', props.image, ctor(TrainingImage), 'a TrainingImage (TrainingImage.fromBuiltIn or TrainingImage.fromEcrRepository)');
    for (const [prop, type] of [
      ['objectiveMetric', 'string'], ['threshold', 'number'], ['instanceType', 'string'], ['instanceCount', 'number'], ['spot', 'boolean'],
      ['checkpoints', 'boolean'], ['networkIsolation', 'boolean'], ['jobNamePrefix', 'string'], ['outputPrefix', 'string'],
      ['checkpointPrefix', 'string'], ['modelPackageGroupName', 'string'], ['createModelPackageGroup', 'boolean'], ['baseline', 'boolean'],
      ['baselineOutputPrefix', 'string'], ['schedule', 'string'], ['retrainOnNewData', 'boolean'], ['approvalStatus', 'string'],
      ['newDataKeySuffix', 'string'],
    ] as const) {
      checkType(this, prop, props[prop], type);
    }
    for (const prop of ['contentTypes', 'responseTypes', 'inferenceInstanceTypes'] as const) {
      checkArray(this, prop, props[prop], 'strings');
    }
    checkInstance(this, 'maxRuntime', props.maxRuntime, ctor(Duration), 'a Duration, e.g. Duration.hours(1)');
    checkInstance(this, 'maxWait', props.maxWait, ctor(Duration), 'a Duration, e.g. Duration.hours(2)');
    checkInstance(this, 'volumeSize', props.volumeSize, ctor(Size), 'a Size, e.g. Size.gibibytes(10)');

    const data = props.trainingData;
    const key = props.encryptionKey ?? data.encryptionKey;
    const image = props.image ?? TrainingImage.fromBuiltIn(BuiltInImage.xgboost());
    const hyperparameters = { ...ChurnModelDefaults.hyperparameters(), ...(props.hyperparameters ?? {}) };
    this.objectiveMetric = props.objectiveMetric ?? 'validation:auc';
    this.threshold = props.threshold ?? 0.75;
    const instanceType = props.instanceType ?? defaults.instanceType;
    const instanceCount = props.instanceCount ?? defaults.instanceCount;
    const volumeGb = (props.volumeSize ?? Size.gibibytes(10)).toGibibytes();
    const spot = props.spot ?? defaults.spot;
    const checkpoints = props.checkpoints ?? true;
    const maxRuntime = props.maxRuntime?.toSeconds({ integral: false }) ?? defaults.maxRuntimeSeconds;
    const maxWait = props.maxWait?.toSeconds({ integral: false }) ?? (spot && isConcrete(maxRuntime) ? Math.min(2 * maxRuntime, MAX_SECONDS) : undefined);
    const networkIsolation = props.networkIsolation ?? true;
    const outputPrefix = props.outputPrefix ?? 'training-output/';
    const checkpointPrefix = props.checkpointPrefix ?? 'training-checkpoints/';
    const baselineOutputPrefix = props.baselineOutputPrefix ?? 'model-baselines/';
    const baseline = props.baseline ?? true;
    const approvalStatus = props.approvalStatus ?? defaults.approvalStatus;
    const contentTypes = props.contentTypes ?? ['text/csv'];
    const responseTypes = props.responseTypes ?? ['text/csv'];
    const inferenceInstanceTypes = props.inferenceInstanceTypes ?? ['ml.c5.large', 'ml.m5.large'];
    const createGroup = props.createModelPackageGroup ?? true;
    this.jobNamePrefix = props.jobNamePrefix ?? defaultJobPrefix(id);

    // Image and objective.
    check(this, image.builtIn === undefined || image.isBuiltInXGBoost, 'image', image.builtIn?.displayName,
      'the built-in XGBoost image (the only built-in algorithm whose metrics this construct knows), or TrainingImage.fromEcrRepository with metric definitions');
    check(this, networkIsolation || image.builtIn === undefined, 'networkIsolation', networkIsolation,
      'true for built-in algorithm images (they need no network; only custom images may turn isolation off)');
    checkPattern(this, 'objectiveMetric', this.objectiveMetric, /^(train|validation):[A-Za-z0-9_@.-]+$/, '"<channel>:<metric>" with channel train or validation, e.g. "validation:auc"');
    this.maximize = this.validateObjective(image, hyperparameters);
    checkType(this, 'threshold', this.threshold, 'number');
    if (image.isBuiltInXGBoost && isConcrete(this.threshold) && XGBOOST_METRICS[this.objectiveMetric.split(':')[1]]?.bounded) {
      checkRange(this, 'threshold', this.threshold, 0, 1, { unit: `(${this.objectiveMetric} lies between 0 and 1)` });
    }

    // Hyperparameters.
    for (const [name, value] of Object.entries(props.hyperparameters ?? {})) {
      checkPattern(this, 'hyperparameters', name, HP_NAME_PATTERN, 'names of 1 to 256 letters, digits, "_", ".", ":" and "-", not starting with a digit');
      check(this, typeof value === 'string' && value.length <= 2500, `hyperparameters.${name}`, value, 'a string of at most 2500 characters (SageMaker takes every hyperparameter as a string)');
    }

    // Capacity and time.
    checkPattern(this, 'instanceType', instanceType, INSTANCE_TYPE_PATTERN, 'a SageMaker instance type such as "ml.m5.large"');
    checkRange(this, 'instanceCount', instanceCount, 1, 100, { integer: true, unit: 'instances' });
    checkRange(this, 'volumeSize', volumeGb, 1, 16384, { integer: true, unit: 'GiB' });
    checkRange(this, 'maxRuntime', maxRuntime, 1, MAX_SECONDS, { integer: true, unit: 'seconds (28 days)' });
    check(this, !(spot && !checkpoints), 'checkpoints', checkpoints,
      'true with spot training: an interrupted spot job restarts from its last checkpoint, or from scratch without one');
    if (!spot) check(this, props.maxWait === undefined, 'maxWait', props.maxWait?.toHumanString(), 'unset without spot training (it bounds the wait for spot capacity)');
    if (maxWait !== undefined) {
      checkRange(this, 'maxWait', maxWait, 1, MAX_SECONDS, { integer: true, unit: 'seconds (28 days)' });
      if (isConcrete(maxWait) && isConcrete(maxRuntime)) {
        // Only a maxWait given can be short: the default is twice maxRuntime, capped at 28 days.
        check(this, maxWait >= maxRuntime, 'maxWait', props.maxWait?.toHumanString(),
          `at least maxRuntime (${maxRuntime} seconds): it includes the training time`);
      }
    }

    // Names and prefixes.
    checkPattern(this, 'jobNamePrefix', this.jobNamePrefix, JOB_PREFIX_PATTERN, JOB_PREFIX_RULE);
    const prefixes: Array<[string, string]> = [
      ['trainingData.trainPrefix', data.trainPrefix], ['trainingData.validationPrefix', data.validationPrefix],
      ['trainingData.baselinePrefix', data.baselinePrefix], ['outputPrefix', outputPrefix], ['checkpointPrefix', checkpointPrefix],
      ['baselineOutputPrefix', baselineOutputPrefix],
    ];
    for (const [prop, value] of prefixes) checkPattern(this, prop, value, PREFIX_PATTERN, PREFIX_RULE);
    // What the jobs write must not land in what they read.
    const reads = prefixes.slice(0, 3);
    for (const [prop, written] of prefixes.slice(3)) {
      for (const [readProp, read] of reads) {
        if (!isConcrete(written) || !isConcrete(read)) continue;
        check(this, !written.startsWith(read) && !read.startsWith(written), prop, written,
          `a prefix that neither contains nor lies inside ${readProp} ("${read}"): the jobs would write into their own input`);
      }
    }
    if (props.modelPackageGroupName !== undefined) SageMakerNames.validate(this, 'modelPackageGroupName', props.modelPackageGroupName);
    check(this, createGroup || props.modelPackageGroupName !== undefined, 'modelPackageGroupName', props.modelPackageGroupName,
      'the name of the existing group when createModelPackageGroup is false');

    // Registration.
    checkOneOf(this, 'approvalStatus', approvalStatus, [ModelApprovalStatus.APPROVED, ModelApprovalStatus.PENDING_MANUAL_APPROVAL]);
    check(this, contentTypes.length > 0, 'contentTypes', contentTypes, 'at least one MIME type, e.g. "text/csv"');
    check(this, responseTypes.length > 0, 'responseTypes', responseTypes, 'at least one MIME type, e.g. "text/csv"');
    contentTypes.forEach((t, i) => checkPattern(this, `contentTypes[${i}]`, t, CONTENT_TYPE_PATTERN, 'a MIME type such as "text/csv"'));
    responseTypes.forEach((t, i) => checkPattern(this, `responseTypes[${i}]`, t, CONTENT_TYPE_PATTERN, 'a MIME type such as "text/csv"'));
    check(this, inferenceInstanceTypes.length > 0, 'inferenceInstanceTypes', inferenceInstanceTypes, 'at least one instance type, e.g. "ml.c5.large"');
    inferenceInstanceTypes.forEach((t, i) => checkPattern(this, `inferenceInstanceTypes[${i}]`, t, INSTANCE_TYPE_PATTERN, 'a SageMaker instance type such as "ml.c5.large"'));

    // Tuning and triggers.
    if (props.tuning) this.validateTuning(props.tuning);
    if (props.schedule !== undefined) validateSchedule(this, props.schedule);
    if (props.newDataKeySuffix !== undefined) {
      check(this, props.retrainOnNewData === true, 'newDataKeySuffix', props.newDataKeySuffix, 'unset unless retrainOnNewData is true');
      checkPattern(this, 'newDataKeySuffix', props.newDataKeySuffix, /^[A-Za-z0-9!_.'()=/-]{1,100}$/, '1 to 100 characters of an S3 key without "*" or "?", e.g. "_SUCCESS"');
    }

    // Names of resources AWS allows once per account and region.
    this.stateMachineName = Names.uniqueResourceName(this, { maxLength: 80, separator: '-', allowedSpecialCharacters: '-' });
    UniqueNames.claim(this, 'Step Functions state machine', this.stateMachineName, 'stateMachineName');
    this.modelPackageGroupName = props.modelPackageGroupName ?? SageMakerNames.unique(this);
    claimJobPrefix(this, this.jobNamePrefix);

    // Network.
    const subnets = props.vpc.selectSubnets(props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED });
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `Training and processing jobs of ${this.node.path}`,
      allowAllOutbound: false,
    });
    // S3 is reached through the gateway endpoint's prefix list, whose id is unknown offline.
    this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to S3 through the gateway endpoint');
    // Distributed training: the instances talk to each other.
    this.securityGroup.connections.allowInternally(ec2.Port.allTcp(), 'Between the instances of one training job');
    this.connections = this.securityGroup.connections;
    const vpcConfig = { SecurityGroupIds: [this.securityGroup.securityGroupId], Subnets: subnets.subnetIds };

    // Locations.
    const bucket = data.bucket;
    const s3Uri = (prefix: string) => `s3://${bucket.bucketName}/${prefix}`;
    const repositoryArn = image.repositoryArn(this);
    const imageUri = image.imageUri(this);

    // Job role: reads the channels, writes outputs and checkpoints, uses the key, pulls the image.
    this.jobRole = new iam.Role(this, 'JobRole', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: `Training jobs of ${this.node.path}`,
    });
    const jobPolicy = sageMakerJobPolicy(this, 'JobPolicy', this.jobRole, {
      bucket,
      readPrefixes: [data.trainPrefix, data.validationPrefix, ...(spot || checkpoints ? [checkpointPrefix] : [])],
      writePrefixes: [outputPrefix, ...(checkpoints ? [checkpointPrefix] : [])],
      key,
      repositoryArn,
      vpc: props.vpc,
      subnetIds: subnets.subnetIds,
      securityGroup: this.securityGroup,
      logGroupPrefix: '/aws/sagemaker/TrainingJobs',
      metricNamespace: '/aws/sagemaker/TrainingJobs',
    });

    let baselinePolicy: iam.ManagedPolicy | undefined;
    const analyzer = BuiltInImage.MODEL_MONITOR_ANALYZER;
    if (baseline) {
      this.baselineRole = new iam.Role(this, 'BaselineRole', {
        assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
        description: `Model Monitor baseline jobs of ${this.node.path}`,
      });
      baselinePolicy = sageMakerJobPolicy(this, 'BaselinePolicy', this.baselineRole, {
        bucket,
        readPrefixes: [data.baselinePrefix],
        writePrefixes: [baselineOutputPrefix],
        key,
        repositoryArn: analyzer.repositoryArn(this),
        vpc: props.vpc,
        subnetIds: subnets.subnetIds,
        securityGroup: this.securityGroup,
        logGroupPrefix: '/aws/sagemaker/ProcessingJobs',
        metricNamespace: '/aws/sagemaker/ProcessingJobs',
      });
    }

    if (createGroup) {
      this.modelPackageGroup = new sagemaker.CfnModelPackageGroup(this, 'ModelPackageGroup', {
        modelPackageGroupName: this.modelPackageGroupName,
        modelPackageGroupDescription: `Models trained by ${this.node.path} (${this.objectiveMetric} gate ${this.threshold})`,
      });
      // Deleting the group would delete the registry's history: keep it like data, except after a
      // failed first create (its name is fixed: a retry must not find it "already exists").
      this.modelPackageGroup.applyRemovalPolicy(fixedNameRemovalPolicy(profile.removalPolicy));
      UniqueNames.claim(this, 'SageMaker model package group', this.modelPackageGroupName, 'modelPackageGroupName');
    }

    // The definition.
    const partition = Aws.PARTITION;
    const jobName = `${this.jobNamePrefix}-`;
    const trainingJob = {
      AlgorithmSpecification: {
        TrainingImage: imageUri,
        TrainingInputMode: 'File',
        ...(image.metricDefinitions.length > 0 ? { MetricDefinitions: image.metricDefinitions.map((m) => ({ Name: m.name, Regex: m.regex })) } : {}),
      },
      RoleArn: this.jobRole.roleArn,
      InputDataConfig: [
        channel('train', s3Uri(data.trainPrefix), isConcrete(instanceCount) && instanceCount > 1 ? 'ShardedByS3Key' : 'FullyReplicated'),
        channel('validation', s3Uri(data.validationPrefix), 'FullyReplicated'),
      ],
      OutputDataConfig: { S3OutputPath: s3Uri(outputPrefix), KmsKeyId: key.keyArn },
      ResourceConfig: {
        InstanceType: instanceType, InstanceCount: instanceCount, VolumeSizeInGB: volumeGb,
        // Types with local NVMe storage encrypt it in hardware, and SageMaker rejects a volume key for them.
        ...(isConcrete(instanceType) && hasLocalNvmeStorage(instanceType) ? {} : { VolumeKmsKeyId: key.keyArn }),
      },
      StoppingCondition: { MaxRuntimeInSeconds: maxRuntime, ...(spot ? { MaxWaitTimeInSeconds: maxWait } : {}) },
      VpcConfig: vpcConfig,
      EnableNetworkIsolation: networkIsolation,
      // Encrypts traffic between instances; SageMaker docs: only matters (and only costs) with several.
      EnableInterContainerTrafficEncryption: !isConcrete(instanceCount) || instanceCount > 1,
      EnableManagedSpotTraining: spot,
    };
    const checkpointConfig = (path: string) => (checkpoints ? { CheckpointConfig: { 'S3Uri.$': path } } : {});

    const guard = task(this, 'List running executions', `arn:${partition}:states:::aws-sdk:sfn:listExecutions`, {
      'StateMachineArn.$': '$$.StateMachine.Id',
      'StatusFilter': 'RUNNING',
      'MaxResults': 100,
    }, '$.guard', {
      'executions.$': '$.Executions',
      'id.$': "States.StringSplit(States.UUID(), '-')",
    }, 'Lists the running executions of this state machine; only the oldest goes on.');
    const prepare = new sfn.Pass(this, 'Name the jobs', {
      parameters: {
        'jobName.$': `States.Format('${jobName}{}{}', States.ArrayGetItem($.guard.id, 0), States.ArrayGetItem($.guard.id, 4))`,
        'self.$': '$$.Execution.Id',
      },
      resultPath: '$.run',
      comment: 'One name per execution for the training, tuning and baseline jobs: the prefix and 20 random hex characters (at most 31 characters).',
    });
    const oldest = new sfn.Pass(this, 'Find the oldest running execution', {
      parameters: {
        'oldest.$': 'States.ArrayGetItem($.guard.executions, States.MathAdd(States.ArrayLength($.guard.executions), -1))',
      },
      resultPath: '$.guard',
      comment: 'ListExecutions lists the newest first.',
    });
    const skip = new sfn.Succeed(this, 'Skip: another execution is running', {
      comment: 'A trigger while an execution runs does not start a second training.',
    });

    const gateFailMissing = new sfn.Fail(this, 'Objective metric missing', {
      error: 'ObjectiveMetricMissing',
      cause: `The training job reported no ${this.objectiveMetric}: nothing registered. Check eval_metric and the validation channel.`,
    });
    const gateFailBelow = new sfn.Fail(this, 'Below the gate', {
      error: 'BelowThreshold',
      causePath: `States.Format('${this.objectiveMetric} {} does not reach the gate ${this.maximize ? '>=' : '<='} ${this.threshold}: nothing registered', $.metric.values[0])`,
    });

    const readMetric = new sfn.Pass(this, 'Read the objective metric', {
      parameters: { 'values.$': `$.training.FinalMetricDataList[?(@.MetricName == '${this.objectiveMetric}')].Value` },
      resultPath: '$.metric',
    });
    const register = task(this, 'Register the model version', `arn:${partition}:states:::aws-sdk:sagemaker:createModelPackage`, {
      ModelPackageGroupName: this.modelPackageGroupName,
      'ModelPackageDescription.$': `States.Format('${this.objectiveMetric} {} from training job {}', $.metric.values[0], $.training.TrainingJobName)`,
      ModelApprovalStatus: approvalStatus,
      InferenceSpecification: {
        Containers: [{ 'Image': imageUri, 'ModelDataUrl.$': '$.training.ModelArtifacts.S3ModelArtifacts' }],
        SupportedContentTypes: contentTypes,
        SupportedResponseMIMETypes: responseTypes,
        SupportedRealtimeInferenceInstanceTypes: inferenceInstanceTypes,
        SupportedTransformInstanceTypes: inferenceInstanceTypes,
      },
      CustomerMetadataProperties: {
        'objective_metric': this.objectiveMetric,
        'objective_value.$': "States.Format('{}', $.metric.values[0])",
        // Also under the metric's own name (e.g. `validation:auc`: keys may hold letters, digits and _.:/=+-@,
        // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateModelPackage.html): what `lab models` shows.
        [`${this.objectiveMetric}.$`]: "States.Format('{}', $.metric.values[0])",
        'training_job.$': '$.training.TrainingJobName',
        'execution.$': '$$.Execution.Id',
      },
      ...(baseline ? {
        ModelMetrics: { ModelDataQuality: baselineReports(s3Uri(baselineOutputPrefix)) },
        DriftCheckBaselines: { ModelDataQuality: baselineReports(s3Uri(baselineOutputPrefix)) },
      } : {}),
    }, '$.modelPackage', { 'ModelPackageArn.$': '$.ModelPackageArn' }, 'A new version in the model package group, with the gate\'s metric.');
    const done = new sfn.Succeed(this, 'Registered');

    let afterGate: sfn.IChainable = sfn.Chain.start(register).next(done);
    if (baseline) {
      const baselineJob = task(this, 'Compute the baseline', `arn:${partition}:states:::sagemaker:createProcessingJob.sync`, {
        'ProcessingJobName.$': '$.run.jobName',
        'RoleArn': this.baselineRole!.roleArn,
        'AppSpecification': { ImageUri: analyzer.imageUri(this) },
        'Environment': {
          dataset_format: JSON.stringify({ csv: { header: true, output_columns_position: 'START' } }),
          dataset_source: '/opt/ml/processing/input/baseline_dataset_input',
          output_path: '/opt/ml/processing/output',
          publish_cloudwatch_metrics: 'Disabled',
        },
        'ProcessingInputs': [{
          InputName: 'baseline_dataset_input',
          S3Input: {
            S3Uri: s3Uri(data.baselinePrefix), LocalPath: '/opt/ml/processing/input/baseline_dataset_input',
            S3DataType: 'S3Prefix', S3InputMode: 'File', S3DataDistributionType: 'FullyReplicated',
          },
        }],
        'ProcessingOutputConfig': {
          KmsKeyId: key.keyArn,
          Outputs: [{
            OutputName: 'monitoring_output',
            S3Output: {
              'S3Uri.$': `States.Format('${s3Uri(baselineOutputPrefix)}{}/', $.run.jobName)`,
              'LocalPath': '/opt/ml/processing/output',
              'S3UploadMode': 'EndOfJob',
            },
          }],
        },
        'ProcessingResources': {
          ClusterConfig: { InstanceCount: 1, InstanceType: BASELINE_INSTANCE_TYPE, VolumeSizeInGB: 20, VolumeKmsKeyId: key.keyArn },
        },
        'NetworkConfig': { EnableNetworkIsolation: true, VpcConfig: vpcConfig },
        'StoppingCondition': { MaxRuntimeInSeconds: 3600 },
      }, '$.baseline', { 'ProcessingJobArn.$': '$.ProcessingJobArn' },
      'Model Monitor statistics and constraints of the export with a header, under a prefix named after this execution\'s jobs.');
      afterGate = sfn.Chain.start(baselineJob).next(afterGate);
    }

    const gate = new sfn.Choice(this, 'Gate', { comment: `${this.objectiveMetric} ${this.maximize ? '>=' : '<='} ${this.threshold}` })
      .when(sfn.Condition.not(sfn.Condition.isPresent('$.metric.values[0]')), gateFailMissing)
      .when(sfn.Condition.not(sfn.Condition.isNumeric('$.metric.values[0]')), gateFailMissing)
      .when(this.maximize
        ? sfn.Condition.numberGreaterThanEquals('$.metric.values[0]', this.threshold)
        : sfn.Condition.numberLessThanEquals('$.metric.values[0]', this.threshold), afterGate)
      .otherwise(gateFailBelow);
    const hasMetrics = new sfn.Choice(this, 'Metrics reported?')
      .when(sfn.Condition.isPresent('$.training.FinalMetricDataList'), sfn.Chain.start(readMetric).next(gate))
      .otherwise(gateFailMissing);

    let trained: sfn.Chain;
    if (props.tuning) {
      const t = props.tuning;
      const tuned = new Set(t.ranges.map((r) => r.name));
      const staticHps = Object.fromEntries(Object.entries(hyperparameters).filter(([k]) => !tuned.has(k)));
      const ranges = (type: HyperparameterRangeType) => t.ranges.filter((r) => r.type === type);
      const tune = task(this, 'Tune', `arn:${partition}:states:::sagemaker:createHyperParameterTuningJob.sync`, {
        'HyperParameterTuningJobName.$': '$.run.jobName',
        'HyperParameterTuningJobConfig': {
          Strategy: t.strategy ?? TuningStrategy.BAYESIAN,
          HyperParameterTuningJobObjective: { Type: this.maximize ? 'Maximize' : 'Minimize', MetricName: this.objectiveMetric },
          ResourceLimits: { MaxNumberOfTrainingJobs: t.maxJobs ?? 10, MaxParallelTrainingJobs: t.maxParallelJobs ?? 2 },
          ParameterRanges: {
            ContinuousParameterRanges: ranges(HyperparameterRangeType.CONTINUOUS).map((r) => ({
              Name: r.name, MinValue: String(r.min), MaxValue: String(r.max), ScalingType: r.scaling,
            })),
            IntegerParameterRanges: ranges(HyperparameterRangeType.INTEGER).map((r) => ({
              Name: r.name, MinValue: String(r.min), MaxValue: String(r.max), ScalingType: r.scaling,
            })),
            CategoricalParameterRanges: ranges(HyperparameterRangeType.CATEGORICAL).map((r) => ({ Name: r.name, Values: r.values })),
          },
          TrainingJobEarlyStoppingType: (t.earlyStopping ?? true) ? 'Auto' : 'Off',
        },
        'TrainingJobDefinition': {
          StaticHyperParameters: staticHps,
          ...trainingJob,
          ...checkpointConfig(`States.Format('${s3Uri(checkpointPrefix)}{}/', $.run.jobName)`),
        },
      }, '$.tuning', undefined, 'Runs the tuning job and waits for it (.sync).');
      const describeBest = task(this, 'Describe the best training job',
        `arn:${partition}:states:::aws-sdk:sagemaker:describeTrainingJob`,
        { 'TrainingJobName.$': '$.tuning.BestTrainingJob.TrainingJobName' }, '$.training', undefined,
        'The artifact and final metrics of the tuning job\'s best training job.');
      const hasBest = new sfn.Choice(this, 'Best training job?')
        .when(sfn.Condition.isPresent('$.tuning.BestTrainingJob.TrainingJobName'), describeBest.next(hasMetrics))
        .otherwise(new sfn.Fail(this, 'No completed training job', {
          error: 'NoBestTrainingJob',
          cause: 'The tuning job finished without a completed training job: nothing registered.',
        }));
      trained = sfn.Chain.start(tune).next(hasBest);
    } else {
      const train = task(this, 'Train', `arn:${partition}:states:::sagemaker:createTrainingJob.sync`, {
        'TrainingJobName.$': '$.run.jobName',
        'HyperParameters': hyperparameters,
        ...trainingJob,
        ...checkpointConfig(`States.Format('${s3Uri(checkpointPrefix)}{}/', $.run.jobName)`),
      }, '$.training', undefined, 'Runs the training job and waits for it (.sync).');
      trained = sfn.Chain.start(train).next(hasMetrics);
    }

    let work: sfn.IChainable = trained;
    if (props.etlJob) {
      checkRequired(this, 'etlJob.jobName', props.etlJob.jobName, 'the name of a Glue job');
      const etl = task(this, 'Run the ETL job', `arn:${partition}:states:::glue:startJobRun.sync`, { JobName: props.etlJob.jobName }, '$.etl',
        { 'JobRunId.$': '$.Id', 'JobRunState.$': '$.JobRunState' }, 'Writes the training export first (.sync).');
      work = sfn.Chain.start(etl).next(trained);
    }

    const isOldest = new sfn.Choice(this, 'Oldest running?')
      .when(sfn.Condition.stringEqualsJsonPath('$.guard.oldest.ExecutionArn', '$.run.self'), work)
      .otherwise(skip);
    const anyListed = new sfn.Choice(this, 'Any running execution listed?')
      .when(sfn.Condition.isPresent('$.guard.executions[0]'), sfn.Chain.start(oldest).next(isOldest))
      .otherwise(work);
    const definition = sfn.Chain.start(guard).next(prepare).next(anyListed);

    // The state machine's own role and policy.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com'),
      description: `State machine of ${this.node.path}`,
    });
    const stateMachineArn = stack.formatArn({ service: 'states', resource: 'stateMachine', resourceName: this.stateMachineName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    this.policy = this.stateMachinePolicy({
      stateMachineArn,
      tuning: props.tuning !== undefined,
      baseline,
      passRoles: [this.jobRole, ...(this.baselineRole ? [this.baselineRole] : [])],
      key,
      etlJobName: props.etlJob?.jobName,
    });

    const logGroupName = `/aws/vendedlogs/states/${this.stateMachineName}`;
    this.logGroup = new EncryptedLogGroup(this, 'LogGroup', {
      logGroupName,
      encryptionKey: key,
      retention: props.logRetention ?? defaults.logRetention,
      removalPolicy: profile.removalPolicy,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: this.stateMachineName,
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      // Immutable: aws-cdk-lib would add the logging and tracing actions as an inline policy; they are in ours.
      role: this.role.withoutPolicyUpdates(),
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: props.logLevel ?? defaults.logLevel, includeExecutionData: (props.logLevel ?? defaults.logLevel) === sfn.LogLevel.ALL },
      comment: `Training pipeline of ${this.node.path}: ${props.tuning ? 'tuning' : 'training'}, gate ${this.objectiveMetric} ${this.maximize ? '>=' : '<='} ${this.threshold}, registry${baseline ? ', baseline' : ''}`,
    });
    this.stateMachine.node.addDependency(this.policy, jobPolicy, ...(baselinePolicy ? [baselinePolicy] : []));
    if (this.modelPackageGroup) this.stateMachine.node.addDependency(this.modelPackageGroup);
    if ((props.logLevel ?? defaults.logLevel) !== sfn.LogLevel.ALL) {
      Nag.acknowledge(this.stateMachine, {
        id: 'AwsSolutions-SF1',
        reason: 'Production logs errors only (a documented prop): every execution of a pipeline that runs for hours would otherwise log all its events; failures are logged, alarmed and sent to the topic.',
      });
    }

    // Notifications.
    this.notificationTopic = props.notificationTopic ?? this.createTopic(key);
    this.failureRule = new events.Rule(this, 'FailureRule', {
      description: `Failed, timed-out and aborted executions of ${this.node.path}`,
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: { stateMachineArn: [this.stateMachine.stateMachineArn], status: ['FAILED', 'TIMED_OUT', 'ABORTED'] },
      },
    });
    this.failureAlarm = this.metricFailed().createAlarm(this, 'FailureAlarm', {
      alarmDescription: `An execution of ${this.node.path} failed (gate, job or registration)`,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.failureAlarm.addAlarmAction(new cloudwatchActions.SnsAction(this.notificationTopic));
    // EventBridge publishes with a role of its own (no service-principal statement in the topic policy).
    const notifyRole = new iam.Role(this, 'NotifyRole', {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } } }),
      description: `Sends failed executions of ${this.node.path} to the topic`,
    });
    new iam.ManagedPolicy(this, 'NotifyPolicy', {
      description: `Publish failed executions of ${this.node.path} to the encrypted topic`,
      roles: [notifyRole],
      statements: [
        new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [this.notificationTopic.topicArn] }),
        new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [key.keyArn] }),
      ],
    });
    // Immutable: the target would otherwise add an inline policy with kms:GenerateDataKey*.
    this.failureRule.addTarget(new eventsTargets.SnsTopic(this.notificationTopic, { authorizeUsingRole: true, role: notifyRole.withoutPolicyUpdates() }));
    if (!props.notificationTopic) {
      this.notificationTopic.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'CloudWatchAlarm',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.notificationTopic.topicArn],
        conditions: { ArnLike: { 'aws:SourceArn': this.failureAlarm.alarmArn } },
      }));
    }

    // Triggers: every one starts the state machine through this role; the guard state keeps one execution at a time.
    this.triggerRole = new iam.Role(this, 'TriggerRole', {
      assumedBy: new iam.CompositePrincipal(
        new iam.ServicePrincipal('events.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } } }),
        new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } } }),
      ),
      description: `Starts executions of ${this.node.path} (schedule, new data, alarms)`,
    });
    this.triggerPolicy = new iam.ManagedPolicy(this, 'TriggerPolicy', {
      description: `Start executions of ${this.node.path}`,
      roles: [this.triggerRole],
      statements: [new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [this.stateMachine.stateMachineArn] })],
    });
    if (props.schedule !== undefined) {
      this.schedule = new scheduler.CfnSchedule(this, 'Schedule', {
        description: `Retrains ${this.node.path}`,
        scheduleExpression: props.schedule,
        scheduleExpressionTimezone: 'UTC',
        flexibleTimeWindow: { mode: 'OFF' },
        kmsKeyArn: key.keyArn,
        target: {
          arn: this.stateMachine.stateMachineArn,
          roleArn: this.triggerRole.roleArn,
          input: JSON.stringify({ trigger: 'schedule' }),
          retryPolicy: { maximumRetryAttempts: 2 },
        },
      });
      // Scheduler reads the schedule, encrypted with the key, as the schedule's role.
      this.triggerPolicy.addStatements(new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: [key.keyArn] }));
    }
    if (props.retrainOnNewData) {
      // Turned on in the bucket's own template (enableEventBridgeNotification would add a Lambda-backed custom resource).
      const cfnBucket = bucket.node.defaultChild;
      if (cfnBucket instanceof s3.CfnBucket) {
        cfnBucket.addPropertyOverride('NotificationConfiguration.EventBridgeConfiguration.EventBridgeEnabled', true);
      }
      this.newDataRule = new events.Rule(this, 'NewDataRule', {
        description: `New objects under ${data.trainPrefix} start ${this.node.path}`,
        eventPattern: {
          source: ['aws.s3'],
          detailType: ['Object Created'],
          detail: {
            bucket: { name: [bucket.bucketName] },
            object: { key: [props.newDataKeySuffix ? { wildcard: `${data.trainPrefix}*${props.newDataKeySuffix}` } : { prefix: data.trainPrefix }] },
          },
        },
      });
      this.newDataRule.addTarget(this.target({ trigger: 'new-data' }));
    }
  }


  /**
   * Start the pipeline whenever `alarm` goes into ALARM (e.g. the monitor's drift alarm). The
   * guard state keeps it to one execution at a time.
   */
  public addAlarmTrigger(alarm: cloudwatch.IAlarm): events.Rule {
    checkRequired(this, 'alarm', alarm?.alarmArn, 'a cloudwatch.IAlarm');
    this.alarmTriggers += 1;
    const rule = new events.Rule(this, `AlarmTrigger${this.alarmTriggers}`, {
      description: `Alarm state ALARM starts ${this.node.path}`,
      eventPattern: {
        source: ['aws.cloudwatch'],
        detailType: ['CloudWatch Alarm State Change'],
        resources: [alarm.alarmArn],
        detail: { state: { value: ['ALARM'] } },
      },
    });
    rule.addTarget(this.target({ trigger: 'alarm' }));
    return rule;
  }

  /** Let the grantee start executions (e.g. the lab command line's role). */
  public grantStartExecution(grantee: iam.IGrantable): iam.Grant {
    return this.stateMachine.grantStartExecution(grantee);
  }

  /** Let the grantee list and describe executions and their history (e.g. to follow a run from the lab command line). */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.stateMachine.grantRead(grantee);
  }

  /** A metric of the state machine (AWS/States, dimension StateMachineArn). */
  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stateMachine.metric(metricName, props);
  }

  /** Executions started. */
  public metricStarted(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stateMachine.metricStarted(props);
  }

  /** Executions that failed (gate included). */
  public metricFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stateMachine.metricFailed(props);
  }

  /** Executions that succeeded (a new version registered, or skipped because another ran). */
  public metricSucceeded(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stateMachine.metricSucceeded(props);
  }

  /** How long executions take, in milliseconds. */
  public metricDuration(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stateMachine.metricTime(props);
  }

  /** Executions started (the dashboard's name for {@link metricStarted}). */
  public metricExecutionStarted(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metricStarted(props);
  }

  /** Executions that failed (the dashboard's name for {@link metricFailed}). */
  public metricExecutionFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metricFailed(props);
  }

  /** How long executions take, in milliseconds (the dashboard's name for {@link metricDuration}). */
  public metricExecutionDuration(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metricDuration(props);
  }

  /** The pipeline's alarms: failed executions. */
  public get alarms(): cloudwatch.IAlarm[] {
    return [this.failureAlarm];
  }

  private target(input: Record<string, string>): eventsTargets.SfnStateMachine {
    return new eventsTargets.SfnStateMachine(this.stateMachine, {
      role: this.triggerRole.withoutPolicyUpdates(),
      input: events.RuleTargetInput.fromObject(input),
      retryAttempts: 2,
    });
  }

  private validateObjective(image: TrainingImage, hyperparameters: Record<string, string>): boolean {
    const [, metric] = this.objectiveMetric.split(':');
    if (image.isBuiltInXGBoost) {
      const known = XGBOOST_METRICS[metric];
      check(this, known !== undefined, 'objectiveMetric', this.objectiveMetric,
        `a metric the built-in XGBoost emits: train: or validation: followed by one of ${Object.keys(XGBOOST_METRICS).join(', ')}`);
      const evalMetrics = (hyperparameters.eval_metric ?? '').split(',').map((m) => m.trim());
      check(this, evalMetrics.includes(metric), 'objectiveMetric', this.objectiveMetric,
        `a metric named in the eval_metric hyperparameter ("${hyperparameters.eval_metric ?? ''}"): XGBoost emits only those`);
      return known.maximize;
    }
    check(this, image.metricDefinitions.some((m) => m.name === this.objectiveMetric), 'objectiveMetric', this.objectiveMetric,
      `one of the custom image's metric definitions (${image.metricDefinitions.map((m) => m.name).join(', ') || 'none given'})`);
    // A custom metric: maximize unless it reads as an error or a loss.
    return !/(error|loss|mse|mae|rmse)/i.test(metric);
  }

  private validateTuning(t: TuningConfig): void {
    checkArray(this, 'tuning.ranges', t.ranges, 'HyperparameterRange');
    check(this, t.ranges.length > 0, 'tuning.ranges', t.ranges, 'at least one HyperparameterRange');
    const maxJobs = t.maxJobs ?? 10;
    const parallel = t.maxParallelJobs ?? 2;
    checkRange(this, 'tuning.maxJobs', maxJobs, 1, 750, { integer: true, unit: 'training jobs' });
    checkRange(this, 'tuning.maxParallelJobs', parallel, 1, 100, { integer: true, unit: 'training jobs' });
    if (isConcrete(maxJobs) && isConcrete(parallel)) {
      check(this, parallel <= maxJobs, 'tuning.maxParallelJobs', parallel, `at most tuning.maxJobs (${maxJobs})`);
    }
    checkOneOf(this, 'tuning.strategy', t.strategy, [TuningStrategy.BAYESIAN, TuningStrategy.RANDOM]);
    const seen = new Set<string>();
    t.ranges.forEach((r, i) => {
      const prop = `tuning.ranges[${i}]`;
      checkInstance(this, prop, r, ctor(HyperparameterRange), 'a HyperparameterRange (continuous, integer or categorical)');
      checkPattern(this, `${prop}.name`, r.name, HP_NAME_PATTERN, 'a hyperparameter name');
      check(this, !seen.has(r.name), `${prop}.name`, r.name, 'a hyperparameter no other range tunes');
      seen.add(r.name);
      check(this, r.name !== 'objective' && r.name !== 'eval_metric', `${prop}.name`, r.name,
        'a hyperparameter other than objective and eval_metric (the gate depends on them)');
      if (r.type === HyperparameterRangeType.CATEGORICAL) {
        checkArray(this, `${prop}.values`, r.values, 'strings');
        check(this, r.values.length >= 1 && r.values.length <= 30, `${prop}.values`, r.values, '1 to 30 values');
        check(this, new Set(r.values).size === r.values.length, `${prop}.values`, r.values, 'each value once');
        return;
      }
      checkType(this, `${prop}.min`, r.min, 'number');
      checkType(this, `${prop}.max`, r.max, 'number');
      if (r.type === HyperparameterRangeType.INTEGER) {
        check(this, Number.isInteger(r.min) && Number.isInteger(r.max), prop, `${r.min}..${r.max}`, 'integer bounds');
      }
      check(this, r.min! < r.max!, prop, `${r.min}..${r.max}`, 'a minimum below the maximum');
      check(this, r.scaling !== HyperparameterScaling.LOGARITHMIC || r.min! > 0, prop, `${r.min}..${r.max}`,
        'a minimum above 0 with logarithmic scaling');
    });
  }

  private stateMachinePolicy(o: { stateMachineArn: string; tuning: boolean; baseline: boolean; passRoles: iam.IRole[]; key: kms.IKey; etlJobName?: string }): iam.ManagedPolicy {
    const stack = Stack.of(this);
    const sm = (resource: string, name: string) => stack.formatArn({ service: 'sagemaker', resource, resourceName: name });
    const rule = (name: string) => stack.formatArn({ service: 'events', resource: 'rule', resourceName: name });
    const prefix = this.jobNamePrefix;
    const group = isConcrete(this.modelPackageGroupName) ? this.modelPackageGroupName.toLowerCase() : this.modelPackageGroupName;
    const statements: iam.PolicyStatement[] = [
      new iam.PolicyStatement({ sid: 'Guard', actions: ['states:ListExecutions'], resources: [o.stateMachineArn] }),
      new iam.PolicyStatement({
        sid: 'PassJobRoles',
        actions: ['iam:PassRole'],
        resources: o.passRoles.map((r) => r.roleArn),
        conditions: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
      }),
      // Training (or the tuning job's best training job, whose name starts with the tuning job's).
      new iam.PolicyStatement({
        sid: 'TrainingJobs',
        actions: o.tuning ? ['sagemaker:DescribeTrainingJob'] : ['sagemaker:CreateTrainingJob', 'sagemaker:DescribeTrainingJob', 'sagemaker:StopTrainingJob'],
        resources: [sm('training-job', `${prefix}-*`)],
      }),
      new iam.PolicyStatement({
        sid: 'ModelRegistry',
        actions: ['sagemaker:CreateModelPackage'],
        resources: [sm('model-package', `${group}/*`), sm('model-package-group', group)],
      }),
      // The jobs' volumes and outputs are encrypted with the key; SageMaker creates grants as the caller.
      new iam.PolicyStatement({
        sid: 'JobKey',
        actions: ['kms:CreateGrant', 'kms:DescribeKey'],
        resources: [o.key.keyArn],
        conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      }),
    ];
    // The Step Functions docs list sagemaker:ListTags (on "*") for the SageMaker job integrations;
    // here on this pipeline's jobs only.
    statements.push(new iam.PolicyStatement({
      sid: 'JobTags',
      actions: ['sagemaker:ListTags'],
      resources: [
        sm('training-job', `${prefix}-*`),
        ...(o.tuning ? [sm('hyper-parameter-tuning-job', `${prefix}-*`)] : []),
        ...(o.baseline ? [sm('processing-job', `${prefix}-*`)] : []),
      ],
    }));
    const syncRules = [o.tuning ? 'StepFunctionsGetEventsForSageMakerTuningJobsRule' : 'StepFunctionsGetEventsForSageMakerTrainingJobsRule'];
    if (o.tuning) {
      statements.push(new iam.PolicyStatement({
        sid: 'TuningJobs',
        actions: ['sagemaker:CreateHyperParameterTuningJob', 'sagemaker:DescribeHyperParameterTuningJob',
          'sagemaker:StopHyperParameterTuningJob', 'sagemaker:ListTrainingJobsForHyperParameterTuningJob'],
        resources: [sm('hyper-parameter-tuning-job', `${prefix}-*`)],
      }));
    }
    if (o.baseline) {
      statements.push(new iam.PolicyStatement({
        sid: 'BaselineJobs',
        actions: ['sagemaker:CreateProcessingJob', 'sagemaker:DescribeProcessingJob', 'sagemaker:StopProcessingJob'],
        resources: [sm('processing-job', `${prefix}-*`)],
      }));
      syncRules.push('StepFunctionsGetEventsForSageMakerProcessingJobsRule');
    }
    // .sync: Step Functions manages one EventBridge rule per job type to hear when a job ends.
    statements.push(new iam.PolicyStatement({
      sid: 'SyncRules',
      actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
      resources: syncRules.map(rule),
    }));
    if (o.etlJobName !== undefined) {
      statements.push(new iam.PolicyStatement({
        sid: 'EtlJob',
        actions: ['glue:StartJobRun', 'glue:GetJobRun', 'glue:GetJobRuns', 'glue:BatchStopJobRun'],
        resources: [stack.formatArn({ service: 'glue', resource: 'job', resourceName: o.etlJobName })],
      }));
    }
    statements.push(
      new iam.PolicyStatement({
        sid: 'LogDelivery',
        // Step Functions' log delivery to CloudWatch Logs (no resource-level permissions).
        actions: ['logs:CreateLogDelivery', 'logs:GetLogDelivery', 'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery',
          'logs:ListLogDeliveries', 'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups'],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'Tracing',
        actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'],
        resources: ['*'],
      }),
    );
    const policy = new iam.ManagedPolicy(this, 'Policy', {
      description: `Every action the states of ${this.node.path} call, and nothing more`,
      roles: [this.role],
      statements,
    });
    Nag.acknowledge(policy, ...[
      [sm('training-job', `${prefix}-*`), 'Job names are made per execution (prefix and random hex); the statement covers this pipeline\'s prefix only.'],
      [sm('processing-job', `${prefix}-*`), 'Baseline job names are made per execution; the statement covers this pipeline\'s prefix only.'],
      [sm('hyper-parameter-tuning-job', `${prefix}-*`), 'Tuning job names are made per execution; the statement covers this pipeline\'s prefix only.'],
      [sm('model-package', `${group}/*`), 'Model package versions are numbered by SageMaker at registration; limited to this pipeline\'s group.'],
    ].map(([arn, reason]) => ({ id: `AwsSolutions-IAM5[Resource::${Nag.findingText(this, arn)}]`, reason })),
    {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'CloudWatch Logs delivery (what Step Functions logging requires) and X-Ray tracing support no resource-level permissions.',
    });
    return policy;
  }

  private createTopic(key: kms.IKey): sns.Topic {
    const topicName = Names.uniqueResourceName(this, { maxLength: 256, separator: '-', allowedSpecialCharacters: '-_' });
    const topicArn = Stack.of(this).formatArn({ service: 'sns', resource: topicName });
    // CloudWatch alarms publish as the service: scoped to this topic by SNS's encryption context.
    const added = key.addToResourcePolicy(new iam.PolicyStatement({
      sid: `AlarmsPublishTo${Names.uniqueId(this).slice(-40)}`,
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
      conditions: { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': topicArn } },
    }));
    check(this, added.statementAdded, 'encryptionKey', key.keyArn, 'a kms.Key defined in this app (the topic and log group need key-policy statements)');
    return new sns.Topic(this, 'Topic', {
      topicName,
      displayName: `Training pipeline ${this.node.path}: failed executions`,
      masterKey: key,
      enforceSSL: true,
    });
  }
}

interface JobPolicyOptions {
  readonly bucket: s3.IBucket;
  readonly readPrefixes: string[];
  readonly writePrefixes: string[];
  readonly key: kms.IKey;
  readonly repositoryArn: string;
  readonly vpc: ec2.IVpc;
  readonly subnetIds: string[];
  readonly securityGroup: ec2.ISecurityGroup;
  readonly logGroupPrefix: string;
  readonly metricNamespace: string;
}

/** What a SageMaker training or processing job's role needs (SageMaker "CreateTrainingJob API: Execution Role Permissions"). */
function sageMakerJobPolicy(scope: Construct, id: string, role: iam.Role, o: JobPolicyOptions): iam.ManagedPolicy {
  const stack = Stack.of(scope);
  const ec2Arn = (resource: string, name: string) => stack.formatArn({ service: 'ec2', resource, resourceName: name });
  const networkInterfaces = ec2Arn('network-interface', '*');
  const logGroups = stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: `${o.logGroupPrefix}:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  const readObjects = o.readPrefixes.map((p) => o.bucket.arnForObjects(`${p}*`));
  const writeObjects = o.writePrefixes.map((p) => o.bucket.arnForObjects(`${p}*`));
  const policy = new iam.ManagedPolicy(scope, id, {
    description: `Least privilege of the SageMaker jobs of ${scope.node.path}`,
    roles: [role],
    statements: [
      new iam.PolicyStatement({
        sid: 'List',
        actions: ['s3:ListBucket'],
        resources: [o.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [...new Set([...o.readPrefixes, ...o.writePrefixes])].map((p) => `${p}*`) } },
      }),
      new iam.PolicyStatement({ sid: 'Read', actions: ['s3:GetObject'], resources: readObjects }),
      new iam.PolicyStatement({ sid: 'Write', actions: ['s3:PutObject', 's3:AbortMultipartUpload'], resources: writeObjects }),
      new iam.PolicyStatement({
        sid: 'Key',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
        resources: [o.key.keyArn],
      }),
      new iam.PolicyStatement({
        sid: 'VolumeKey',
        actions: ['kms:CreateGrant'],
        resources: [o.key.keyArn],
        conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      }),
      new iam.PolicyStatement({
        sid: 'PullImage',
        actions: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
        resources: [o.repositoryArn],
      }),
      new iam.PolicyStatement({
        sid: 'Unscopable',
        // No resource-level permissions exist for these; PutMetricData is held to the job namespace.
        actions: ['ecr:GetAuthorizationToken', 'ec2:DescribeVpcs', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups',
          'ec2:DescribeNetworkInterfaces', 'ec2:DescribeDhcpOptions', 'ec2:DeleteNetworkInterfacePermission'],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'Metrics',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': o.metricNamespace } },
      }),
      new iam.PolicyStatement({
        sid: 'CreateInterfaces',
        actions: ['ec2:CreateNetworkInterface'],
        resources: [networkInterfaces, ...o.subnetIds.map((s) => ec2Arn('subnet', s)), ec2Arn('security-group', o.securityGroup.securityGroupId)],
      }),
      new iam.PolicyStatement({
        sid: 'UseInterfaces',
        actions: ['ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface'],
        resources: [networkInterfaces],
        conditions: { ArnEquals: { 'ec2:Vpc': ec2Arn('vpc', o.vpc.vpcId) } },
      }),
      new iam.PolicyStatement({
        sid: 'Logs',
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: [logGroups, `${logGroups}:*`],
      }),
    ],
  });
  Nag.acknowledge(policy,
    ...[...readObjects, ...writeObjects].map((arn) => ({
      id: `AwsSolutions-IAM5[Resource::${Nag.findingText(scope, arn)}]`,
      reason: 'The jobs read and write files whose names are chosen at run time (data parts, per-job output folders); limited to one prefix of the bucket.',
    })),
    { id: `AwsSolutions-IAM5[Resource::${Nag.findingText(scope, networkInterfaces)}]`, reason: 'SageMaker creates and names the jobs\' network interfaces itself; creation is limited to the job subnets and security group, the other actions to the VPC (ec2:Vpc condition).' },
    { id: `AwsSolutions-IAM5[Resource::${Nag.findingText(scope, logGroups)}]`, reason: 'SageMaker writes to its fixed log group for the job type; the group name is set by SageMaker, not by us.' },
    { id: `AwsSolutions-IAM5[Resource::${Nag.findingText(scope, logGroups)}:*]`, reason: 'Log streams are named per job and instance at run time, inside SageMaker\'s log group for the job type.' },
    { id: 'AwsSolutions-IAM5[Resource::*]', reason: 'ecr:GetAuthorizationToken, the EC2 Describe actions, ec2:DeleteNetworkInterfacePermission and cloudwatch:PutMetricData have no resource-level permissions; PutMetricData is held to the job namespace by condition.' },
  );
  return policy;
}

/** A Task state with a Resource ARN of our choosing: the stable task classes cannot set spot, checkpoints or MaxWait. */
function task(scope: Construct, id: string, resource: string, parameters: Record<string, unknown>, resultPath: string,
  resultSelector: Record<string, unknown> | undefined, comment: string): sfn.CustomState {
  return new sfn.CustomState(scope, id, {
    stateJson: {
      Type: 'Task',
      Comment: comment,
      Resource: resource,
      Parameters: parameters,
      ...(resultSelector ? { ResultSelector: resultSelector } : {}),
      ResultPath: resultPath,
    },
  });
}

function channel(name: string, uri: string, distribution: string): Record<string, unknown> {
  return {
    ChannelName: name,
    ContentType: 'text/csv',
    CompressionType: 'None',
    DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: uri, S3DataDistributionType: distribution } },
  };
}

function baselineReports(root: string): Record<string, unknown> {
  return {
    Statistics: { 'ContentType': 'application/json', 'S3Uri.$': `States.Format('${root}{}/statistics.json', $.run.jobName)` },
    Constraints: { 'ContentType': 'application/json', 'S3Uri.$': `States.Format('${root}{}/constraints.json', $.run.jobName)` },
  };
}

/** Job name prefixes per app: the IAM statements cover `<prefix>-*`, so no prefix may start another's jobs' names. */
const JOB_PREFIXES = new WeakMap<object, Map<string, string>>();

function claimJobPrefix(scope: Construct, prefix: string): void {
  if (!isConcrete(prefix)) return;
  let claims = JOB_PREFIXES.get(scope.node.root);
  if (!claims) {
    claims = new Map();
    JOB_PREFIXES.set(scope.node.root, claims);
  }
  for (const [other, path] of claims) {
    if (path === scope.node.path) continue;
    const clash = other === prefix || other.startsWith(`${prefix}-`) || prefix.startsWith(`${other}-`);
    check(scope, !clash, 'jobNamePrefix', prefix,
      `a prefix whose jobs no other pipeline's IAM statements cover (${path} uses "${other}"; each pipeline may act on "<prefix>-*" jobs)`);
  }
  claims.set(prefix, scope.node.path);
}

/** A class with a private constructor, as `instanceof` sees it. */
function ctor(cls: object): abstract new (...args: never[]) => unknown {
  return cls as abstract new (...args: never[]) => unknown;
}

function defaultJobPrefix(id: string): string {
  const cleaned = id.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 10);
  return cleaned.length > 0 ? cleaned : 'training';
}

function validateSchedule(scope: Construct, expression: string): void {
  if (Token.isUnresolved(expression)) return;
  const rule = 'an EventBridge Scheduler expression: "rate(N hours)" or "rate(N days)" (at least hourly: a training run takes longer than a minute), or "cron(minutes hours day-of-month month day-of-week year)" with "?" in one day field';
  const rate = RATE_PATTERN.exec(expression);
  if (rate) {
    const n = Number(rate[1]);
    const unit = rate[2];
    const singular = !unit.endsWith('s');
    check(scope, n >= 1 && (n === 1) === singular, 'schedule', expression, `${rule}; "1 hour" is singular, other values plural`);
    const minutes = n * (unit.startsWith('minute') ? 1 : unit.startsWith('hour') ? 60 : 1440);
    check(scope, minutes >= 60, 'schedule', expression, rule);
    return;
  }
  const cron = CRON_PATTERN.exec(expression);
  if (cron) {
    check(scope, (cron[3] === '?') !== (cron[5] === '?'), 'schedule', expression, rule);
    // Minutes must be one value: a cron that fires every minute of an hour would start 60 runs.
    check(scope, /^\d+$/.test(cron[1]), 'schedule', expression, `${rule}; the minutes field a single number`);
    return;
  }
  invalidProp(scope, 'schedule', expression, rule);
}
