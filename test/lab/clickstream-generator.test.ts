import * as fs from 'fs';
import * as path from 'path';
import { ClickEvent, ClickEventType, ClickstreamGenerator, ClickstreamOptions } from '../../lib/lab/clickstream-generator';

const SOURCE = path.join(__dirname, '..', '..', 'lib', 'lab', 'clickstream-generator.ts');
const events = new ClickstreamGenerator({ seed: 7 }).take(5000);

describe('ClickstreamGenerator', () => {
  test('is deterministic: the same seed gives the same events', () => {
    expect(new ClickstreamGenerator({ seed: 7 }).take(5000)).toEqual(events);
  });

  test('different seeds give different events', () => {
    const other = new ClickstreamGenerator({ seed: 8 }).take(50);
    expect(other.map(ClickstreamGenerator.toJson)).not.toEqual(events.slice(0, 50).map(ClickstreamGenerator.toJson));
  });

  test('the first records of seed 42 stay what the lab exercises show (user ids are customer ids 1001, 1002, ...)', () => {
    expect(new ClickstreamGenerator({ seed: 42 }).take(2).map(ClickstreamGenerator.toJson)).toEqual([
      '{"event_id":"42-000001","event_type":"add_to_cart","user_id":"1023","session_id":"s-000001","page":"/product/p-0066","product_id":"p-0066","price":55.46,"event_time":"2026-01-01T00:00:00.919Z"}',
      '{"event_id":"42-000002","event_type":"page_view","user_id":"1027","session_id":"s-000002","page":"/product/p-0062","product_id":"p-0062","event_time":"2026-01-01T00:00:01.111Z"}',
    ]);
  });

  test('event ids are unique and sequential', () => {
    expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
    expect(events[0].eventId).toBe('7-000001');
    expect(events[4999].eventId).toBe('7-005000');
  });

  test('time moves forward from the start time, by the mean gap on average', () => {
    const times = events.map((e) => Date.parse(e.eventTime));
    expect(times[0]).toBeGreaterThan(Date.UTC(2026, 0, 1));
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThan(times[i - 1]);
    const meanGap = (times[times.length - 1] - Date.UTC(2026, 0, 1)) / times.length;
    expect(meanGap).toBeGreaterThan(900);
    expect(meanGap).toBeLessThan(1100);
    expect(events[0].eventTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  test('startTime, users and products are honoured', () => {
    const start = Date.UTC(2026, 10, 25, 9);
    const few = new ClickstreamGenerator({ seed: 1, users: 3, products: 2, startTime: start, meanGapMs: 10 }).take(300);
    expect(new Set(few.map((e) => e.userId))).toEqual(new Set(['1001', '1002', '1003']));
    expect(new Set(few.filter((e) => e.productId).map((e) => e.productId))).toEqual(new Set(['p-0000', 'p-0001']));
    expect(Date.parse(few[0].eventTime) - start).toBeLessThan(200);
  });

  test('all four event types occur, page views most often', () => {
    const counts = new Map<ClickEventType, number>();
    events.forEach((e) => counts.set(e.eventType, (counts.get(e.eventType) ?? 0) + 1));
    expect([...counts.keys()].sort()).toEqual(Object.values(ClickEventType).sort());
    const views = counts.get(ClickEventType.PAGE_VIEW)!;
    for (const [type, n] of counts) if (type !== ClickEventType.PAGE_VIEW) expect(n).toBeLessThan(views);
  });

  test('a purchase buys what the same user last put in the cart, at that price, and ends the session', () => {
    const carts = new Map<string, ClickEvent>();
    let purchases = 0;
    events.forEach((e, i) => {
      if (e.eventType === ClickEventType.ADD_TO_CART) carts.set(e.userId, e);
      if (e.eventType === ClickEventType.PURCHASE) {
        purchases++;
        const cart = carts.get(e.userId);
        expect(cart).toBeDefined();
        expect(e.productId).toBe(cart!.productId);
        expect(e.price).toBe(cart!.price);
        expect(e.page).toBe('/checkout');
        carts.delete(e.userId);
        const next = events.slice(i + 1).find((x) => x.userId === e.userId);
        if (next) expect(next.sessionId).not.toBe(e.sessionId);
      }
    });
    expect(purchases).toBeGreaterThan(50);
  });

  test('fields by event type: products on product pages, prices in whole cents on cart and purchase', () => {
    for (const e of events) {
      const priced = e.eventType === ClickEventType.ADD_TO_CART || e.eventType === ClickEventType.PURCHASE;
      expect(e.price !== undefined).toBe(priced);
      if (priced) {
        expect(Math.round(e.price! * 100) / 100).toBe(e.price);
        expect(e.price).toBeGreaterThanOrEqual(1);
        expect(e.price).toBeLessThan(201);
      }
      if (e.eventType === ClickEventType.SEARCH) {
        expect(e.productId).toBeUndefined();
        expect(e.page).toMatch(/^\/search\?q=\w+$/);
      } else {
        expect(e.productId).toMatch(/^p-\d{4}$/);
      }
    }
  });

  test('toJson: one object with snake_case keys, absent fields omitted', () => {
    const search = events.find((e) => e.eventType === ClickEventType.SEARCH)!;
    const parsed = JSON.parse(ClickstreamGenerator.toJson(search));
    expect(Object.keys(parsed)).toEqual(['event_id', 'event_type', 'user_id', 'session_id', 'page', 'event_time']);
    expect(parsed.event_type).toBe('search');
    const cart = events.find((e) => e.eventType === ClickEventType.ADD_TO_CART)!;
    expect(Object.keys(JSON.parse(ClickstreamGenerator.toJson(cart)))).toEqual(
      ['event_id', 'event_type', 'user_id', 'session_id', 'page', 'product_id', 'price', 'event_time']);
  });

  test('records: JSON Lines keyed by user, so one user stays in order on one shard', () => {
    const records = new ClickstreamGenerator({ seed: 7 }).records(3);
    expect(records).toHaveLength(3);
    records.forEach((r, i) => {
      expect(r.data.endsWith('\n')).toBe(true);
      expect(r.data.indexOf('\n')).toBe(r.data.length - 1);
      expect(r.partitionKey).toBe(events[i].userId);
      expect(JSON.parse(r.data).event_id).toBe(events[i].eventId);
    });
  });

  test('has no dependencies beyond lib/lab itself', () => {
    const source = fs.readFileSync(SOURCE, 'utf8');
    const imports = [...source.matchAll(/from '([^']+)'|require\('([^']+)'\)/g)].map((m) => m[1] ?? m[2]);
    expect(imports).toEqual(['./seeded-random']);
  });

  test('with customers, a customer with three times the activity has about three times the events', () => {
    const customers = [{ id: '7', activity: 1 }, { id: '9', activity: 3 }];
    const counts = new Map<string, number>();
    for (const e of new ClickstreamGenerator({ seed: 3, customers }).take(8000)) counts.set(e.userId, (counts.get(e.userId) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(['7', '9']);
    expect(counts.get('9')! / counts.get('7')!).toBeGreaterThan(2.7);
    expect(counts.get('9')! / counts.get('7')!).toBeLessThan(3.3);
  });

  test('with customers, nobody visits after their activeUntil', () => {
    const start = Date.UTC(2026, 0, 1);
    const stop = start + 60_000;
    const customers = [{ id: '1', activity: 1, activeUntil: stop }, { id: '2', activity: 1 }];
    const events = new ClickstreamGenerator({ seed: 5, customers, startTime: start, meanGapMs: 100 }).take(3000);
    const late = events.filter((e) => e.userId === '1' && Date.parse(e.eventTime) > stop);
    expect(late).toEqual([]);
    expect(events.filter((e) => e.userId === '1').length).toBeGreaterThan(100);
    expect(events.filter((e) => e.userId === '2' && Date.parse(e.eventTime) > stop).length).toBeGreaterThan(1000);
  });

  const rejected: Array<[string, ClickstreamOptions, string]> = [
    ['a negative seed', { seed: -1 }, 'invalid seed: got -1'],
    ['a fractional seed', { seed: 1.5 }, 'invalid seed: got 1.5'],
    ['a seed above 32 bits', { seed: 2 ** 32 }, 'invalid seed: got 4294967296'],
    ['zero users', { seed: 1, users: 0 }, 'invalid users: got 0'],
    ['zero products', { seed: 1, products: 0 }, 'invalid products: got 0'],
    ['a zero mean gap', { seed: 1, meanGapMs: 0 }, 'invalid meanGapMs: got 0'],
    ['a start time that is not a number', { seed: 1, startTime: Number.NaN }, 'invalid startTime: got NaN'],
  ];
  test.each([
    ['an empty customer list', { seed: 1, customers: [] }, 'invalid customers: got ; allowed: a list of 1 to 2,000,000 customers'],
    ['a zero activity', { seed: 1, customers: [{ id: '1', activity: 0 }] }, 'invalid customers[0].activity: got 0; allowed: a positive number'],
    ['a NaN activity', { seed: 1, customers: [{ id: '1', activity: Number.NaN }] }, 'invalid customers[0].activity: got NaN'],
  ] as Array<[string, ClickstreamOptions, string]>)('rejects %s', (_what, options, message) => {
    expect(() => new ClickstreamGenerator(options)).toThrow(message);
  });

  test.each(rejected)('rejects %s', (_what, options, message) => {
    expect(() => new ClickstreamGenerator(options)).toThrow(RangeError);
    expect(() => new ClickstreamGenerator(options)).toThrow(message);
  });

  test('rejects a negative count', () => {
    expect(() => new ClickstreamGenerator({ seed: 1 }).take(-1)).toThrow('invalid count: got -1');
  });
});
