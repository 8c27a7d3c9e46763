import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App } from 'aws-cdk-lib';
import { EtlExample } from '../../examples/etl/etl-example';
import { generateCustomers } from '../../lib/lab/customer-generator';
import { POLL, runIfMain } from './support';

/** Forty generated customers (with the planted mess): enough for every step of the feature SQL. */
const CUSTOMERS = generateCustomers({ seed: 20261201, customers: 40 }).csv;

/** EtlExample: customers uploaded to the raw zone, one run of the Glue job, and the features export appears. */
export function build(app: App): IntegTest {
  const stack = new EtlExample(app, 'EtlExample');
  const lake = stack.lake;
  const integ = new IntegTest(app, 'EtlIntegTest', { testCases: [stack], diffAssets: false });
  const grantKey = { Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: [lake.encryptionKey.keyArn] };

  const upload = integ.assertions.awsApiCall('S3', 'putObject', { Bucket: lake.rawBucket.bucketName, Key: 'customers/customers.csv', Body: CUSTOMERS });
  upload.provider.addToRolePolicy({ Effect: 'Allow', Action: ['s3:PutObject'], Resource: [lake.rawBucket.arnForObjects('customers/*')] });
  upload.provider.addToRolePolicy(grantKey);

  const start = integ.assertions.awsApiCall('Glue', 'startJobRun', { JobName: stack.job.jobName });
  start.provider.addToRolePolicy({ Effect: 'Allow', Action: ['glue:StartJobRun', 'glue:GetJobRun'], Resource: ['*'] });
  const run = integ.assertions.awsApiCall('Glue', 'getJobRun', { JobName: stack.job.jobName, RunId: start.getAttString('JobRunId') });
  run.expect(ExpectedResult.objectLike({ JobRun: { JobRunState: 'SUCCEEDED' } })).waitForAssertions(POLL);

  const exported = integ.assertions.awsApiCall('S3', 'listObjectsV2', { Bucket: lake.featuresBucket.bucketName, Prefix: 'customer_features/' });
  exported.provider.addToRolePolicy({ Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [lake.featuresBucket.bucketArn] });
  exported.expect(ExpectedResult.objectLike({ Contents: Match.arrayWith([Match.objectLike({ Key: Match.stringLikeRegexp('^customer_features/') })]) }));

  upload.next(start).next(run).next(exported);
  return integ;
}

runIfMain(module, build);
