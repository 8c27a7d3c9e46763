import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AccessLogBucket, DataKey, EncryptedLogGroup, Profile, SecureBucket } from '../../lib';
import { PropValidationError } from '../../lib/core/validation';
import { rejectionOf } from '../support/rejection';
import { testStack } from '../support/stack';

// JavaScript and Python (through jsii) callers can pass anything: every misuse fails at synth with
// the construct path, the prop, the value and what is allowed, never a bare TypeError or aws-cdk-lib's
// message about an internal prop, and never a value silently dropped.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const js = (value: unknown) => value as any;

function keyAndLogs(stack: Stack) {
  return { encryptionKey: new DataKey(stack, 'K'), serverAccessLogsBucket: new AccessLogBucket(stack, 'L') };
}

describe('SecureBucket from plain JavaScript', () => {
  test.each([
    ['no props at all', undefined, 'props'],
    ['no encryptionKey', { encryptionKey: undefined }, 'encryptionKey'],
    ['a key ARN string instead of a key', { encryptionKey: 'arn:aws:kms:us-east-1:111122223333:key/abc' }, 'encryptionKey'],
    ['no serverAccessLogsBucket', { serverAccessLogsBucket: undefined }, 'serverAccessLogsBucket'],
    ['a bucket name instead of a bucket', { serverAccessLogsBucket: 'my-logs' }, 'serverAccessLogsBucket'],
    ['a number as prefix', { serverAccessLogsPrefix: 7 }, 'serverAccessLogsPrefix'],
    ['a string as days', { noncurrentVersionExpirationDays: '30' }, 'noncurrentVersionExpirationDays'],
    ['NaN days', { noncurrentVersionExpirationDays: NaN }, 'noncurrentVersionExpirationDays'],
    ['negative days', { noncurrentVersionExpirationDays: -1 }, 'noncurrentVersionExpirationDays'],
    ['one rule instead of a list', { lifecycleRules: { expiration: Duration.days(1) } }, 'lifecycleRules'],
    ['a removal policy string of the wrong case', { removalPolicy: 'DESTROY' }, 'removalPolicy'],
  ])('rejects %s', (_what, override, prop) => {
    const stack = testStack();
    const props = override === undefined ? undefined : { ...keyAndLogs(stack), ...(override as object) };
    const error = rejectionOf(() => new SecureBucket(stack, 'B', js(props)));
    expect(error.prop).toBe(prop);
    expect(error.constructPath).toBe('Test/B');
  });

  test('accepts the edges 1 and 3650 days and a token', () => {
    for (const [id, days] of [['One', 1], ['Max', 3650], ['Token', Token.asNumber({ Ref: 'Days' })]] as const) {
      const stack = testStack();
      expect(() => new SecureBucket(stack, id, { ...keyAndLogs(stack), noncurrentVersionExpirationDays: days })).not.toThrow();
    }
    const stack = testStack();
    expect(rejectionOf(() => new SecureBucket(stack, 'Over', { ...keyAndLogs(stack), noncurrentVersionExpirationDays: 3651 })).message)
      .toBe('[Test/Over] invalid noncurrentVersionExpirationDays: got 3651; allowed: an integer from 1 to 3650 days');
  });
});

describe('AccessLogBucket from plain JavaScript', () => {
  test.each([
    ['a string as days', { retentionDays: '30' }, 'retentionDays'],
    ['NaN days', { retentionDays: NaN }, 'retentionDays'],
    ['a fraction of a day', { retentionDays: 1.5 }, 'retentionDays'],
    ['an unknown removal policy', { removalPolicy: 'keep' }, 'removalPolicy'],
  ])('rejects %s', (_what, props, prop) => {
    const error = rejectionOf(() => new AccessLogBucket(testStack(), 'L', js(props)));
    expect([error.prop, error.constructPath]).toEqual([prop, 'Test/L']);
  });

  test('accepts the edges 1 and 3650 days, and rejects 3651 naming the rule', () => {
    expect(() => new AccessLogBucket(testStack(), 'L', { retentionDays: 1 })).not.toThrow();
    expect(() => new AccessLogBucket(testStack(), 'L', { retentionDays: 3650 })).not.toThrow();
    expect(rejectionOf(() => new AccessLogBucket(testStack(), 'L', { retentionDays: 3651 })).message)
      .toBe('[Test/L] invalid retentionDays: got 3651; allowed: an integer from 1 to 3650 days');
  });
});

