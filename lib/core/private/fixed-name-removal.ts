import { RemovalPolicy } from 'aws-cdk-lib';

/**
 * The removal policy for a resource whose name is fixed (a log group, an Athena workgroup):
 * RETAIN becomes RETAIN_ON_UPDATE_OR_DELETE (`RetainExceptOnCreate`), so a failed first create
 * deletes it and the retry does not fail with "already exists"; anything else is kept as given.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html
 */
export function fixedNameRemovalPolicy(policy: RemovalPolicy): RemovalPolicy {
  return policy === RemovalPolicy.RETAIN ? RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE : policy;
}
