import { Duration, RemovalPolicy, Size, SizeRoundingBehavior, Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import { check, invalidProp, isConcrete } from '../../core/validation';

/*
 * Checks for callers without a type checker (plain JavaScript, Python through jsii): a value of the
 * wrong kind fails at synth with a PropValidationError instead of a TypeError deep in aws-cdk-lib.
 */

/** Rejects a value that is not one of an enum's values (e.g. the string "ON_DEMAND " or a number). */
export function checkEnum(scope: IConstruct, prop: string, value: unknown, values: object, name: string): void {
  if (value === undefined) return;
  const allowed = Object.values(values).filter((v) => typeof v === 'string' || typeof v === 'number') as unknown[];
  // Numeric TypeScript enums list their member names too; keep only the numbers then.
  const members = allowed.some((v) => typeof v === 'number') ? allowed.filter((v) => typeof v === 'number') : allowed;
  check(scope, members.includes(value), prop, value, `a ${name} value: ${members.map((v) => `${name}.${keyOf(values, v)}`).join(', ')}`);
}

function keyOf(values: object, value: unknown): string {
  return Object.entries(values).find(([, v]) => v === value)?.[0] ?? String(value);
}

/** Rejects anything but a RemovalPolicy. */
export function checkRemovalPolicy(scope: IConstruct, prop: string, value: unknown): void {
  checkEnum(scope, prop, value, RemovalPolicy, 'RemovalPolicy');
}

/** Rejects a log retention that CloudWatch Logs does not offer (only `logs.RetentionDays` values). */
export function checkLogRetention(scope: IConstruct, prop: string, value: unknown): void {
  if (value === undefined || (typeof value === 'number' && Token.isUnresolved(value))) return;
  checkEnum(scope, prop, value, logs.RetentionDays, 'RetentionDays');
}

/** Rejects anything but a `Duration` (e.g. a number of seconds). */
export function checkDuration(scope: IConstruct, prop: string, value: unknown): void {
  if (value !== undefined && !(value instanceof Duration)) invalidProp(scope, prop, value, 'a Duration, e.g. Duration.minutes(5)');
}

/** Rejects anything but a `Size` (e.g. a number of bytes). */
export function checkSize(scope: IConstruct, prop: string, value: unknown): void {
  if (value !== undefined && !(value instanceof Size)) invalidProp(scope, prop, value, 'a Size, e.g. Size.mebibytes(64)');
}

/**
 * A Duration in seconds, or undefined when its amount is a token that cannot be converted at synth
 * (then CloudFormation or the service checks it). Never throws aws-cdk-lib's conversion error.
 */
export function secondsOf(d: Duration): number | undefined {
  if (d.isUnresolved()) {
    try {
      const s = d.toSeconds();
      return isConcrete(s) ? s : undefined;
    } catch {
      return undefined;
    }
  }
  return d.toSeconds();
}

/**
 * A Size in MiB (fractions kept), or undefined for a token amount given in MiB (checked by the
 * service). A token in another unit cannot be converted: a PropValidationError says so.
 */
export function mebibytesOf(scope: IConstruct, prop: string, s: Size): number | undefined {
  if (!s.isUnresolved()) return s.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
  try {
    s.toMebibytes();
  } catch {
    invalidProp(scope, prop, s.toString(), 'a Size whose token amount is given in MiB (e.g. Size.mebibytes(token)), the unit Firehose takes');
  }
  return undefined;
}

/** The units StreamingIngestion converts Durations to. */
export type DurationUnit = 'seconds' | 'milliseconds' | 'hours';

/**
 * A Duration in `unit`, possibly a token number. aws-cdk-lib cannot convert a token amount between
 * units (it throws); that becomes a PropValidationError saying which unit to give the token in.
 */
export function durationIn(scope: IConstruct, prop: string, d: Duration, unit: DurationUnit): number {
  try {
    if (unit === 'seconds') return d.toSeconds();
    if (unit === 'milliseconds') return d.toMilliseconds();
    return d.toHours({ integral: false });
  } catch {
    return invalidProp(scope, prop, d.toString(),
      `a Duration whose token amount is given in ${unit} (e.g. Duration.${unit}(token)): a token cannot be converted between units at synth time`);
  }
}

/** A Duration for an alarm description: its human form, or "the configured time" for a token. */
export function humanDuration(d: Duration): string {
  return d.isUnresolved() ? 'the configured time' : d.toHumanString();
}
