import { CfnElement, CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { DataLake, DataZone, Nag, Profile } from '../../lib';

/**
 * A zoned data lake (raw, curated, features) with a crawler over the raw and curated zones, an
 * Athena workgroup, and an analyst role that may query the curated zone and nothing else.
 * Study guide tasks 1.1 (data repositories) and 2.3 (analysis and visualization with Athena).
 */
export class DataLakeExample extends Stack {
  /** The lake. */
  public readonly lake: DataLake;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, { description: 'cdk-ml-reference: zoned S3 data lake with Glue catalog and Athena workgroup', ...props });
    const lab = Profile.of(this).isLab;
    this.lake = new DataLake(this, 'Lake', {
      crawledZones: [DataZone.RAW, DataZone.CURATED],
      // A lab crawls on demand (each run bills at least 10 DPU-minutes); production nightly.
      crawlerSchedule: lab ? undefined : 'cron(0 3 * * ? *)',
    });

    const analyst = new iam.Role(this, 'AnalystRole', {
      assumedBy: new iam.AccountRootPrincipal(),
      description: 'Queries the curated zone of the data lake through its Athena workgroup',
    });
    this.lake.grantRead(DataZone.CURATED, analyst);
    this.lake.grantCatalogRead(DataZone.CURATED, analyst);
    this.lake.grantQuery(analyst);
    acknowledgeAnalystGrants(analyst, this.lake);

    new CfnOutput(this, 'RawBucketName', { value: this.lake.rawBucket.bucketName });
    new CfnOutput(this, 'CuratedBucketName', { value: this.lake.curatedBucket.bucketName });
    new CfnOutput(this, 'FeaturesBucketName', { value: this.lake.featuresBucket.bucketName });
    new CfnOutput(this, 'CuratedDatabaseName', { value: this.lake.databaseName(DataZone.CURATED) });
    new CfnOutput(this, 'WorkGroupName', { value: this.lake.workGroupName });
    new CfnOutput(this, 'AnalystRoleArn', { value: analyst.roleArn });
  }
}

/** The analyst's grants come from the lake's grant methods; what they leave open, and why. */
function acknowledgeAnalystGrants(analyst: iam.Role, lake: DataLake): void {
  const stack = Stack.of(analyst);
  const ref = (c: Construct) => `<${stack.getLogicalId((CfnElement.isCfnElement(c) ? c : c.node.defaultChild) as CfnElement)}`;
  const curated = lake.bucket(DataZone.CURATED);
  const grantRead = "comes from DataLake.grantRead, which grants what aws-cdk's Bucket.grantRead grants (read-only actions) on the curated zone's bucket only";
  Nag.acknowledge(analyst.node.findChild('DefaultPolicy'),
    { id: 'AwsSolutions-IAM5[Action::s3:GetObject*]', reason: `The action wildcard ${grantRead}.` },
    { id: 'AwsSolutions-IAM5[Action::s3:GetBucket*]', reason: `The action wildcard ${grantRead}.` },
    { id: 'AwsSolutions-IAM5[Action::s3:List*]', reason: `The action wildcard ${grantRead}.` },
    { id: `AwsSolutions-IAM5[Resource::${ref(curated)}.Arn>/*]`, reason: 'An analyst reads any object of the curated zone; object keys are not known at deploy time, and the wildcard stays inside that one bucket.' },
    {
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:glue:<AWS::Region>:<AWS::AccountId>:table/${ref(lake.database(DataZone.CURATED))}>/*]`,
      reason: 'Athena reads the definitions of whatever tables the crawler creates in the curated database; their names are not known at deploy time, and the wildcard stays inside that one database (read-only actions).',
    },
    { id: `AwsSolutions-IAM5[Resource::${ref(lake.queryResultsBucket)}.Arn>/results/*]`, reason: 'Athena writes each query\'s results under a new key chosen at run time; the wildcard stays inside the results/ prefix of the query-results bucket.' },
  );
  Nag.acknowledgeCompliance(analyst.node.findChild('DefaultPolicy'), 'IAMNoInlinePolicy', 'The grant methods write the role\'s own policy, as every aws-cdk grant does; it is attached to this one role, is visible in the template, and holds only the scoped statements above.');
}
