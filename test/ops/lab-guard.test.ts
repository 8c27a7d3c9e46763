import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { LabGuard } from '../../lib/ops/lab-guard';
import { testApp } from '../support/app';
import { formatNag, nagFindings } from '../support/nag';
import { rejectionOf } from '../support/rejection';

function guarded(context: Record<string, unknown> = {}, props: ConstructorParameters<typeof LabGuard>[2] = {}) {
  const app = testApp({ profile: 'lab', context });
  const stack = new Stack(app, 'Lab');
  const guard = new LabGuard(stack, 'Guard', props);
  return { app, stack, guard, template: Template.fromStack(stack) };
}

const EXPIRY = { labExpiresAt: '2026-12-01T18:00:00Z' };

describe('LabGuard budget', () => {
  test('a monthly COST budget of 5 USD by default, actual at 80 % and forecast at 100 % to the topic', () => {
    const { template } = guarded();
    template.hasResourceProperties('AWS::Budgets::Budget', {
      Budget: { BudgetType: 'COST', TimeUnit: 'MONTHLY', BudgetLimit: { Amount: 5, Unit: 'USD' } },
      NotificationsWithSubscribers: [
        { Notification: { NotificationType: 'ACTUAL', ComparisonOperator: 'GREATER_THAN', Threshold: 80, ThresholdType: 'PERCENTAGE' },
          Subscribers: [{ SubscriptionType: 'SNS', Address: { Ref: Match.stringLikeRegexp('GuardTopic') } }] },
        { Notification: { NotificationType: 'FORECASTED', ComparisonOperator: 'GREATER_THAN', Threshold: 100, ThresholdType: 'PERCENTAGE' },
          Subscribers: [{ SubscriptionType: 'SNS', Address: { Ref: Match.stringLikeRegexp('GuardTopic') } }] },
      ],
    });
    expect(LabGuard.defaults()).toEqual({ monthlyBudgetUsd: 5, actualThresholdPercent: 80, forecastThresholdPercent: 100 });
  });

  test('budget from context (a string, as the CLI passes it) and from the prop, which wins', () => {
    guarded({ labBudgetUsd: '3.5' }).template.hasResourceProperties('AWS::Budgets::Budget', { Budget: { BudgetLimit: { Amount: 3.5 } } });
    guarded({ labBudgetUsd: '3.5' }, { monthlyBudgetUsd: 7 }).template.hasResourceProperties('AWS::Budgets::Budget', { Budget: { BudgetLimit: { Amount: 7 } } });
  });

  test('the topic is encrypted with a rotating key and only this account\'s budgets may publish', () => {
    const { template } = guarded();
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    const scoped = {
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':budgets::', { Ref: 'AWS::AccountId' }, ':*']] } },
    };
    template.hasResourceProperties('AWS::SNS::TopicPolicy', { PolicyDocument: { Statement: Match.arrayWith([
      Match.objectLike({ Sid: 'AllowBudgetsPublish', Effect: 'Allow', Principal: { Service: 'budgets.amazonaws.com' }, Action: 'sns:Publish', Condition: scoped }),
    ]) } });
    template.hasResourceProperties('AWS::KMS::Key', { KeyPolicy: { Statement: Match.arrayWith([
      Match.objectLike({ Principal: { Service: 'budgets.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Condition: scoped }),
    ]) } });
  });

  test('the budget waits for the topic and its policy', () => {
    const { template } = guarded();
    const [budget] = Object.values(template.findResources('AWS::Budgets::Budget'));
    expect(budget.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^GuardTopic/), expect.stringMatching(/^GuardTopicPolicy/)]));
  });

  test('an e-mail subscriber only when one is given', () => {
    guarded().template.resourceCountIs('AWS::SNS::Subscription', 0);
    guarded({ labEmail: 'learner@example.com' }).template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'learner@example.com' });
  });
});

