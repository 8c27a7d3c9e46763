// Internals of DataLake and ZoneCrawler: not exported from the library.
import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { check } from '../../core/validation';

/** A Glue cron expression: six fields, `?` in exactly one of day-of-month and day-of-week. */
const CRON_PATTERN = /^cron\(([0-9*,/-]+) ([0-9*,/-]+) ([0-9*,/?LW-]+) ([0-9A-Za-z*,/-]+) ([0-9A-Za-z*,/?L#-]+) ([0-9*,/-]+)\)$/;
const CRON_RULE = 'a Glue cron expression "cron(Minutes Hours Day-of-month Month Day-of-week Year)" with "?" in exactly one of the two day fields, e.g. "cron(0 3 * * ? *)"';

/**
 * A value as cdk-nag prints it inside finding ids (`AwsSolutions-IAM5[Resource::...]`):
 * `Ref` as `<LogicalId>`, `Fn::GetAtt` as `<LogicalId.Attr>`, joins flattened.
 */
export function nagText(scope: IConstruct, value: string): string {
  const render = (v: unknown): string => {
    if (typeof v === 'string') return v;
    const o = v as Record<string, unknown>;
    if (o.Ref !== undefined) return `<${o.Ref as string}>`;
    if (o['Fn::GetAtt'] !== undefined) return `<${(o['Fn::GetAtt'] as string[]).join('.')}>`;
    if (o['Fn::Join'] !== undefined) {
      const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
      return parts.map(render).join(sep);
    }
    return JSON.stringify(v);
  };
  return render(Stack.of(scope).resolve(value));
}

/** Rejects a string that is not a Glue cron expression. */
export function validateCronSchedule(scope: IConstruct, prop: string, schedule: string): void {
  const match = CRON_PATTERN.exec(schedule);
  check(scope, match !== null && ((match[3] === '?') !== (match[5] === '?')), prop, schedule, CRON_RULE);
}
