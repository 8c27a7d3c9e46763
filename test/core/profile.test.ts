import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Profile, ProfileName } from '../../lib';
import { PropValidationError } from '../../lib/core/validation';

const appWith = (context?: Record<string, unknown>) => new App({ context });

describe('Profile.of', () => {
  test('is production when the context is unset', () => {
    expect(Profile.of(appWith())).toBe(Profile.PRODUCTION);
  });

  test.each([['lab', Profile.LAB], ['production', Profile.PRODUCTION]])('reads context profile=%s', (value, expected) => {
    expect(Profile.of(appWith({ profile: value }))).toBe(expected);
  });

  test('is read from the scope, so a nested construct sees the app context', () => {
    const app = appWith({ profile: 'lab' });
    const stack = new Stack(app, 'S');
    expect(Profile.of(stack).name).toBe(ProfileName.LAB);
  });

  test.each(['Lab', 'prod', '', 'staging'])('rejects context profile=%j naming the allowed values', (value) => {
    const app = appWith({ profile: value });
    expect(() => Profile.of(app)).toThrow(PropValidationError);
    expect(() => Profile.of(app)).toThrow(`[app context] invalid profile: got ${JSON.stringify(value)}; allowed: "lab" or "production" (unset means "production")`);
  });
});

describe('the defaults table of DESIGN.md', () => {
  test('data on stack delete: destroyed and emptied in lab, retained in production', () => {
    expect([Profile.LAB.removalPolicy, Profile.LAB.autoDeleteObjects]).toEqual([RemovalPolicy.DESTROY, true]);
    expect([Profile.PRODUCTION.removalPolicy, Profile.PRODUCTION.autoDeleteObjects]).toEqual([RemovalPolicy.RETAIN, false]);
  });

  test('endpoint capacity: a cheapest non-burstable type, 1 instance max 2 in lab; at least 2 in production', () => {
    for (const p of [Profile.LAB, Profile.PRODUCTION]) expect(p.endpointInstanceType).not.toMatch(/^ml\.t[23]\./);
    expect(Profile.LAB.endpointInstanceType).toBe('ml.c5.large');
    expect([Profile.LAB.endpointInitialInstanceCount, Profile.LAB.endpointMinCapacity, Profile.LAB.endpointMaxCapacity]).toEqual([1, 1, 2]);
    expect(Profile.PRODUCTION.endpointInitialInstanceCount).toBeGreaterThanOrEqual(2);
    expect(Profile.PRODUCTION.endpointMinCapacity).toBeGreaterThanOrEqual(2);
    expect(Profile.PRODUCTION.endpointMaxCapacity).toBeGreaterThan(Profile.PRODUCTION.endpointMinCapacity);
  });

  test('networking: no NAT in either profile (interface endpoints are PrivateNetwork\'s opt-in, not a profile default)', () => {
    expect([Profile.LAB.natGateways, Profile.PRODUCTION.natGateways]).toEqual([0, 0]);
    expect(Object.keys(Profile.PRODUCTION)).not.toContain('interfaceEndpointServices');
  });

  test('streams: one provisioned shard in lab, on-demand in production', () => {
    expect(Profile.LAB.streamShardCount).toBe(1);
    expect(Profile.PRODUCTION.streamShardCount).toBeUndefined();
  });

  test('guard rails: lab guard in lab, rollback alarms in production', () => {
    expect([Profile.LAB.labGuard, Profile.LAB.rollbackAlarms]).toEqual([true, false]);
    expect([Profile.PRODUCTION.labGuard, Profile.PRODUCTION.rollbackAlarms]).toEqual([false, true]);
  });

  test('key deletion window and log retention', () => {
    expect(Profile.LAB.keyPendingWindow.toDays()).toBe(Duration.days(7).toDays());
    expect(Profile.PRODUCTION.keyPendingWindow.toDays()).toBe(30);
    expect([Profile.LAB.logRetention, Profile.PRODUCTION.logRetention]).toEqual([RetentionDays.ONE_WEEK, RetentionDays.ONE_YEAR]);
  });
});
