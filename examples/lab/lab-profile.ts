import { Stack } from 'aws-cdk-lib';
import { Profile, ProfileName } from '../../lib';

/**
 * The lab stacks default to the lab profile: an app that sets no `profile` context gets the lab
 * posture here (and production everywhere else); `-c profile=production` still wins.
 * Must run before the stack has children.
 */
export function defaultToLabProfile(stack: Stack): void {
  if (stack.node.tryGetContext(Profile.CONTEXT_KEY) === undefined) stack.node.setContext(Profile.CONTEXT_KEY, ProfileName.LAB);
}
