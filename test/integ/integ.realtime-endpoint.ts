import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App } from 'aws-cdk-lib';
import { RealtimeEndpointExample } from '../../examples/inference/realtime-endpoint-example';
import { endpointIntegTest } from './endpoint';
import { runIfMain } from './support';

/** RealtimeEndpointExample: invoke the endpoint with a known row and expect a churn probability. */
export function build(app: App): IntegTest {
  const stack = new RealtimeEndpointExample(app, 'RealtimeEndpointExample');
  return endpointIntegTest(app, 'RealtimeEndpointIntegTest', stack, stack.endpoint);
}

runIfMain(module, build);
