import { App, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { GlueNames, SageMakerNames } from '../../lib';
import { testStack } from '../support/stack';

describe('SageMakerNames', () => {
  test('unique names follow the pattern, fit 63 characters and start with the stack name', () => {
    const stack = testStack();
    const name = SageMakerNames.unique(new Construct(stack, 'Endpoint'));
    expect(SageMakerNames.isValid(name)).toBe(true);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name.startsWith('Test-Endpoint')).toBe(true);
  });

  test('are deterministic: the same path gives the same name in another app', () => {
    expect(SageMakerNames.unique(new Construct(testStack(), 'A'))).toBe(SageMakerNames.unique(new Construct(testStack(), 'A')));
  });

  test('are unique within a stack, even when long paths are cut to 63 characters', () => {
    const stack = testStack();
    const long = 'VeryLongConstructIdThatKeepsGoingAndGoing';
    const parent = new Construct(stack, long);
    const a = new Construct(parent, `${long}One`);
    const b = new Construct(parent, `${long}Two`);
    const names = [SageMakerNames.unique(a), SageMakerNames.unique(b)];
    expect(new Set(names).size).toBe(2);
    for (const n of names) {
      expect(n.length).toBeLessThanOrEqual(63);
      expect(SageMakerNames.isValid(n)).toBe(true);
    }
  });

  test('a suffix tells apart several names of one construct and still fits', () => {
    const scope = new Construct(testStack(), 'X'.repeat(80));
    const [a, b] = [SageMakerNames.unique(scope, 'config'), SageMakerNames.unique(scope, 'model')];
    expect(a).not.toBe(b);
    expect(a.endsWith('-config')).toBe(true);
    expect(a.length).toBeLessThanOrEqual(63);
    expect(SageMakerNames.isValid(b)).toBe(true);
  });

  test('rejects a suffix with characters SageMaker does not allow, or longer than 16', () => {
    expect(() => SageMakerNames.unique(new Construct(testStack(), 'Y'), 'bad_suffix'))
      .toThrow('[Test/Y] invalid name suffix: got "bad_suffix"; allowed: 1 to 16 letters or digits');
    expect(() => SageMakerNames.unique(new Construct(testStack(), 'Y'), 'a'.repeat(17))).toThrow('invalid name suffix');
    expect(SageMakerNames.unique(new Construct(testStack(), 'Y'), 'a'.repeat(16)).endsWith(`-${'a'.repeat(16)}`)).toBe(true);
  });

  test('keeps the hyphens of construct ids', () => {
    expect(SageMakerNames.unique(new Construct(testStack(), 'churn-endpoint')).startsWith('Test-churn-endpoint-')).toBe(true);
  });

  test('strips every leading hyphen (a construct outside any stack starts with its own id)', () => {
    expect(SageMakerNames.unique(new Construct(new App(), '--Lab'))).toMatch(/^Lab-[0-9A-F]{8}$/);
  });

  test('strips every trailing hyphen of a hash-less top-level name (a stack name may end in hyphens)', () => {
    // A `Default` child of a stack has the stack name alone as its name, with no hash after it.
    const stack = new Stack(new App(), 'Lab', { stackName: 'Lab--' });
    expect(SageMakerNames.unique(new Construct(stack, 'Default'))).toBe('Lab');
  });

  test('rejects a name that comes out empty, naming the prop "name"', () => {
    expect(() => SageMakerNames.unique(new Construct(new App(), 'Default'))).toThrow('[Default] invalid name: got ""');
  });

  test.each([
    ['-leading', 'starts with a hyphen'], ['trailing-', 'ends with a hyphen'], ['has_underscore', 'has an underscore'], ['a'.repeat(64), 'is 64 characters'],
  ])('validate rejects %j (%s)', (name) => {
    expect(() => SageMakerNames.validate(new Construct(testStack(), 'Z'), 'endpointName', name))
      .toThrow(`[Test/Z] invalid endpointName: got "${name}"; allowed: 1 to 63 characters: letters, digits and hyphens, starting and ending with a letter or digit`);
  });

  test('isValid agrees with validate', () => {
    expect(['a', 'a'.repeat(63), 'A-b--9'].map(SageMakerNames.isValid)).toEqual([true, true, true]);
    expect(['', '-a', 'a-', 'a_b', 'a'.repeat(64)].map(SageMakerNames.isValid)).toEqual([false, false, false, false, false]);
  });

  test('validate accepts names at the limits', () => {
    const scope = new Construct(testStack(), 'Z');
    for (const ok of ['a', 'a'.repeat(63), 'a--b', 'Model-2']) expect(() => SageMakerNames.validate(scope, 'name', ok)).not.toThrow();
  });
});

describe('GlueNames', () => {
  test('lower-cases and replaces what Glue and Athena do not accept', () => {
    expect(GlueNames.of(new Construct(testStack(), 'L'), 'DataLake-Example', 'raw')).toBe('datalake_example_raw');
  });

  test('cuts names to Glue\'s 255 characters', () => {
    const name = GlueNames.of(new Construct(testStack(), 'L'), 'p', 'x'.repeat(300));
    expect(name).toBe(`p_${'x'.repeat(253)}`);
  });

  test('isValid: 1 to 255 lower-case letters, digits and underscores', () => {
    expect(['a', '_', 'a'.repeat(255), 'db_1'].map(GlueNames.isValid)).toEqual([true, true, true, true]);
    expect(['', 'a'.repeat(256), 'A', 'a-b'].map(GlueNames.isValid)).toEqual([false, false, false, false]);
  });

  test('validate rejects upper case and hyphens', () => {
    expect(() => GlueNames.validate(new Construct(testStack(), 'L'), 'databaseName', 'My-Db'))
      .toThrow('invalid databaseName: got "My-Db"; allowed: 1 to 255 characters: lower-case letters, digits and underscores');
  });
});
