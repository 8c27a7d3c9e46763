import * as fs from 'fs';
import * as path from 'path';
import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { GetJobRunCommand, GetWorkflowRunCommand, GlueClient, StartJobRunCommand, StartWorkflowRunCommand } from '@aws-sdk/client-glue';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ClickstreamGenerator } from '../../clickstream-generator';
import { generateCustomers } from '../../customer-generator';
import { renderEdaReport } from '../../eda-report';
import { parseCsv } from '../../eda-stats';
import { generateLabDataset } from '../../lab-dataset';
import { DATA_STACK, LabContext, sleep } from '../context';
import { LabError } from '../errors';

/** Where `lab data` puts customers (the ETL's input prefix). */
export const CUSTOMERS_KEY = 'customers/customers.csv';

/** The lab dataset's defaults: the seed and size the committed model was trained on (models/churn-xgboost/metrics.json). */
export const LAB_SEED = 20261201;
export const LAB_CUSTOMERS = 5000;

/** Seed and size options shared by `data`, `stream` and `explore`, checked. */
export function datasetOptions(opts: { seed?: string; customers?: string }): { seed: number; customers: number } {
  const seed = Number(opts.seed ?? LAB_SEED);
  const customers = Number(opts.customers ?? LAB_CUSTOMERS);
  if (!(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff)) throw new LabError(`--seed must be an integer from 0 to 4294967295, not ${opts.seed}.`, `Try \`--seed ${LAB_SEED}\`.`);
  if (!(Number.isInteger(customers) && customers >= 1 && customers <= 200_000)) throw new LabError(`--customers must be an integer from 1 to 200000, not ${opts.customers}.`, `Try \`--customers ${LAB_CUSTOMERS}\`.`);
  return { seed, customers };
}

/** `lab data`: generate the seeded customers (duplicates, missing values, outliers, PII on purpose) and upload them to the raw zone. */
export async function data(ctx: LabContext, opts: { file?: string; seed?: string; customers?: string }): Promise<void> {
  const dataset = opts.file ? undefined : datasetOptions(opts);
  const outputs = await ctx.stackOutputs(DATA_STACK);
  let body: Buffer;
  if (opts.file) {
    if (!fs.existsSync(opts.file)) throw new LabError(`No customers file at ${opts.file}.`, 'Pass --file <csv> with a header row, or leave it out to generate customers.');
    body = fs.readFileSync(opts.file);
  } else {
    body = Buffer.from(generateCustomers(dataset!).csv);
  }
  const rows = body.toString().trim().split('\n').length - 1;
  const bucket = outputs.RawBucketName;
  await ctx.aws('uploading customers', () => ctx.client(S3Client).send(new PutObjectCommand({ Bucket: bucket, Key: CUSTOMERS_KEY, Body: body, ContentType: 'text/csv' })));
  ctx.out.set('uploaded', { uri: `s3://${bucket}/${CUSTOMERS_KEY}`, rows, bytes: body.length });
  ctx.out.line(`Uploaded ${rows} customer rows to s3://${bucket}/${CUSTOMERS_KEY}. Next: \`lab stream\`, then \`lab etl\`.`);
}

