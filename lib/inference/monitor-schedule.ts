import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { invalidProp } from '../core/validation';

/**
 * Hours field of a SageMaker monitoring cron: `*`, one hour (0–23), or `H/N` (every N hours from H).
 * SageMaker takes no other forms (https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-schedule-expression.html).
 */
const HOURS = /^(\*|(\d{1,2})|(\d{1,2})\/(\d{1,2}))$/;
const CRON = /^cron\((\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\)$/;
const RULE = 'a SageMaker monitoring cron, at most hourly: "cron(0 * ? * * *)" (hourly), "cron(0 H ? * * *)" (daily at H), '
  + 'or "cron(0 H/N ? * * *)" (every N hours from H); minute 0, day-of-month "?", month, day-of-week and year "*"';

/**
 * When a monitoring schedule starts its jobs. SageMaker runs monitoring jobs at most hourly, on
 * the hour; a monitoring job analyses the data captured since the previous run.
 */
export class MonitorSchedule {
  /** Every hour, on the hour (the default). */
  public static hourly(): MonitorSchedule {
    return new MonitorSchedule('cron(0 * ? * * *)');
  }

  /** Once a day at `hour` (0–23, UTC). */
  public static daily(hour: number = 0): MonitorSchedule {
    return new MonitorSchedule(`cron(0 ${hour} ? * * *)`);
  }

  /** Every `hours` hours (1–24), starting at `startHour` (0–23, UTC). */
  public static everyHours(hours: number, startHour: number = 0): MonitorSchedule {
    return new MonitorSchedule(`cron(0 ${startHour}/${hours} ? * * *)`);
  }

  /** Any SageMaker monitoring cron expression (checked by the monitor at synth). */
  public static expression(expression: string): MonitorSchedule {
    return new MonitorSchedule(expression);
  }

  private constructor(
    /** The cron expression, e.g. `cron(0 * ? * * *)`. */
    public readonly expressionString: string,
  ) {}

  /**
   * Rejects an expression SageMaker would refuse, naming `scope` and `prop`; a schedule faster than
   * hourly gets a message of its own. Returns the expression.
   */
  public validate(scope: IConstruct, prop: string): string {
    const value = this.expressionString;
    if (Token.isUnresolved(value)) return value;
    const match = typeof value === 'string' ? CRON.exec(value) : null;
    if (!match) return invalidProp(scope, prop, value, RULE);
    const [, minutes, hours, dayOfMonth, month, dayOfWeek, year] = match;
    // Anything but one minute of the hour (`*`, `*/5`, `0,30`, `0-59`) starts jobs more than once an hour.
    if (!/^\d{1,2}$/.test(minutes)) {
      return invalidProp(scope, prop, value, `a schedule no faster than hourly (SageMaker runs monitoring jobs at most once an hour): ${RULE}`);
    }
    const hourMatch = HOURS.exec(hours);
    const hourOk = hourMatch !== null && (hourMatch[2] === undefined || Number(hourMatch[2]) <= 23)
      && (hourMatch[3] === undefined || (Number(hourMatch[3]) <= 23 && Number(hourMatch[4]) >= 1 && Number(hourMatch[4]) <= 24));
    if (minutes !== '0' || !hourOk || dayOfMonth !== '?' || month !== '*' || dayOfWeek !== '*' || year !== '*') {
      return invalidProp(scope, prop, value, RULE);
    }
    return value;
  }
}
