/**
 * The EDA report, checked two ways: every number against DuckDB's own computation on the same CSV,
 * and the rendered file the way a person looks at it — opened in headless Chromium, every chart
 * drawn with the number of marks its data gives, no console errors, a screenshot kept.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateCustomers } from '../../lib/lab/customer-generator';
import { computeEdaStats, parseCsv } from '../../lib/lab/eda-stats';
import { EdaReport, renderEdaReport } from '../../lib/lab/eda-report';
import { ROOT } from '../support/app';
import { CHROMIUM, CHROMIUM_ARGS, chromiumAvailability } from '../support/chromium';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DuckDBInstance } = require('@duckdb/node-api');

/**
 * The raw customers sample: planted duplicates, missing values, outliers and messy categories, as
 * the lab's generator writes them (what `lab data` uploads and `lab explore` reports on), in a file
 * DuckDB can read.
 */
const SAMPLE = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'eda-')), 'customers.csv');
fs.writeFileSync(SAMPLE, generateCustomers({ seed: 20261201, customers: 300 }).csv);
const NUMERIC = ['customer_id', 'age', 'income', 'tenure_months', 'churned'];
const FEATURES = ['age', 'income', 'tenure_months'];
const BINS = 12;
const ARTIFACTS = path.join(ROOT, 'test-artifacts');

const dataset = parseCsv(fs.readFileSync(SAMPLE, 'utf8'));
const stats = computeEdaStats(dataset, 'churned', BINS);
let report: EdaReport;

type Db = { q: (sql: string) => Promise<Array<Record<string, unknown>>> };
let db: Db;

beforeAll(async () => {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(`CREATE TABLE raw AS SELECT * FROM read_csv('${SAMPLE}', header = true, all_varchar = true)`);
  db = { q: async (sql) => (await connection.runAndReadAll(sql)).getRowObjectsJson() };
  report = await renderEdaReport(dataset, { label: 'churned', bins: BINS, source: 'test fixture' });
});

const num = (v: unknown) => (v === null ? null : Number(v));
const close = (a: number | null | undefined, b: number | null | undefined) => {
  if (a === null || b === null || a === undefined || b === undefined) return expect(a ?? null).toBe(b ?? null);
  return expect(a).toBeCloseTo(b, 9);
};
const nz = (c: string) => `NULLIF(TRIM("${c}"), '')`;
const dbl = (c: string) => `TRY_CAST(${nz(c)} AS DOUBLE)`;

