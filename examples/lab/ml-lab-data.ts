import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { DataLake, DataZone, EtlJob, LabGuard, PrivateNetwork, StreamingIngestion, StreamRecordFormat } from '../../lib';
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
}

/**
 * The hands-on lab's data side (lab profile unless `-c profile=production`): the data lake,
 * clickstream ingestion (Kinesis → Firehose → Parquet in the raw zone), the feature ETL with its
 * crawlers, the private network training and serving run in, and the lab guard (budget and
 * time-to-live). Idle cost: docs/LAB.md and `lab cost`.
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
      outputZone: DataZone.FEATURES,
      outputPrefix: 'customer_features/',
      crawlInput: true,
      crawlOutput: true,
      alarmTopic: this.clickstream.alarmTopic,
    });
    this.network = new PrivateNetwork(this, 'Network');
    // wire at merge: TrainingPipeline (registry, gate, baseline) on this.lake and this.network
    // wire at merge: MlOpsDashboard over the stream, the ETL and the training pipeline
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
    new CfnOutput(this, MlLabDataOutputs.EXPIRES_AT, { value: this.guard.deleteAt ?? 'never (no labExpiresAt context)' });
  }
}