describe('LabGuard time-to-live', () => {
  test('without an expiry: no schedule, and a synth warning that says how to set one', () => {
    const { template, stack } = guarded();
    template.resourceCountIs('AWS::Scheduler::Schedule', 0);
    Annotations.fromStack(stack).hasWarning('/Lab/Guard', Match.stringLikeRegexp('No time-to-live: pass -c labExpiresAt='));
  });

  test('with an expiry: a one-time UTC schedule calling CloudFormation DeleteStack on its own stack, no Lambda', () => {
    const { template, stack } = guarded(EXPIRY);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'at(2026-12-01T18:00:00)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':scheduler:::aws-sdk:cloudformation:deleteStack']] },
        Input: { 'Fn::Join': ['', ['{"StackName":"', { Ref: 'AWS::StackId' }, '"}']] },
      },
    });
    template.resourceCountIs('AWS::Lambda::Function', 0);
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  test('the scheduler role may only call DeleteStack on this stack, and trusts only this account\'s schedules', () => {
    const { template } = guarded(EXPIRY);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', { PolicyDocument: { Statement: [
      { Effect: 'Allow', Action: 'cloudformation:DeleteStack', Resource: { Ref: 'AWS::StackId' } },
    ] } });
    template.hasResourceProperties('AWS::IAM::Role', { AssumeRolePolicyDocument: { Statement: [Match.objectLike({
      Principal: { Service: 'scheduler.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } }, ArnLike: { 'aws:SourceArn': Match.anyValue() } },
    })] } });
  });

  test('expiryLead moves the deletion earlier (the serving stack goes before the data stack)', () => {
    const { guard, template } = guarded(EXPIRY, { expiryLead: Duration.minutes(30) });
    expect(guard.deleteAt).toBe('2026-12-01T17:30:00');
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'at(2026-12-01T17:30:00)' });
  });

  test('the prop wins over context; seconds are optional', () => {
    expect(guarded(EXPIRY, { expiresAt: '2027-01-02T03:04Z' }).guard.deleteAt).toBe('2027-01-02T03:04:00');
  });

  test('the same context synthesizes the same template', () => {
    expect(guarded(EXPIRY).template.toJSON()).toEqual(guarded(EXPIRY).template.toJSON());
  });

  test('no unacknowledged nag findings, with and without a schedule', () => {
    for (const context of [{}, { ...EXPIRY, labEmail: 'learner@example.com' }]) {
      const { app, stack } = guarded(context);
      app.synth();
      expect(formatNag(nagFindings(stack))).toEqual([]);
    }
  });
});

describe('LabGuard rejects', () => {
  test.each([
    ['2026-12-01 18:00:00Z'], ['2026-12-01T18:00:00'], ['2026-02-30T10:00:00Z'], ['2026-12-01T24:00:00Z'], ['tomorrow'], [''],
  ])('expiry %p', (value) => {
    const e = rejectionOf(() => guarded({ labExpiresAt: value }));
    expect(e.message).toBe(`[Lab/Guard] invalid expiresAt: got ${JSON.stringify(value)}; allowed: a UTC time YYYY-MM-DDTHH:MM:SSZ, e.g. 2026-12-01T18:00:00Z`);
  });

  test('an expiry that is not a string (plain JavaScript)', () => {
    expect(rejectionOf(() => guarded({}, { expiresAt: 1765000000 as unknown as string })).prop).toBe('expiresAt');
  });

  test('budget outside 0.01..1000 USD, NaN, and a non-numeric string', () => {
    expect(() => guarded({}, { monthlyBudgetUsd: 0.01 })).not.toThrow();
    expect(() => guarded({}, { monthlyBudgetUsd: 1000 })).not.toThrow();
    for (const v of [0.009, 1000.5, NaN]) {
      const e = rejectionOf(() => guarded({}, { monthlyBudgetUsd: v }));
      expect(e.prop).toBe('monthlyBudgetUsd');
      expect(e.constructPath).toBe('Lab/Guard');
    }
    expect(rejectionOf(() => guarded({ labBudgetUsd: 'five' })).allowed).toBe('a number of US dollars from 0.01 to 1000');
  });

  test('thresholds outside 1..1000 %', () => {
    expect(rejectionOf(() => guarded({}, { actualThresholdPercent: 0 })).prop).toBe('actualThresholdPercent');
    expect(rejectionOf(() => guarded({}, { forecastThresholdPercent: 1001 })).prop).toBe('forecastThresholdPercent');
  });

  test('a lead of more than a day', () => {
    expect(() => guarded(EXPIRY, { expiryLead: Duration.hours(24) })).not.toThrow();
    expect(rejectionOf(() => guarded(EXPIRY, { expiryLead: Duration.minutes(24 * 60 + 1) })).prop).toBe('expiryLead');
  });

  test('an e-mail address that is not one', () => {
    const e = rejectionOf(() => guarded({ labEmail: 'learner' }));
    expect(e.message).toBe('[Lab/Guard] invalid notificationEmail: got "learner"; allowed: an e-mail address such as learner@example.com');
  });
});
