import { Command, CommanderError } from 'commander';
import { doctor, down, up } from './commands/setup';
import { data, etl, explore, LAB_CUSTOMERS, LAB_SEED, query, stream } from './commands/data';
import { drift, invoke, models, serve, shift, train } from './commands/model';
import { cost } from './commands/cost';
import { GlobalOptions, LabContext, LabDeps } from './context';
import { LabError, toLabError } from './errors';

type Action = (ctx: LabContext, opts: never) => Promise<void>;

/** The outcome of one command line run (for tests and bin/lab.ts). */
export interface LabRunResult {
  readonly exitCode: number;
  readonly result: Record<string, unknown>;
}

/**
 * Runs the `lab` command line on `argv` (without `node` and the script). Errors print as one
 * sentence plus what to do next (stack traces only with `--debug`); Ctrl-C (the `signal`) stops
 * waiting and says how to resume.
 */
export async function runLab(argv: string[], deps: LabDeps = {}, signal: AbortSignal = new AbortController().signal): Promise<LabRunResult> {
  const stderr = deps.stderr ?? process.stderr;
  const stdout = deps.stdout ?? process.stdout;
  let outcome: LabRunResult = { exitCode: 0, result: {} };

  const program = new Command('lab')
    .description('The cdk-ml-reference hands-on lab: deploy, exercise and tear down the ML lab stacks (docs/LAB.md).')
    .option('--json', 'print one JSON document on standard output (progress goes to standard error)')
    .option('-y, --yes', 'answer yes to every question (non-interactive use)')
    .option('--debug', 'print stack traces of errors')
    .option('--region <region>', 'AWS region (default: AWS_REGION or your profile\'s)')
    .showHelpAfterError('(run `lab <command> --help` for its options)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => stdout.write(s), writeErr: (s) => stderr.write(s) });

  const command = (name: string, summary: string, action: Action) => {
    const c = program.command(name).description(summary);
    c.action(async (opts: Record<string, unknown>) => {
      const globals = program.opts<GlobalOptions>();
      const ctx = new LabContext(deps, globals, signal);
      try {
        await action(ctx, opts as never);
        ctx.out.flush({ ok: true });
        outcome = { exitCode: 0, result: ctx.out.result };
      } catch (e) {
        const err = toLabError(e, `running lab ${name}`);
        if (ctx.out.json) ctx.out.flush({ ok: false, error: err.message, next: err.next });
        stderr.write(`✖ ${err.message}\n  → ${err.next}\n`);
        if (globals.debug) {
          const cause = (err as { cause?: unknown }).cause;
          stderr.write(`${(cause as Error)?.stack ?? (e as Error)?.stack ?? String(e)}\n`);
        }
        outcome = { exitCode: err.exitCode, result: { ...ctx.out.result, error: err.message, next: err.next } };
      }
    });
    return c;
  };

  command('doctor', 'check credentials, region, CDK bootstrap, SageMaker quotas and budget rights', doctor as Action);
  command('up', 'deploy MlLabData (data lake, stream, ETL, network, budget) that deletes itself after --hours', up as Action)
    .option('--hours <n>', 'time-to-live in hours (1-24)', '4')
    .option('--budget <usd>', 'monthly budget in USD (default 5)')
    .option('--email <address>', 'e-mail subscribed to budget notifications');
  command('data', 'generate the seeded customers and upload them to raw/customers/', data as Action)
    .option('--seed <n>', 'dataset seed (same seed, same bytes)', String(LAB_SEED))
    .option('--customers <n>', 'distinct customers (1-200000)', String(LAB_CUSTOMERS))
    .option('--file <csv>', 'upload this CSV instead');
  command('stream', 'send the same customers\' clickstream events to Kinesis for a while', stream as Action)
    .option('--seconds <n>', 'how long (1-3600)', '60')
    .option('--rate <n>', 'events per second (1-500)', '20')
    .option('--seed <n>', 'dataset seed (as for `lab data`)', String(LAB_SEED))
    .option('--customers <n>', 'distinct customers (as for `lab data`)', String(LAB_CUSTOMERS));
  command('etl', 'run the feature ETL (crawl, Spark SQL job, crawl) and wait', etl as Action);
  command('query', 'run a sample Athena query and print the rows', query as Action)
    .option('--name <name>', 'sample query: customers or clickstream', 'customers')
    .option('--zone <zone>', 'the zone whose database to query: raw or features (default: the sample query\'s)')
    .option('--sql <sql>', 'your own query instead');
  command('explore', 'write the EDA report of the generated customers (or of a CSV) as HTML', explore as Action)
    .option('--out <file>', 'where to write it', 'eda-report.html')
    .option('--csv <file>', 'a CSV with a header row instead, e.g. downloaded Athena results')
    .option('--label <column>', 'the label column', 'churned')
    .option('--seed <n>', 'dataset seed (as for `lab data`)', String(LAB_SEED))
    .option('--customers <n>', 'distinct customers (as for `lab data`)', String(LAB_CUSTOMERS));
  command('train', 'start the training pipeline, follow it, show the metric against the gate', train as Action);
  command('models', 'list model versions with metrics; approve or reject one', models as Action)
    .option('--approve <version>', 'approve this version')
    .option('--reject <version>', 'reject this version');
  command('serve', 'deploy MlLabServing with the approved version (else the committed model)', serve as Action)
    .option('--challenger', 'add a Challenger variant at weight 0 for `lab shift`');
  command('invoke', 'score the test split: predictions, AUC, p50/p95 latency', invoke as Action)
    .option('--file <csv>', 'rows to score (label first, no header) instead of the test split')
    .option('--batch <n>', 'rows per request', '50')
    .option('--api', 'go through the REST API instead of the SageMaker runtime');
  command('shift', 'set the A/B weights of Champion and Challenger', shift as Action)
    .option('--challenger <percent>', 'traffic share of the Challenger (0-100)', '20');
  command('drift', 'send skewed traffic, run the monitor now, show the violations', drift as Action)
    .option('--file <csv>', 'rows to skew (label first) instead of the test split')
    .option('--rows <n>', 'how many skewed rows to send', '200');
  command('cost', 'estimated cost (idle, exercises, session); --actual adds Cost Explorer figures', cost as Action)
    .option('--actual', 'also read actual costs from Cost Explorer ($0.01 per request)')
    .option('--days <n>', 'days of actual costs', '7');
  command('down', 'destroy MlLabServing then MlLabData, then verify nothing billable is left', down as Action);

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit 0; usage errors were already printed by commander.
      return { exitCode: e.exitCode, result: {} };
    }
    const err = e instanceof LabError ? e : toLabError(e, 'starting lab');
    stderr.write(`✖ ${err.message}\n  → ${err.next}\n`);
    return { exitCode: err.exitCode, result: {} };
  }
  return outcome;
}
