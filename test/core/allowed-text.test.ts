import { Duration, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AccessLogBucket, DataKey, EncryptedLogGroup, SecureBucket } from '../../lib';
import { checkGlueCron, checkShape, PropValidationError } from '../../lib/core/validation';
import { rejectionOf } from '../support/rejection';
import { testStack } from '../support/stack';

// What each rejection tells the caller is allowed, word for word: the part of the message that lets a
// JavaScript or Python user fix the call without reading our source.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const js = (value: unknown) => value as any;
const keyAndLogs = (stack: Stack) => ({ encryptionKey: new DataKey(stack, 'K'), serverAccessLogsBucket: new AccessLogBucket(stack, 'L') });

describe('SecureBucket says what it accepts', () => {
  test.each([
    [undefined, 'props', 'an object with encryptionKey and serverAccessLogsBucket'],
    [{ encryptionKey: undefined }, 'encryptionKey', 'a kms.IKey (e.g. a DataKey)'],
    [{ encryptionKey: { keyArn: 'arn:aws:kms:us-east-1:111122223333:key/abc' } }, 'encryptionKey', 'a kms.IKey (e.g. a DataKey)'],
    [{ serverAccessLogsBucket: undefined }, 'serverAccessLogsBucket', 'an s3.IBucket (e.g. an AccessLogBucket)'],
    [{ serverAccessLogsBucket: { bucketName: 'logs' } }, 'serverAccessLogsBucket', 'an s3.IBucket (e.g. an AccessLogBucket)'],
    [{ lifecycleRules: { expiration: Duration.days(1) } }, 'lifecycleRules', 'a list of s3.LifecycleRule objects'],
  ])('%#: %s', (override, prop, allowed) => {
    const stack = testStack();
    const props = override === undefined ? undefined : { ...keyAndLogs(stack), ...override };
    const error = rejectionOf(() => new SecureBucket(stack, 'B', js(props)));
    expect([error.prop, error.allowed]).toEqual([prop, allowed]);
  });

  test('a key and a log bucket that have every member pass the shape check', () => {
    const stack = testStack();
    expect(() => new SecureBucket(stack, 'B', keyAndLogs(stack))).not.toThrow();
  });
});

describe('EncryptedLogGroup says what it accepts', () => {
  test.each([
    [undefined, 'props', 'an object with logGroupName and encryptionKey'],
    [{ logGroupName: undefined }, 'logGroupName', 'a log group name'],
    [{ logGroupName: 'has space' }, 'logGroupName', '1 to 512 characters: letters, digits, ".", "-", "_", "/" and "#" (CloudWatch Logs)'],
    [{ encryptionKey: undefined }, 'encryptionKey', 'a kms.Key defined in this CDK app'],
    [{ encryptionKey: { keyArn: 'arn:aws:kms:us-east-1:111122223333:key/abc' } }, 'encryptionKey', 'a kms.Key defined in this CDK app'],
  ])('%#: %s', (override, prop, allowed) => {
    const stack = testStack();
    const props = override === undefined ? undefined : { logGroupName: '/app/x', encryptionKey: new DataKey(stack, 'K'), ...override };
    const error = rejectionOf(() => new EncryptedLogGroup(stack, 'G', js(props)));
    expect([error.prop, error.allowed]).toEqual([prop, allowed]);
  });

  test('an imported key is rejected: CloudWatch Logs needs a key-policy statement it cannot take', () => {
    const stack = testStack();
    const imported = kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:us-east-1:111122223333:key/abc');
    const error = rejectionOf(() => new EncryptedLogGroup(stack, 'G', { logGroupName: '/app/x', encryptionKey: imported }));
    expect(error.allowed).toMatch(/^a kms.Key defined in this CDK app \(not imported\): log groups "\/app\/x" are encrypted with it/);
  });
});

describe('DataKey says what it accepts', () => {
  test.each([
    [{ description: 'x'.repeat(8193) }, 'description.length', 'an integer from 0 to 8192 characters'],
    [{ alias: 'alias/mine' }, 'alias', '1 to 250 letters, digits, "/", "_" or "-", without the "alias/" prefix and not starting with "aws/" (reserved by AWS)'],
    [{ pendingWindow: 7 }, 'pendingWindow', 'a Duration from 7 to 30 days, e.g. Duration.days(7)'],
    [{ pendingWindow: Duration.days(6) }, 'pendingWindow', 'an integer from 7 to 30 days'],
  ])('%#: %s', (props, prop, allowed) => {
    const error = rejectionOf(() => new DataKey(testStack(), 'K', js(props)));
    expect([error.prop, error.allowed]).toEqual([prop, allowed]);
  });
});

describe('validation helpers', () => {
  test('the error is a PropValidationError by name as well as by class', () => {
    const error = rejectionOf(() => checkShape(testStack(), 'p', 'x', ['a'], 'an object'));
    expect(error).toBeInstanceOf(PropValidationError);
    expect(error.name).toBe('PropValidationError');
  });

  test('checkShape: null and objects that lack any one member are rejected; every member passes', () => {
    const scope = testStack();
    expect(rejectionOf(() => checkShape(scope, 'p', null, ['a', 'b'], 'an object with a and b')).message)
      .toBe('[Test] invalid p: got null; allowed: an object with a and b');
    expect(rejectionOf(() => checkShape(scope, 'p', { a: 1 }, ['a', 'b'], 'x')).prop).toBe('p');
    expect(rejectionOf(() => checkShape(scope, 'p', { b: 1 }, ['a', 'b'], 'x')).prop).toBe('p');
    expect(() => checkShape(scope, 'p', { a: 1, b: undefined }, ['a', 'b'], 'x')).not.toThrow();
  });

  test('a value JSON cannot show (a cycle) is shown as text', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(rejectionOf(() => checkShape(testStack(), 'p', cyclic, ['a'], 'x')).message).toBe('[Test] invalid p: got [object Object]; allowed: x');
  });

  test.each([
    'cron(15 12 10 11 ? 2026)', 'cron(0/15 10-12 ? JAN-MAR MON-FRI *)', 'cron(0 3 L * ? *)', 'cron(0 3 ? * 6#3 *)',
    'cron(0 3 1W * ? 2026-2030)', 'cron(5,35 14 * 1,6 ? *)',
  ])('checkGlueCron accepts multi-character fields: %s', (cron) => {
    expect(() => checkGlueCron(testStack(), 'schedule', cron)).not.toThrow();
  });

  test.each([
    'xcron(0 3 * * ? *)', 'cron(0 3 * * ? *)x', 'cron(0 3 * * ? *) ', ' cron(0 3 * * ? *)', 'cron(0 3 * * ?)', 'cron(0 3 * * ? * *)',
    'cron(0 3 * * * *)', 'cron(0 3 ? * ? *)', 'cron(a 3 * * ? *)', 'cron(0 b * * ? *)', 'cron(0 3 c * ? *)', 'cron(0 3 ? * ? YEAR)',
  ])('checkGlueCron rejects %j and says what a Glue cron looks like', (cron) => {
    expect(rejectionOf(() => checkGlueCron(testStack(), 'schedule', cron)).allowed)
      .toBe('a Glue cron expression "cron(Minutes Hours Day-of-month Month Day-of-week Year)" with "?" in exactly one of the two day fields, e.g. "cron(0 3 * * ? *)"');
  });
});
