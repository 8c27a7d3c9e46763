import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { DataLake, DataZone, EtlJob, Profile } from '../../lib';

/**
 * Feature engineering on a data lake: a crawler catalogs the raw customer table, a Glue Spark job
 * runs the feature SQL over it (deduplicate, impute, cap outliers, one-hot encode, scale, bucket,
 * hash PII) into partitioned Parquet in the features zone, and a second crawler catalogs the
 * result, chained by a scheduled Glue workflow. Failed runs reach an encrypted SNS topic.
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

    const alerts = new sns.Topic(this, 'JobAlerts', {
      displayName: 'Feature engineering job failures',
      masterKey: this.lake.encryptionKey,
      enforceSSL: true,
    });
    // EventBridge and CloudWatch alarms publish to the encrypted topic with the lake's key.
    // EventBridge's KMS requests for SNS carry no aws:SourceAccount (SNS key-management docs),
    // so a condition on it would drop every notification; CloudWatch's do.
    this.lake.encryptionKey.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowPublishToAlertsFromEvents',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
    }));
    this.lake.encryptionKey.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowPublishToAlertsFromCloudWatch',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
    }));

    this.job = new EtlJob(this, 'CustomerFeatures', {
      dataLake: this.lake,
      inputZone: DataZone.RAW,
      inputPrefix: 'customers/',
      outputZone: DataZone.FEATURES,
      outputPrefix: 'customer_features/',
      crawlInput: true,
      crawlOutput: true,
      // A lab runs weekly (2 G.1X workers for a few minutes); production nightly at 03:00 UTC.
      schedule: lab ? 'cron(0 3 ? * MON *)' : 'cron(0 3 * * ? *)',
      alarmTopic: alerts,
    });

    new CfnOutput(this, 'RawInputLocation', { value: this.job.inputPath, description: 'Upload test/data/fixtures/etl-customers.csv here' });
    new CfnOutput(this, 'FeaturesLocation', { value: this.job.outputPath });
    new CfnOutput(this, 'JobName', { value: this.job.jobName });
    if (this.job.workflow) new CfnOutput(this, 'WorkflowName', { value: this.job.workflow.ref });
    new CfnOutput(this, 'AlertsTopicArn', { value: alerts.topicArn });
  }
}
