import { Annotations, Aws, Duration, Stack, Token } from 'aws-cdk-lib';
import * as budgets from 'aws-cdk-lib/aws-budgets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { DataKey } from '../core/data-key';
import { Profile } from '../core/profile';
import { check, checkRange, invalidProp, isConcrete } from '../core/validation';

/** Props of {@link LabGuard}. */
export interface LabGuardProps {
  /**
   * Monthly cost budget in US dollars (0.01 to 1,000). The budget covers the whole account: a
   * lab belongs in a sandbox account of its own.
   * @default - context `labBudgetUsd`, else 5
   */
  readonly monthlyBudgetUsd?: number;
  /**
   * Notify when actual spend passes this percentage of the budget (1 to 1,000).
   * @default 80
   */
  readonly actualThresholdPercent?: number;
  /**
   * Notify when forecast spend passes this percentage of the budget (1 to 1,000).
   * @default 100
   */
  readonly forecastThresholdPercent?: number;
  /**
   * An e-mail address subscribed to the budget topic (the recipient confirms the subscription).
   * @default - context `labEmail`, else no subscriber (the topic still receives the notifications)
   */
  readonly notificationEmail?: string;
  /**
   * When the stack deletes itself: a UTC time `YYYY-MM-DDTHH:MM:SSZ` (seconds optional). Passed
   * as context by the lab command line so that synth stays deterministic.
   * @default - context `labExpiresAt`, else no time-to-live (and a synth warning)
   */
  readonly expiresAt?: string;
  /**
   * Delete the stack this long before `expiresAt`: the serving stack uses it to go before the
   * data stack it depends on, from the same expiry time.
   * @default Duration.minutes(0)
   */
  readonly expiryLead?: Duration;
  /**
   * The key of the notification topic.
   * @default - a new DataKey
   */
  readonly encryptionKey?: kms.IKey;
}

/** Profile-independent defaults of {@link LabGuard}. */
export interface LabGuardDefaults {
  /** Monthly budget in USD. */
  readonly monthlyBudgetUsd: number;
  /** Actual-spend notification threshold, percent. */
  readonly actualThresholdPercent: number;
  /** Forecast-spend notification threshold, percent. */
  readonly forecastThresholdPercent: number;
}

const EXPIRY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?Z$/;

/**
 * The guard rails of a hands-on lab stack: a monthly cost budget with actual and forecast
 * notifications to an encrypted SNS topic (e-mail subscriber optional), and a time-to-live: an
 * EventBridge Scheduler one-time schedule that calls CloudFormation `DeleteStack` on its own stack
 * (a universal target: no Lambda function).
 *
 * CloudFormation deletes the resources with the stack's service role, the CDK bootstrap's
 * CloudFormation execution role that `cdk deploy` associates with every stack: the scheduler's
 * role may only call `cloudformation:DeleteStack` on this one stack. See docs/decisions.md (lab).
 */
export class LabGuard extends Construct {
  /** Context key of the monthly budget in USD. */
  public static readonly BUDGET_CONTEXT = 'labBudgetUsd';
  /** Context key of the notification e-mail address. */
  public static readonly EMAIL_CONTEXT = 'labEmail';
  /** Context key of the expiry time (UTC, `YYYY-MM-DDTHH:MM:SSZ`). */
  public static readonly EXPIRES_AT_CONTEXT = 'labExpiresAt';

  /** The defaults (the same in both profiles; the lab profile is where the guard is used). */
  public static defaults(_profile?: Profile): LabGuardDefaults {
    return { monthlyBudgetUsd: 5, actualThresholdPercent: 80, forecastThresholdPercent: 100 };
  }

  /** The monthly cost budget. */
  public readonly budget: budgets.CfnBudget;
  /** The topic Budgets notifies. */
  public readonly topic: sns.Topic;
  /** The topic's key. */
  public readonly encryptionKey: kms.IKey;
  /** The budget limit in USD. */
  public readonly monthlyBudgetUsd: number;
  /** The deletion schedule, when an expiry time is given. */
  public readonly schedule?: scheduler.CfnSchedule;
  /** The role the scheduler assumes to call DeleteStack, when an expiry time is given. */
  public readonly schedulerRole?: iam.Role;
  /** When the schedule fires (UTC, `YYYY-MM-DDTHH:MM:SS`), when an expiry time is given. */
  public readonly deleteAt?: string;

  constructor(scope: Construct, id: string, props: LabGuardProps = {}) {
    super(scope, id);
    const defaults = LabGuard.defaults(Profile.of(this));
    const stack = Stack.of(this);

    const budgetValue: unknown = props.monthlyBudgetUsd ?? this.node.tryGetContext(LabGuard.BUDGET_CONTEXT) ?? defaults.monthlyBudgetUsd;
    // Context from the command line arrives as a string.
    const budgetUsd = typeof budgetValue === 'string' && /^\d+(\.\d+)?$/.test(budgetValue) ? Number(budgetValue) : budgetValue;
    if (typeof budgetUsd !== 'number') invalidProp(this, 'monthlyBudgetUsd', budgetValue, 'a number of US dollars from 0.01 to 1000');
    checkRange(this, 'monthlyBudgetUsd', budgetUsd, 0.01, 1000, { unit: 'USD' });
    const actual = props.actualThresholdPercent ?? defaults.actualThresholdPercent;
    const forecast = props.forecastThresholdPercent ?? defaults.forecastThresholdPercent;
    checkRange(this, 'actualThresholdPercent', actual, 1, 1000, { unit: '%' });
    checkRange(this, 'forecastThresholdPercent', forecast, 1, 1000, { unit: '%' });
    this.monthlyBudgetUsd = budgetUsd;

    const email: unknown = props.notificationEmail ?? this.node.tryGetContext(LabGuard.EMAIL_CONTEXT);
    if (email !== undefined && isConcrete(email)) {
      check(this, typeof email === 'string' && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email), 'notificationEmail', email, 'an e-mail address such as learner@example.com');
    }