describe('EDA statistics match DuckDB on the same data', () => {
  test('numeric columns are exactly those whose every present cell is a number', () => {
    expect(stats.numeric.map((s) => s.column)).toEqual(NUMERIC);
    expect(stats.categorical.map((c) => c.column)).toEqual(['updated_at', 'email', 'plan', 'country']);
    expect(stats.rows).toBe(dataset.rows.length);
  });

  test.each(NUMERIC)('%s: count, missing, mean, sample std, min, max', async (c) => {
    const [r] = await db.q(`SELECT COUNT(${dbl(c)}) AS n, COUNT(*) - COUNT(${dbl(c)}) AS missing, AVG(${dbl(c)}) AS mean,
      STDDEV_SAMP(${dbl(c)}) AS std, MIN(${dbl(c)}) AS min, MAX(${dbl(c)}) AS max FROM raw`);
    const s = stats.numeric.find((x) => x.column === c)!;
    expect(s.count).toBe(num(r.n));
    expect(s.missing).toBe(num(r.missing));
    close(s.mean, num(r.mean));
    close(s.std, num(r.std));
    close(s.min, num(r.min));
    close(s.max, num(r.max));
  });

  test.each(NUMERIC)('%s: nearest-rank quartiles and the outliers beyond the IQR fences', async (c) => {
    const [r] = await db.q(`WITH v AS (SELECT ${dbl(c)} AS x FROM raw WHERE ${dbl(c)} IS NOT NULL),
      ranked AS (SELECT x, ROW_NUMBER() OVER (ORDER BY x) AS k, COUNT(*) OVER () AS n FROM v),
      q AS (SELECT MAX(CASE WHEN k = CEIL(0.25 * n) THEN x END) AS q1, MAX(CASE WHEN k = CEIL(0.5 * n) THEN x END) AS median,
                   MAX(CASE WHEN k = CEIL(0.75 * n) THEN x END) AS q3 FROM ranked)
      SELECT q1, median, q3,
        (SELECT CASE WHEN COUNT(DISTINCT x) <= 2 THEN 0 ELSE COUNT(*) FILTER (WHERE x < q1 - 1.5 * (q3 - q1) OR x > q3 + 1.5 * (q3 - q1)) END FROM v) AS outliers
      FROM q`);
    const s = stats.numeric.find((x) => x.column === c)!;
    close(s.q1, num(r.q1));
    close(s.median, num(r.median));
    close(s.q3, num(r.q3));
    expect(s.outliers.length).toBe(num(r.outliers));
  });

  test('income has the planted outliers, and a flag column has none', () => {
    expect(stats.numeric.find((s) => s.column === 'income')!.outliers.length).toBeGreaterThan(0);
    expect(stats.numeric.find((s) => s.column === 'churned')!.outliers).toEqual([]);
  });

  test('missing cells per column and class balance', async () => {
    const missing = await db.q(dataset.columns.map((c) => `SELECT '${c}' AS c, COUNT(*) - COUNT(${nz(c)}) AS m FROM raw`).join(' UNION ALL '));
    expect(stats.missing.map((m) => [m.column, m.missing])).toEqual(dataset.columns.map((c) => [c, num(missing.find((r) => r.c === c)!.m)]));
    const balance = await db.q(`SELECT ${nz('churned')} AS v, COUNT(*) AS n FROM raw WHERE ${nz('churned')} IS NOT NULL GROUP BY 1 ORDER BY 1`);
    expect(stats.classBalance).toEqual(balance.map((b) => ({ value: b.v, count: num(b.n) })));
  });

  test('categorical counts, most frequent first', async () => {
    // Values as written, spaces and case included: the mess is what the learner should see.
    const plans = await db.q(`SELECT plan AS v, COUNT(*) AS n FROM raw WHERE ${nz('plan')} IS NOT NULL GROUP BY 1 ORDER BY n DESC, v`);
    expect(stats.categorical.find((c) => c.column === 'plan')!.values).toEqual(plans.map((p) => ({ value: p.v, count: num(p.n) })));
  });

  test('every Pearson correlation equals CORR() (pairwise complete rows)', async () => {
    expect(stats.correlations).toHaveLength(NUMERIC.length ** 2);
    const pairs = stats.correlations.filter((c) => c.x < c.y);
    const rows = await db.q(pairs.map((p, i) => `SELECT ${i} AS i, CORR(${dbl(p.x)}, ${dbl(p.y)}) AS r FROM raw`).join(' UNION ALL '));
    for (const [i, p] of pairs.entries()) close(p.r, num(rows.find((r) => Number(r.i) === i)!.r));
    expect(rows).toHaveLength(pairs.length);
  });

  test.each(FEATURES)('%s: histogram bins hold the same rows as DuckDB puts in them', async (c) => {
    const h = stats.histograms.find((x) => x.column === c)!;
    const rows = await db.q(`WITH v AS (SELECT ${dbl(c)} AS x FROM raw WHERE ${dbl(c)} IS NOT NULL), b AS (SELECT MIN(x) AS lo, MAX(x) AS hi FROM v)
      SELECT LEAST(${BINS - 1}, CAST(FLOOR((x - lo) / ((hi - lo) / ${BINS})) AS INTEGER)) AS bin, COUNT(*) AS n FROM v, b GROUP BY 1 ORDER BY 1`);
    expect(h.bins.map((b) => b.count)).toEqual(rows.map((r) => num(r.n)));
    expect(h.bins.reduce((s, b) => s + b.count, 0)).toBe(stats.numeric.find((s) => s.column === c)!.count);
    expect(h.edges).toHaveLength(BINS + 1);
  });

  test('the two strongest features are the non-label columns with the largest |r| against the label', () => {
    const ranked = stats.correlations.filter((c) => c.y === 'churned' && c.x !== 'churned' && c.r !== null)
      .sort((a, b) => Math.abs(b.r!) - Math.abs(a.r!));
    expect(stats.strongest).toEqual(ranked.slice(0, 2).map((c) => c.x));
  });
});

