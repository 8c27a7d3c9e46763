/**
 * Stand-ins for what API Gateway gives a mapping template, close enough to run our templates
 * faithfully with velocityjs (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html):
 *
 * - `$input.body` is a Java String: `trim()`, `split(regex)`, `length()` behave as in Java.
 * - `$input.path(p)` parses the body as API Gateway's JSONPath does (json-smart): a number
 *   written without `.`/exponent is an Integer/Long and prints as written; any other is a Double
 *   and prints as Java's `Double.toString` (`1.0`, `0.001`, `1.0E-4`, `1.0E7`).
 * - `$input.json(p)` is the JSON text of the selection; `$util.escapeJavaScript` escapes as documented.
 */
import { JSONPath } from 'jsonpath-plus';
import { render } from 'velocityjs';

/** A Java String, as templates see it. */
export class JavaString {
  constructor(private readonly value: string) {}
  /** Java's trim: strips every character up to U+0020 at both ends. */
  public trim(): JavaString {
    let start = 0;
    let end = this.value.length;
    while (start < end && this.value.charCodeAt(start) <= 0x20) start++;
    while (end > start && this.value.charCodeAt(end - 1) <= 0x20) end--;
    return new JavaString(this.value.slice(start, end));
  }
  public split(regex: string): JavaString[] {
    // Java drops trailing empty strings; a leading empty string stays.
    const parts = this.value.split(new RegExp(regex));
    while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
    return parts.map((p) => new JavaString(p));
  }
  public length(): number { return this.value.length; }
  public toString(): string { return this.value; }
}

/** A JSON number as Java holds it after json-smart parsed it. */
export class JavaNumber {
  constructor(public readonly literal: string) {}
  public toString(): string {
    if (!/[.eE]/.test(this.literal)) return BigInt(this.literal).toString();
    return javaDoubleToString(Number(this.literal));
  }
  public toJSON(): number { return Number(this.literal); }
}

/** Java's Double.toString. */
export function javaDoubleToString(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (!Number.isFinite(d)) return d > 0 ? 'Infinity' : '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const sign = d < 0 ? '-' : '';
  const abs = Math.abs(d);
  const [mantissa, exp] = abs.toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const e = Number(exp);
  if (abs >= 1e-3 && abs < 1e7) {
    if (e >= 0) {
      const intPart = digits.slice(0, e + 1).padEnd(e + 1, '0');
      const frac = digits.slice(e + 1) || '0';
      return `${sign}${intPart}.${frac}`;
    }
    return `${sign}0.${'0'.repeat(-e - 1)}${digits}`;
  }
  const frac = digits.slice(1) || '0';
  return `${sign}${digits[0]}.${frac}E${e}`;
}

/** A JSON parser that keeps number literals (JSON.parse would lose `1.0` vs `1`). */
export function parseJavaJson(text: string): unknown {
  let i = 0;
  const ws = () => { while (i < text.length && /\s/.test(text[i])) i++; };
  const fail = (): never => { throw new SyntaxError(`invalid JSON at ${i}`); };
  const value = (): unknown => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++; const obj: Record<string, unknown> = {}; ws();
      if (text[i] === '}') { i++; return obj; }
      for (;;) {
        ws(); const k = value(); if (typeof k !== 'string') fail();
        ws(); if (text[i++] !== ':') fail();
        obj[k as string] = value(); ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i++] === '}') return obj;
        fail();
      }
    }
    if (c === '[') {
      i++; const arr: unknown[] = []; ws();
      if (text[i] === ']') { i++; return arr; }
      for (;;) {
        arr.push(value()); ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i++] === ']') return arr;
        fail();
      }
    }
    if (c === '"') {
      const m = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(i)); if (!m) fail();
      i += m![0].length; return JSON.parse(m![0]);
    }
    const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (m) { i += m[0].length; return new JavaNumber(m[0]); }
    for (const [lit, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(lit, i)) { i += lit.length; return v; }
    }
    return fail();
  };
  const result = value(); ws();
  if (i !== text.length) fail();
  return result;
}

/** `$util.escapeJavaScript`: JavaScript string escaping (quotes, backslash, control characters). */
function escapeJavaScript(s: unknown): string {
  return String(s).replace(/[\\"'\n\r\t\b\f]/g, (c) => ({ '\\': '\\\\', '"': '\\"', "'": "\\'", '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' })[c]!);
}

export interface TemplateRun {
  readonly body: string;
  readonly context?: Record<string, unknown>;
}

/** Renders a mapping template as API Gateway would for a request or integration response body. */
export function runTemplate(template: string, run: TemplateRun): string {
  let parsed: unknown;
  const json = () => (parsed ??= parseJavaJson(run.body));
  const select = (path: string) => {
    const found = JSONPath({ path, json: json() as object, wrap: false });
    return found;
  };
  const input = {
    body: new JavaString(run.body),
    path: (path: string) => select(path),
    json: (path: string) => JSON.stringify(select(path)),
  };
  const util = {
    escapeJavaScript,
    parseJson: (s: string) => parseJavaJson(String(s)),
  };
  return render(template, { input, util, context: { requestId: 'req-1', ...run.context } });
}
