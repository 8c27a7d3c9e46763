import { IConstruct } from 'constructs';
import { check, invalidProp, isConcrete } from '../../core/validation';

/**
 * Glue runs a schedule at most every 5 minutes
 * (https://docs.aws.amazon.com/glue/latest/dg/monitor-data-warehouse-schedule.html): rejects a
 * cron whose minutes field fires twice within 5 minutes. Tokens pass.
 */
export function checkFiveMinuteMinimum(scope: IConstruct, prop: string, cron: string | undefined): void {
  if (cron === undefined || !isConcrete(cron)) return;
  const fields = /^cron\((\S+) (\S+) /.exec(cron);
  if (!fields) return;
  const minutes = cronValues(fields[1], 0, 59);
  if (minutes === undefined) return invalidProp(scope, prop, cron, 'a minutes field of numbers, ranges (a-b), steps (a/b, */b) and lists, from 0 to 59');
  // Gaps within the hour, and from the last minute of one hour to the first of the next (the
  // hours field may select consecutive hours; assumed so, which only ever rejects more).
  const gaps = minutes.slice(1).map((m, i) => m - minutes[i]);
  if (minutes.length > 1) gaps.push(60 - minutes[minutes.length - 1] + minutes[0]);
  const shortest = gaps.length ? Math.min(...gaps) : 60;
  check(scope, shortest >= 5, prop, cron, 'a schedule that runs at most every 5 minutes (Glue\'s shortest interval), e.g. "cron(0/5 * * * ? *)"');
}

/** The values a cron field selects, sorted, or undefined for syntax this check does not read. */
function cronValues(field: string, min: number, max: number): number[] | undefined {
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const m = /^(\*|\d+)(?:-(\d+))?(?:\/(\d+))?$/.exec(part);
    if (!m) return undefined;
    const start = m[1] === '*' ? min : Number(m[1]);
    const end = m[2] !== undefined ? Number(m[2]) : m[1] === '*' || m[3] !== undefined ? max : start;
    const step = m[3] !== undefined ? Number(m[3]) : 1;
    if (start < min || end > max || step < 1) return undefined;
    for (let v = start; v <= end; v += step) values.add(v);
  }
  return [...values].sort((a, b) => a - b);
}

