/**
 * The feature SQL, run for real: DuckDB executes lib/data/etl/features.sql (the very file the Glue
 * job ships and runs through Spark SQL) on data from the lab's generators (a small customer table
 * and a month of its clickstream), and every statistic the SQL computes is checked against one
 * computed here independently in TypeScript.
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { ChurnModelDefaults, DataLake, EtlJob, FeatureTransformation } from '../../lib';
import { generateCustomers } from '../../lib/lab/customer-generator';
import { connect, loadViews, runFeatureSql, writeRawData } from '../../scripts/data-path/pipeline';
import { ROOT, testApp } from '../support/app';

const SQL_FILE = path.join(ROOT, 'lib', 'data', 'etl', 'features.sql');
const SCRIPT_FILE = path.join(ROOT, 'lib', 'data', 'etl', 'feature_engineering.py');
const DATA = { seed: 20261125, customers: 300, days: 30 };

type Raw = Record<string, string | null>;
type Row = Record<string, string | number | null>;

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'etl-features-'));
let rawRows: Raw[] = [];
let latestById = new Map<string, Raw>();
let latest: Raw[] = [];
let events: Array<Record<string, string>> = [];
let out: Row[] = [];
let outColumns: string[] = [];
const num = (v: string | null) => (v === null ? null : Number(v));
const present = (xs: Array<number | null>) => xs.filter((x): x is number => x !== null);
const byId = () => new Map(out.map((r) => [String(r.customer_id), r]));

beforeAll(async () => {
  const raw = await writeRawData(path.join(work, 'raw'), DATA);
  // --- The inputs, parsed and deduplicated independently of the SQL ------------------------------
  const [header, ...lines] = fs.readFileSync(raw.customersCsv, 'utf8').trim().split('\n');
  const columns = header.split(',');
  rawRows = lines.map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(columns.map((c, i) => [c, cells[i].trim() === '' ? null : cells[i].trim()]));
  });
  latestById = new Map();
  for (const r of rawRows) {
    const seen = latestById.get(r.customer_id!);
    if (!seen || r.updated_at! > seen.updated_at!) latestById.set(r.customer_id!, r);
  }
  latest = [...latestById.values()];
  events = fs.readFileSync(raw.clickstreamJsonl, 'utf8').trim().split('\n').map((l) => JSON.parse(l));

  // --- The SQL, run by DuckDB ------------------------------------------------------------------------
  const db = await connect();
  await loadViews(db, raw, work);
  await runFeatureSql(db);
  out = (await db.rows('SELECT * FROM features')).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => {
    const numeric = typeof v === 'string' && /^-?\d+(\.\d+)?(e[-+]?\d+)?$/i.test(v) && k !== 'email_hash';
    return [k, numeric ? Number(v) : (v as string | number | null)];
  })));
  outColumns = (await db.rows("SELECT column_name FROM information_schema.columns WHERE table_name = 'features' ORDER BY ordinal_position")).map((r) => String(r.column_name));
  db.close();
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const stats = () => {
  const ages = present(latest.map((r) => num(r.age)));
  const ageMean = ages.reduce((a, b) => a + b, 0) / ages.length;
  const incomes = present(latest.map((r) => num(r.income))).sort((a, b) => a - b);
  const nearestRank = (p: number) => incomes[Math.ceil(p * incomes.length) - 1];
  const [q1, median, q3] = [nearestRank(0.25), nearestRank(0.5), nearestRank(0.75)];
  const planCounts = new Map<string, number>();
  for (const r of latest) if (r.plan) planCounts.set(r.plan.toLowerCase(), (planCounts.get(r.plan.toLowerCase()) ?? 0) + 1);
  const planMode = [...planCounts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];
  const rawEmails = new Set(rawRows.map((r) => r.email).filter((e): e is string => !!e).flatMap((e) => [e, e.toLowerCase()]));
  return { ageMean, median, low: q1 - 1.5 * (q3 - q1), high: q3 + 1.5 * (q3 - q1), planMode, rawEmails };
};

describe('the generated input', () => {
  test('is deterministic: the same seed gives the same CSV, byte for byte', () => {
    const a = generateCustomers({ seed: DATA.seed, customers: DATA.customers }).csv;
    expect(generateCustomers({ seed: DATA.seed, customers: DATA.customers }).csv).toBe(a);
    expect(generateCustomers({ seed: DATA.seed + 1, customers: DATA.customers }).csv).not.toBe(a);
  });

  test('has the problems the SQL must fix planted in it', () => {
    const { low, high } = stats();
    expect(rawRows.length).toBeGreaterThan(latest.length); // duplicates
    expect(latest.filter((r) => r.age === null).length).toBeGreaterThan(0);
    expect(latest.filter((r) => r.income === null).length).toBeGreaterThan(0);
    expect(latest.filter((r) => r.plan === null).length).toBeGreaterThan(0);
    expect(latest.filter((r) => r.country === null).length).toBeGreaterThan(0);
    expect(latest.filter((r) => num(r.income) !== null && num(r.income)! > high).length).toBeGreaterThan(0);
    expect(latest.filter((r) => num(r.income) !== null && num(r.income)! < low).length).toBeGreaterThan(0);
    expect(latest.filter((r) => r.plan !== null && r.plan !== r.plan.trim().toLowerCase()).length).toBeGreaterThan(0);
    expect(rawRows.every((r) => r.email?.includes('@'))).toBe(true);
  });

  test('the clickstream\'s users are the customers', () => {
    const ids = new Set(latestById.keys());
    expect(events.length).toBeGreaterThan(DATA.customers * 10);
    expect(events.every((e) => ids.has(e.user_id))).toBe(true);
  });
});

describe('features.sql on DuckDB', () => {
  test('keeps one row per customer: no duplicate keys, row count = distinct customers', () => {
    expect(out).toHaveLength(latestById.size);
    expect(new Set(out.map((r) => r.customer_id)).size).toBe(out.length);
  });

  test('keeps the latest version of each customer', () => {
    for (const [id, row] of byId()) {
      const raw = latestById.get(id)!;
      expect(String(row.updated_at).slice(0, 19)).toBe(raw.updated_at);
      expect(row.tenure_months).toBe(num(raw.tenure_months));
      expect(row.churned).toBe(num(raw.churned));
      expect(row.email_hash).toBe(createHash('sha1').update(raw.email!.toLowerCase()).digest('hex'));
    }
  });

  test('imputes a missing age with the mean age of the deduplicated customers', () => {
    const { ageMean } = stats();
    const missing = latest.filter((r) => r.age === null);
    for (const raw of missing) {
      const row = byId().get(raw.customer_id!)!;
      expect(row.age).toBeCloseTo(ageMean, 10);
      expect(row.age_was_missing).toBe(1);
    }
    for (const raw of latest.filter((r) => r.age !== null)) expect(byId().get(raw.customer_id!)!.age).toBe(num(raw.age));
  });

  test('imputes a missing income with the median income (nearest rank)', () => {
    const { median, low, high } = stats();
    expect(median).toBeGreaterThanOrEqual(low);
    expect(median).toBeLessThanOrEqual(high);
    const missing = latest.filter((r) => r.income === null);
    expect(missing.length).toBeGreaterThan(0);
    for (const raw of missing) {
      const row = byId().get(raw.customer_id!)!;
      expect(row.income).toBe(median);
      expect(row.income_was_missing).toBe(1);
    }
  });

  test('caps incomes at the IQR fences Q1 - 1.5 IQR and Q3 + 1.5 IQR', () => {
    const { low, high } = stats();
    for (const raw of latest.filter((r) => r.income !== null)) {
      const row = byId().get(raw.customer_id!)!;
      const income = num(raw.income)!;
      expect(row.income).toBeCloseTo(Math.min(Math.max(income, low), high), 10);
      expect(row.income_was_capped).toBe(income < low || income > high ? 1 : 0);
    }
    expect(out.filter((r) => r.income_was_capped === 1).length).toBeGreaterThanOrEqual(2);
  });

  test("imputes a missing plan with the mode and a missing country with 'unknown'", () => {
    const { planMode } = stats();
    for (const raw of latest) {
      const row = byId().get(raw.customer_id!)!;
      expect(row.plan).toBe(raw.plan === null ? planMode : raw.plan.toLowerCase());
      expect(row.country).toBe(raw.country === null ? 'unknown' : raw.country.toLowerCase());
    }
    expect(out.filter((r) => r.country === 'unknown').length).toBe(latest.filter((r) => r.country === null).length);
  });

  test('one-hot encodes the plan: the three columns sum to 1 on every row and match the plan', () => {
    for (const row of out) {
      expect(Number(row.plan_basic) + Number(row.plan_standard) + Number(row.plan_premium)).toBe(1);
      expect(row[`plan_${row.plan}`]).toBe(1);
    }
  });

  test('min-max scales the capped income into [0, 1], reaching both ends', () => {
    const scaled = out.map((r) => Number(r.income_scaled));
    expect(Math.min(...scaled)).toBe(0);
    expect(Math.max(...scaled)).toBe(1);
    const incomesOut = out.map((r) => Number(r.income));
    const [min, max] = [Math.min(...incomesOut), Math.max(...incomesOut)];
    for (const row of out) expect(row.income_scaled).toBeCloseTo((Number(row.income) - min) / (max - min), 12);
  });

  test('z-scores the age: each row is (age - mean) / sample standard deviation, recomputed here from the imputed ages', () => {
    // Independent of the SQL: imputed ages from the raw rows and the mean computed above.
    const { ageMean } = stats();
    const imputed = new Map(latest.map((r) => [r.customer_id!, r.age === null ? ageMean : Number(r.age)]));
    const values = [...imputed.values()];
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
    expect(sd).toBeGreaterThan(1);
    for (const [id, row] of byId()) expect(row.age_zscore).toBeCloseTo((imputed.get(id)! - mean) / sd, 10);
    const z = out.map((r) => Number(r.age_zscore));
    expect(z.some((v) => v > 1) && z.some((v) => v < -1)).toBe(true);
  });

  test('buckets the age into bands', () => {
    const band = (age: number) => (age < 25 ? '18-24' : age < 35 ? '25-34' : age < 50 ? '35-49' : age < 65 ? '50-64' : '65+');
    for (const row of out) expect(row.age_band).toBe(band(Number(row.age)));
    expect(new Set(out.map((r) => r.age_band)).size).toBe(5);
  });

  test('no raw e-mail address survives in any column; the hash is SHA-1 of the normalized address', () => {
    const { rawEmails } = stats();
    expect(outColumns).not.toContain('email');
    for (const row of out) {
      for (const value of Object.values(row)) {
        if (value === null) continue;
        expect(String(value)).not.toContain('@');
        expect(rawEmails.has(String(value))).toBe(false);
      }
    }
    for (const [id, row] of byId()) {
      const email = latestById.get(id)!.email!.toLowerCase();
      expect(row.email_hash).toBe(createHash('sha1').update(email).digest('hex'));
      expect(row.email_domain).toBe(email.split('@')[1]);
    }
  });

  test('joins the activity of the 30 days up to the latest event, recomputed here from the raw events', () => {
    const dayOf = (iso: string) => Math.floor(Date.parse(iso) / 86_400_000);
    const snapshot = Math.max(...events.map((e) => dayOf(e.event_time)));
    const expected = new Map<string, { sessions: Set<string>; page_views: number; cart_adds: number; purchases: number; last: number }>();
    for (const e of events) {
      const day = dayOf(e.event_time);
      if (day <= snapshot - 30) continue;
      const a = expected.get(e.user_id) ?? { sessions: new Set(), page_views: 0, cart_adds: 0, purchases: 0, last: -Infinity };
      a.sessions.add(e.session_id);
      if (e.event_type === 'page_view') a.page_views++;
      if (e.event_type === 'add_to_cart') a.cart_adds++;
      if (e.event_type === 'purchase') a.purchases++;
      a.last = Math.max(a.last, day);
      expected.set(e.user_id, a);
    }
    const wrong: string[] = [];
    for (const [id, row] of byId()) {
      const a = expected.get(id);
      const want = a
        ? { sessions: a.sessions.size, page_views: a.page_views, cart_adds: a.cart_adds, purchases: a.purchases, days_since_last_visit: snapshot - a.last }
        : { sessions: 0, page_views: 0, cart_adds: 0, purchases: 0, days_since_last_visit: 30 };
      const got = { sessions: row.sessions, page_views: row.page_views, cart_adds: row.cart_adds, purchases: row.purchases, days_since_last_visit: row.days_since_last_visit };
      if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push(`${id}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
    }
    expect(wrong).toEqual([]);
    expect(out.filter((r) => Number(r.days_since_last_visit) > 0).length).toBeGreaterThan(0);
    expect(out.filter((r) => Number(r.purchases) > 0).length).toBeGreaterThan(0);
  });

  test('a day is numbered the same way for any date: the SQL\'s YEAR/DAYOFYEAR formula against the calendar, across leap years', async () => {
    const db = await connect();
    const sql = fs.readFileSync(SQL_FILE, 'utf8');
    const formula = /(365 \* \(YEAR\(event_time\)[\s\S]*?DAYOFYEAR\(event_time\))/.exec(sql)![1];
    const dates = ['1999-12-31', '2000-01-01', '2000-02-29', '2000-03-01', '2024-02-29', '2024-12-31', '2025-01-01', '2100-03-01'];
    const rows = await db.rows(`SELECT d, CAST(${formula.replace(/event_time/g, 'CAST(d AS TIMESTAMP)')} AS BIGINT) AS n FROM (VALUES ${dates.map((d) => `('${d}')`).join(', ')}) t(d)`);
    db.close();
    const epochDay = (d: string) => Date.parse(`${d}T00:00:00Z`) / 86_400_000;
    // Days since 0001-01-01 (day 1) = Unix epoch day + 719163.
    for (const r of rows) expect(Number(r.n)).toBe(epochDay(String(r.d)) + 719163);
  });

  test("outputs the partition column the job's default transformation partitions by", () => {
    for (const key of FeatureTransformation.customerChurn().partitionKeys) expect(outColumns).toContain(key);
  });
});

describe('the PySpark script', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'etl-py-'));

  test('compiles with python3', () => {
    const run = spawnSync('python3', ['-m', 'py_compile', SCRIPT_FILE], { encoding: 'utf8', env: { ...process.env, PYTHONPYCACHEPREFIX: tmp } });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  test('contains no SQL of its own', () => {
    const script = fs.readFileSync(SCRIPT_FILE, 'utf8');
    // Upper-case SQL keywords only: the DataFrame calls .select() and .where() are not SQL of its own.
    expect(script).not.toMatch(/\bSELECT\b|\bROW_NUMBER\b|\bCOALESCE\b|\bJOIN\b|\bGROUP BY\b/);
  });

  test('runs, under stand-ins for Glue and Spark, exactly the SQL file the DuckDB tests run, as shipped by the job', () => {
    // Synthesize a job and follow its --sql_path to the staged asset in the cloud assembly.
    const app = testApp({ profile: 'lab' });
    const stack = new Stack(app, 'EtlScript');
    const job = new EtlJob(stack, 'Etl', { dataLake: new DataLake(stack, 'Lake') });
    const assembly = app.synth();
    const args = stack.resolve(job.cfnJob.defaultArguments) as Record<string, unknown>;
    const manifest = JSON.parse(fs.readFileSync(path.join(assembly.directory, `${stack.artifactId}.assets.json`), 'utf8'));
    const staged = (s3Url: string) => {
      const objectKey = s3Url.split('/').pop();
      const entry = Object.values(manifest.files as Record<string, { source: { path: string }; destinations: Record<string, { objectKey: string }> }>)
        .find((f) => Object.values(f.destinations).some((d) => d.objectKey === objectKey));
      if (!entry) throw new Error(`no asset with object key ${objectKey}`);
      return path.join(assembly.directory, entry.source.path);
    };
    const render = (v: unknown): string => {
      if (typeof v === 'string') return v;
      const o = v as Record<string, unknown>;
      if (o['Fn::Sub']) return o['Fn::Sub'] as string;
      if (o.Ref) return `<${o.Ref}>`;
      const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
      return parts.map(render).join(sep);
    };
    const argv = Object.entries(args).flatMap(([k, v]) => [k, k === '--sql_path' ? staged(render(v)) : render(v)]);
    expect(fs.readFileSync(staged(render(args['--sql_path'])), 'utf8')).toBe(fs.readFileSync(SQL_FILE, 'utf8'));
    const scriptLocation = render(stack.resolve(job.cfnJob.command).scriptLocation);
    expect(fs.readFileSync(staged(scriptLocation), 'utf8')).toBe(fs.readFileSync(SCRIPT_FILE, 'utf8'));

    const stubs = path.join(tmp, 'stubs');
    writeStubs(stubs);
    const run = spawnSync('python3', [staged(scriptLocation), '--JOB_NAME', 'test-job', ...argv], {
      encoding: 'utf8', env: { ...process.env, PYTHONPATH: stubs, PYTHONPYCACHEPREFIX: tmp },
    });
    expect(run.stderr).toBe('');
    const calls = JSON.parse(run.stdout);
    expect(calls.sql).toEqual([fs.readFileSync(SQL_FILE, 'utf8')]);
    expect(calls.read_text).toEqual([{ path: staged(render(args['--sql_path'])), wholetext: true }]);
    expect(calls.conf).toEqual({ 'spark.sql.session.timeZone': 'UTC' });
    expect(calls.views).toEqual(['raw_records', 'clickstream']);
    expect(calls.resolve_choice).toEqual(['cast:string', 'cast:string']);
    expect(calls.sources).toEqual([
      { transformation_ctx: 'raw_records', format: 'csv', paths: ['s3://<LakeRawBucketDA76DCB0>/customers/'], format_options: { withHeader: true } },
      { transformation_ctx: 'clickstream', format: 'parquet', paths: ['s3://<LakeRawBucketDA76DCB0>/clickstream/'], format_options: {} },
    ]);
    const exportCols = ['churned', ...ChurnModelDefaults.featureColumns().map((c) => c.name)];
    const exportRoot = 's3://<LakeFeaturesBucket108C30CA>/training-export/';
    expect(calls.writes).toEqual([
      { mode: 'overwrite', partitionBy: ['country'], parquet: 's3://<LakeFeaturesBucket108C30CA>/customer_features/', where: null, select: null, options: {} },
      { mode: 'overwrite', csv: `${exportRoot}train/`, where: "split = 'train'", select: exportCols, options: { header: 'false' } },
      { mode: 'overwrite', csv: `${exportRoot}baseline/`, where: "split = 'train'", select: exportCols, options: { header: 'true' } },
      { mode: 'overwrite', csv: `${exportRoot}validation/`, where: "split = 'validation'", select: exportCols, options: { header: 'false' } },
      { mode: 'overwrite', csv: `${exportRoot}test/`, where: "split = 'test'", select: exportCols, options: { header: 'false' } },
    ]);
    // The schema JSON the job writes has the shape and content of lib/core/model-defaults/feature-schema.json.
    expect(calls.put_object.Bucket).toBe('<LakeFeaturesBucket108C30CA>');
    expect(calls.put_object.Key).toBe('training-export/feature-schema.json');
    expect(JSON.parse(calls.put_object.Body)).toEqual(JSON.parse(fs.readFileSync(ChurnModelDefaults.FEATURE_SCHEMA_FILE, 'utf8')));
    expect(calls.committed).toBe(true);

    // A bookmarked run with no new file reads no schema: it commits and writes nothing, instead of failing.
    const empty = spawnSync('python3', [staged(scriptLocation), '--JOB_NAME', 'test-job', ...argv], {
      encoding: 'utf8', env: { ...process.env, PYTHONPATH: stubs, PYTHONPYCACHEPREFIX: tmp, STUB_EMPTY_SOURCE: '1' },
    });
    expect(empty.stderr).toBe('');
    const emptyCalls = JSON.parse(empty.stdout);
    expect(emptyCalls.sql).toEqual([]);
    expect(emptyCalls.writes).toEqual([]);
    expect(emptyCalls.views).toEqual([]);
    expect(emptyCalls.committed).toBe(true);
  });
});

/** Minimal stand-ins for the awsglue and pyspark modules: they record what the script asks for. */
function writeStubs(dir: string): void {
  const files: Record<string, string> = {
    'awsglue/__init__.py': '',
    'awsglue/utils.py': `
def getResolvedOptions(argv, names):
    pairs = dict(zip(argv[1::2], argv[2::2]))
    return {n: pairs["--" + n] for n in names}
`,
    'awsglue/calls.py': `
import atexit, json
CALLS = {"sql": [], "read_text": [], "sources": [], "views": [], "resolve_choice": [], "writes": [], "conf": {}}
atexit.register(lambda: print(json.dumps(CALLS)))
`,
    'boto3/__init__.py': `
from awsglue.calls import CALLS

class _S3:
    def put_object(self, **kwargs):
        kwargs["Body"] = kwargs["Body"].decode("utf-8")
        CALLS["put_object"] = kwargs

def client(name):
    assert name == "s3"
    return _S3()
`,
    'awsglue/context.py': `
import os
from awsglue.calls import CALLS

class _Text:
    def __init__(self, path, wholetext):
        CALLS["read_text"].append({"path": path, "wholetext": wholetext})
        with open(path) as f:
            self._text = f.read()
    def first(self):
        return [self._text]

class _Writer:
    def __init__(self, where, select):
        self.call = {"where": where, "select": select, "options": {}}
        CALLS["writes"].append(self.call)
    def mode(self, m):
        self.call["mode"] = m
        return self
    def option(self, key, value):
        self.call["options"][key] = value
        return self
    def partitionBy(self, *keys):
        self.call["partitionBy"] = list(keys)
        return self
    def parquet(self, path):
        self.call["parquet"] = path
    def csv(self, path):
        self.call["csv"] = path

class _DataFrame:
    dtypes = [("customer_id", "bigint"), ("churned", "int"), ("tenure_months", "int"), ("age_zscore", "double"),
              ("income_scaled", "double"), ("plan_basic", "int"), ("plan_standard", "int"), ("plan_premium", "int"),
              ("age_was_missing", "int"), ("income_was_missing", "int"), ("sessions", "int"), ("page_views", "int"),
              ("cart_adds", "int"), ("purchases", "int"), ("days_since_last_visit", "int"), ("split", "string")]
    def __init__(self, empty=False, where=None, select=None):
        self.columns = [] if empty else ["customer_id"]
        self._where, self._select = where, select
    def head(self, n):
        return [] if not self.columns else [("row",)][:n]
    def where(self, condition):
        return _DataFrame(where=condition)
    def select(self, *columns):
        return _DataFrame(where=self._where, select=list(columns))
    @property
    def write(self):
        return _Writer(self._where, self._select)
    def createOrReplaceTempView(self, name):
        CALLS["views"].append(name)

class _DynamicFrame:
    def resolveChoice(self, choice):
        CALLS["resolve_choice"].append(choice)
        return self
    def toDF(self):
        return _DataFrame(empty=os.environ.get("STUB_EMPTY_SOURCE") == "1")

class _Reader:
    def text(self, path, wholetext=False):
        return _Text(path, wholetext)

class _Conf:
    def set(self, key, value):
        CALLS["conf"][key] = value

class _Spark:
    read = _Reader()
    conf = _Conf()
    def sql(self, text):
        CALLS["sql"].append(text)
        return _DataFrame()

class _Creator:
    def from_options(self, connection_type, connection_options, format, format_options, transformation_ctx):
        CALLS["sources"].append({"transformation_ctx": transformation_ctx, "format": format, "paths": connection_options["paths"], "format_options": format_options})
        return _DynamicFrame()

class GlueContext:
    def __init__(self, sc):
        self.spark_session = _Spark()
        self.create_dynamic_frame = _Creator()
`,
    'awsglue/job.py': `
from awsglue.calls import CALLS

class Job:
    def __init__(self, ctx):
        pass
    def init(self, name, args):
        CALLS["job"] = name
    def commit(self):
        CALLS["committed"] = True
`,
    'pyspark/__init__.py': '',
    'pyspark/context.py': `
class SparkContext:
    @staticmethod
    def getOrCreate():
        return SparkContext()
`,
  };
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text.trimStart());
  }
}
