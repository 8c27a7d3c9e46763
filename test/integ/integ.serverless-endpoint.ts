import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App } from 'aws-cdk-lib';
import { ServerlessEndpointExample } from '../../examples/inference/serverless-endpoint-example';
import { endpointIntegTest } from './endpoint';
import { runIfMain } from './support';

/** ServerlessEndpointExample: invoke the endpoint with a known row and expect a churn probability. */
export function build(app: App): IntegTest {
  const stack = new ServerlessEndpointExample(app, 'ServerlessEndpointExample');
  return endpointIntegTest(app, 'ServerlessEndpointIntegTest', stack, stack.endpoint);
}

runIfMain(module, build);
