import { churnLogit, CUSTOMER_COLUMNS, generateCustomers } from '../../lib/lab/customer-generator';
import { generateLabDataset } from '../../lib/lab/lab-dataset';

const big = generateCustomers({ seed: 99, customers: 20_000 });
const rate = (rows: typeof big.profiles) => rows.filter((p) => p.churned === 1).length / rows.length;

describe('generateCustomers', () => {
  test('is deterministic: the same options give the same bytes; another seed, other bytes', () => {
    expect(generateCustomers({ seed: 7, customers: 500 }).csv).toBe(generateCustomers({ seed: 7, customers: 500 }).csv);
    expect(generateCustomers({ seed: 8, customers: 500 }).csv).not.toBe(generateCustomers({ seed: 7, customers: 500 }).csv);
  });

  test('writes the columns the feature SQL reads, one profile per customer with consecutive ids from 1001', () => {
    const { csv, profiles, rows } = generateCustomers({ seed: 7, customers: 500 });
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe(CUSTOMER_COLUMNS.join(','));
    expect(lines).toHaveLength(rows + 1);
    expect(rows).toBeGreaterThan(500);
    expect(profiles.map((p) => p.customerId)).toEqual(Array.from({ length: 500 }, (_, i) => 1001 + i));
    expect(csv.endsWith('\n')).toBe(true);
  });

  test('the documented signal: the planted log-odds, literally', () => {
    // -0.8 - 0.07 * tenure + plan effect - 5 * (e - 0.5) - 1.2 * (income - 65,000) / 20,000
    expect(churnLogit(0, 'standard', 0.5, 65_000)).toBeCloseTo(-0.8, 12);
    expect(churnLogit(10, 'standard', 0.5, 65_000)).toBeCloseTo(-1.5, 12);
    expect(churnLogit(0, 'basic', 0.5, 65_000)).toBeCloseTo(0.2, 12);
    expect(churnLogit(0, 'premium', 0.5, 65_000)).toBeCloseTo(-2.0, 12);
    expect(churnLogit(0, 'standard', 0.7, 65_000)).toBeCloseTo(-1.8, 12);
    expect(churnLogit(0, 'standard', 0.5, 85_000)).toBeCloseTo(-2.0, 12);
  });

  test('the labels follow it: about one in four churns; short tenure, basic plan, low engagement and low income churn more', () => {
    const p = big.profiles;
    expect(rate(p)).toBeGreaterThan(0.18);
    expect(rate(p)).toBeLessThan(0.32);
    expect(rate(p.filter((x) => x.tenureMonths < 6))).toBeGreaterThan(rate(p.filter((x) => x.tenureMonths >= 36)) + 0.2);
    expect(rate(p.filter((x) => x.plan === 'basic'))).toBeGreaterThan(rate(p.filter((x) => x.plan === 'premium')) + 0.15);
    expect(rate(p.filter((x) => x.engagement < 0.3))).toBeGreaterThan(rate(p.filter((x) => x.engagement > 0.7)) + 0.2);
    expect(rate(p.filter((x) => x.income < 45_000))).toBeGreaterThan(rate(p.filter((x) => x.income > 85_000)) + 0.15);
  });

  test('and keeps noise: even the likeliest churners do not all churn, nor do the safest all stay', () => {
    const likeliest = big.profiles.filter((x) => x.churnProbability > 0.9);
    const safest = big.profiles.filter((x) => x.churnProbability < 0.05);
    expect(likeliest.length).toBeGreaterThan(50);
    expect(rate(likeliest)).toBeLessThan(0.99);
    expect(rate(safest)).toBeGreaterThan(0);
  });

  test.each([
    ['a negative seed', { seed: -1, customers: 10 }, 'generateCustomers: invalid seed: got -1'],
    ['zero customers', { seed: 1, customers: 0 }, 'invalid customers: got 0; allowed: an integer from 1 to 2000000'],
    ['a fractional size', { seed: 1, customers: 2.5 }, 'invalid customers: got 2.5'],
    ['a size as a string', { seed: 1, customers: '10' as unknown as number }, 'invalid customers: got 10'],
  ])('rejects %s', (_what, options, message) => {
    expect(() => generateCustomers(options)).toThrow(RangeError);
    expect(() => generateCustomers(options)).toThrow(message);
  });

  test('accepts the edges: one customer, and 2,000,000 as the documented maximum (checked, not generated)', () => {
    expect(generateCustomers({ seed: 0, customers: 1 }).profiles).toHaveLength(1);
    expect(() => generateCustomers({ seed: 0xffffffff, customers: 1 })).not.toThrow();
    expect(() => generateCustomers({ seed: 0, customers: 2_000_001 })).toThrow('invalid customers: got 2000001');
  });
});

describe('generateLabDataset', () => {
  const data = generateLabDataset({ seed: 4, customers: 400, days: 30 });
  const events = [...data.events()];

  test('a month of clicks by the customers, in time order, within the window', () => {
    const ids = new Set(data.customers.profiles.map((p) => String(p.customerId)));
    expect(events.every((e) => ids.has(e.userId))).toBe(true);
    const times = events.map((e) => Date.parse(e.eventTime));
    expect(times.every((t, i) => i === 0 || t >= times[i - 1])).toBe(true);
    expect(Math.min(...times)).toBeGreaterThanOrEqual(data.startTime);
    expect(Math.max(...times)).toBeLessThan(data.endTime);
    expect(data.endTime - data.startTime).toBe(30 * 86_400_000);
    expect(events.length / 400).toBeGreaterThan(15);
    expect(events.length / 400).toBeLessThan(25);
  });

  test('is deterministic', () => {
    expect([...generateLabDataset({ seed: 4, customers: 400, days: 30 }).events()]).toEqual(events);
  });

  test('activity follows the latent engagement, and likely churners stop visiting earlier', () => {
    const last = new Map<string, number>();
    const count = new Map<string, number>();
    for (const e of events) {
      last.set(e.userId, Date.parse(e.eventTime));
      count.set(e.userId, (count.get(e.userId) ?? 0) + 1);
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const p = data.customers.profiles;
    const engaged = p.filter((x) => x.engagement > 0.6).map((x) => count.get(String(x.customerId)) ?? 0);
    const idle = p.filter((x) => x.engagement < 0.4).map((x) => count.get(String(x.customerId)) ?? 0);
    expect(mean(engaged)).toBeGreaterThan(1.5 * mean(idle));
    const away = (rows: typeof p) => mean(rows.map((x) => data.endTime - (last.get(String(x.customerId)) ?? data.startTime)));
    expect(away(p.filter((x) => x.churnProbability > 0.5))).toBeGreaterThan(2 * away(p.filter((x) => x.churnProbability < 0.1)));
  });
});