/** `lab stream`: put the clickstream of the same customers (same seed and size as `lab data`) on the stream for N seconds at a rate. */
export async function stream(ctx: LabContext, opts: { seconds: string; rate: string; seed?: string; customers?: string }): Promise<void> {
  const seconds = Number(opts.seconds);
  const rate = Number(opts.rate);
  if (!(seconds >= 1 && seconds <= 3600)) throw new LabError(`--seconds must be from 1 to 3600, not ${opts.seconds}.`, 'Try `lab stream --seconds 60`.');
  if (!(rate >= 1 && rate <= 500)) throw new LabError(`--rate must be from 1 to 500 events per second, not ${opts.rate}.`, 'Try `lab stream --rate 20`.');
  const dataset = datasetOptions(opts);
  const outputs = await ctx.stackOutputs(DATA_STACK);
  // The users are the customers of `lab data`: the ETL joins each one's activity to its row.
  const events = generateLabDataset(dataset).events();
  const kinesis = ctx.client(KinesisClient);
  const spinner = ctx.out.spinner(`streaming to ${outputs.ClickstreamStreamName}`);
  let sent = 0;
  let failed = 0;
  for (let s = 0; s < seconds; s++) {
    if (ctx.signal.aborted) break; // Stopping here is safe: each second's batch is complete.
    const records: Array<{ Data: Buffer; PartitionKey: string }> = [];
    for (let i = 0; i < rate; i++) {
      const next = events.next();
      if (next.done) break;
      const r = ClickstreamGenerator.toRecord(next.value);
      records.push({ Data: Buffer.from(r.data), PartitionKey: r.partitionKey });
    }
    if (records.length === 0) break;
    const res = await ctx.aws('putting clickstream records', () => kinesis.send(new PutRecordsCommand({ StreamName: outputs.ClickstreamStreamName, Records: records })));
    failed += res.FailedRecordCount ?? 0;
    sent += records.length - (res.FailedRecordCount ?? 0);
    spinner.update(`${sent} events sent`);
    if (s < seconds - 1) await sleep(1000, ctx.signal);
  }
  spinner.stop(failed === 0, `streamed ${sent} events${failed ? `, ${failed} throttled` : ''}`);
  ctx.out.set('sent', sent);
  ctx.out.set('failed', failed);
  if (ctx.signal.aborted) throw new LabError(`Stopped streaming after ${sent} events.`, 'Run `lab stream` again to send more; Firehose delivers what was sent.', 130);
  ctx.out.line(`Sent ${sent} events. Firehose writes them to raw/clickstream/ as Parquet within its buffering interval.`);
}

/** `lab etl`: run the feature workflow (or the job) and wait. */
export async function etl(ctx: LabContext): Promise<void> {
  const outputs = await ctx.stackOutputs(DATA_STACK);
  const glue = ctx.client(GlueClient);
  const resume = 'Follow the run in the console (Glue → Workflows or ETL jobs → Runs); run `lab etl` again only after it ends.';
  if (outputs.EtlWorkflowName) {
    const name = outputs.EtlWorkflowName;
    const { RunId } = await ctx.aws('starting the ETL workflow', () => glue.send(new StartWorkflowRunCommand({ Name: name })));
    ctx.out.set('workflowRunId', RunId);
    const final = await ctx.waitFor(`workflow ${name}`, async () => {
      const run = (await glue.send(new GetWorkflowRunCommand({ Name: name, RunId }))).Run;
      const stats = run?.Statistics;
      const status = `${run?.Status ?? '?'} (${stats?.SucceededActions ?? 0}/${stats?.TotalActions ?? '?'} steps)`;
      const failedSteps = (stats?.FailedActions ?? 0) + (stats?.StoppedActions ?? 0) + (stats?.TimeoutActions ?? 0);
      return { done: run?.Status === 'COMPLETED' || run?.Status === 'STOPPED' || run?.Status === 'ERROR', failed: run?.Status !== 'COMPLETED' || failedSteps > 0, status, reason: run?.ErrorMessage };
    }, resume);
    ctx.out.set('status', final.status);
  } else {
    const job = outputs.EtlJobName;
    const { JobRunId } = await ctx.aws('starting the ETL job', () => glue.send(new StartJobRunCommand({ JobName: job })));
    ctx.out.set('jobRunId', JobRunId);
    const final = await ctx.waitFor(`job ${job}`, async () => {
      const run = (await glue.send(new GetJobRunCommand({ JobName: job, RunId: JobRunId }))).JobRun;
      const state = run?.JobRunState ?? '?';
      return { done: ['SUCCEEDED', 'FAILED', 'STOPPED', 'TIMEOUT', 'ERROR'].includes(state), failed: state !== 'SUCCEEDED', status: state, reason: run?.ErrorMessage };
    }, resume);
    ctx.out.set('status', final.status);
  }
  ctx.out.line('Features are in the features zone and the catalog. Next: `lab query`.');
}

/** The sample queries of `lab query` (database names from the lake's catalog). */
export const SAMPLE_QUERIES: Record<string, string> = {
  customers: 'SELECT plan, count(*) AS customers, round(avg(churned), 3) AS churn_rate FROM customer_features GROUP BY plan ORDER BY plan',
  clickstream: 'SELECT event_type, count(*) AS events FROM clickstream GROUP BY event_type ORDER BY events DESC',
};

