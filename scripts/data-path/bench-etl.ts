/**
 * `npm run bench:etl` (not part of npm test): the feature SQL on DuckDB at 10k, 100k and 1M
 * customers with a month of clicks each (20 events per customer on average). For each size it
 * generates the inputs (not timed), then runs features.sql in a fresh process and reports wall
 * time, peak resident memory (VmHWM of that process) and input rows per second.
 *
 *   npm run bench:etl [-- 10000,100000]     sizes to run (default 10000,100000,1000000)
 */
import { execFileSync } from 'child_process';
import { createWriteStream } from 'fs';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { once } from 'events';
import { generateLabDataset } from '../../lib/lab/lab-dataset';
import { connect, FEATURES_SQL } from './pipeline';

interface Result { customers: number; customerRows: number; events: number; seconds: number; peakMiB: number; featureRows: number }

/** The inputs as files: the customer CSV, and the clickstream columns the SQL reads as Parquet. */
async function prepare(dir: string, customers: number): Promise<{ customerRows: number; events: number }> {
  fs.mkdirSync(dir, { recursive: true });
  const data = generateLabDataset({ seed: 1, customers, days: 30 });
  fs.writeFileSync(path.join(dir, 'customers.csv'), data.customers.csv);
  const csv = path.join(dir, 'clickstream.csv');
  const out = createWriteStream(csv);
  out.write('user_id,session_id,event_type,event_time\n');
  let events = 0;
  let chunk: string[] = [];
  for (const e of data.events()) {
    chunk.push(`${e.userId},${e.sessionId},${e.eventType},${e.eventTime}\n`);
    if (++events % 50_000 === 0) {
      if (!out.write(chunk.join(''))) await once(out, 'drain');
      chunk = [];
    }
  }
  out.end(chunk.join(''));
  await once(out, 'finish');
  const db = await connect();
  await db.run(`COPY (SELECT * FROM read_csv('${csv}', header = true, all_varchar = true)) TO '${path.join(dir, 'clickstream.parquet')}' (FORMAT parquet)`);
  db.close();
  fs.rmSync(csv);
  return { customerRows: data.customers.rows, events };
}

/** In a fresh process: the SQL over the prepared files, timed; prints a JSON line. */
async function child(dir: string): Promise<void> {
  const db = await connect();
  await db.run(`CREATE VIEW raw_records AS SELECT * FROM read_csv('${path.join(dir, 'customers.csv')}', header = true, all_varchar = true)`);
  await db.run(`CREATE VIEW clickstream AS SELECT * FROM read_parquet('${path.join(dir, 'clickstream.parquet')}')`);
  const sql = fs.readFileSync(FEATURES_SQL, 'utf8');
  const start = process.hrtime.bigint();
  await db.run(`CREATE TABLE features AS ${sql}`);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const featureRows = Number((await db.rows('SELECT COUNT(*) AS n FROM features'))[0].n);
  db.close();
  const peakKiB = Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'))![1]);
  console.log(JSON.stringify({ seconds, peakMiB: peakKiB / 1024, featureRows }));
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') return child(process.argv[3]);
  const sizes = (process.argv[2] ?? '10000,100000,1000000').split(',').map(Number);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-etl-'));
  const results: Result[] = [];
  try {
    for (const customers of sizes) {
      const dir = path.join(root, String(customers));
      const t0 = Date.now();
      const { customerRows, events } = await prepare(dir, customers);
      process.stderr.write(`${customers} customers: ${customerRows} CSV rows, ${events} events generated in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
      const out = execFileSync(process.execPath, ['--require', path.join(__dirname, '..', 'register-ts.js'), __filename, '--child', dir], { encoding: 'utf8' });
      results.push({ customers, customerRows, events, ...JSON.parse(out.trim().split('\n').pop()!) });
      fs.rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  console.log('| customers | input rows (CSV + events) | feature rows | wall time | peak memory | input rows/s | time / previous |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|');
  results.forEach((r, i) => {
    const rows = r.customerRows + r.events;
    const ratio = i === 0 ? '' : `${(r.seconds / results[i - 1].seconds).toFixed(1)}x for ${(rows / (results[i - 1].customerRows + results[i - 1].events)).toFixed(1)}x rows`;
    console.log(`| ${r.customers.toLocaleString('en-US')} | ${rows.toLocaleString('en-US')} | ${r.featureRows.toLocaleString('en-US')} | ${r.seconds.toFixed(2)} s | ${Math.round(r.peakMiB)} MiB | ${Math.round(rows / r.seconds).toLocaleString('en-US')} | ${ratio} |`);
  });
  console.log(`\n${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, DuckDB (@duckdb/node-api), one run each.`);
}

main().catch((e) => { console.error(e); process.exit(1); });
