import * as crypto from 'crypto';
import { ArnFormat, Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, IConstruct } from 'constructs';
import { BuiltInImage } from '../core/built-in-image';
import { FeatureMetricOptions, IMonitorMetrics } from '../core/dashboard-sources';
import { DataKey } from '../core/data-key';
import { ChurnModelDefaults } from '../core/model-defaults';
import { Nag } from '../core/nag';
import { SageMakerNames } from '../core/naming';
import { Profile } from '../core/profile';
import {
  check, checkArray, checkPattern, checkRange, checkRequired, checkType, invalidProp,
} from '../core/validation';
import type { InferenceEndpoint } from './inference-endpoint';
import { DataCaptureDestination } from './model-data';
import { MonitoringBaseline } from './monitoring-baseline';
import { MonitorSchedule } from './monitor-schedule';
import { encryptedAlarmTopic } from './private/alarm-topic';

/**
 * Namespaces and dimensions the built-in Model Monitor container publishes for real-time
 * endpoints: `aws/sagemaker/Endpoints/data-metrics` and `.../model-metrics`, dimensions `Endpoint`
 * and `MonitoringSchedule` (docs/decisions.md: the two doc pages disagree; this is what the
 * container writes and what AWS's monitoring notebooks and MLOps solutions alarm on).
 */
const DATA_METRICS_NAMESPACE = 'aws/sagemaker/Endpoints/data-metrics';
const MODEL_METRICS_NAMESPACE = 'aws/sagemaker/Endpoints/model-metrics';

/** Where SageMaker mounts captured data and writes reports inside the monitoring container. */
const INPUT_PATH = '/opt/ml/processing/input/endpoint';
const OUTPUT_PATH = '/opt/ml/processing/output';

/** Model quality monitoring: predictions compared with ground truth labels uploaded later. */
export interface ModelQualityOptions {
  /** Bucket of the ground truth records (JSON lines merged with captured data by inference id). */
  readonly groundTruthBucket: s3.IBucket;
  /** Key prefix of the ground truth, without leading or trailing "/", e.g. `ground-truth/churn`. */
  readonly groundTruthPrefix: string;
  /**
   * The key the ground truth is encrypted with.
   * @default - the bucket's own key, if it has one
   */
  readonly groundTruthKey?: kms.IKey;
  /**
   * Constraints of a model-quality baselining job (only its constraints are used).
   * @default - none: metrics only, no violations
   */
  readonly baseline?: MonitoringBaseline;
  /**
   * Where the probability is in the captured output: the CSV column index the built-in XGBoost writes.
   * @default '0'
   */
  readonly probabilityAttribute?: string;
  /**
   * Probability at or above which a prediction counts as positive (0–1).
   * @default 0.5
   */
  readonly probabilityThreshold?: number;
  /**
   * AUC below which the model-quality alarm fires (0–1).
   * @default 0.7
   */
  readonly minimumAuc?: number;
  /**
   * When model-quality jobs run.
   * @default - the data-quality schedule
   */
  readonly schedule?: MonitorSchedule;
}

