import { Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AccessLogBucket } from '../../lib/core/access-log-bucket';
import { BuiltInImage } from '../../lib/core/built-in-image';
import { Profile } from '../../lib/core/profile';
import { familyHasLocalNvmeStorage } from '../../lib/core/private/instance-storage';
import { DataKey } from '../../lib/core/data-key';
import { GlueNames } from '../../lib/core/naming';
import { SecureBucket } from '../../lib/core/secure-bucket';
import {
  check, checkGlueCron, checkInstance, checkOneOf, checkPattern, checkRange, checkType, isConcrete,
} from '../../lib/core/validation';
import { rejectionOf } from '../support/rejection';
import { testStack } from '../support/stack';

// Tests written for mutants StrykerJS found alive in lib/core (npm run mutate); each names the
// behaviour it pins. Literal documented values, not values read back from defaults().

const tokenNumber = () => Token.asNumber({ Ref: 'Count' });
const tokenString = () => Lazy.string({ produce: () => 'x' });

function resourcesOf(stack: Stack, type: string): Array<Record<string, unknown>> {
  return Object.values(Template.fromStack(stack).findResources(type)) as Array<Record<string, unknown>>;
}

describe('validation helpers accept tokens and undefined, and reject the wrong types', () => {
  test('isConcrete: undefined, null and tokens are not concrete; strings, numbers, objects and booleans are', () => {
    expect([undefined, null, tokenString(), tokenNumber()].map(isConcrete)).toEqual([false, false, false, false]);
    expect(['a', 0, {}, false].map(isConcrete)).toEqual([true, true, true, true]);
  });

  test('checkRange, checkOneOf, checkPattern and checkGlueCron let a token or undefined through', () => {
    const stack = testStack();
    expect(() => {
      checkRange(stack, 'n', tokenNumber(), 1, 10);
      checkRange(stack, 'n', undefined, 1, 10);
      checkOneOf(stack, 's', tokenString(), ['a', 'b']);
      checkOneOf(stack, 's', undefined, ['a', 'b']);
      checkPattern(stack, 's', tokenString(), /^a$/, 'a');
      checkGlueCron(stack, 'cron', tokenString());
      checkInstance(stack, 'i', undefined, Stack, 'a Stack');
      checkType(stack, 't', undefined, 'string');
    }).not.toThrow();
  });

  test.each([
    ['x', 'number', '"x"'], [1, 'string', '1'], ['true', 'boolean', '"true"'], [NaN, 'number', 'NaN'],
  ] as const)('checkType rejects %p where a %s is expected', (value, type, shown) => {
    expect(rejectionOf(() => checkType(testStack(), 't', value, type)).message).toBe(`[Test] invalid t: got ${shown}; allowed: a ${type}`);
  });

  test('messages name a class instance by its class and show a prototype-less object as JSON', () => {
    class Widget {}
    expect(rejectionOf(() => check(testStack(), false, 'w', new Widget(), 'x')).message).toBe('[Test] invalid w: got Widget; allowed: x');
    expect(rejectionOf(() => check(testStack(), false, 'w', Object.assign(Object.create(null), { a: 1 }), 'x')).message).toBe('[Test] invalid w: got {"a":1}; allowed: x');
  });
});

describe('GlueNames', () => {
  test('collapses runs of separators into one underscore', () => {
    expect(GlueNames.of(testStack(), 'My--Lake', 'raw  zone')).toBe('my_lake_raw_zone');
  });

  test('rejects a prefix that is a token', () => {
    expect(rejectionOf(() => GlueNames.of(testStack(), tokenString(), 'raw')).message).toMatch(/^\[Test\] invalid name prefix: got .*; allowed: a string known at synth time$/);
  });
});

