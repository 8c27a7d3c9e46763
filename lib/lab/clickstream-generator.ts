/**
 * A seeded clickstream producer for the StreamingIngestion lab: what the lab command line puts on
 * the Kinesis stream. Dependency-free and deterministic: the same seed gives the same events,
 * byte for byte, so exercises and tests can state exactly what lands in the lake.
 *
 * Its users are customers: user ids are customer ids (`"1001"`, the `customer_id` of the customer
 * CSV), and with `customers` each one's share of the traffic and the moment it stops visiting
 * follow that customer's latent engagement and churn propensity (see lab-dataset.ts).
 */
import { mulberry32, requireInteger } from './seeded-random';

/** The kinds of event a shopper produces, in funnel order. */
export enum ClickEventType {
  PAGE_VIEW = 'page_view',
  SEARCH = 'search',
  ADD_TO_CART = 'add_to_cart',
  PURCHASE = 'purchase',
}

/** One clickstream event. */
export interface ClickEvent {
  /** Unique within one generator: `<seed>-<sequence>`. */
  readonly eventId: string;
  readonly eventType: ClickEventType;
  readonly userId: string;
  /** A user's session; a new one starts after a purchase or at random. */
  readonly sessionId: string;
  /** The page path, e.g. `/product/p-0042`. */
  readonly page: string;
  /** Set on product pages, cart additions and purchases. */
  readonly productId?: string;
  /** Unit price in dollars, set on cart additions and purchases. */
  readonly price?: number;
  /** ISO 8601, UTC, millisecond precision. */
  readonly eventTime: string;
}

/** What a producer passes to Kinesis `PutRecord(s)`. */
export interface ClickStreamRecord {
  /** One JSON object with snake_case keys, newline-terminated (JSON Lines). */
  readonly data: string;
  /** The user id: keeps one user's events in order on one shard. */
  readonly partitionKey: string;
}

/** A customer as the clickstream sees it. */
export interface ClickstreamCustomer {
  /** The customer id, the events' `user_id`. */
  readonly id: string;
  /** Relative share of the traffic (a positive number): twice the activity, twice the events on average. */
  readonly activity: number;
  /** Epoch milliseconds after which the customer no longer visits. Default: never stops. */
  readonly activeUntil?: number;
}

/** Options of {@link ClickstreamGenerator}. */
export interface ClickstreamOptions {
  /** An integer from 0 to 4,294,967,295; the same seed gives the same events. */
  readonly seed: number;
  /**
   * Distinct users (1 to 1,000,000), customer ids `1001`, `1002`, ... with equal activity.
   * Default 50. Ignored with `customers`.
   */
  readonly users?: number;
  /** The customers who visit, with their activity; replaces `users`. */
  readonly customers?: ClickstreamCustomer[];
  /** Distinct products (1 to 1,000,000). Default 100. */
  readonly products?: number;
  /** Time of the first event, epoch milliseconds. Default 2026-01-01T00:00:00Z. */
  readonly startTime?: number;
  /** Mean gap between events in milliseconds (1 to 86,400,000). Default 1000. */
  readonly meanGapMs?: number;
}

const DEFAULT_START = Date.UTC(2026, 0, 1);
const SEARCH_TERMS = ['shoes', 'jacket', 'backpack', 'headphones', 'lamp', 'coffee', 'notebook', 'watch'];

/** Deterministic clickstream events for a seed. */
export class ClickstreamGenerator {
  /** The Kinesis record for an event: JSON Lines with snake_case keys (what Glue and Athena expect). */
  public static toRecord(event: ClickEvent): ClickStreamRecord {
    return { data: `${ClickstreamGenerator.toJson(event)}\n`, partitionKey: event.userId };
  }

  /** The event as one JSON object with snake_case keys; absent fields are omitted. */
  public static toJson(event: ClickEvent): string {
    return JSON.stringify({
      event_id: event.eventId,
      event_type: event.eventType,
      user_id: event.userId,
      session_id: event.sessionId,
      page: event.page,
      product_id: event.productId,
      price: event.price,
      event_time: event.eventTime,
    });
  }

  private readonly random: () => number;
  private readonly seed: number;
  private readonly users: ClickstreamCustomer[];
  /** Cumulative activity, for a weighted pick by binary search. */
  private readonly cumulative: number[];
  private readonly products: number;
  private readonly meanGapMs: number;
  private readonly sessions = new Map<number, number>();
  private readonly carts = new Map<number, number>();
  private clock: number;
  private sequence = 0;
  private sessionCounter = 0;

