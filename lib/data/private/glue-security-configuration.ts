import * as glue from 'aws-cdk-lib/aws-glue';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * The Glue security configuration every Glue resource of this library runs under: S3 output and
 * CloudWatch logs SSE-KMS, job bookmarks CSE-KMS, all with one customer managed key.
 */
export function kmsSecurityConfiguration(scope: Construct, name: string, key: kms.IKey): glue.CfnSecurityConfiguration {
  return new glue.CfnSecurityConfiguration(scope, 'SecurityConfiguration', {
    name,
    encryptionConfiguration: {
      s3Encryptions: [{ s3EncryptionMode: 'SSE-KMS', kmsKeyArn: key.keyArn }],
      cloudWatchEncryption: { cloudWatchEncryptionMode: 'SSE-KMS', kmsKeyArn: key.keyArn },
      jobBookmarksEncryption: { jobBookmarksEncryptionMode: 'CSE-KMS', kmsKeyArn: key.keyArn },
    },
  });
}
