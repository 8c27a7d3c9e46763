import { Lazy, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { PropValidationError } from '../../lib/core/validation';
import { check, checkArray, checkGlueCron, checkInstance, checkOneOf, checkPattern, checkRange, checkRequired, checkType, futurePath, isConcrete } from '../../lib/core/validation';
import { testStack } from '../support/stack';

const scope = new Construct(testStack(), 'Thing');

describe('validation helpers', () => {
  test('the error names the construct path, the prop, the value and what is allowed', () => {
    let error: PropValidationError | undefined;
    try {
      checkRange(scope, 'shardCount', 0, 1, 500, { integer: true });
    } catch (e) {
      error = e as PropValidationError;
    }
    expect(error).toBeInstanceOf(PropValidationError);
    expect(error?.message).toBe('[Test/Thing] invalid shardCount: got 0; allowed: an integer from 1 to 500');
    expect([error?.constructPath, error?.prop, error?.allowed]).toEqual(['Test/Thing', 'shardCount', 'an integer from 1 to 500']);
  });

  test('checkRange rejects fractions for integers and values outside the bounds, with units', () => {
    expect(() => checkRange(scope, 'n', 1.5, 1, 5, { integer: true })).toThrow('got 1.5; allowed: an integer from 1 to 5');
    expect(() => checkRange(scope, 'size', 513, 1, 512, { unit: 'GB' })).toThrow('got 513; allowed: a number from 1 to 512 GB');
    expect(() => checkRange(scope, 'n', Number.NaN, 1, 5)).toThrow('got NaN');
    expect(() => checkRange(scope, 'n', 5, 1, 5, { integer: true })).not.toThrow();
    expect(() => checkRange(scope, 'n', undefined, 1, 5)).not.toThrow();
  });

  test('tokens pass unchecked: CloudFormation validates them at deploy', () => {
    const token = Lazy.number({ produce: () => 999 });
    expect(isConcrete(token)).toBe(false);
    expect(() => checkRange(scope, 'n', token, 1, 5)).not.toThrow();
    expect(() => checkPattern(scope, 'name', Stack.of(scope).stackName.length ? Lazy.string({ produce: () => '!!' }) : '', /^a$/, 'a')).not.toThrow();
  });

  test('checkOneOf lists the allowed values', () => {
    expect(() => checkOneOf(scope, 'mode', 'Both', ['Input', 'Output'])).toThrow('invalid mode: got "Both"; allowed: one of "Input", "Output"');
    expect(() => checkOneOf(scope, 'mode', 'Input', ['Input', 'Output'])).not.toThrow();
  });

  test('checkPattern describes the rule in words', () => {
    expect(() => checkPattern(scope, 'prefix', 'events', /\/$/, 'a prefix ending in "/"')).toThrow('invalid prefix: got "events"; allowed: a prefix ending in "/"');
  });

  test('check covers any other rule, describing arrays and objects readably', () => {
    expect(() => check(scope, false, 'weights', [0, 0], 'at least one weight above 0')).toThrow('got [0, 0]; allowed: at least one weight above 0');
    expect(() => check(scope, false, 'variant', { name: 'a' }, 'x')).toThrow('got {"name":"a"}');
  });

  test.each(['cron(0 3 * * ? *)', 'cron(15 10 ? * MON-FRI *)', 'cron(0/15 * * * ? 2027)'])('checkGlueCron accepts %s', (cron) => {
    expect(() => checkGlueCron(scope, 'schedule', cron)).not.toThrow();
  });

  test.each([
    ['rate(1 day)', 'not cron'], ['cron(0 3 * * *)', 'five fields'], ['cron(0 3 * * * *)', 'no ?'], ['cron(0 3 ? * ? *)', 'two ?'],
  ])('checkGlueCron rejects %s (%s)', (cron) => {
    expect(() => checkGlueCron(scope, 'schedule', cron)).toThrow(`[Test/Thing] invalid schedule: got "${cron}"; allowed: a Glue cron expression`);
  });

  test('futurePath names a construct before it exists, for checks that must run before super()', () => {
    expect(futurePath(scope, 'Child')).toBe('Test/Thing/Child');
  });
});

describe('checks for callers without a type checker', () => {
  class Choice {}
  test.each([
    ['checkType string given a number', () => checkType('P', 'name', 5, 'string'), '[P] invalid name: got 5; allowed: a string'],
    ['checkType number given a string', () => checkType('P', 'count', '5', 'number'), '[P] invalid count: got "5"; allowed: a number'],
    ['checkType number given NaN', () => checkType('P', 'count', NaN, 'number'), '[P] invalid count: got NaN; allowed: a number'],
    ['checkType boolean given a string', () => checkType('P', 'on', 'true', 'boolean'), '[P] invalid on: got "true"; allowed: a boolean'],
    ['checkRequired given undefined', () => checkRequired('P', 'dataLake', undefined, 'a DataLake'), '[P] invalid dataLake: got undefined; allowed: a DataLake'],
    ['checkRequired given null', () => checkRequired('P', 'dataLake', null, 'a DataLake'), '[P] invalid dataLake: got null; allowed: a DataLake'],
    ['checkArray given one string', () => checkArray('P', 'subnets', 'a', 'subnet ids'), '[P] invalid subnets: got "a"; allowed: a list of subnet ids'],
    ['checkInstance given a string', () => checkInstance('P', 'type', 'ml.m5.large', Choice, 'an InferenceInstanceType'), '[P] invalid type: got "ml.m5.large"; allowed: an InferenceInstanceType'],
  ])('%s is rejected', (_name, run, message) => {
    expect(run).toThrow(message);
  });

  test.each([
    ['checkType string', () => checkType('P', 'name', 'x', 'string')],
    ['checkType number 0', () => checkType('P', 'count', 0, 'number')],
    ['checkType boolean false', () => checkType('P', 'on', false, 'boolean')],
    ['checkType undefined', () => checkType('P', 'name', undefined, 'string')],
    ['checkRequired 0', () => checkRequired('P', 'count', 0, 'a number')],
    ['checkArray []', () => checkArray('P', 'subnets', [], 'subnet ids')],
    ['checkArray undefined', () => checkArray('P', 'subnets', undefined, 'subnet ids')],
    ['checkInstance instance', () => checkInstance('P', 'type', new Choice(), Choice, 'a Choice')],
  ])('%s is accepted', (_name, run) => {
    expect(run).not.toThrow();
  });
});