/** Props of {@link ModelMonitor}. */
export interface ModelMonitorProps {
  /** The real-time endpoint to monitor: instance-backed, capturing requests (`CaptureMode.INPUT` or `INPUT_AND_OUTPUT`). */
  readonly endpoint: InferenceEndpoint;
  /**
   * The capture destination given to the endpoint's `dataCapture` (the monitor reads it; the
   * endpoint does not expose it yet). Must be the same location.
   */
  readonly captureDestination: DataCaptureDestination;
  /** The data-quality baseline: statistics and constraints in S3. */
  readonly baseline: MonitoringBaseline;
  /** Bucket of the monitoring reports (`statistics.json`, `constraint_violations.json`). */
  readonly outputBucket: s3.IBucket;
  /**
   * Key prefix of the reports, without leading or trailing "/".
   * @default 'model-monitor'
   */
  readonly outputPrefix?: string;
  /** The VPC the monitoring jobs run in (e.g. `PrivateNetwork.vpc`). */
  readonly vpc: ec2.IVpc;
  /**
   * Subnets of the jobs.
   * @default - the VPC's isolated subnets, or its private subnets with egress when it has none
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Security groups of the jobs (1–5).
   * @default - a new security group allowing HTTPS out only
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /**
   * The S3 endpoint of an imported VPC. The jobs reach S3 from isolated subnets only through an S3
   * gateway or interface endpoint: for a VPC defined in this app the monitor finds it in the
   * VPC's construct tree; for an imported one it cannot, so pass it here.
   * @default - found in the VPC's construct tree
   */
  readonly s3Endpoint?: ec2.IVpcEndpoint;
  /**
   * Key of the jobs' storage volumes and reports.
   * @default - a new DataKey
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * When data-quality jobs run.
   * @default MonitorSchedule.hourly()
   */
  readonly schedule?: MonitorSchedule;
  /**
   * Instance type of the monitoring jobs.
   * @default - lab: ml.m5.large; production: ml.m5.xlarge
   */
  readonly instanceType?: string;
  /**
   * Storage volume per instance, 1–16384 GB.
   * @default 20
   */
  readonly volumeSizeInGb?: number;
  /**
   * Longest a monitoring job may run, 1 minute to 1 hour (an hourly job must end before the next).
   * @default Duration.minutes(30)
   */
  readonly maxRuntime?: Duration;
  /**
   * Whether the job containers run without network access (SageMaker still moves inputs and outputs).
   * @default true
   */
  readonly networkIsolation?: boolean;
  /**
   * Features with a drift alarm each (`feature_baseline_drift_<feature>`); at most 50.
   * @default - the churn model's feature columns (ChurnModelDefaults.featureColumns())
   */
  readonly features?: string[];
  /**
   * Drift distance at or above which a feature's drift alarm fires (0–1).
   * @default 0.1
   */
  readonly driftThreshold?: number;
  /**
   * Model quality monitoring on top of data quality.
   * @default - none
   */
  readonly modelQuality?: ModelQualityOptions;
  /**
   * Also create a one-time schedule (`NOW`) that runs one data-quality job over the last 24 hours
   * of captured data at deploy, and again whenever the job definition changes.
   * @default - lab: true; production: false
   */
  readonly runOnceOnDeploy?: boolean;
  /**
   * Topic for failed runs, runs with violations and the alarms.
   * @default - a new topic encrypted with a new customer managed key
   */
  readonly alarmTopic?: sns.ITopic;
}

/** Every profile-dependent default of {@link ModelMonitor}. */
export interface ModelMonitorDefaults {
  /** Instance type of the jobs. */
  readonly instanceType: string;
  /** Whether a one-time run is added. */
  readonly runOnceOnDeploy: boolean;
}

/**
 * SageMaker Model Monitor on a real-time `InferenceEndpoint`: a data-quality job definition (and
 * optionally a model-quality one) running the region's analyzer image in the VPC with network
 * isolation, inter-container encryption and KMS on volumes and reports, on an hourly (or slower)
 * schedule; job definitions named from a hash of their inputs so every change replaces them
 * cleanly; per-feature drift alarms and a composite drift alarm; failed runs and runs with
 * violations to an encrypted SNS topic.
 */
export class ModelMonitor extends Construct implements ec2.IConnectable, iam.IGrantable, IMonitorMetrics {
  /** Namespace of data-quality metrics of real-time endpoints (dimensions Endpoint, MonitoringSchedule). */
  public static readonly DATA_METRICS_NAMESPACE = DATA_METRICS_NAMESPACE;
  /** Namespace of model-quality metrics of real-time endpoints (dimensions Endpoint, MonitoringSchedule). */
  public static readonly MODEL_METRICS_NAMESPACE = MODEL_METRICS_NAMESPACE;

  /** Profile-dependent defaults, documented on the props. */
  public static defaults(profile: Profile): ModelMonitorDefaults {
    return { instanceType: profile.isLab ? 'ml.m5.large' : 'ml.m5.xlarge', runOnceOnDeploy: profile.isLab };
  }

  /** The monitored endpoint's name. */
  public readonly endpointName: string;
  /** The jobs' execution role. */
  public readonly role: iam.IRole;
  /** The principal the jobs run as. */
  public readonly grantPrincipal: iam.IPrincipal;
  /** The jobs' security groups. */
  public readonly connections: ec2.Connections;
  /** The key of volumes and reports. */
  public readonly encryptionKey: kms.IKey;
  /** The data-quality job definition (hashed name). */
  public readonly dataQualityJobDefinition: sagemaker.CfnDataQualityJobDefinition;
  /** The data-quality schedule (stable name). */
  public readonly dataQualitySchedule: sagemaker.CfnMonitoringSchedule;
  /** The data-quality schedule's name: the `MonitoringSchedule` dimension of its metrics. */
  public readonly scheduleName: string;
  /** The one-time schedule, when `runOnceOnDeploy`. */
  public readonly oneTimeSchedule?: sagemaker.CfnMonitoringSchedule;
  /** The model-quality job definition, when model quality is on. */
  public readonly modelQualityJobDefinition?: sagemaker.CfnModelQualityJobDefinition;
  /** The model-quality schedule, when model quality is on. */
  public readonly modelQualitySchedule?: sagemaker.CfnMonitoringSchedule;
  /** `s3://<bucket>/<prefix>`: reports land under `<endpoint>/<schedule>/<yyyy>/<mm>/<dd>/<hh>/`. */
  public readonly outputUri: string;
  /** The topic of failures, violations and alarms. */
  public readonly alarmTopic: sns.ITopic;
  /** One drift alarm per feature, in the order of `features`. */
  public readonly featureDriftAlarms: cloudwatch.Alarm[];
  /** Fires when any feature drifted: what retraining listens to. */
  public readonly driftAlarm: cloudwatch.IAlarm;
  /** Fires when model quality (AUC) falls below its minimum; undefined without model quality. */
  public readonly modelQualityAlarm?: cloudwatch.IAlarm;
  /** Failed or stopped monitoring runs → the topic. */
  public readonly failureRule: events.Rule;
  /** Runs that completed with violations → the topic. */
  public readonly violationRule: events.Rule;
  /** The features with drift alarms. */
  public readonly features: string[];