/** `lab query`: a sample Athena query, printed as a table. */
export async function query(ctx: LabContext, opts: { name: string; zone?: string; sql?: string }): Promise<void> {
  const outputs = await ctx.stackOutputs(DATA_STACK);
  const sql = opts.sql ?? SAMPLE_QUERIES[opts.name];
  if (!sql) throw new LabError(`No sample query called ${opts.name}.`, `Use one of ${Object.keys(SAMPLE_QUERIES).join(', ')}, or --sql "<query>".`);
  // The clickstream table lives in the raw zone's database, the features in the features zone's.
  const zone = opts.zone ?? (opts.name === 'clickstream' ? 'raw' : 'features');
  const database = zone === 'raw' ? outputs.RawDatabaseName : zone === 'features' ? outputs.FeaturesDatabaseName : undefined;
  if (!database) throw new LabError(`--zone must be raw or features, not ${zone}.`, 'Try `lab query --zone features`.');
  const athena = ctx.client(AthenaClient);
  const { QueryExecutionId } = await ctx.aws('starting the query', () => athena.send(new StartQueryExecutionCommand({
    QueryString: sql, WorkGroup: outputs.AthenaWorkGroupName, QueryExecutionContext: { Database: database },
  })));
  await ctx.waitFor('Athena query', async () => {
    const q = (await athena.send(new GetQueryExecutionCommand({ QueryExecutionId }))).QueryExecution;
    const state = q?.Status?.State ?? '?';
    return { done: ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(state), failed: state !== 'SUCCEEDED', status: state, reason: q?.Status?.StateChangeReason };
  }, `Open Athena → Recent queries and look for ${QueryExecutionId}.`, 5 * 60_000);
  const result = await ctx.aws('reading the query results', () => athena.send(new GetQueryResultsCommand({ QueryExecutionId, MaxResults: 50 })));
  const [header, ...rows] = (result.ResultSet?.Rows ?? []).map((r) => (r.Data ?? []).map((d) => d.VarCharValue ?? ''));
  const table = (rows ?? []).map((r) => Object.fromEntries((header ?? []).map((h, i) => [h, r[i]])));
  ctx.out.set('sql', sql);
  ctx.out.table('rows', table);
  if (table.length === 0) ctx.out.line('(no rows: has `lab etl` run?)');
}

/** `lab explore`: the EDA report (lib/lab/eda-report.ts) of the generated customers, or of a CSV such as Athena's results, as one HTML file. */
export async function explore(ctx: LabContext, opts: { out: string; csv?: string; label: string; seed?: string; customers?: string }): Promise<void> {
  let text: string;
  let source: string;
  if (opts.csv) {
    if (!fs.existsSync(opts.csv)) throw new LabError(`No CSV file at ${opts.csv}.`, 'Download the Athena results (Athena → Recent queries → Download results) and pass that file.');
    text = fs.readFileSync(opts.csv, 'utf8');
    source = path.resolve(opts.csv);
  } else {
    const dataset = datasetOptions(opts);
    text = generateCustomers(dataset).csv;
    source = `the generated customers (seed ${dataset.seed}, ${dataset.customers} customers: what \`lab data\` uploads)`;
  }
  const table = parseCsv(text);
  if (!table.columns.includes(opts.label)) throw new LabError(`The CSV has no label column ${opts.label}.`, `Pass --label <one of ${table.columns.join(', ')}>.`);
  const report = await renderEdaReport(table, { label: opts.label, title: 'Customers: exploratory data analysis', source });
  fs.writeFileSync(opts.out, report.html);
  ctx.out.set('report', path.resolve(opts.out));
  ctx.out.set('rows', table.rows.length);
  ctx.out.set('charts', report.charts.length);
  ctx.out.line(`Wrote ${path.resolve(opts.out)} (${table.rows.length} rows, ${report.charts.length} charts): open it in a browser.`);
}

/** Keys under a prefix (used by invoke and drift to find exported splits and reports). */
export async function listKeys(ctx: LabContext, bucket: string, prefix: string): Promise<string[]> {
  const res = await ctx.aws(`listing s3://${bucket}/${prefix}`, () => ctx.client(S3Client).send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix })));
  return (res.Contents ?? []).map((o) => o.Key!).sort();
}
