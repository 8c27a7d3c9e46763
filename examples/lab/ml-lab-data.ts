import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  DataLake, DataZone, EtlInputFormat, EtlJob, LabGuard, MlOpsDashboard, PrivateNetwork, StreamingIngestion, StreamRecordFormat, TrainingData, TrainingPipeline,
} from '../../lib';
import { defaultToLabProfile } from './lab-profile';

/** Output keys of {@link MlLabData} that the `lab` command line reads (kept stable). */
export class MlLabDataOutputs {
  public static readonly RAW_BUCKET = 'RawBucketName';
  public static readonly CURATED_BUCKET = 'CuratedBucketName';
  public static readonly FEATURES_BUCKET = 'FeaturesBucketName';
  public static readonly STREAM = 'ClickstreamStreamName';
  public static readonly ETL_JOB = 'EtlJobName';
  public static readonly ETL_WORKFLOW = 'EtlWorkflowName';
  public static readonly WORKGROUP = 'AthenaWorkGroupName';
  public static readonly RAW_DATABASE = 'RawDatabaseName';
  public static readonly FEATURES_DATABASE = 'FeaturesDatabaseName';
  public static readonly BUDGET_TOPIC = 'BudgetTopicArn';
  public static readonly EXPIRES_AT = 'ExpiresAt';
  public static readonly TRAINING_PIPELINE = 'TrainingPipelineName';
  public static readonly TRAINING_STATE_MACHINE = 'TrainingStateMachineArn';
  public static readonly MODEL_PACKAGE_GROUP = 'ModelPackageGroupName';
  public static readonly TRAINING_GATE = 'TrainingGateAuc';
  public static readonly TRAINING_EXPORT = 'TrainingExportLocation';
  public static readonly BASELINES = 'BaselinesLocation';
  public static readonly DASHBOARD = 'DashboardName';
}

/** Where the lab's ETL writes the training export in the features zone (`train/`, `validation/`, `test/`, `baseline/`). */
export const LAB_TRAINING_EXPORT_PREFIX = 'training-export/';
/** Where the lab's training pipeline writes each execution's Model Monitor baseline in the features zone. */
export const LAB_BASELINE_PREFIX = 'model-baselines/';

/**
 * The hands-on lab's data side (lab profile unless `-c profile=production`): the data lake,
 * clickstream ingestion (Kinesis → Firehose → Parquet in the raw zone), the feature ETL that joins
 * customers with their clickstream and writes the training export, the private network training
 * and serving run in, the training pipeline (gate, registry, Model Monitor baseline), one MLOps
 * dashboard, and the lab guard (budget and time-to-live). Idle cost: docs/LAB.md and `lab cost`.
 */