  private readonly policy: iam.ManagedPolicy;
  private readonly modelQualityScheduleName?: string;

  constructor(scope: Construct, id: string, props: ModelMonitorProps) {
    super(scope, id);
    validateShape(this, props);
    const profile = Profile.of(this);
    const defaults = ModelMonitor.defaults(profile);
    const stack = Stack.of(this);
    const endpoint = props.endpoint;
    this.endpointName = endpoint.endpointName;

    // The endpoint: real-time, instance-backed, capturing requests to where we read.
    check(this, !endpoint.serverless, 'endpoint', endpoint.node.path,
      'a real-time endpoint with instance variants: serverless endpoints support neither data capture nor Model Monitor');
    const capture = stack.resolve(endpoint.cfnEndpointConfig.dataCaptureConfig) as
      { captureOptions?: Array<{ captureMode: string }>; destinationS3Uri?: unknown; enableCapture?: boolean } | undefined;
    check(this, capture !== undefined && capture.enableCapture !== false, 'endpoint', endpoint.node.path,
      'an endpoint with data capture (InferenceEndpointProps.dataCapture): Model Monitor analyses captured requests');
    const modes = (capture!.captureOptions ?? []).map((o) => o.captureMode);
    check(this, modes.includes('Input'), 'endpoint', `capture modes ${JSON.stringify(modes)}`,
      'an endpoint capturing requests (CaptureMode.INPUT or INPUT_AND_OUTPUT): data quality compares captured inputs with the baseline');
    if (props.modelQuality) {
      check(this, modes.includes('Output'), 'modelQuality', `capture modes ${JSON.stringify(modes)}`,
        'an endpoint capturing responses too (CaptureMode.INPUT_AND_OUTPUT): model quality compares predictions with ground truth');
    }
    const captureUri = props.captureDestination.bind(this, 'captureDestination').s3Uri;
    check(this, JSON.stringify(stack.resolve(captureUri)) === JSON.stringify(capture!.destinationS3Uri), 'captureDestination',
      captureUri, "the endpoint's own capture destination (the same bucket and prefix as its dataCapture.destination)");

    // Schedule, resources, names.
    const schedule = (props.schedule ?? MonitorSchedule.hourly()).validate(this, 'schedule');
    const instanceType = props.instanceType ?? defaults.instanceType;
    checkPattern(this, 'instanceType', instanceType, /^ml\.[a-z0-9]+\.[a-z0-9]+$/, 'an instance type of the form ml.<family>.<size>, e.g. "ml.m5.xlarge"');
    const volumeSizeInGb = props.volumeSizeInGb ?? 20;
    checkRange(this, 'volumeSizeInGb', volumeSizeInGb, 1, 16384, { integer: true, unit: 'GB' });
    const maxRuntime = (props.maxRuntime ?? Duration.minutes(30)).toSeconds();
    checkRange(this, 'maxRuntime', maxRuntime, 60, 3600, { integer: true, unit: 'seconds (a monitoring job must finish within the hour)' });
    const outputPrefix = props.outputPrefix ?? 'model-monitor';
    checkPattern(this, 'outputPrefix', outputPrefix, /^[^/](.*[^/])?$/, 'a key prefix without leading or trailing "/", e.g. "model-monitor"');
    this.features = props.features ?? ChurnModelDefaults.featureColumns().map((c) => c.name);
    check(this, this.features.length >= 1 && this.features.length <= 50, 'features', this.features.length, '1 to 50 features (one alarm each)');
    this.features.forEach((f, i) => checkPattern(this, `features[${i}]`, f, /^[A-Za-z0-9_.-]{1,200}$/, 'a column name of letters, digits, "_", "." or "-"'));
    const driftThreshold = props.driftThreshold ?? 0.1;
    checkRange(this, 'driftThreshold', driftThreshold, 0, 1);
    const networkIsolation = props.networkIsolation ?? true;

    // Network: private subnets with a route to S3.
    const selection = props.vpcSubnets
      ?? (props.vpc.isolatedSubnets.length > 0 ? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } : { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS });
    const selected = props.vpc.selectSubnets(selection);
    const publicIds = new Set(props.vpc.publicSubnets.map((s) => s.subnetId));
    check(this, selected.subnets.length >= 1 && selected.subnets.every((s) => !publicIds.has(s.subnetId)), 'vpcSubnets',
      selected.subnets.map((s) => s.node.path), 'one or more private subnets (isolated or with egress), no public subnet');
    const isolatedIds = new Set(props.vpc.isolatedSubnets.map((s) => s.subnetId));
    const needsEndpoint = selected.subnets.some((s) => isolatedIds.has(s.subnetId));
    check(this, !needsEndpoint || props.s3Endpoint !== undefined || hasS3Endpoint(props.vpc), 'vpc', props.vpc.node.path,
      'a VPC whose isolated subnets reach S3: an S3 gateway or interface endpoint in the VPC (PrivateNetwork adds one), or `s3Endpoint` for an imported VPC; '
      + 'without it every monitoring job fails reading captured data');
    const securityGroups = props.securityGroups ?? [this.defaultSecurityGroup(props.vpc)];
    check(this, securityGroups.length >= 1 && securityGroups.length <= 5, 'securityGroups', securityGroups.length, '1 to 5 security groups');
    this.connections = new ec2.Connections({ securityGroups });

