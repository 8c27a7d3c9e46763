import { Template } from 'aws-cdk-lib/assertions';
import { MonitoredEndpointExample } from '../../examples/monitoring/monitored-endpoint-example';
import { Nag } from '../../lib';
import { testApp } from '../support/app';
import { formatNag, nagFindings } from '../support/nag';

describe.each(['lab', 'production'] as const)('MonitoredEndpointExample (%s)', (profile) => {
  const app = testApp({ profile });
  const stack = new MonitoredEndpointExample(app, 'Monitored');
  Nag.enable(app);
  const template = Template.fromStack(stack);

  test('is nag clean in the four packs', () => {
    expect(formatNag(nagFindings(stack))).toEqual([]);
  });

  test('has one data-quality schedule on the endpoint', () => {
    expect(Object.keys(template.findResources('AWS::SageMaker::MonitoringSchedule')).length).toBe(profile === 'lab' ? 2 : 1);
  });
});
