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

describe('MonitoredEndpointExample baseline location', () => {
  const statsUri = (stack: MonitoredEndpointExample) => JSON.stringify(stack.resolve(
    (stack.monitor.dataQualityJobDefinition.dataQualityBaselineConfig as { statisticsResource: { s3Uri: string } }).statisticsResource.s3Uri));

  test('by default: baselines/churn-xgboost/ of the stack\'s own bucket', () => {
    const stack = new MonitoredEndpointExample(testApp({ profile: 'lab' }), 'Default');
    expect(statsUri(stack)).toMatch(/ArtifactsBucket.*\/baselines\/churn-xgboost\/statistics\.json/);
  });

  test('context baselineUri points it elsewhere; the prop does the same', () => {
    const byContext = new MonitoredEndpointExample(testApp({ profile: 'lab', context: { baselineUri: 's3://team-baselines/churn/v3/' } }), 'Ctx');
    expect(statsUri(byContext)).toBe('"s3://team-baselines/churn/v3/statistics.json"');
    const byProp = new MonitoredEndpointExample(testApp({ profile: 'lab' }), 'Prop', { baselineUri: 's3://team-baselines/churn/v4' });
    expect(statsUri(byProp)).toBe('"s3://team-baselines/churn/v4/statistics.json"');
  });

  test('a baselineUri that is not s3:// is rejected', () => {
    expect(() => new MonitoredEndpointExample(testApp({ profile: 'lab', context: { baselineUri: 'https://x/y' } }), 'Bad'))
      .toThrow('[Bad] invalid baselineUri: got "https://x/y"; allowed: s3://<bucket>/<prefix holding statistics.json and constraints.json>');
  });
});
