import { CfnOutput, Names, Stack, StackProps } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { DataKey, DataLake, DataZone, EtlInputFormat, EtlJob, Profile } from '../../lib';

/**
 * Feature engineering on a data lake, the lab's data path: a crawler catalogs the raw customer
 * table, a Glue Spark job runs the feature SQL (latest version of each customer: deduplicate,
 * impute, cap outliers, one-hot encode, scale, bucket, hash PII; joined with 30 days of
 * clickstream activity) into partitioned Parquet in the features zone plus the training export
 * for built-in XGBoost (train/validation/test CSV, the baseline with a header, the feature schema),
 * and a second crawler catalogs the features for Athena; a scheduled Glue workflow chains them.
 * Failed runs reach an SNS topic with its own key, which EventBridge and CloudWatch may use for
 * that topic only.
 * Study guide tasks 1.3 (data transformation), 2.1 (sanitize and prepare data) and 2.2 (feature engineering).
 */
export class EtlExample extends Stack {
  /** The lake. */
  public readonly lake: DataLake;
  /** The job. */
  public readonly job: EtlJob;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, { description: 'cdk-ml-reference: Glue feature-engineering job over a data lake', ...props });
    const lab = Profile.of(this).isLab;
    this.lake = new DataLake(this, 'Lake');

    // Its own key and a name known at synth: the key policy can then name the topic exactly.
    const alerts = new sns.Topic(this, 'JobAlerts', {
      displayName: 'Feature engineering job failures',
      topicName: `${Names.uniqueResourceName(this, { maxLength: 200, separator: '-' })}-etl-alerts`,
      masterKey: new DataKey(this, 'AlertsKey', { description: 'Key of the feature engineering alerts topic' }),
      enforceSSL: true,
    });

    this.job = new EtlJob(this, 'CustomerFeatures', {
      dataLake: this.lake,
      inputZone: DataZone.RAW,
      inputPrefix: 'customers/',
      // Where StreamingIngestion (Parquet) delivers the clickstream of the same customers.
      additionalInputs: [{ viewName: 'clickstream', zone: DataZone.RAW, prefix: 'clickstream/', format: EtlInputFormat.PARQUET }],
      outputZone: DataZone.FEATURES,
      outputPrefix: 'customer_features/',
      trainingExportPrefix: 'training-export/',
      crawlInput: true,
      crawlOutput: true,
      // A lab runs weekly (2 G.1X workers for a few minutes); production nightly at 03:00 UTC.
      schedule: lab ? 'cron(0 3 ? * MON *)' : 'cron(0 3 * * ? *)',
      alarmTopic: alerts,
    });

    new CfnOutput(this, 'RawInputLocation', { value: this.job.inputPath, description: 'Upload the customer CSV (lib/lab/customer-generator.ts) here' });
    new CfnOutput(this, 'ClickstreamLocation', { value: this.job.additionalInputPaths.clickstream, description: 'Clickstream Parquet (StreamingIngestion delivers it here)' });
    new CfnOutput(this, 'FeaturesLocation', { value: this.job.outputPath });
    new CfnOutput(this, 'TrainingExportLocation', { value: this.job.trainingExportPath! });
    new CfnOutput(this, 'JobName', { value: this.job.jobName });
    if (this.job.workflow) new CfnOutput(this, 'WorkflowName', { value: this.job.workflow.ref });
    new CfnOutput(this, 'AlertsTopicArn', { value: alerts.topicArn });
  }
}
