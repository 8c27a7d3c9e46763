/**
 * The lab's customer table: a seeded generator of the messy CSV that the feature SQL
 * (lib/data/etl/features.sql) cleans, with a churn signal planted on purpose so that a model can
 * learn it and a reader can see why.
 *
 * The planted signal. Every customer has a latent engagement `e` (0.02 to 1, mean 0.5) and a churn
 * log-odds of
 *
 *     logit = -0.8 - 0.07 * tenure_months + plan effect - 5 * (e - 0.5) - 1.2 * (income - 65,000) / 20,000 + 0.3 * N(0, 1)
 *
 * with plan effect basic +1, standard 0, premium -1.2; `churned` is drawn from
 * Bernoulli(sigmoid(logit)), about one customer in four. So long-tenured, premium, engaged, well-off customers stay; the label
 * keeps real noise (the Bernoulli draw and the N(0, 1) term), so no feature gives it away. Age and
 * country carry no signal (distractors). Engagement itself is not a column: the model sees it only
 * through the clickstream (see lab-dataset.ts), whose activity follows the same latent values.
 *
 * The mess, also on purpose: older duplicate versions of about one customer in four, missing age
 * (~10 %), income (~12 %), plan (~8 %) and country (~6 %), income outliers on both sides (x25, and
 * sign errors), messy
 * category spelling (`Basic`, ` BASIC `), upper-case e-mail addresses, and raw e-mail PII.
 */
import { mulberry32, normal, requireInteger, sigmoid } from './seeded-random';

/** Options of {@link generateCustomers}. */
export interface CustomerGeneratorOptions {
  /** An integer from 0 to 4,294,967,295; the same seed gives the same bytes. */
  readonly seed: number;
  /** Distinct customers (1 to 2,000,000). */
  readonly customers: number;
  /** The first customer id; ids are consecutive. Default 1001. */
  readonly firstId?: number;
  /** The moment of the snapshot: every version is updated before it. Default 2026-01-01T00:00:00Z. */
  readonly snapshotTime?: number;
}

/** One customer as the generator knows it (the truth behind the latest CSV version). */
export interface CustomerProfile {
  readonly customerId: number;
  /** Latent engagement from 0.02 to 1: drives churn and clickstream activity; not a CSV column. */
  readonly engagement: number;
  /** The planted churn probability, sigmoid(logit) without the noise term's draw being visible. */
  readonly churnProbability: number;
  /** The label in the CSV: 1 when the customer churned. */
  readonly churned: number;
  readonly tenureMonths: number;
  /** basic, standard or premium (before messy spelling and missing values). */
  readonly plan: string;
  /** True income before outliers and missing values were planted. */
  readonly income: number;
}

/** What {@link generateCustomers} returns. */
export interface GeneratedCustomers {
  /** The CSV with a header row, `\n` line ends, one row per customer version. */
  readonly csv: string;
  /** One profile per customer, in id order. */
  readonly profiles: CustomerProfile[];
  /** Rows in the CSV (versions, header excluded). */
  readonly rows: number;
}

/** The columns of the CSV, in order. */
export const CUSTOMER_COLUMNS = ['customer_id', 'updated_at', 'email', 'age', 'income', 'plan', 'country', 'tenure_months', 'churned'];

const FIRST = ['ana', 'ben', 'chen', 'dara', 'eli', 'fatima', 'gus', 'hana', 'ivan', 'jo', 'kemal', 'lea', 'mo', 'nia', 'omar', 'pia'];
const DOMAINS = ['example.com', 'example.org', 'mail.example.net'];
const PLAN_EFFECT: Record<string, number> = { basic: 1, standard: 0, premium: -1.2 };
const PLAN_SPELLINGS: Record<string, string[]> = { basic: ['basic', 'Basic', ' BASIC '], standard: ['standard', 'Standard'], premium: ['premium', ' Premium'] };
const COUNTRIES = ['us', 'de', 'in', 'br', 'jp'];
const DAY_MS = 86_400_000;
const DEFAULT_SNAPSHOT = Date.UTC(2026, 0, 1);

interface Version {
  customer_id: number;
  updated_at: string;
  email: string;
  age: number | null;
  income: number | null;
  plan: string | null;
  country: string | null;
  tenure_months: number;
  churned: number;
}