describe('the report file', () => {
  test('is self-contained: no script, stylesheet, image or font is fetched', () => {
    expect(report.html).not.toMatch(/<script(?![^>]*type="application\/json")/);
    expect(report.html).not.toMatch(/\b(src|href)=["']?(https?:|\/\/)/);
    expect(report.html).not.toMatch(/@import|url\((?!#)/); // url(#gradient) points inside the SVG
  });

  test('never shows an e-mail address', () => {
    const emails = dataset.rows.map((r) => r[dataset.columns.indexOf('email')]).filter((e): e is string => !!e);
    expect(emails.length).toBeGreaterThan(0);
    expect(emails.filter((e) => report.html.toLowerCase().includes(e.toLowerCase()))).toEqual([]);
  });

  test('has every chart the issue names, with a written reading each', () => {
    expect(report.charts.map((c) => c.id)).toEqual([
      'missing-values', 'class-balance',
      ...FEATURES.flatMap((f) => [`histogram-${f}`, `boxplot-${f}`]),
      'correlation-heatmap', 'scatter-strongest',
    ]);
    for (const c of report.charts) expect(c.reading.length).toBeGreaterThan(40);
    expect(report.charts).toHaveLength(2 + 2 * FEATURES.length + 2);
  });

  test('the readings name what a learner should notice: the outliers, the imputed gaps, the messy plan spellings', () => {
    const income = stats.numeric.find((s) => s.column === 'income')!;
    expect(report.charts.find((c) => c.id === 'boxplot-income')!.reading).toContain(`the ${income.outliers.length} outliers beyond the fences`);
    expect(report.charts.find((c) => c.id === 'histogram-age')!.reading).toContain(`${stats.numeric.find((s) => s.column === 'age')!.missing} missing: the ETL imputes them`);
    expect(report.html).toContain('plan has 7 spellings of 3 values');
  });
});

const browser = chromiumAvailability();
if (!browser.ok) console.warn(`EDA browser test skipped locally: ${browser.reason}`);

/** The DOM as the page sees it: the project compiles without the DOM library. */
interface Element { getAttribute(name: string): string | null; querySelectorAll(selector: string): { length: number }; textContent: string | null }

(browser.ok ? describe : describe.skip)('the report in headless Chromium', () => {
  type Seen = { id: string; mark: string; declared: number; drawn: number; svgs: number };
  let seen: Seen[] = [];
  const errors: string[] = [];
  let tableMean: string | undefined;
  const shot = path.join(ARTIFACTS, 'eda-report.png');

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, 'eda-report.html');
    fs.writeFileSync(file, report.html);
    fs.rmSync(shot, { force: true });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { chromium } = require('playwright-core');
    const instance = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const page = await instance.newPage({ viewport: { width: 1200, height: 900 } });
      page.on('console', (m: { type(): string; text(): string }) => { if (m.type() === 'error') errors.push(m.text()); });
      page.on('pageerror', (e: Error) => errors.push(String(e)));
      await page.goto(`file://${file}`);
      seen = await page.$$eval('figure[data-chart]', (figures: Element[]) => figures.map((f) => ({
        id: f.getAttribute('data-chart') ?? '',
        mark: f.getAttribute('data-mark') ?? '',
        declared: Number(f.getAttribute('data-marks')),
        drawn: f.querySelectorAll(`svg g.mark-${f.getAttribute('data-mark')}.role-mark > path`).length,
        svgs: f.querySelectorAll('svg').length,
      })));
      tableMean = await page.$eval('#numeric-summary tr[data-column="income"] td:nth-child(4)', (td: Element) => td.textContent ?? '');
      await page.screenshot({ path: shot, fullPage: true });
    } finally {
      await instance.close();
    }
  });

  test('opens with no console errors', () => {
    expect(errors).toEqual([]);
  });

  test('draws every chart as one inline SVG', () => {
    expect(seen.map((s) => s.id)).toEqual(report.charts.map((c) => c.id));
    expect(seen.filter((s) => s.svgs !== 1)).toEqual([]);
  });

  test('each chart has as many marks as its data gives, counted independently', () => {
    const income = stats.numeric.find((s) => s.column === 'income')!;
    const expected: Record<string, number> = {
      'missing-values': dataset.columns.length,
      'class-balance': new Set(dataset.rows.map((r) => r[dataset.columns.indexOf('churned')]).filter((v) => v !== null)).size,
      'correlation-heatmap': (FEATURES.length + 1) ** 2, // the features and the label, every pair has an r here
      'boxplot-income': income.outliers.length,
      'scatter-strongest': dataset.rows.filter((r) => stats.strongest.every((c) => r[dataset.columns.indexOf(c)] !== null)).length,
    };
    for (const f of FEATURES) expected[`histogram-${f}`] = stats.histograms.find((h) => h.column === f)!.bins.length;
    for (const s of seen) {
      expect({ id: s.id, drawn: s.drawn }).toEqual({ id: s.id, drawn: s.declared });
      if (expected[s.id] !== undefined) expect({ id: s.id, drawn: s.drawn }).toEqual({ id: s.id, drawn: expected[s.id] });
    }
    expect(seen.filter((s) => expected[s.id] !== undefined)).toHaveLength(Object.keys(expected).length);
    expect(seen.find((s) => s.id === 'boxplot-income')!.drawn).toBeGreaterThan(0);
  });

  test('shows the numbers it computed in its tables', () => {
    expect(Number(tableMean)).toBeCloseTo(stats.numeric.find((s) => s.column === 'income')!.mean, 0);
  });

  test('saves a full-page screenshot as a test artifact', () => {
    const png = fs.readFileSync(shot);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(50_000);
  });
});
