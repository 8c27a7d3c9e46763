import { IConstruct } from 'constructs';
import { check, checkGlueCron, checkType, isConcrete } from '../../core/validation';

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface Field {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: string[];
}

/** The fields of a Glue (EventBridge) cron expression and their ranges. */
const FIELDS: Field[] = [
  { name: 'Minutes', min: 0, max: 59 },
  { name: 'Hours', min: 0, max: 23 },
  { name: 'Day-of-month', min: 1, max: 31 },
  { name: 'Month', min: 1, max: 12, names: MONTHS },
  { name: 'Day-of-week', min: 1, max: 7, names: DAYS },
  { name: 'Year', min: 1970, max: 2199 },
];

/** Glue runs scheduled crawlers and triggers at most every 5 minutes. */
const GLUE_MIN_INTERVAL_MINUTES = 5;

/**
 * A Glue cron expression with every field in its range and no run more often than every 5 minutes:
 * https://docs.aws.amazon.com/glue/latest/dg/monitor-data-warehouse-schedule.html
 */
export function checkGlueSchedule(scope: IConstruct, prop: string, value: unknown): void {
  if (value === undefined) return;
  checkType(scope, prop, value, 'string');
  const expression = value as string;
  if (!isConcrete(expression)) return;
  checkGlueCron(scope, prop, expression);
  const fields = expression.slice('cron('.length, -1).split(' ');
  fields.forEach((field, i) => {
    const spec = FIELDS[i];
    for (const n of numbersIn(field, spec)) {
      check(scope, n >= spec.min && n <= spec.max, prop, expression,
        `${spec.name} values from ${spec.min} to ${spec.max}${spec.names ? ` (or ${spec.names[0]}-${spec.names[spec.names.length - 1]})` : ''}; got ${n}`);
    }
  });
  check(scope, smallestGap(fields[0]) >= GLUE_MIN_INTERVAL_MINUTES, prop, expression,
    `a schedule that runs at most every ${GLUE_MIN_INTERVAL_MINUTES} minutes (Glue's shortest schedule), e.g. "cron(0/15 * * * ? *)"`);
}

/** The literal numbers of a field (names mapped to numbers; `*`, `?`, `L`, `W`, `#` parts skipped). */
function numbersIn(field: string, spec: Field): number[] {
  const out: number[] = [];
  for (const token of field.split(/[,\-/#]/)) {
    const upper = token.toUpperCase();
    // A name first: JUL ends in the L of "last".
    if (spec.names?.includes(upper)) continue;
    const bare = upper.replace(/[LW]+$/, '');
    if (bare === '' || bare === '*' || bare === '?') continue;
    const n = Number(bare);
    out.push(Number.isInteger(n) ? n : NaN);
  }
  return out;
}

/** The shortest time in minutes between two runs within an hour that the minutes field allows. */
function smallestGap(minutes: string): number {
  const values = new Set<number>();
  for (const part of minutes.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step <= 0) return 0;
    let from: number;
    let to: number;
    if (range === '*') {
      from = 0; to = 59;
    } else if (range.includes('-')) {
      [from, to] = range.split('-').map(Number);
    } else {
      from = Number(range);
      to = stepText === undefined ? from : 59;
    }
    for (let m = from; m <= to; m += step) values.add(m);
  }
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length <= 1) return 60;
  let gap = 60 - sorted[sorted.length - 1] + sorted[0];
  for (let i = 1; i < sorted.length; i++) gap = Math.min(gap, sorted[i] - sorted[i - 1]);
  return gap;
}