  constructor(options: ClickstreamOptions) {
    check('seed', options.seed, 0, 0xffffffff);
    this.seed = options.seed;
    const users = options.users ?? 50;
    this.products = options.products ?? 100;
    this.meanGapMs = options.meanGapMs ?? 1000;
    this.clock = options.startTime ?? DEFAULT_START;
    check('users', users, 1, 1_000_000);
    check('products', this.products, 1, 1_000_000);
    check('meanGapMs', this.meanGapMs, 1, 86_400_000);
    check('startTime', this.clock, 0, 8_640_000_000_000_000);
    if (options.customers !== undefined) {
      if (!Array.isArray(options.customers) || options.customers.length === 0 || options.customers.length > 2_000_000) {
        throw new RangeError(`ClickstreamGenerator: invalid customers: got ${String(options.customers)}; allowed: a list of 1 to 2,000,000 customers`);
      }
      options.customers.forEach((c, i) => {
        if (typeof c.activity !== 'number' || !(c.activity > 0) || !Number.isFinite(c.activity)) {
          throw new RangeError(`ClickstreamGenerator: invalid customers[${i}].activity: got ${String(c.activity)}; allowed: a positive number`);
        }
      });
    }
    this.users = options.customers ?? Array.from({ length: users }, (_, i) => ({ id: String(1001 + i), activity: 1 }));
    let total = 0;
    this.cumulative = this.users.map((u) => (total += u.activity));
    this.random = mulberry32(this.seed);
  }

  /** The next event; time moves forward by a random gap (exponential, mean `meanGapMs`). */
  public next(): ClickEvent {
    this.clock += Math.max(1, Math.round(-Math.log(1 - this.random()) * this.meanGapMs));
    const user = this.pickUser();
    const session = this.sessionOf(user);
    const roll = this.random();
    const cart = this.carts.get(user);
    const type = cart !== undefined && roll < 0.1 ? ClickEventType.PURCHASE
      : roll < 0.6 ? ClickEventType.PAGE_VIEW
        : roll < 0.8 ? ClickEventType.SEARCH
          : ClickEventType.ADD_TO_CART;
    const product = type === ClickEventType.PURCHASE ? cart! : this.int(this.products);
    const productId = `p-${pad(product, 4)}`;
    const base = {
      eventId: `${this.seed}-${pad(++this.sequence, 6)}`,
      userId: this.users[user].id,
      sessionId: `s-${pad(session, 6)}`,
      eventTime: new Date(this.clock).toISOString(),
    };
    switch (type) {
      case ClickEventType.SEARCH:
        return { ...base, eventType: type, page: `/search?q=${SEARCH_TERMS[this.int(SEARCH_TERMS.length)]}` };
      case ClickEventType.PAGE_VIEW:
        return { ...base, eventType: type, page: `/product/${productId}`, productId };
      case ClickEventType.ADD_TO_CART:
        this.carts.set(user, product);
        return { ...base, eventType: type, page: `/product/${productId}`, productId, price: priceOf(product) };
      case ClickEventType.PURCHASE:
        this.carts.delete(user);
        this.sessions.delete(user);
        return { ...base, eventType: type, page: '/checkout', productId, price: priceOf(product) };
    }
  }

  /** The next `count` events (0 to 1,000,000). */
  public take(count: number): ClickEvent[] {
    check('count', count, 0, 1_000_000);
    return Array.from({ length: count }, () => this.next());
  }

  /** The next `count` events as Kinesis records. */
  public records(count: number): ClickStreamRecord[] {
    return this.take(count).map(ClickstreamGenerator.toRecord);
  }

  /** A user, weighted by activity, among those still visiting (a few redraws, then the last draw). */
  private pickUser(): number {
    const total = this.cumulative[this.cumulative.length - 1];
    let user = 0;
    for (let attempt = 0; attempt < 64; attempt++) {
      const target = this.random() * total;
      let lo = 0;
      let hi = this.cumulative.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.cumulative[mid] > target) hi = mid; else lo = mid + 1;
      }
      user = lo;
      const until = this.users[user].activeUntil;
      if (until === undefined || this.clock <= until) break;
    }
    return user;
  }

  private sessionOf(user: number): number {
    let session = this.sessions.get(user);
    // A returning shopper starts a new session now and then, as real clickstreams do.
    if (session === undefined || this.random() < 0.05) {
      session = ++this.sessionCounter;
      this.sessions.set(user, session);
    }
    return session;
  }

  private int(bound: number): number {
    return Math.floor(this.random() * bound);
  }
}

/** A product's price: fixed per product, from $1.00 to $200.99. */
function priceOf(product: number): number {
  // Whole cents over 100 print as exact decimals in JSON.
  return (100 + ((product * 7919) % 200) * 100 + ((product * 31) % 100)) / 100;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function check(name: string, value: number, min: number, max: number): void {
  requireInteger('ClickstreamGenerator', name, value, min, max);
}
