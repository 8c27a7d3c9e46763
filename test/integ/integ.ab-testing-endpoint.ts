import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App } from 'aws-cdk-lib';
import { AbTestingEndpointExample } from '../../examples/inference/ab-testing-endpoint-example';
import { endpointIntegTest } from './endpoint';
import { runIfMain } from './support';

/** AbTestingEndpointExample: invoke the endpoint with a known row and expect a churn probability. */
export function build(app: App): IntegTest {
  const stack = new AbTestingEndpointExample(app, 'AbTestingEndpointExample');
  return endpointIntegTest(app, 'AbTestingEndpointIntegTest', stack, stack.endpoint);
}

runIfMain(module, build);
