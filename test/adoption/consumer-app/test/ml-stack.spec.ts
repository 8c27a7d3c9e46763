/* eslint-disable @typescript-eslint/ban-ts-comment -- the next line is removed in the scratch app */
// @ts-nocheck -- scripts/pack-roundtrip.sh drops this line: the file is type-checked in the scratch app, where cdk-ml-reference is installed
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { DataLake, DataZone } from 'cdk-ml-reference';
import { PropValidationError } from 'cdk-ml-reference/errors';
import { MlStack } from '../lib/ml-stack';

// The first test `cdk init` gives a team: a bare App, no cdk.json context at all.
test('the stack builds in a bare App, every bucket encrypted with the lake key and ACLs disabled', () => {
  const app = new App();
  const stack = new MlStack(app, 'MlStack');
  const template = Template.fromStack(stack);
  const buckets = template.findResources('AWS::S3::Bucket');
  expect(Object.keys(buckets).length).toBeGreaterThanOrEqual(5);
  for (const bucket of Object.values(buckets)) {
    expect(bucket.Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(bucket.Properties.AccessControl).toBeUndefined();
  }
  template.hasResourceProperties('AWS::S3::Bucket', {
    BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() } }] },
  });
  template.hasResourceProperties('AWS::SageMaker::EndpointConfig', { KmsKeyId: Match.anyValue() });
  template.resourceCountIs('AWS::SageMaker::Endpoint', 1);
});

test('bad input fails with the PropValidationError exported by the package', () => {
  const stack = new Stack(new App(), 'Bad');
  let error: unknown;
  try {
    new DataLake(stack, 'Lake', { crawledZones: [DataZone.RAW, DataZone.RAW] });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(PropValidationError);
  expect((error as PropValidationError).prop).toMatch(/^crawledZones/);
});
