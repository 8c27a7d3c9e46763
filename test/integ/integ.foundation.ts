import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App } from 'aws-cdk-lib';
import { FoundationExample } from '../../examples/foundation/foundation-example';
import { DataKey, SecureBucket } from '../../lib/core';
import { runIfMain } from './support';

/** FoundationExample: an object written to the secure bucket reads back, encrypted under the data key. */
export function build(app: App): IntegTest {
  const stack = new FoundationExample(app, 'FoundationExample');
  const bucket = stack.node.findChild('Artifacts') as SecureBucket;
  const key = stack.node.findChild('DataKey') as DataKey;
  const integ = new IntegTest(app, 'FoundationIntegTest', { testCases: [stack], diffAssets: false });

  const put = integ.assertions.awsApiCall('S3', 'putObject', { Bucket: bucket.bucketName, Key: 'integ/hello.txt', Body: 'hello' });
  const get = integ.assertions.awsApiCall('S3', 'getObject', { Bucket: bucket.bucketName, Key: 'integ/hello.txt' });
  for (const call of [put, get]) {
    call.provider.addToRolePolicy({ Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject'], Resource: [bucket.arnForObjects('integ/*')] });
    call.provider.addToRolePolicy({ Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: [key.keyArn] });
  }
  get.expect(ExpectedResult.objectLike({ Body: 'hello', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: key.keyArn }));
  put.next(get);
  return integ;
}

runIfMain(module, build);
