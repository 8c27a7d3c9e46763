/**
 * The lab's one dataset: the customer CSV and a clickstream whose users are those customers,
 * both from one seed. What the lab uploads, what the tests run the feature SQL on, and what
 * `npm run model:build` trains the committed model on.
 *
 * How the clickstream follows the planted churn signal (customer-generator.ts): a customer's share
 * of the traffic is `0.1 + engagement`, and the customer stops visiting at a moment drawn from its
 * churn probability `p`: at `start + days * (1 - 0.8 * p * u)`, u uniform in [0, 1). So engaged
 * customers have more sessions, page views, cart additions and purchases, and customers likely to
 * churn tend to have been away longer at the end of the window. Both depend on the latent
 * propensity, not on the drawn label: the activity features carry signal without leaking it.
 */
import { ClickEvent, ClickstreamGenerator } from './clickstream-generator';
import { generateCustomers, GeneratedCustomers } from './customer-generator';
import { mulberry32, requireInteger } from './seeded-random';

/** Options of {@link generateLabDataset}. */
export interface LabDatasetOptions {
  /** An integer from 0 to 4,294,967,295. */
  readonly seed: number;
  /** Distinct customers (1 to 2,000,000). */
  readonly customers: number;
  /** Days of clickstream (1 to 366). Default 30. */
  readonly days?: number;
  /** Mean events per customer over the whole window (1 to 1,000). Default 20. */
  readonly eventsPerCustomer?: number;
  /** Start of the clickstream, epoch milliseconds; the customer table is a snapshot at this moment. Default 2026-01-01T00:00:00Z. */
  readonly startTime?: number;
}

/** What {@link generateLabDataset} returns. */
export interface LabDataset {
  readonly customers: GeneratedCustomers;
  /** Start and end (exclusive) of the clickstream, epoch milliseconds. */
  readonly startTime: number;
  readonly endTime: number;
  /** The events in time order, generated lazily (a million customers' month does not fit in memory as objects). */
  events(): Generator<ClickEvent>;
}

const DAY_MS = 86_400_000;

/** Customers and their clickstream for a seed; the same options give the same bytes. */
export function generateLabDataset(options: LabDatasetOptions): LabDataset {
  const days = options.days ?? 30;
  const perCustomer = options.eventsPerCustomer ?? 20;
  const startTime = options.startTime ?? Date.UTC(2026, 0, 1);
  requireInteger('generateLabDataset', 'days', days, 1, 366);
  requireInteger('generateLabDataset', 'eventsPerCustomer', perCustomer, 1, 1000);
  const customers = generateCustomers({ seed: options.seed, customers: options.customers, snapshotTime: startTime });
  const endTime = startTime + days * DAY_MS;
  const away = mulberry32((options.seed ^ 0x9e3779b9) >>> 0);
  const population = customers.profiles.map((p) => ({
    id: String(p.customerId),
    activity: 0.1 + p.engagement,
    activeUntil: Math.round(startTime + days * DAY_MS * (1 - 0.8 * p.churnProbability * away())),
  }));
  const meanGapMs = Math.max(1, Math.round((days * DAY_MS) / (options.customers * perCustomer)));
  return {
    customers,
    startTime,
    endTime,
    *events() {
      const generator = new ClickstreamGenerator({
        seed: (options.seed + 1) >>> 0, customers: population, startTime, meanGapMs, products: 500,
      });
      for (;;) {
        const event = generator.next();
        if (Date.parse(event.eventTime) >= endTime) return;
        yield event;
      }
    },
  };
}
