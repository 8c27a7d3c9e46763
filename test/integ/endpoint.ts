import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import { ChurnModelDefaults } from '../../lib/core';
import { InferenceEndpoint } from '../../lib/inference';

/**
 * A known row: every (scaled) feature at its mean, 0. The served XGBoost model answers with one
 * probability in [0, 1] (a plain decimal or scientific notation).
 */
export const KNOWN_ROW = ChurnModelDefaults.featureColumns().map(() => '0').join(',');
export const PROBABILITY = '^(0(\\.[0-9]+)?([eE]-[0-9]+)?|1(\\.0+)?|[1-9](\\.[0-9]+)?[eE]-[0-9]+)\\s*$';

/** The integration test of an endpoint example: deploy, invoke with the known row, expect a probability, destroy. */
export function endpointIntegTest(app: App, id: string, stack: Stack, endpoint: InferenceEndpoint): IntegTest {
  const integ = new IntegTest(app, id, { testCases: [stack], diffAssets: false });
  const invoke = integ.assertions.awsApiCall('SageMakerRuntime', 'invokeEndpoint', {
    EndpointName: endpoint.endpointName, ContentType: 'text/csv', Accept: 'text/csv', Body: KNOWN_ROW,
  });
  invoke.provider.addToRolePolicy({
    Effect: 'Allow', Action: ['sagemaker:InvokeEndpoint'],
    Resource: [Stack.of(stack).formatArn({ service: 'sagemaker', resource: 'endpoint', resourceName: '*' })],
  });
  invoke.assertAtPath('Body', ExpectedResult.stringLikeRegexp(PROBABILITY));
  return integ;
}