    this.encryptionKey = props.encryptionKey ?? new DataKey(this, 'Key', { description: `Budget notifications of ${stack.stackName}` });
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'Lab budget notifications',
      masterKey: this.encryptionKey,
      enforceSSL: true,
    });
    // Budgets publishes as budgets.amazonaws.com; scoped to this account's budgets as the Budgets
    // docs show (https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-sns-policy.html).
    const fromOwnBudgets = {
      StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
      ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:budgets::${Aws.ACCOUNT_ID}:*` },
    };
    this.topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowBudgetsPublish',
      principals: [new iam.ServicePrincipal('budgets.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [this.topic.topicArn],
      conditions: fromOwnBudgets,
    }));
    this.encryptionKey.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowBudgetsToUseTheTopicKey',
      principals: [new iam.ServicePrincipal('budgets.amazonaws.com')],
      actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      resources: ['*'],
      conditions: fromOwnBudgets,
    }));
    if (typeof email === 'string') this.topic.addSubscription(new subscriptions.EmailSubscription(email));

    const subscriber = [{ subscriptionType: 'SNS', address: this.topic.topicArn }];
    this.budget = new budgets.CfnBudget(this, 'Budget', {
      budget: {
        budgetType: 'COST',
        timeUnit: 'MONTHLY',
        budgetLimit: { amount: budgetUsd, unit: 'USD' },
      },
      notificationsWithSubscribers: [
        { notification: { notificationType: 'ACTUAL', comparisonOperator: 'GREATER_THAN', threshold: actual, thresholdType: 'PERCENTAGE' }, subscribers: subscriber },
        { notification: { notificationType: 'FORECASTED', comparisonOperator: 'GREATER_THAN', threshold: forecast, thresholdType: 'PERCENTAGE' }, subscribers: subscriber },
      ],
    });
    // Budgets must be able to publish before the budget validates its subscribers.
    this.budget.node.addDependency(this.topic);

    const expiresAt: unknown = props.expiresAt ?? this.node.tryGetContext(LabGuard.EXPIRES_AT_CONTEXT);
    if (expiresAt === undefined) {
      Annotations.of(this).addWarningV2('cdk-ml-reference:labGuardNoExpiry',
        `No time-to-live: pass -c ${LabGuard.EXPIRES_AT_CONTEXT}=YYYY-MM-DDTHH:MM:SSZ (the lab command line does) or delete the stack yourself.`);
      return;
    }
    const lead = props.expiryLead ?? Duration.minutes(0);
    this.deleteAt = LabGuard.scheduleTime(this, expiresAt, lead);

    this.schedulerRole = new iam.Role(this, 'SchedulerRole', {
      description: `Lets EventBridge Scheduler delete ${stack.stackName} when it expires`,
      // Confused-deputy protection from the Scheduler execution-role docs.
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:scheduler:${Aws.REGION}:${Aws.ACCOUNT_ID}:schedule/default/*` },
        },
      }),
    });
    // Only this stack; CloudFormation deletes its resources with the stack's own service role.
    const policy = new iam.ManagedPolicy(this, 'SchedulerPolicy', {
      description: `DeleteStack on ${stack.stackName} only`,
      roles: [this.schedulerRole],
      statements: [new iam.PolicyStatement({ actions: ['cloudformation:DeleteStack'], resources: [Aws.STACK_ID] })],
    });

    this.schedule = new scheduler.CfnSchedule(this, 'TimeToLive', {
      description: `Deletes ${stack.stackName} at ${this.deleteAt} UTC (lab time-to-live)`,
      scheduleExpression: `at(${this.deleteAt})`,
      scheduleExpressionTimezone: 'UTC',
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: `arn:${Aws.PARTITION}:scheduler:::aws-sdk:cloudformation:deleteStack`,
        roleArn: this.schedulerRole.roleArn,
        input: stack.toJsonString({ StackName: Aws.STACK_ID }),
        retryPolicy: { maximumEventAgeInSeconds: 86400, maximumRetryAttempts: 185 },
      },
    });
    this.schedule.node.addDependency(policy);
  }

  /**
   * The schedule's `at()` time: `expiresAt` minus `lead`, as `YYYY-MM-DDTHH:MM:SS` (UTC).
   *
   * @throws PropValidationError when `expiresAt` is not a concrete `YYYY-MM-DDTHH:MM(:SS)Z` time
   */
  public static scheduleTime(scope: Construct, expiresAt: unknown, lead: Duration = Duration.minutes(0)): string {
    const allowed = 'a UTC time YYYY-MM-DDTHH:MM:SSZ, e.g. 2026-12-01T18:00:00Z';
    if (typeof expiresAt !== 'string' || Token.isUnresolved(expiresAt)) return invalidProp(scope, 'expiresAt', expiresAt, allowed);
    const m = EXPIRY_PATTERN.exec(expiresAt);
    const ms = m ? Date.parse(expiresAt) : NaN;
    // Date.parse rolls 2026-02-30 over; compare the round trip to reject impossible dates.
    if (!m || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 16) !== expiresAt.slice(0, 16)) {
      return invalidProp(scope, 'expiresAt', expiresAt, allowed);
    }
    checkRange(scope, 'expiryLead', lead.toMinutes(), 0, 24 * 60, { integer: true, unit: 'minutes' });
    return new Date(ms - lead.toMilliseconds()).toISOString().slice(0, 19);
  }
}
