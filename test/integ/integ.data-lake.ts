import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App } from 'aws-cdk-lib';
import { DataLakeExample } from '../../examples/data-lake/data-lake-example';
import { POLL, runIfMain } from './support';

/** DataLakeExample: a record put in the raw zone is found there, and Athena runs a query in the lake's workgroup. */
export function build(app: App): IntegTest {
  const stack = new DataLakeExample(app, 'DataLakeExample');
  const lake = stack.lake;
  const integ = new IntegTest(app, 'DataLakeIntegTest', { testCases: [stack], diffAssets: false });
  const grantKey = { Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: [lake.encryptionKey.keyArn] };

  const put = integ.assertions.awsApiCall('S3', 'putObject', {
    Bucket: lake.rawBucket.bucketName, Key: 'integ/customers/record.csv', Body: 'customer_id,plan\n42,premium\n',
  });
  put.provider.addToRolePolicy({ Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject'], Resource: [lake.rawBucket.arnForObjects('integ/*')] });
  put.provider.addToRolePolicy(grantKey);
  const get = integ.assertions.awsApiCall('S3', 'getObject', { Bucket: lake.rawBucket.bucketName, Key: 'integ/customers/record.csv' });
  get.expect(ExpectedResult.objectLike({ Body: 'customer_id,plan\n42,premium\n' }));

  const query = integ.assertions.awsApiCall('Athena', 'startQueryExecution', { QueryString: 'SELECT 1', WorkGroup: lake.workGroupName });
  query.provider.addToRolePolicy({ Effect: 'Allow', Action: ['athena:StartQueryExecution', 'athena:GetQueryExecution'], Resource: ['*'] });
  query.provider.addToRolePolicy({ Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject', 's3:GetBucketLocation', 's3:ListBucket'], Resource: [lake.queryResultsBucket.bucketArn, lake.queryResultsBucket.arnForObjects('*')] });
  query.provider.addToRolePolicy(grantKey);
  const done = integ.assertions.awsApiCall('Athena', 'getQueryExecution', { QueryExecutionId: query.getAttString('QueryExecutionId') });
  done.expect(ExpectedResult.objectLike({ QueryExecution: { Status: { State: 'SUCCEEDED' } } }))
    .waitForAssertions(POLL);
  put.next(get).next(query).next(done);
  return integ;
}

runIfMain(module, build);
