import { JSONPath } from 'jsonpath-plus';
import { AslState } from './helpers';

/**
 * A small interpreter for the parts of the Amazon States Language (JSONPath query language) the
 * pipeline's control states use: Pass with Parameters (paths, filters, intrinsic functions),
 * Choice (IsPresent, IsNumeric, Numeric*, StringEqualsPath, Not), Succeed and Fail with CausePath.
 * Paths are evaluated by jsonpath-plus, the JSONPath dialect Step Functions' own is closest to.
 * Task states are not run: the walk stops at them and reports where it stopped.
 */

export interface Context {
  readonly Execution: { Id: string; Name: string };
  readonly StateMachine: { Id: string };
}

export interface Outcome {
  /** The states visited, in order. */
  readonly visited: string[];
  /** Where the walk stopped: a Task (not run), a Succeed or a Fail state. */
  readonly stoppedAt: string;
  readonly type: string;
  /** The Fail state's error and cause (CausePath evaluated). */
  readonly error?: string;
  readonly cause?: string;
  readonly output: unknown;
}

/** Step Functions' path semantics: a reference path yields one value (undefined when absent). */
function ref(path: string, input: unknown, context: Context): unknown {
  if (path.startsWith('$$.')) return JSONPath({ path: `$.${path.slice(3)}`, json: context as object, wrap: false });
  return JSONPath({ path, json: input as object, wrap: false });
}

/** A `.$` path in Parameters: filters and wildcards yield a list; plain paths a value; a missing plain path is an error. */
function select(path: string, input: unknown, context: Context): unknown {
  if (path.startsWith('States.')) return intrinsic(path, input, context);
  const isQuery = /\[\?|\*|\.\./.test(path);
  if (isQuery) return JSONPath({ path, json: input as object, wrap: true }) as unknown[];
  const value = ref(path, input, context);
  if (value === undefined) throw new StatesRuntime(`The JSONPath '${path}' could not be found in the input`);
  return value;
}

export class StatesRuntime extends Error {}

/** Splits intrinsic arguments at top-level commas. */
function args(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (const c of text) {
    if (c === "'" ) quoted = !quoted;
    if (!quoted && c === '(') depth++;
    if (!quoted && c === ')') depth--;
    if (!quoted && depth === 0 && c === ',') {
      out.push(current.trim());
      current = '';
    } else current += c;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

function arg(text: string, input: unknown, context: Context): unknown {
  if (text.startsWith("'")) return text.slice(1, -1);
  if (text.startsWith('States.')) return intrinsic(text, input, context);
  if (text.startsWith('$')) return select(text, input, context);
  return Number(text);
}

let uuidCounter = 0;

/** The intrinsic functions the pipeline uses. */
export function intrinsic(expression: string, input: unknown, context: Context): unknown {
  const match = /^States\.(\w+)\((.*)\)$/s.exec(expression);
  if (!match) throw new Error(`not an intrinsic: ${expression}`);
  const [, name, rest] = match;
  const a = args(rest).map((x) => arg(x, input, context));
  switch (name) {
    case 'Format': {
      let i = 1;
      return (a[0] as string).replace(/\{\}/g, () => String(a[i++]));
    }
    case 'StringSplit': return (a[0] as string).split(a[1] as string);
    case 'UUID': {
      uuidCounter += 1;
      const hex = uuidCounter.toString(16).padStart(8, '0');
      return `${hex}-aaaa-4bbb-8ccc-${hex}dddd`;
    }
    case 'ArrayGetItem': {
      const list = a[0] as unknown[];
      const index = a[1] as number;
      if (!Number.isInteger(index) || index < 0 || index >= list.length) throw new StatesRuntime(`index ${index} out of bounds`);
      return list[index];
    }
    case 'ArrayLength': return (a[0] as unknown[]).length;
    case 'MathAdd': return (a[0] as number) + (a[1] as number);
    case 'Array': return a;
    default: throw new Error(`intrinsic ${name} not simulated`);
  }
}

function parameters(template: unknown, input: unknown, context: Context): unknown {
  if (Array.isArray(template)) return template.map((t) => parameters(t, input, context));
  if (template === null || typeof template !== 'object') return template;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$')) out[key.slice(0, -2)] = select(value as string, input, context);
    else out[key] = parameters(value, input, context);
  }
  return out;
}

function setPath(input: unknown, resultPath: string | undefined, result: unknown): unknown {
  if (resultPath === undefined || resultPath === '$') return result;
  const keys = resultPath.replace(/^\$\./, '').split('.');
  const copy = JSON.parse(JSON.stringify(input ?? {}));
  let node = copy;
  for (const k of keys.slice(0, -1)) node = node[k] ??= {};
  node[keys[keys.length - 1]] = result;
  return copy;
}

function rule(r: Record<string, unknown>, input: unknown, context: Context): boolean {
  if (r.Not) return !rule(r.Not as Record<string, unknown>, input, context);
  if (r.And) return (r.And as Array<Record<string, unknown>>).every((x) => rule(x, input, context));
  if (r.Or) return (r.Or as Array<Record<string, unknown>>).some((x) => rule(x, input, context));
  const value = ref(r.Variable as string, input, context);
  if ('IsPresent' in r) return (value !== undefined) === r.IsPresent;
  if (value === undefined) throw new StatesRuntime(`Invalid path '${r.Variable}': the choice state's condition path references an invalid value`);
  if ('IsNumeric' in r) return (typeof value === 'number') === r.IsNumeric;
  if ('NumericGreaterThanEquals' in r) return typeof value === 'number' && value >= (r.NumericGreaterThanEquals as number);
  if ('NumericLessThanEquals' in r) return typeof value === 'number' && value <= (r.NumericLessThanEquals as number);
  if ('StringEqualsPath' in r) return value === ref(r.StringEqualsPath as string, input, context);
  throw new Error(`choice rule not simulated: ${JSON.stringify(r)}`);
}

/** Walks from `start` until a Task, Succeed or Fail state. */
export function walk(states: Record<string, AslState>, start: string, input: unknown, context: Context): Outcome {
  const visited: string[] = [];
  let name = start;
  let data = input;
  for (let steps = 0; steps < 100; steps++) {
    const state = states[name];
    if (!state) throw new Error(`no state ${name}`);
    visited.push(name);
    switch (state.Type) {
      case 'Pass':
        data = setPath(data, state.ResultPath as string | undefined, state.Parameters ? parameters(state.Parameters, data, context) : data);
        name = state.Next!;
        break;
      case 'Choice': {
        const match = state.Choices!.find((c) => rule(c, data, context));
        if (match) name = match.Next as string;
        else if (state.Default) name = state.Default;
        else throw new StatesRuntime('States.NoChoiceMatched');
        break;
      }
      case 'Fail':
        return {
          visited, stoppedAt: name, type: 'Fail', error: state.Error as string,
          cause: state.CausePath ? String(intrinsic(state.CausePath as string, data, context)) : state.Cause as string, output: data,
        };
      default:
        return { visited, stoppedAt: name, type: state.Type, output: data };
    }
  }
  throw new Error('walk did not end');
}