/** The planted churn log-odds without noise (documented at the top of this file). */
export function churnLogit(tenureMonths: number, plan: string, engagement: number, income: number): number {
  return -0.8 - 0.07 * tenureMonths + PLAN_EFFECT[plan] - 5 * (engagement - 0.5) - 1.2 * (income - 65_000) / 20_000;
}

/** The messy customer CSV for a seed and a size; deterministic: the same options give the same bytes. */
export function generateCustomers(options: CustomerGeneratorOptions): GeneratedCustomers {
  const owner = 'generateCustomers';
  requireInteger(owner, 'seed', options.seed, 0, 0xffffffff);
  requireInteger(owner, 'customers', options.customers, 1, 2_000_000);
  const firstId = options.firstId ?? 1001;
  requireInteger(owner, 'firstId', firstId, 1, 1_000_000_000);
  const snapshot = options.snapshotTime ?? DEFAULT_SNAPSHOT;
  requireInteger(owner, 'snapshotTime', snapshot, 200 * DAY_MS, 8_640_000_000_000_000);

  const rand = mulberry32(options.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const plan = () => { const r = rand(); return r < 0.5 ? 'basic' : r < 0.83 ? 'standard' : 'premium'; };
  const stamp = (daysBefore: number) => timestamp(snapshot - daysBefore * DAY_MS - int(0, 1439) * 60_000);
  const randomVersion = (id: number, email: string, daysBefore: number): Version => ({
    customer_id: id, updated_at: stamp(daysBefore), email, age: int(18, 80), income: Math.round(30_000 + rand() * 70_000),
    plan: plan(), country: pick(COUNTRIES), tenure_months: int(0, 72), churned: rand() < 0.25 ? 1 : 0,
  });

  const profiles: CustomerProfile[] = [];
  const rows: Version[] = [];
  for (let id = firstId; id < firstId + options.customers; id++) {
    const email = `${pick(FIRST)}.${id}@${pick(DOMAINS)}`;
    const engagement = Math.min(1, Math.max(0.02, 0.5 + 0.25 * normal(rand)));
    const tenureMonths = Math.min(72, Math.floor(-Math.log(1 - rand()) * 24));
    const customerPlan = plan();
    const income = Math.round(30_000 + rand() * 70_000);
    const logit = churnLogit(tenureMonths, customerPlan, engagement, income);
    const churnProbability = sigmoid(logit);
    const churned = rand() < sigmoid(logit + 0.3 * normal(rand)) ? 1 : 0;
    profiles.push({ customerId: id, engagement, churnProbability, churned, tenureMonths, plan: customerPlan, income });

    const latest: Version = {
      customer_id: id, updated_at: stamp(int(1, 60)), email, age: int(18, 80), income,
      plan: customerPlan, country: pick(COUNTRIES), tenure_months: tenureMonths, churned,
    };
    // Missing values, outliers on both sides of the IQR fences.
    if (rand() < 0.1) latest.age = null;
    if (rand() < 0.12) latest.income = null;
    if (rand() < 0.08) latest.plan = null;
    if (rand() < 0.06) latest.country = null;
    if (latest.income !== null && id % 29 === 0) latest.income *= 25;
    if (latest.income !== null && id % 41 === 0) latest.income = -latest.income; // a sign error
    rows.push(latest);
    // Duplicates: one customer in four also has one or two older, stale versions.
    if (rand() < 0.25) {
      const older = int(1, 2);
      for (let v = 0; v < older; v++) rows.push(randomVersion(id, email, 90 + v * 60 + int(0, 40)));
    }
  }
  // Shuffle, so the order of the file says nothing about which version is the latest.
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [rows[i], rows[j]] = [rows[j], rows[i]];
  }
  const cell = (row: Version, column: string): string => {
    const value = row[column as keyof Version];
    if (value === null) return '';
    if (column === 'plan') return pick(PLAN_SPELLINGS[value as string]);
    if (column === 'email' && row.customer_id % 11 === 0) return String(value).toUpperCase();
    return String(value);
  };
  const csv = [CUSTOMER_COLUMNS.join(','), ...rows.map((row) => CUSTOMER_COLUMNS.map((c) => cell(row, c)).join(','))].join('\n') + '\n';
  return { csv, profiles, rows: rows.length };
}

/** `YYYY-MM-DD HH:MM:SS` in UTC: what both Spark and DuckDB cast to TIMESTAMP. */
function timestamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}
