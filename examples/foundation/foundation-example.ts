import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { AccessLogBucket, DataKey, SecureBucket } from '../../lib';

/**
 * The pieces every pattern stands on: a customer managed key, an access-log bucket, and one
 * bucket with the library's security defaults. The smallest stack the example gates run on.
 */
export class FoundationExample extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, { description: 'cdk-ml-reference: shared KMS key and log bucket (foundation)', ...props });
    const key = new DataKey(this, 'DataKey', { description: 'Foundation example data key' });
    const logs = new AccessLogBucket(this, 'AccessLogs');
    const bucket = new SecureBucket(this, 'Artifacts', { encryptionKey: key, serverAccessLogsBucket: logs });
    new CfnOutput(this, 'ArtifactsBucketName', { value: bucket.bucketName });
  }
}
