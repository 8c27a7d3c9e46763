/**
 * The lab's data path on this machine: generated customers and clickstream -> the feature SQL on
 * DuckDB (the file Glue runs through Spark) -> the training export, laid out as the Glue job
 * writes it. Used by the tests, `npm run model:build` and `npm run bench:etl`.
 */
import { createWriteStream } from 'fs';
import * as fs from 'fs';
import * as path from 'path';
import { once } from 'events';
import { generateLabDataset, LabDatasetOptions } from '../../lib/lab/lab-dataset';
import { ClickstreamGenerator } from '../../lib/lab/clickstream-generator';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DuckDBInstance } = require('@duckdb/node-api');

const ROOT = path.resolve(__dirname, '..', '..');
export const FEATURES_SQL = path.join(ROOT, 'lib', 'data', 'etl', 'features.sql');
export const FEATURE_SCHEMA = path.join(ROOT, 'lib', 'core', 'model-defaults', 'feature-schema.json');

export interface FeatureSchema {
  readonly label: { name: string; type: string };
  readonly features: Array<{ name: string; type: string }>;
}

export function featureSchema(): FeatureSchema {
  return JSON.parse(fs.readFileSync(FEATURE_SCHEMA, 'utf8'));
}

/** The export columns: label first, then the features in schema order. */
export function exportColumns(): string[] {
  const schema = featureSchema();
  return [schema.label.name, ...schema.features.map((f) => f.name)];
}

export const SPLITS = ['train', 'validation', 'test'] as const;

export interface RawData {
  readonly customersCsv: string;
  readonly clickstreamJsonl: string;
  readonly customers: number;
  readonly customerRows: number;
  readonly events: number;
}

/** Writes the raw inputs as the lab uploads them: the customer CSV and the events as JSON Lines. */
export async function writeRawData(dir: string, options: LabDatasetOptions): Promise<RawData> {
  fs.mkdirSync(dir, { recursive: true });
  const data = generateLabDataset(options);
  const customersCsv = path.join(dir, 'customers.csv');
  fs.writeFileSync(customersCsv, data.customers.csv);
  const clickstreamJsonl = path.join(dir, 'clickstream.jsonl');
  const out = createWriteStream(clickstreamJsonl);
  let events = 0;
  let chunk: string[] = [];
  for (const event of data.events()) {
    chunk.push(ClickstreamGenerator.toRecord(event).data);
    events++;
    if (chunk.length === 10_000) {
      if (!out.write(chunk.join(''))) await once(out, 'drain');
      chunk = [];
    }
  }
  out.end(chunk.join(''));
  await once(out, 'finish');
  return { customersCsv, clickstreamJsonl, customers: options.customers, customerRows: data.customers.rows, events };
}

/** A DuckDB connection, with helpers. */
export async function connect(): Promise<{ run: (sql: string) => Promise<void>; rows: (sql: string) => Promise<Array<Record<string, unknown>>>; close: () => void }> {
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  return {
    run: async (sql: string) => { await connection.run(sql); },
    rows: async (sql: string) => (await connection.runAndReadAll(sql)).getRowObjectsJson(),
    close: () => connection.closeSync(),
  };
}

type Db = Awaited<ReturnType<typeof connect>>;

/**
 * Loads the raw inputs the way Glue hands them to Spark: the CSV with every column as text, the
 * clickstream as the Parquet Firehose writes (converted here from the JSON Lines).
 */
export async function loadViews(db: Db, raw: RawData, dir: string): Promise<void> {
  const parquet = path.join(dir, 'clickstream.parquet');
  await db.run(`COPY (SELECT * FROM read_json('${raw.clickstreamJsonl}', format = 'newline_delimited', columns = {
    event_id: 'VARCHAR', event_type: 'VARCHAR', user_id: 'VARCHAR', session_id: 'VARCHAR', page: 'VARCHAR',
    product_id: 'VARCHAR', price: 'DOUBLE', event_time: 'VARCHAR' })) TO '${parquet}' (FORMAT parquet)`);
  await db.run(`CREATE OR REPLACE VIEW raw_records AS SELECT * FROM read_csv('${raw.customersCsv}', header = true, all_varchar = true)`);
  await db.run(`CREATE OR REPLACE VIEW clickstream AS SELECT * FROM read_parquet('${parquet}')`);
}

/** Runs features.sql into the table `features`. */
export async function runFeatureSql(db: Db): Promise<void> {
  await db.run(`CREATE OR REPLACE TABLE features AS ${fs.readFileSync(FEATURES_SQL, 'utf8')}`);
}

export interface ExportLayout {
  readonly dir: string;
  /** Rows per split. */
  readonly rows: Record<string, number>;
}

/**
 * Writes the training export as the Glue job lays it out: `train/`, `validation/`, `test/` (CSV, no
 * header, label first, numeric only), `baseline/` (the train rows with a header: the Model Monitor
 * baseline input) and `feature-schema.json`.
 */
export async function writeExport(db: Db, dir: string): Promise<ExportLayout> {
  const columns = exportColumns().join(', ');
  const rows: Record<string, number> = {};
  for (const split of SPLITS) {
    fs.mkdirSync(path.join(dir, split), { recursive: true });
    await db.run(`COPY (SELECT ${columns} FROM features WHERE split = '${split}' ORDER BY customer_id) TO '${path.join(dir, split, `${split}.csv`)}' (HEADER false)`);
    rows[split] = Number((await db.rows(`SELECT COUNT(*) AS n FROM features WHERE split = '${split}'`))[0].n);
  }
  fs.mkdirSync(path.join(dir, 'baseline'), { recursive: true });
  await db.run(`COPY (SELECT ${columns} FROM features WHERE split = 'train' ORDER BY customer_id) TO '${path.join(dir, 'baseline', 'baseline.csv')}' (HEADER true)`);
  fs.copyFileSync(FEATURE_SCHEMA, path.join(dir, 'feature-schema.json'));
  return { dir, rows };
}

/** The whole path: raw data, SQL, export. */
export async function buildExport(dir: string, options: LabDatasetOptions): Promise<{ raw: RawData; layout: ExportLayout; db: Db }> {
  const raw = await writeRawData(path.join(dir, 'raw'), options);
  const db = await connect();
  await loadViews(db, raw, dir);
  await runFeatureSql(db);
  const layout = await writeExport(db, path.join(dir, 'export'));
  return { raw, layout, db };
}
