import { IConstruct } from 'constructs';
import { invalidProp } from '../../core/validation';

/**
 * Rejects a value that is not an instance of `type`, for callers without a type checker (a string
 * where `InferenceInstanceType` is expected). Unlike core's `checkInstance` it takes classes with
 * private constructors (enum-like classes built by static factories). `undefined` passes.
 */
export function checkClass(scope: IConstruct, prop: string, value: unknown, type: { prototype: unknown }, allowed: string): void {
  if (value === undefined) return;
  if (!(value instanceof (type as unknown as new () => unknown))) invalidProp(scope, prop, value, allowed);
}