    // Key, role, permissions.
    this.encryptionKey = props.encryptionKey ?? new DataKey(this, 'Key', { description: `Model Monitor ${this.node.path}: job volumes and reports` });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: `Monitoring jobs of SageMaker endpoint ${this.endpointName}`,
    });
    this.grantPrincipal = this.role;
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: `What the monitoring jobs of ${this.endpointName} need, and nothing more`,
      roles: [this.role],
    });
    this.grantJobBasics(props, selected.subnetIds, securityGroups);
    // Validate the locations before granting on them (the messages name the right prop).
    const statisticsUri = props.baseline.statisticsUri(this);
    const constraintsUri = props.baseline.constraintsUri(this);
    props.baseline.grantRead(this, this.policy);
    const outputObjects = props.outputBucket.arnForObjects(`${outputPrefix}/*`);
    this.allow(['s3:PutObject', 's3:GetObject'], [outputObjects]);
    Nag.acknowledgeWildcard(this.policy, outputObjects,
      'Monitoring jobs write reports under <prefix>/<endpoint>/<schedule>/<date>/<hour>/, names SageMaker chooses; only this prefix.');
    // Explicit actions: grantEncryptDecrypt adds GenerateDataKey* and ReEncrypt*, which the jobs never call.
    this.allow(['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'], [this.encryptionKey.keyArn]);
    this.outputUri = props.outputBucket.s3UrlForObject(outputPrefix);

    const network: sagemaker.CfnDataQualityJobDefinition.NetworkConfigProperty = {
      enableNetworkIsolation: networkIsolation,
      enableInterContainerTrafficEncryption: true,
      vpcConfig: { subnets: selected.subnetIds, securityGroupIds: securityGroups.map((sg) => sg.securityGroupId) },
    };
    const resources = { clusterConfig: { instanceCount: 1, instanceType, volumeSizeInGb, volumeKmsKeyId: this.encryptionKey.keyArn } };
    const output = {
      kmsKeyId: this.encryptionKey.keyArn,
      monitoringOutputs: [{ s3Output: { localPath: OUTPUT_PATH, s3Uri: this.outputUri, s3UploadMode: 'EndOfJob' } }],
    };
    const imageUri = BuiltInImage.MODEL_MONITOR_ANALYZER.imageUri(this);

    // Data quality: the name carries a hash of every input, so any change creates a new definition
    // (CloudFormation replaces job definitions: a fixed name would collide with the old one).
    const dqProps: sagemaker.CfnDataQualityJobDefinitionProps = {
      endpointName: this.endpointName,
      roleArn: this.role.roleArn,
      dataQualityAppSpecification: { imageUri, environment: { publish_cloudwatch_metrics: 'Enabled' } },
      dataQualityBaselineConfig: {
        statisticsResource: { s3Uri: statisticsUri },
        constraintsResource: { s3Uri: constraintsUri },
      },
      dataQualityJobInput: {
        endpointInput: { endpointName: this.endpointName, localPath: INPUT_PATH, s3DataDistributionType: 'FullyReplicated', s3InputMode: 'File' },
      },
      dataQualityJobOutputConfig: output,
      jobResources: resources,
      networkConfig: network,
      stoppingCondition: { maxRuntimeInSeconds: maxRuntime },
    };
    const dqName = SageMakerNames.unique(this, `dq${ModelMonitor.inputHash(this, dqProps)}`);
    this.dataQualityJobDefinition = new sagemaker.CfnDataQualityJobDefinition(this, 'DataQualityJobDefinition', { ...dqProps, jobDefinitionName: dqName });
    this.dataQualityJobDefinition.node.addDependency(this.policy);

    this.scheduleName = SageMakerNames.unique(this, 'dq');
    this.dataQualitySchedule = this.schedule('DataQualitySchedule', this.scheduleName, dqName, 'DataQuality', { scheduleExpression: schedule }, endpoint);

    if (props.runOnceOnDeploy ?? defaults.runOnceOnDeploy) {
      // One run now over the last day of capture; a new name (the job's hash) runs it again after a change.
      const name = SageMakerNames.unique(this, `now${ModelMonitor.inputHash(this, dqProps).slice(0, 8)}`);
      this.oneTimeSchedule = this.schedule('OneTimeSchedule', name, dqName, 'DataQuality',
        { scheduleExpression: 'NOW', dataAnalysisStartTime: '-PT24H', dataAnalysisEndTime: '-PT0H' }, endpoint);
    }

    let mqAlarm: cloudwatch.Alarm | undefined;
    if (props.modelQuality) {
      const mq = props.modelQuality;
      checkRequired(this, 'modelQuality.groundTruthBucket', mq.groundTruthBucket, 'an s3.IBucket');
      checkPattern(this, 'modelQuality.groundTruthPrefix', mq.groundTruthPrefix, /^[^/](.*[^/])?$/, 'a key prefix without leading or trailing "/"');
      const threshold = mq.probabilityThreshold ?? 0.5;
      checkRange(this, 'modelQuality.probabilityThreshold', threshold, 0, 1);
      const minimumAuc = mq.minimumAuc ?? 0.7;
      checkRange(this, 'modelQuality.minimumAuc', minimumAuc, 0, 1);
      const mqSchedule = (mq.schedule ?? MonitorSchedule.expression(schedule)).validate(this, 'modelQuality.schedule');
      const groundTruth = mq.groundTruthBucket.arnForObjects(`${mq.groundTruthPrefix}/*`);
      this.allow(['s3:GetObject'], [groundTruth]);
      Nag.acknowledgeWildcard(this.policy, groundTruth, 'Ground truth is uploaded as <prefix>/<yyyy>/<mm>/<dd>/<hh>/<file>.jsonl; read-only, this prefix only.');
      (mq.groundTruthKey ?? mq.groundTruthBucket.encryptionKey)?.grantDecrypt(this.policy);
      const mqConstraints = mq.baseline?.constraintsUri(this, 'modelQuality.baseline');
      mq.baseline?.grantRead(this, this.policy);
      const mqProps: sagemaker.CfnModelQualityJobDefinitionProps = {
        endpointName: this.endpointName,
        roleArn: this.role.roleArn,
        modelQualityAppSpecification: { imageUri, problemType: 'BinaryClassification' },
        modelQualityBaselineConfig: mqConstraints ? { constraintsResource: { s3Uri: mqConstraints } } : undefined,
        modelQualityJobInput: {
          endpointInput: {
            endpointName: this.endpointName, localPath: INPUT_PATH, s3DataDistributionType: 'FullyReplicated', s3InputMode: 'File',
            probabilityAttribute: mq.probabilityAttribute ?? '0',
            probabilityThresholdAttribute: threshold,
          },
          groundTruthS3Input: { s3Uri: mq.groundTruthBucket.s3UrlForObject(mq.groundTruthPrefix) },
        },
        modelQualityJobOutputConfig: output,
        jobResources: resources,
        networkConfig: network,
        stoppingCondition: { maxRuntimeInSeconds: maxRuntime },
      };
      const mqName = SageMakerNames.unique(this, `mq${ModelMonitor.inputHash(this, mqProps)}`);
      this.modelQualityJobDefinition = new sagemaker.CfnModelQualityJobDefinition(this, 'ModelQualityJobDefinition', { ...mqProps, jobDefinitionName: mqName });
      this.modelQualityJobDefinition.node.addDependency(this.policy);
      this.modelQualityScheduleName = SageMakerNames.unique(this, 'mq');
      this.modelQualitySchedule = this.schedule('ModelQualitySchedule', this.modelQualityScheduleName, mqName, 'ModelQuality', { scheduleExpression: mqSchedule }, endpoint);
      mqAlarm = this.metricModelQuality('auc').createAlarm(this, 'ModelQualityAlarm', {
        alarmDescription: `AUC of ${this.endpointName}'s predictions against ground truth fell below ${minimumAuc}`,
        threshold: minimumAuc,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }

    // Notifications.
    this.alarmTopic = props.alarmTopic ?? encryptedAlarmTopic(this, 'Topic', `Model Monitor ${this.endpointName}`);
    const scheduleArns = [this.dataQualitySchedule, this.oneTimeSchedule, this.modelQualitySchedule]
      .filter((s): s is sagemaker.CfnMonitoringSchedule => s !== undefined)
      .map((s) => s.attrMonitoringScheduleArn);
    this.failureRule = new events.Rule(this, 'FailureRule', {
      description: `Failed or stopped monitoring runs of ${this.endpointName}`,
      eventPattern: {
        source: ['aws.sagemaker'],
        detailType: ['SageMaker Processing Job State Change'],
        detail: { MonitoringScheduleArn: scheduleArns, ProcessingJobStatus: ['Failed', 'Stopped'] },
      },
    });
    this.violationRule = new events.Rule(this, 'ViolationRule', {
      description: `Monitoring runs of ${this.endpointName} that found constraint violations`,
      eventPattern: {
        source: ['aws.sagemaker'],
        detailType: ['SageMaker Processing Job State Change'],
        detail: { MonitoringScheduleArn: scheduleArns, ExitMessage: [{ prefix: 'CompletedWithViolations' }] },
      },
    });
    // The rules publish through the topic's policy, limited to these two rules (aws:SourceArn), not
    // through SnsTopic's statement, which would let any rule of any account publish.
    const topic = this.alarmTopic;
    for (const rule of [this.failureRule, this.violationRule]) {
      rule.addTarget({ bind: () => ({ arn: topic.topicArn }) });
      topic.addToResourcePolicy(new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: { ArnEquals: { 'aws:SourceArn': rule.ruleArn } },
      }));
    }

    // Alarms: one per feature, and one that fires when any does.
    const action = new cloudwatchActions.SnsAction(this.alarmTopic);
    this.featureDriftAlarms = this.features.map((feature, i) => {
      const alarm = this.metricFeatureDrift({ feature }).createAlarm(this, `DriftAlarm${i}`, {
        alarmDescription: `Feature ${feature} of ${this.endpointName} drifted from its baseline (distance >= ${driftThreshold})`,
        threshold: driftThreshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      // Each feature's alarm notifies (the message names the feature); the composite feeds retraining.
      alarm.addAlarmAction(action);
      return alarm;
    });
    const composite = new cloudwatch.CompositeAlarm(this, 'DriftAlarm', {
      alarmDescription: `Any feature of ${this.endpointName} drifted from its baseline: look at the latest constraint_violations.json under ${outputPrefix}/`,
      alarmRule: cloudwatch.AlarmRule.anyOf(...this.featureDriftAlarms.map((a) => cloudwatch.AlarmRule.fromAlarm(a, cloudwatch.AlarmState.ALARM))),
    });
    mqAlarm?.addAlarmAction(action);
    this.modelQualityAlarm = mqAlarm;
    this.driftAlarm = composite;
  }

  /**
   * A short hash of a job definition's inputs as CloudFormation will see them (tokens resolved to
   * their references), used in its name: equal inputs, equal name; any change, a new name.
   */
  private static inputHash(scope: IConstruct, inputs: unknown): string {
    const resolved = JSON.stringify(Stack.of(scope).resolve(inputs));
    return crypto.createHash('sha256').update(resolved).digest('hex').slice(0, 10);
  }

  /** A data-quality metric of this schedule (namespace `aws/sagemaker/Endpoints/data-metrics`, dimensions Endpoint and MonitoringSchedule). */
  public metricDataQuality(metricName: string, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: DATA_METRICS_NAMESPACE,
      metricName,
      statistic: cloudwatch.Stats.MAXIMUM,
      period: Duration.hours(1),
      ...options,
      dimensionsMap: { Endpoint: this.endpointName, MonitoringSchedule: this.scheduleName, ...options.dimensionsMap },
    });
  }

  /** `feature_baseline_drift_<feature>`: the distance of the feature's distribution from the baseline (maximum per hour). */
  public metricFeatureDrift(options: FeatureMetricOptions): cloudwatch.Metric {
    const { feature, ...rest } = options;
    return this.metricDataQuality(`feature_baseline_drift_${feature}`, rest);
  }

  /** `feature_non_null_<feature>`: the share of non-null values of the feature (minimum per hour). */
  public metricFeatureCompleteness(options: FeatureMetricOptions): cloudwatch.Metric {
    const { feature, ...rest } = options;
    return this.metricDataQuality(`feature_non_null_${feature}`, { statistic: cloudwatch.Stats.MINIMUM, ...rest });
  }

  /** A model-quality metric, e.g. `auc`, `f1`, `accuracy` (namespace `aws/sagemaker/Endpoints/model-metrics`); model quality must be on. */
  public metricModelQuality(metricName: string, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    if (this.modelQualityScheduleName === undefined) return invalidProp(this, 'modelQuality', undefined, 'model quality options to read model-quality metrics');
    return new cloudwatch.Metric({
      namespace: MODEL_METRICS_NAMESPACE,
      metricName,
      statistic: cloudwatch.Stats.MINIMUM,
      period: Duration.hours(1),
      ...options,
      dimensionsMap: { Endpoint: this.endpointName, MonitoringSchedule: this.modelQualityScheduleName, ...options.dimensionsMap },
    });
  }

  /** Every metric alarm the monitor created (drift per feature, model quality). */
  public get alarms(): cloudwatch.IAlarm[] {
    return [...this.featureDriftAlarms, ...(this.modelQualityAlarm ? [this.modelQualityAlarm] : [])];
  }

  /**
   * Sends the drift alarm's transitions into ALARM to a target, e.g. the TrainingPipeline's
   * `SageMakerStartPipelineExecution` to retrain on drift.
   */
  public onDrift(id: string, target: events.IRuleTarget): events.Rule {
    return new events.Rule(this, id, {
      description: `Drift of ${this.endpointName}: start retraining`,
      eventPattern: {
        source: ['aws.cloudwatch'],
        detailType: ['CloudWatch Alarm State Change'],
        resources: [this.driftAlarm.alarmArn],
        detail: { state: { value: ['ALARM'] } },
      },
      targets: [target],
    });
  }

  private schedule(id: string, name: string, jobDefinitionName: string, monitoringType: string,
    scheduleConfig: sagemaker.CfnMonitoringSchedule.ScheduleConfigProperty, endpoint: InferenceEndpoint): sagemaker.CfnMonitoringSchedule {
    const schedule = new sagemaker.CfnMonitoringSchedule(this, id, {
      monitoringScheduleName: name,
      endpointName: this.endpointName,
      monitoringScheduleConfig: { monitoringJobDefinitionName: jobDefinitionName, monitoringType, scheduleConfig },
    });
    // SageMaker checks that the endpoint exists and that the job definition does.
    schedule.addResourceDependency(endpoint.cfnEndpoint);
    schedule.node.addDependency(id === 'ModelQualitySchedule' ? this.modelQualityJobDefinition! : this.dataQualityJobDefinition);
    return schedule;
  }

  private allow(actions: string[], resources: string[], conditions?: Record<string, unknown>): void {
    this.policy.addStatements(new iam.PolicyStatement({ actions, resources, conditions }));
  }

  private grantJobBasics(props: ModelMonitorProps, subnetIds: string[], securityGroups: ec2.ISecurityGroup[]): void {
    const stack = Stack.of(this);
    // Captured data: read-only, the capture prefix only, and its key.
    const capture = props.captureDestination.bind(this, 'captureDestination');
    const captured = capture.bucket.arnForObjects(`${capture.prefix}/*`);
    this.allow(['s3:GetObject'], [captured]);
    this.allow(['s3:ListBucket'], [capture.bucket.bucketArn], { StringLike: { 's3:prefix': [`${capture.prefix}/*`] } });
    Nag.acknowledgeWildcard(this.policy, captured, 'Captured data is <prefix>/<endpoint>/<variant>/<yyyy>/<mm>/<dd>/<hh>/<uuid>.jsonl, names SageMaker chooses; read-only, this prefix only.');
    (capture.encryptionKey ?? props.endpoint.encryptionKey).grantDecrypt(this.policy);
    // The analyzer image.
    this.allow(['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'], [BuiltInImage.MODEL_MONITOR_ANALYZER.repositoryArn(this)]);
    this.allow(['ecr:GetAuthorizationToken'], ['*']);
    // Job logs: SageMaker's shared processing-job log group, streams named after each job.
    const logGroup = stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '/aws/sagemaker/ProcessingJobs:*', arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    this.allow(['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'], [logGroup]);
    Nag.acknowledgeWildcard(this.policy, logGroup, 'Processing jobs log to streams named after each run in SageMaker\'s /aws/sagemaker/ProcessingJobs group; only that group.');
    this.allow(['cloudwatch:PutMetricData'], ['*'], { StringLike: { 'cloudwatch:namespace': 'aws/sagemaker/*' } });
    // Elastic network interfaces in the job subnets (what AWS lists for processing jobs in a VPC).
    const ec2Arn = (resource: string, resourceName: string) => stack.formatArn({ service: 'ec2', resource, resourceName });
    this.allow(['ec2:DescribeVpcs', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeDhcpOptions',
      'ec2:DeleteNetworkInterfacePermission'], ['*']);
    this.allow(['ec2:CreateNetworkInterface'], [ec2Arn('network-interface', '*'), ...subnetIds.map((id) => ec2Arn('subnet', id)),
      ...securityGroups.map((sg) => ec2Arn('security-group', sg.securityGroupId))]);
    this.allow(['ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface'], [ec2Arn('network-interface', '*')],
      { StringEquals: { 'ec2:Vpc': ec2Arn('vpc', props.vpc.vpcId) } });
    const eniReason = 'SageMaker creates, names and deletes the jobs\' network interfaces itself; scoped to the job subnets, security groups and VPC where EC2 allows it. '
      + 'Describe*, GetAuthorizationToken, PutMetricData (namespace-conditioned) and DeleteNetworkInterfacePermission have no resource-level permissions.';
    Nag.acknowledge(this.policy,
      { id: 'AwsSolutions-IAM5[Resource::*]', reason: eniReason },
      { id: `AwsSolutions-IAM5[Resource::${Nag.findingText(this, ec2Arn('network-interface', '*'))}]`, reason: eniReason });
  }

  private defaultSecurityGroup(vpc: ec2.IVpc): ec2.SecurityGroup {
    const sg = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc,
      description: 'Model Monitor jobs: HTTPS out to VPC endpoints only, nothing in',
      allowAllOutbound: false,
    });
    // The S3 gateway endpoint's prefix list id is unknown offline; the subnets route nowhere else.
    sg.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to S3 gateway and interface endpoints');
    return sg;
  }
}

