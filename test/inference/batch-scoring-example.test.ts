import { Match, Template } from 'aws-cdk-lib/assertions';
import { BatchScoringExample } from '../../examples/batch/batch-scoring-example';
import { testApp } from '../support/app';
import { formatNag, nagFindings } from '../support/nag';

describe.each(['lab', 'production'] as const)('BatchScoringExample (%s)', (profile) => {
  const stack = new BatchScoringExample(testApp({ profile }), 'Batch');
  test('is nag clean in the four packs', () => {
    expect(formatNag(nagFindings(stack))).toEqual([]);
  });
});

test('production scores nightly through EventBridge Scheduler; the lab on demand only', () => {
  const prod = Template.fromStack(new BatchScoringExample(testApp({ profile: 'production' }), 'P'));
  prod.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'cron(0 2 * * ? *)' });
  Template.fromStack(new BatchScoringExample(testApp({ profile: 'lab' }), 'L')).resourceCountIs('AWS::Scheduler::Schedule', 0);
  prod.hasResourceProperties('AWS::SageMaker::Model', { EnableNetworkIsolation: true, VpcConfig: { Subnets: [{ Ref: Match.anyValue() }, { Ref: Match.anyValue() }], SecurityGroupIds: Match.anyValue() } });
});
