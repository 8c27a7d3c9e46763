import { Stack } from 'aws-cdk-lib';
import { AccessLogBucket, DataKey, SecureBucket, StreamingIngestion, StreamingIngestionProps } from '../../lib';
import { ProfileName } from '../support/app';
import { rejectionOf } from '../support/rejection';
import { testStack } from '../support/stack';

/** A bucket and key from the foundation, no lake: the cheap setup for StreamingIngestion tests. */
export function bucketSetup(profile: ProfileName = 'lab'): { stack: Stack; key: DataKey; bucket: SecureBucket } {
  const stack = testStack(profile);
  const key = new DataKey(stack, 'Key');
  const bucket = new SecureBucket(stack, 'Bucket', { encryptionKey: key, serverAccessLogsBucket: new AccessLogBucket(stack, 'Logs') });
  return { stack, key, bucket };
}

/** The rejection of a StreamingIngestion writing to a foundation bucket with these props. */
export function ingestionRejection(props: Partial<StreamingIngestionProps>): ReturnType<typeof rejectionOf> {
  const { stack, bucket } = bucketSetup();
  return rejectionOf(() => new StreamingIngestion(stack, 'Clicks', { destinationBucket: bucket, ...props }));
}