/** An S3 gateway or interface endpoint among the VPC's constructs (PrivateNetwork and `addGatewayEndpoint` put them there). */
function hasS3Endpoint(vpc: ec2.IVpc): boolean {
  const stack = Stack.of(vpc);
  return vpc.node.findAll().some((c) => c instanceof ec2.CfnVPCEndpoint
    && /\.s3"?\]?\]?\}?$|\.s3"/.test(JSON.stringify(stack.resolve(c.serviceName))));
}

/** Checks for callers without a type checker (JavaScript, Python). */
function validateShape(scope: IConstruct, props: ModelMonitorProps): void {
  checkRequired(scope, 'props', props, 'ModelMonitorProps');
  checkRequired(scope, 'endpoint', props.endpoint, 'an InferenceEndpoint with data capture');
  check(scope, typeof props.endpoint === 'object' && props.endpoint.cfnEndpointConfig !== undefined && props.endpoint.cfnEndpoint !== undefined,
    'endpoint', props.endpoint, 'an InferenceEndpoint');
  checkRequired(scope, 'captureDestination', props.captureDestination, 'the DataCaptureDestination given to the endpoint');
  check(scope, props.captureDestination === undefined || props.captureDestination instanceof DataCaptureDestination, 'captureDestination', props.captureDestination, 'a DataCaptureDestination (DataCaptureDestination.fromBucket(...))');
  checkRequired(scope, 'baseline', props.baseline, 'a MonitoringBaseline (MonitoringBaseline.fromBucket(...) or fromS3Uris(...))');
  check(scope, props.baseline === undefined || props.baseline instanceof MonitoringBaseline, 'baseline', props.baseline, 'a MonitoringBaseline (MonitoringBaseline.fromBucket(...) or fromS3Uris(...)), not a string');
  checkRequired(scope, 'outputBucket', props.outputBucket, 'an s3.IBucket');
  checkRequired(scope, 'vpc', props.vpc, 'an ec2.IVpc (e.g. PrivateNetwork.vpc)');
  check(scope, props.schedule === undefined || props.schedule instanceof MonitorSchedule, 'schedule', props.schedule, 'a MonitorSchedule (MonitorSchedule.hourly(), daily(h), everyHours(n) or expression(cron)), not a string');
  checkType(scope, 'instanceType', props.instanceType, 'string');
  checkType(scope, 'volumeSizeInGb', props.volumeSizeInGb, 'number');
  checkType(scope, 'driftThreshold', props.driftThreshold, 'number');
  checkType(scope, 'networkIsolation', props.networkIsolation, 'boolean');
  checkType(scope, 'runOnceOnDeploy', props.runOnceOnDeploy, 'boolean');
  checkType(scope, 'outputPrefix', props.outputPrefix, 'string');
  checkArray(scope, 'features', props.features, 'feature names');
  checkArray(scope, 'securityGroups', props.securityGroups, 'security groups');
  if (props.maxRuntime !== undefined) check(scope, props.maxRuntime instanceof Duration, 'maxRuntime', props.maxRuntime, 'a Duration, e.g. Duration.minutes(30)');
  if (props.modelQuality !== undefined) checkType(scope, 'modelQuality.probabilityThreshold', props.modelQuality.probabilityThreshold, 'number');
  if (Token.isUnresolved(props.features)) invalidProp(scope, 'features', props.features, 'a list known at synth time');
}
