import { Duration } from 'aws-cdk-lib';

/** How a blue/green deployment shifts traffic from the old fleet to the new one. */
export enum TrafficRoutingType {
  /** All traffic at once, then bake. */
  ALL_AT_ONCE = 'ALL_AT_ONCE',
  /** A small share first, wait, then the rest. */
  CANARY = 'CANARY',
  /** Equal steps with a wait after each. */
  LINEAR = 'LINEAR',
}

/**
 * The traffic-shifting mode of a blue/green endpoint update (deployment guardrails).
 * Limits (checked by the endpoint): canary size 1–50 %, linear step 10–50 %, wait 0–3600 s; canary
 * and linear need at least 2 instances per variant (a canary or step is at most half the new fleet).
 */
export class TrafficRouting {
  /** Shift everything at once, then wait `waitInterval` before finishing. */
  public static allAtOnce(waitInterval: Duration = Duration.minutes(0)): TrafficRouting {
    return new TrafficRouting(TrafficRoutingType.ALL_AT_ONCE, undefined, waitInterval);
  }

  /** Send `percent` of capacity to the new fleet first, wait `waitInterval`, then the rest. */
  public static canary(percent: number, waitInterval: Duration = Duration.minutes(5)): TrafficRouting {
    return new TrafficRouting(TrafficRoutingType.CANARY, percent, waitInterval);
  }

  /** Shift `stepPercent` of capacity per step, waiting `waitInterval` after each step. */
  public static linear(stepPercent: number, waitInterval: Duration = Duration.minutes(5)): TrafficRouting {
    return new TrafficRouting(TrafficRoutingType.LINEAR, stepPercent, waitInterval);
  }

  /** The mode. */
  public readonly type: TrafficRoutingType;
  /** Canary size or linear step, in percent of capacity; undefined for all at once. */
  public readonly sizePercent?: number;
  /** Wait after the canary or each step (for all at once: the bake time after the shift). */
  public readonly waitInterval: Duration;

  private constructor(type: TrafficRoutingType, sizePercent: number | undefined, waitInterval: Duration) {
    this.type = type;
    this.sizePercent = sizePercent;
    this.waitInterval = waitInterval;
  }
}
