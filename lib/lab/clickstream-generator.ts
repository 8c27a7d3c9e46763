/**
 * A seeded clickstream producer for the StreamingIngestion lab: what the lab command line puts on
 * the Kinesis stream. Dependency-free and deterministic: the same seed gives the same events,
 * byte for byte, so exercises and tests can state exactly what lands in the lake.
 */

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

/** Options of {@link ClickstreamGenerator}. */
export interface ClickstreamOptions {
  /** An integer from 0 to 4,294,967,295; the same seed gives the same events. */
  readonly seed: number;
  /** Distinct users (1 to 1,000,000). Default 50. */
  readonly users?: number;
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
  private readonly users: number;
  private readonly products: number;
  private readonly meanGapMs: number;
  private readonly sessions = new Map<number, number>();
  private readonly carts = new Map<number, number>();
  private clock: number;
  private sequence = 0;
  private sessionCounter = 0;

  constructor(options: ClickstreamOptions) {
    requireInteger('seed', options.seed, 0, 0xffffffff);
    this.seed = options.seed;
    this.users = options.users ?? 50;
    this.products = options.products ?? 100;
    this.meanGapMs = options.meanGapMs ?? 1000;
    this.clock = options.startTime ?? DEFAULT_START;
    requireInteger('users', this.users, 1, 1_000_000);
    requireInteger('products', this.products, 1, 1_000_000);
    requireInteger('meanGapMs', this.meanGapMs, 1, 86_400_000);
    requireInteger('startTime', this.clock, 0, 8_640_000_000_000_000);
    this.random = mulberry32(this.seed);
  }

  /** The next event; time moves forward by a random gap (exponential, mean `meanGapMs`). */
  public next(): ClickEvent {
    this.clock += Math.max(1, Math.round(-Math.log(1 - this.random()) * this.meanGapMs));
    const user = this.int(this.users);
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
      userId: `u-${pad(user, 4)}`,
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
    requireInteger('count', count, 0, 1_000_000);
    return Array.from({ length: count }, () => this.next());
  }

  /** The next `count` events as Kinesis records. */
  public records(count: number): ClickStreamRecord[] {
    return this.take(count).map(ClickstreamGenerator.toRecord);
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

function requireInteger(name: string, value: number, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`ClickstreamGenerator: invalid ${name}: got ${String(value)}; allowed: an integer from ${min} to ${max}`);
  }
}

/** mulberry32: a small, fast 32-bit PRNG with good statistical quality for sample data. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
