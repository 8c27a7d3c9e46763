import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Thrown at synth time when a construct is given a value it cannot build.
 *
 * The message always names the construct path, the prop, the value given and
 * what is allowed, so the user can fix the call without reading our source.
 */
export class PropValidationError extends Error {
  /** Path of the construct that rejected the value. */
  public readonly constructPath: string;
  /** Name of the rejected prop (dotted for nested props, e.g. `variants[1].weight`). */
  public readonly prop: string;
  /** What the construct accepts. */
  public readonly allowed: string;

  /**
   * @param constructPath path of the construct that rejects the value (`scope.node.path`)
   */
  constructor(constructPath: string, prop: string, value: unknown, allowed: string) {
    super(`[${constructPath}] invalid ${prop}: got ${describe(value)}; allowed: ${allowed}`);
    this.name = 'PropValidationError';
    this.constructPath = constructPath;
    this.prop = prop;
    this.allowed = allowed;
  }
}

/**
 * Where a construct is or will be: the construct itself, or (for checks that must run before
 * `super()`, when `this` does not exist yet) its future path as `scope.node.path + '/' + id`.
 */
export type ConstructLocation = IConstruct | string;

/** Throws a {@link PropValidationError}. */
export function invalidProp(scope: ConstructLocation, prop: string, value: unknown, allowed: string): never {
  throw new PropValidationError(typeof scope === 'string' ? scope : scope.node.path, prop, value, allowed);
}

/** The path a construct with this id will have under `scope`: for checks before `super()`. */
export function futurePath(scope: IConstruct, id: string): string {
  return scope.node.path ? `${scope.node.path}/${id}` : id;
}

/** True when the value is known at synth time (tokens are checked by CloudFormation instead). */
export function isConcrete(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string' || typeof value === 'number') return !Token.isUnresolved(value);
  return true;
}

/** Rejects a number outside `[min, max]`, or a fraction when `integer` is set. Tokens pass. */
export function checkRange(
  scope: ConstructLocation, prop: string, value: number | undefined, min: number, max: number, options: { integer?: boolean; unit?: string } = {},
): void {
  if (value === undefined || !isConcrete(value)) return;
  const unit = options.unit ? ` ${options.unit}` : '';
  const kind = options.integer ? 'an integer' : 'a number';
  if (Number.isNaN(value) || value < min || value > max || (options.integer && !Number.isInteger(value))) {
    invalidProp(scope, prop, value, `${kind} from ${min} to ${max}${unit}`);
  }
}

/** Rejects a value not in `allowed`. */
export function checkOneOf<T>(scope: ConstructLocation, prop: string, value: T | undefined, allowed: readonly T[]): void {
  if (value === undefined || !isConcrete(value)) return;
  if (!allowed.includes(value)) {
    invalidProp(scope, prop, value, `one of ${allowed.map((a) => describe(a)).join(', ')}`);
  }
}

/** Rejects a string that does not match `pattern`; `allowed` describes the rule in words. */
export function checkPattern(scope: ConstructLocation, prop: string, value: string | undefined, pattern: RegExp, allowed: string): void {
  if (value === undefined || !isConcrete(value)) return;
  if (!pattern.test(value)) invalidProp(scope, prop, value, allowed);
}

/** Rejects a value when `ok` is false. For rules that the helpers above do not cover. */
export function check(scope: ConstructLocation, ok: boolean, prop: string, value: unknown, allowed: string): void {
  if (!ok) invalidProp(scope, prop, value, allowed);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `[${value.map(describe).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const name = (value as { constructor?: { name?: string } }).constructor?.name;
    if (name && name !== 'Object') return name;
    try {
      return JSON.stringify(value);
    } catch {
      return String(value);
    }
  }
  return String(value);
}

/** A Glue cron expression: six fields, `?` in exactly one of day-of-month and day-of-week. */
const GLUE_CRON = /^cron\(([0-9*,/-]+) ([0-9*,/-]+) ([0-9*,/?LW-]+) ([0-9A-Za-z*,/-]+) ([0-9A-Za-z*,/?L#-]+) ([0-9*,/-]+)\)$/;
const GLUE_CRON_RULE = 'a Glue cron expression "cron(Minutes Hours Day-of-month Month Day-of-week Year)" with "?" in exactly one of the two day fields, e.g. "cron(0 3 * * ? *)"';

/** Rejects a string that is not a Glue (and EventBridge) cron expression. Tokens pass. */
export function checkGlueCron(scope: ConstructLocation, prop: string, value: string | undefined): void {
  if (value === undefined || !isConcrete(value)) return;
  const match = GLUE_CRON.exec(value);
  check(scope, match !== null && (match[3] === '?') !== (match[5] === '?'), prop, value, GLUE_CRON_RULE);
}

/**
 * For callers without a type checker (JavaScript, or Python through jsii): rejects a value of
 * the wrong primitive type. `undefined` passes (optional props are checked by `checkRequired`).
 * Tokens of the expected type pass.
 */
export function checkType(scope: ConstructLocation, prop: string, value: unknown, type: 'string' | 'number' | 'boolean'): void {
  if (value === undefined) return;
  const ok = typeof value === type && !(type === 'number' && Number.isNaN(value as number));
  if (!ok) invalidProp(scope, prop, value, `a ${type}`);
}

/** Rejects a required prop that is missing (`undefined` or `null`): for callers without a type checker. */
export function checkRequired(scope: ConstructLocation, prop: string, value: unknown, allowed: string): void {
  if (value === undefined || value === null) invalidProp(scope, prop, value, allowed);
}

/** Rejects a value that is not an array (e.g. one string where a list is expected). `undefined` passes. */
export function checkArray(scope: ConstructLocation, prop: string, value: unknown, allowed: string): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) invalidProp(scope, prop, value, `a list of ${allowed}`);
}

/**
 * Rejects a value that is not an instance of `type` (e.g. a string where an enum-like class such as
 * `InferenceInstanceType` is expected). `type` is any class, including ones with a private
 * constructor built by static factories. `undefined` passes.
 */
export function checkInstance(scope: ConstructLocation, prop: string, value: unknown, type: { prototype: unknown }, allowed: string): void {
  if (value === undefined) return;
  if (!(value instanceof (type as unknown as abstract new () => unknown))) invalidProp(scope, prop, value, allowed);
}

/**
 * Rejects a value that lacks the members an aws-cdk interface needs (e.g. `keyArn` for `kms.IKey`),
 * for callers without a type checker. `undefined` passes (use `checkRequired` for required props).
 */
export function checkShape(scope: ConstructLocation, prop: string, value: unknown, members: string[], allowed: string): void {
  if (value === undefined) return;
  const ok = typeof value === 'object' && value !== null && members.every((m) => m in (value as object));
  if (!ok) invalidProp(scope, prop, value, allowed);
}