describe('DataKey from plain JavaScript', () => {
  test.each([
    ['a number as description', { description: 42 }, 'description'],
    ['a description over 8192 characters', { description: 'x'.repeat(8193) }, 'description.length'],
    ['an alias with the alias/ prefix', { alias: 'alias/data' }, 'alias'],
    ['an alias in the reserved aws/ space', { alias: 'aws/s3' }, 'alias'],
    ['an alias with a space', { alias: 'my key' }, 'alias'],
    ['a number of days instead of a Duration', { pendingWindow: 7 }, 'pendingWindow'],
    ['a window of 6 days', { pendingWindow: Duration.days(6) }, 'pendingWindow'],
    ['a window of 31 days', { pendingWindow: Duration.days(31) }, 'pendingWindow'],
    ['an unknown removal policy', { removalPolicy: 'never' }, 'removalPolicy'],
  ])('rejects %s', (_what, props, prop) => {
    const error = rejectionOf(() => new DataKey(testStack(), 'K', js(props)));
    expect([error.prop, error.constructPath]).toEqual([prop, 'Test/K']);
  });

  test('accepts the window edges 7 and 30 days, an 8192-character description and a valid alias', () => {
    const stack = testStack();
    new DataKey(stack, 'Seven', { pendingWindow: Duration.days(7) });
    new DataKey(stack, 'Thirty', { pendingWindow: Duration.days(30), description: 'x'.repeat(8192), alias: 'team/ml-data_1' });
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/team/ml-data_1' });
  });
});

describe('EncryptedLogGroup from plain JavaScript', () => {
  const valid = (stack: Stack) => ({ logGroupName: '/app/x', encryptionKey: new DataKey(stack, 'K') });
  test.each([
    ['no props', undefined, 'props'],
    ['no logGroupName', { logGroupName: undefined }, 'logGroupName'],
    ['a number as logGroupName', { logGroupName: 12 }, 'logGroupName'],
    ['a logGroupName with a space', { logGroupName: '/app/my logs' }, 'logGroupName'],
    ['no encryptionKey', { encryptionKey: undefined }, 'encryptionKey'],
    ['a key ARN string instead of a key', { encryptionKey: 'arn:aws:kms:us-east-1:111122223333:key/abc' }, 'encryptionKey'],
    ['a retention name instead of the enum', { retention: 'ONE_WEEK' }, 'retention'],
    ['a retention CloudWatch does not offer', { retention: 8 }, 'retention'],
    ['an unknown removal policy', { removalPolicy: 'gone' }, 'removalPolicy'],
  ])('rejects %s', (_what, override, prop) => {
    const stack = testStack();
    const props = override === undefined ? undefined : { ...valid(stack), ...(override as object) };
    const error = rejectionOf(() => new EncryptedLogGroup(stack, 'G', js(props)));
    expect([error.prop, error.constructPath]).toEqual([prop, 'Test/G']);
  });

  test('accepts a 512-character name and a token name', () => {
    const stack = testStack();
    expect(() => new EncryptedLogGroup(stack, 'Long', { logGroupName: `/${'a'.repeat(511)}`, encryptionKey: new DataKey(stack, 'K1') })).not.toThrow();
    expect(() => new EncryptedLogGroup(stack, 'Tok', { logGroupName: Token.asString({ Ref: 'Name' }), encryptionKey: new DataKey(stack, 'K2') })).not.toThrow();
    expect(rejectionOf(() => new EncryptedLogGroup(stack, 'TooLong', { logGroupName: `/${'a'.repeat(512)}`, encryptionKey: new DataKey(stack, 'K3') })).prop).toBe('logGroupName');
  });
});

describe('Profile from plain JavaScript', () => {
  test.each([['staging'], ['LAB'], [1], [true]])('a bad profile %j names the context key once, not a construct', (value) => {
    const stack = testStack(undefined, { profile: value });
    const error = rejectionOf(() => new DataKey(stack, 'K'));
    expect(error).toBeInstanceOf(PropValidationError);
    expect(error.message).toBe(`[app context] invalid profile: got ${JSON.stringify(value)}; allowed: "lab" or "production" (unset means "production"), set with -c profile=lab or in cdk.json's "context"`);
    expect(error.message).not.toContain('Test');
  });

  test('accepts both names, and unset', () => {
    expect(Profile.of(testStack(undefined, { profile: 'lab' }))).toBe(Profile.LAB);
    expect(Profile.of(testStack(undefined, { profile: 'production' }))).toBe(Profile.PRODUCTION);
    expect(Profile.of(testStack())).toBe(Profile.PRODUCTION);
  });
});

test('a removal policy given as the enum passes (the value list is the enum itself)', () => {
  const stack = testStack();
  new DataKey(stack, 'K', { removalPolicy: RemovalPolicy.RETAIN });
  Template.fromStack(stack).hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
});
