// Writes test/data/fixtures/etl-customers.csv: the raw sample that the feature SQL is tested on.
// Deterministic (seeded PRNG, fixed dates), so re-running it reproduces the committed file byte for byte.
// Planted on purpose: older duplicate versions of customers, missing numerics and categoricals,
// income outliers on both sides, messy category spelling, and raw e-mail addresses (PII).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'data', 'fixtures', 'etl-customers.csv');
const CUSTOMERS = 120;

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(20261125);
const pick = (list) => list[Math.floor(rand() * list.length)];
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));

const FIRST = ['ana', 'ben', 'chen', 'dara', 'eli', 'fatima', 'gus', 'hana', 'ivan', 'jo', 'kemal', 'lea', 'mo', 'nia', 'omar', 'pia'];
const DOMAINS = ['example.com', 'example.org', 'mail.example.net'];
const PLANS = ['basic', 'basic', 'basic', 'standard', 'standard', 'premium'];
const PLAN_SPELLINGS = { basic: ['basic', 'Basic', ' BASIC '], standard: ['standard', 'Standard'], premium: ['premium', ' Premium'] };
const COUNTRIES = ['us', 'de', 'in', 'br', 'jp'];

const pad = (n) => String(n).padStart(2, '0');
function timestamp(dayOffset, minute) {
  const d = new Date(Date.UTC(2026, 0, 1) + dayOffset * 86400000 + minute * 60000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:00`;
}

function customer(id) {
  const income = Math.round(30000 + rand() * 70000);
  return {
    customer_id: id,
    email: `${pick(FIRST)}.${id}@${pick(DOMAINS)}`,
    age: int(18, 80),
    income,
    plan: pick(PLANS),
    country: pick(COUNTRIES),
    tenure_months: int(0, 72),
    churned: rand() < 0.25 ? 1 : 0,
  };
}

const rows = [];
for (let id = 1001; id < 1001 + CUSTOMERS; id++) {
  const latest = customer(id);
  const r = rand();
  // Missing values: about one in ten per column, more for income.
  if (r < 0.1) latest.age = null;
  if (rand() < 0.12) latest.income = null;
  if (rand() < 0.08) latest.plan = null;
  if (rand() < 0.06) latest.country = null;
  // Outliers: a few incomes far outside the interquartile fences, on both sides.
  if (latest.income !== null && id % 29 === 0) latest.income *= 25;
  if (latest.income !== null && id % 41 === 0) latest.income = 150;
  const versions = [{ ...latest, updated_at: timestamp(200 + int(0, 60), int(0, 1439)) }];
  // Duplicates: one in four customers also has one or two older versions with stale values.
  if (rand() < 0.25) {
    const older = int(1, 2);
    for (let v = 0; v < older; v++) {
      versions.push({ ...customer(id), email: latest.email, updated_at: timestamp(10 + v * 60 + int(0, 40), int(0, 1439)) });
    }
  }
  rows.push(...versions);
}
// Interleave versions so that order in the file says nothing about which version is the latest.
rows.sort((a, b) => (a.customer_id * 7919 + a.updated_at.length + a.updated_at.charCodeAt(17)) % 97 - (b.customer_id * 7919 + b.updated_at.length + b.updated_at.charCodeAt(17)) % 97 || a.updated_at.localeCompare(b.updated_at));

const COLUMNS = ['customer_id', 'updated_at', 'email', 'age', 'income', 'plan', 'country', 'tenure_months', 'churned'];
const cell = (row, col) => {
  const v = row[col];
  if (v === null || v === undefined) return '';
  if (col === 'plan') return pick(PLAN_SPELLINGS[v]);
  if (col === 'email' && row.customer_id % 11 === 0) return v.toUpperCase();
  return String(v);
};
const csv = [COLUMNS.join(','), ...rows.map((row) => COLUMNS.map((c) => cell(row, c)).join(','))].join('\n') + '\n';
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, csv);
console.log(`wrote ${rows.length} rows for ${CUSTOMERS} customers to ${OUT}`);