describe('DataKey defaults', () => {
  test('rotation on, the documented description, and the profile removal policy (lab: Delete; production: Retain)', () => {
    const lab = testStack('lab');
    new DataKey(lab, 'K');
    const production = testStack('production');
    new DataKey(production, 'K');
    const [labKey] = resourcesOf(lab, 'AWS::KMS::Key');
    const [prodKey] = resourcesOf(production, 'AWS::KMS::Key');
    expect((labKey.Properties as Record<string, unknown>).EnableKeyRotation).toBe(true);
    expect((labKey.Properties as Record<string, unknown>).Description).toBe('cdk-ml-reference data key');
    expect([labKey.DeletionPolicy, prodKey.DeletionPolicy]).toEqual(['Delete', 'Retain']);
  });

  test('a given description and removal policy win', () => {
    const stack = testStack('lab');
    new DataKey(stack, 'K', { description: 'mine', removalPolicy: RemovalPolicy.RETAIN });
    const [key] = resourcesOf(stack, 'AWS::KMS::Key');
    expect([(key.Properties as Record<string, unknown>).Description, key.DeletionPolicy]).toEqual(['mine', 'Retain']);
  });
});

describe('SecureBucket and AccessLogBucket defaults', () => {
  function buckets(profile: 'lab' | 'production', props: { removalPolicy?: RemovalPolicy; serverAccessLogsPrefix?: string } = {}) {
    const stack = testStack(profile);
    const logs = new AccessLogBucket(stack, 'Logs', { removalPolicy: props.removalPolicy });
    new SecureBucket(stack, 'Data', { encryptionKey: new DataKey(stack, 'K'), serverAccessLogsBucket: logs, ...props });
    const all = Template.fromStack(stack).findResources('AWS::S3::Bucket');
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- template JSON, read field by field below
    const byId = (prefix: string) => Object.entries(all).find(([id]) => id.startsWith(prefix))![1] as { Properties: Record<string, any>; DeletionPolicy: string };
    return { stack, data: byId('Data'), logs: byId('Logs') };
  }

  test('both are versioned, have lifecycle rules, and the data bucket uses an S3 Bucket Key and logs under "<id>/"', () => {
    const { data, logs } = buckets('production');
    expect(data.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(logs.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(data.Properties.LifecycleConfiguration.Rules.length).toBeGreaterThan(0);
    expect(logs.Properties.LifecycleConfiguration.Rules.length).toBeGreaterThan(0);
    expect(data.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].BucketKeyEnabled).toBe(true);
    expect(data.Properties.LoggingConfiguration.LogFilePrefix).toBe('Data/');
  });

  test('lab empties and deletes both with the stack; production retains them and has no auto-delete', () => {
    const lab = buckets('lab');
    const production = buckets('production');
    expect([lab.data.DeletionPolicy, lab.logs.DeletionPolicy, production.data.DeletionPolicy, production.logs.DeletionPolicy])
      .toEqual(['Delete', 'Delete', 'Retain', 'Retain']);
    expect(resourcesOf(lab.stack, 'Custom::S3AutoDeleteObjects')).toHaveLength(2);
    expect(resourcesOf(production.stack, 'Custom::S3AutoDeleteObjects')).toHaveLength(0);
  });

  test('a given removal policy and log prefix win over the profile', () => {
    const { data, logs } = buckets('lab', { removalPolicy: RemovalPolicy.RETAIN, serverAccessLogsPrefix: 'custom/' });
    expect([data.DeletionPolicy, logs.DeletionPolicy, data.Properties.LoggingConfiguration.LogFilePrefix]).toEqual(['Retain', 'Retain', 'custom/']);
  });
});

describe('small public values', () => {
  test('built-in images carry the names the guide uses', () => {
    expect([BuiltInImage.xgboost(), BuiltInImage.LINEAR_LEARNER, BuiltInImage.KMEANS, BuiltInImage.MODEL_MONITOR_ANALYZER].map((i) => i.displayName))
      .toEqual(['XGBoost', 'Linear Learner', 'k-means', 'Model Monitor analyzer']);
  });

  test('the production profile asks for versioned buckets; the lab profile does not', () => {
    expect([Profile.PRODUCTION.versioned, Profile.LAB.versioned]).toEqual([true, false]);
  });

  test('DataKey names a non-string alias, and needs a Duration (an object without toDays is not one)', () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    expect(rejectionOf(() => new DataKey(testStack(), 'K', { alias: 7 as any })).message).toBe('[Test/K] invalid alias: got 7; allowed: a string');
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    expect(rejectionOf(() => new DataKey(testStack(), 'K', { pendingWindow: { days: 7 } as any })).prop).toBe('pendingWindow');
  });

  test('an instance family starts with its letters: a leading digit is no family', () => {
    expect(familyHasLocalNvmeStorage('1m5d')).toBe(false);
  });
});