export class MlLabData extends Stack {
  /** The lake. */
  public readonly lake: DataLake;
  /** Clickstream ingestion. */
  public readonly clickstream: StreamingIngestion;
  /** The feature ETL. */
  public readonly etl: EtlJob;
  /** The VPC of training and serving. */
  public readonly network: PrivateNetwork;
  /** Training, gate, registry and baseline. */
  public readonly training: TrainingPipeline;
  /** Stream, ETL and training on one dashboard. */
  public readonly dashboard: MlOpsDashboard;
  /** Budget and time-to-live. */
  public readonly guard: LabGuard;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, { description: 'cdk-ml-reference lab: data lake, clickstream, feature ETL, network, budget and time-to-live', ...props });
    defaultToLabProfile(this);
    this.lake = new DataLake(this, 'Lake');
    this.clickstream = new StreamingIngestion(this, 'Clickstream', {
      dataLake: this.lake,
      format: StreamRecordFormat.PARQUET,
      tableName: 'clickstream',
      columns: [
        { name: 'event_id', type: 'string' },
        { name: 'event_type', type: 'string', comment: 'page_view, search, add_to_cart or purchase' },
        { name: 'user_id', type: 'string', comment: 'the customer id of raw/customers' },
        { name: 'session_id', type: 'string' },
        { name: 'page', type: 'string' },
        { name: 'product_id', type: 'string' },
        { name: 'price', type: 'double' },
        { name: 'event_time', type: 'string', comment: 'ISO 8601, UTC' },
      ],
      dataPrefix: 'clickstream/dt=!{timestamp:yyyy-MM-dd}/',
      errorPrefix: 'clickstream-errors/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/',
      createAlarmTopic: true,
    });
    // On demand only: `lab etl` starts the workflow (crawl input, job, crawl output) and waits.
    this.etl = new EtlJob(this, 'Features', {
      dataLake: this.lake,
      inputZone: DataZone.RAW,
      inputPrefix: 'customers/',
      // The clickstream Firehose delivers as Parquet: the feature SQL joins each customer's activity.
      additionalInputs: [{ viewName: 'clickstream', zone: DataZone.RAW, prefix: 'clickstream/', format: EtlInputFormat.PARQUET }],
      outputZone: DataZone.FEATURES,
      outputPrefix: 'customer_features/',
      trainingExportPrefix: LAB_TRAINING_EXPORT_PREFIX,
      crawlInput: true,
      crawlOutput: true,
      alarmTopic: this.clickstream.alarmTopic,
    });
    this.network = new PrivateNetwork(this, 'Network');
    // On demand (`lab train`): spot training in the VPC, the AUC gate, the baseline, a version in
    // the registry (lab profile: registered Approved; `lab models` can reject it).
    this.training = new TrainingPipeline(this, 'Training', {
      trainingData: TrainingData.fromLake(this.lake),
      vpc: this.network.vpc,
      vpcSubnets: this.network.workloadSubnets,
      jobNamePrefix: 'lab',
      baseline: true,
      baselineOutputPrefix: LAB_BASELINE_PREFIX,
    });
    this.dashboard = new MlOpsDashboard(this, 'Dashboard', {
      ingestion: [this.clickstream],
      etlJobs: [this.etl],
      trainingPipelines: [this.training],
    });
    this.guard = new LabGuard(this, 'Guard');

    new CfnOutput(this, MlLabDataOutputs.RAW_BUCKET, { value: this.lake.rawBucket.bucketName, description: 'lab data uploads raw/customers/ here' });
    new CfnOutput(this, MlLabDataOutputs.CURATED_BUCKET, { value: this.lake.curatedBucket.bucketName, description: 'lab serve uploads the committed model artifact here' });
    new CfnOutput(this, MlLabDataOutputs.FEATURES_BUCKET, { value: this.lake.featuresBucket.bucketName });
    new CfnOutput(this, MlLabDataOutputs.STREAM, { value: this.clickstream.stream.streamName });
    new CfnOutput(this, MlLabDataOutputs.ETL_JOB, { value: this.etl.jobName });
    if (this.etl.workflow) new CfnOutput(this, MlLabDataOutputs.ETL_WORKFLOW, { value: this.etl.workflow.ref });
    new CfnOutput(this, MlLabDataOutputs.WORKGROUP, { value: this.lake.workGroupName });
    new CfnOutput(this, MlLabDataOutputs.RAW_DATABASE, { value: this.lake.databaseName(DataZone.RAW) });
    new CfnOutput(this, MlLabDataOutputs.FEATURES_DATABASE, { value: this.lake.databaseName(DataZone.FEATURES) });
    new CfnOutput(this, MlLabDataOutputs.BUDGET_TOPIC, { value: this.guard.topic.topicArn });
    new CfnOutput(this, MlLabDataOutputs.TRAINING_PIPELINE, { value: this.training.stateMachineName, description: 'lab train starts this state machine' });
    new CfnOutput(this, MlLabDataOutputs.TRAINING_STATE_MACHINE, { value: this.training.stateMachine.stateMachineArn });
    new CfnOutput(this, MlLabDataOutputs.MODEL_PACKAGE_GROUP, { value: this.training.modelPackageGroupName });
    new CfnOutput(this, MlLabDataOutputs.TRAINING_GATE, { value: String(this.training.threshold), description: `${this.training.objectiveMetric} a model must reach to be registered` });
    new CfnOutput(this, MlLabDataOutputs.TRAINING_EXPORT, { value: this.etl.trainingExportPath! });
    new CfnOutput(this, MlLabDataOutputs.BASELINES, { value: `s3://${this.lake.featuresBucket.bucketName}/${LAB_BASELINE_PREFIX}` });
    new CfnOutput(this, MlLabDataOutputs.DASHBOARD, { value: this.dashboard.dashboard.dashboardName });
    new CfnOutput(this, MlLabDataOutputs.EXPIRES_AT, { value: this.guard.deleteAt ?? 'never (no labExpiresAt context)' });
  }
}
