/**
 * The feature SQL, run for real: DuckDB executes lib/data/etl/features.sql (the very file the Glue
 * job ships and runs through Spark SQL) on the committed sample, and every statistic the SQL
 * computes is checked against one computed here independently in TypeScript.
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { DataLake, EtlJob, FeatureTransformation } from '../../lib';
import { ROOT, testApp } from '../support/app';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DuckDBInstance } = require('@duckdb/node-api');

const SQL_FILE = path.join(ROOT, 'lib', 'data', 'etl', 'features.sql');
const SCRIPT_FILE = path.join(ROOT, 'lib', 'data', 'etl', 'feature_engineering.py');
const SAMPLE_FILE = path.join(ROOT, 'test', 'data', 'fixtures', 'etl-customers.csv');

type Raw = Record<string, string | null>;
type Row = Record<string, string | number | null>;

// --- The sample, parsed and deduplicated independently of the SQL -------------------------------
const [header, ...lines] = fs.readFileSync(SAMPLE_FILE, 'utf8').trim().split('\n');
const columns = header.split(',');
const rawRows: Raw[] = lines.map((line) => {
  const cells = line.split(',');
  return Object.fromEntries(columns.map((c, i) => [c, cells[i].trim() === '' ? null : cells[i].trim()]));
});
const latestById = new Map<string, Raw>();
for (const r of rawRows) {
  const seen = latestById.get(r.customer_id!);
  if (!seen || r.updated_at! > seen.updated_at!) latestById.set(r.customer_id!, r);
}
const latest = [...latestById.values()];
const num = (v: string | null) => (v === null ? null : Number(v));
const present = (xs: Array<number | null>) => xs.filter((x): x is number => x !== null);

const ages = present(latest.map((r) => num(r.age)));
const ageMean = ages.reduce((a, b) => a + b, 0) / ages.length;
const incomes = present(latest.map((r) => num(r.income))).sort((a, b) => a - b);
const nearestRank = (p: number) => incomes[Math.ceil(p * incomes.length) - 1];
const [q1, median, q3] = [nearestRank(0.25), nearestRank(0.5), nearestRank(0.75)];
const low = q1 - 1.5 * (q3 - q1);
const high = q3 + 1.5 * (q3 - q1);
const planCounts = new Map<string, number>();
for (const r of latest) if (r.plan) planCounts.set(r.plan.toLowerCase(), (planCounts.get(r.plan.toLowerCase()) ?? 0) + 1);
const planMode = [...planCounts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];
const rawEmails = new Set(rawRows.map((r) => r.email).filter((e): e is string => !!e).flatMap((e) => [e, e.toLowerCase()]));

// --- The SQL, run by DuckDB ----------------------------------------------------------------------
let out: Row[] = [];
let outColumns: string[] = [];
beforeAll(async () => {
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  // Every column as text, empty cells as NULL: what Glue's CSV reader hands Spark.
  await connection.run(`CREATE VIEW raw_records AS SELECT * FROM read_csv('${SAMPLE_FILE}', header = true, all_varchar = true)`);
  const result = await connection.runAndReadAll(fs.readFileSync(SQL_FILE, 'utf8'));
  outColumns = result.columnNames();
  out = result.getRowObjectsJson().map((r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).map(([k, v]) => {
    const numeric = typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) && k !== 'email_hash';
    return [k, numeric ? Number(v) : (v as string | number | null)];
  })));
  connection.closeSync();
});
const byId = () => new Map(out.map((r) => [String(r.customer_id), r]));

describe('the sample dataset', () => {
  test('is reproduced byte for byte by its generator', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'etl-sample-'));
    const copy = path.join(dir, 'scripts');
    fs.mkdirSync(copy);
    fs.copyFileSync(path.join(ROOT, 'scripts', 'generate-etl-sample.mjs'), path.join(copy, 'generate-etl-sample.mjs'));
    const run = spawnSync(process.execPath, [path.join(copy, 'generate-etl-sample.mjs')], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'test', 'data', 'fixtures', 'etl-customers.csv'), 'utf8')).toBe(fs.readFileSync(SAMPLE_FILE, 'utf8'));
  });

  test('has the problems the SQL must fix planted in it', () => {
    expect(rawRows.length).toBeGreaterThan(latest.length); // duplicates
    expect(latest.filter((r) => r.age === null).length).toBeGreaterThan(0);
    expect(latest.filter((r) => r.income === null).length).toBeGreaterThan(0);
    expect(latest.filter((r) => r.plan === null).length).toBeGreaterThan(0);
    expect(latest.filter((r) => r.country === null).length).toBeGreaterThan(0);
    expect(latest.filter((r) => num(r.income) !== null && num(r.income)! > high).length).toBeGreaterThan(0);
    expect(latest.filter((r) => num(r.income) !== null && num(r.income)! < low).length).toBeGreaterThan(0);
    expect(rawRows.every((r) => r.email?.includes('@'))).toBe(true);
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
    }
  });

  test('imputes a missing age with the mean age of the deduplicated customers', () => {
    const missing = latest.filter((r) => r.age === null);
    for (const raw of missing) {
      const row = byId().get(raw.customer_id!)!;
      expect(row.age).toBeCloseTo(ageMean, 10);
      expect(row.age_was_missing).toBe(1);
    }
    for (const raw of latest.filter((r) => r.age !== null)) expect(byId().get(raw.customer_id!)!.age).toBe(num(raw.age));
  });

  test('imputes a missing income with the median income (nearest rank)', () => {
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
    for (const raw of latest.filter((r) => r.income !== null)) {
      const row = byId().get(raw.customer_id!)!;
      const income = num(raw.income)!;
      expect(row.income).toBeCloseTo(Math.min(Math.max(income, low), high), 10);
      expect(row.income_was_capped).toBe(income < low || income > high ? 1 : 0);
    }
    expect(out.filter((r) => r.income_was_capped === 1).length).toBeGreaterThanOrEqual(2);
  });

  test("imputes a missing plan with the mode and a missing country with 'unknown'", () => {
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

  test('z-scores the age: mean 0, sample standard deviation 1', () => {
    const z = out.map((r) => Number(r.age_zscore));
    const mean = z.reduce((a, b) => a + b, 0) / z.length;
    const sd = Math.sqrt(z.reduce((a, b) => a + (b - mean) ** 2, 0) / (z.length - 1));
    expect(mean).toBeCloseTo(0, 10);
    expect(sd).toBeCloseTo(1, 10);
  });

  test('buckets the age into bands', () => {
    const band = (age: number) => (age < 25 ? '18-24' : age < 35 ? '25-34' : age < 50 ? '35-49' : age < 65 ? '50-64' : '65+');
    for (const row of out) expect(row.age_band).toBe(band(Number(row.age)));
    expect(new Set(out.map((r) => r.age_band)).size).toBe(5);
  });

  test('no raw e-mail address survives in any column; the hash is SHA-1 of the normalized address', () => {
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
    expect(script).not.toMatch(/\bSELECT\b|\bROW_NUMBER\b|\bCOALESCE\b/i);
  });

  test('runs, under stand-ins for Glue and Spark, exactly the SQL file the DuckDB tests run, as shipped by the job', () => {
    // Synthesize a job and follow its --sql_path to the staged asset in the cloud assembly.
    const app = testApp({ profile: 'lab' });
    const stack = new Stack(app, 'EtlScript');
    const job = new EtlJob(stack, 'Etl', { dataLake: new DataLake(stack, 'Lake'), inputPrefix: 'customers/' });
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
    expect(calls.view).toBe('raw_records');
    expect(calls.resolve_choice).toBe('cast:string');
    expect(calls.source).toEqual({ transformation_ctx: 'raw_records', format: 'csv', paths: ['s3://<LakeRawBucketDA76DCB0>/customers/'] });
    expect(calls.write).toEqual({ mode: 'append', partitionBy: ['country'], parquet: 's3://<LakeFeaturesBucket108C30CA>/customers/' });
    expect(calls.committed).toBe(true);

    // A bookmarked run with no new file reads no schema: it commits and writes nothing, instead of failing.
    const empty = spawnSync('python3', [staged(scriptLocation), '--JOB_NAME', 'test-job', ...argv], {
      encoding: 'utf8', env: { ...process.env, PYTHONPATH: stubs, PYTHONPYCACHEPREFIX: tmp, STUB_EMPTY_SOURCE: '1' },
    });
    expect(empty.stderr).toBe('');
    const emptyCalls = JSON.parse(empty.stdout);
    expect(emptyCalls.sql).toEqual([]);
    expect(emptyCalls.write).toBeUndefined();
    expect(emptyCalls.view).toBeUndefined();
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
CALLS = {"sql": [], "read_text": []}
atexit.register(lambda: print(json.dumps(CALLS)))
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
    def __init__(self):
        CALLS["write"] = {}
    def mode(self, m):
        CALLS["write"]["mode"] = m
        return self
    def partitionBy(self, *keys):
        CALLS["write"]["partitionBy"] = list(keys)
        return self
    def parquet(self, path):
        CALLS["write"]["parquet"] = path

class _DataFrame:
    def __init__(self, empty=False):
        self.columns = [] if empty else ["customer_id"]
    def head(self, n):
        return [] if not self.columns else [("row",)][:n]
    @property
    def write(self):
        return _Writer()
    def createOrReplaceTempView(self, name):
        CALLS["view"] = name

class _DynamicFrame:
    def resolveChoice(self, choice):
        CALLS["resolve_choice"] = choice
        return self
    def toDF(self):
        return _DataFrame(empty=os.environ.get("STUB_EMPTY_SOURCE") == "1")

class _Reader:
    def text(self, path, wholetext=False):
        return _Text(path, wholetext)

class _Spark:
    read = _Reader()
    def sql(self, text):
        CALLS["sql"].append(text)
        return _DataFrame()

class _Creator:
    def from_options(self, connection_type, connection_options, format, format_options, transformation_ctx):
        CALLS["source"] = {"transformation_ctx": transformation_ctx, "format": format, "paths": connection_options["paths"]}
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
