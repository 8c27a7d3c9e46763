import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ProfileName, testApp } from './app';

/** A fresh environment-agnostic stack in an App with cdk.json's flags, for construct tests. */
export function testStack(profile?: ProfileName, context?: Record<string, unknown>): Stack {
  return new Stack(testApp({ profile, context }), 'Test');
}

/** A stack in a concrete region (for region-table lookups). */
export function regionalStack(region: string, profile?: ProfileName): Stack {
  return new Stack(testApp({ profile }), 'Test', { env: { account: '111122223333', region } });
}

/** Template.fromStack, named for readability at call sites. */
export function templateOf(stack: Stack): Template {
  return Template.fromStack(stack);
}
