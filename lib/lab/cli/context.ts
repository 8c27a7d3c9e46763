import { spawn } from 'child_process';
import * as readline from 'readline';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { LabError, toLabError } from './errors';
import { Output } from './output';

/** The lab's two stacks, in deploy order. */
export const DATA_STACK = 'MlLabData';
export const SERVING_STACK = 'MlLabServing';

/** Outputs of MlLabData the commands read (test/ops/lab-guard-stacks.test.ts checks the stack has them). */
export const DATA_OUTPUT_KEYS = ['RawBucketName', 'CuratedBucketName', 'FeaturesBucketName', 'ClickstreamStreamName', 'EtlJobName',
  'EtlWorkflowName', 'AthenaWorkGroupName', 'RawDatabaseName', 'FeaturesDatabaseName', 'ExpiresAt'];
/** Outputs of MlLabData's training pipeline (`lab train`, `models`, `serve`). */
export const TRAINING_OUTPUT_KEYS = ['TrainingPipelineName', 'TrainingStateMachineArn', 'ModelPackageGroupName', 'TrainingGateAuc'];
/** Outputs of MlLabServing the commands read. */
export const SERVING_OUTPUT_KEYS = ['EndpointName', 'ModelDataUri', 'ModelPackageArn', 'MonitoringScheduleName', 'InferenceApiUrl'];

/** Deploys and destroys stacks: the CDK CLI in a child process by default (docs/decisions.md, lab). */
export interface CdkRunner {
  /** `cdk deploy <stack>` with context values; resolves when CloudFormation is done. */
  deploy(stack: string, context: Record<string, string>, signal: AbortSignal): Promise<void>;
  /** `cdk destroy <stack> --force`. */
  destroy(stack: string, signal: AbortSignal): Promise<void>;
}

/** What a command needs from the outside world; tests replace any part. */
export interface LabDeps {
  /** AWS endpoint override (moto_server in tests). */
  readonly endpoint?: string;
  /** Region; default from AWS_REGION / AWS_DEFAULT_REGION / the profile. */
  readonly region?: string;
  /** Static credentials (tests); default: the SDK's standard chain. */
  readonly credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Deploy/destroy. */
  readonly cdk?: CdkRunner;
  /** Milliseconds between status polls. */
  readonly pollMs?: number;
  /** Longest wait of any one step, milliseconds. */
  readonly timeoutMs?: number;
  /** The current time (epoch ms). */
  readonly now?: () => number;
  /** Repository root (for the committed model artifact and data fixtures). */
  readonly root?: string;
  /** Standard output / error. */
  readonly stdout?: { write(text: string): unknown };
  readonly stderr?: { write(text: string): unknown };
  /** Interactive terminal: spinners animate and prompts may be asked. */
  readonly tty?: boolean;
  /** Answers a yes/no prompt (tests). */
  readonly confirm?: (question: string) => Promise<boolean>;
  /** Cost estimates (bin/lab.ts wires lib/ops' CostEstimator; lib/lab must not import it). */
  readonly estimator?: LabCostEstimator;
}

/** The cost figures `lab cost` prints (computed by lib/ops' CostEstimator, injected by bin/lab.ts). */
export interface LabCostEstimator {
  /** Idle $/h of each lab stack, exercise costs and the 3-hour session, lab and production. */
  estimate(): LabCostReport;
}

/** What {@link LabCostEstimator} returns. */
export interface LabCostReport {
  readonly idle: Array<{ stack: string; profile: string; usdPerHour: number }>;
  readonly exercises: Array<{ id: string; title: string; usageUsd: number }>;
  readonly sessionUsd: number;
}

/** Global options every command takes. */
export interface GlobalOptions {
  readonly json?: boolean;
  readonly yes?: boolean;
  readonly debug?: boolean;
  readonly region?: string;
}

type ClientCtor<T> = new (config: Record<string, unknown>) => T;

/** One command run: options, clients, output, the Ctrl-C signal and the wait loop. */
export class LabContext {
  public readonly out: Output;
  public readonly signal: AbortSignal;
  public readonly cdk: CdkRunner;
  public readonly pollMs: number;
  public readonly timeoutMs: number;
  public readonly root: string;
  private readonly clients = new Map<unknown, unknown>();

  constructor(public readonly deps: LabDeps, public readonly options: GlobalOptions, signal: AbortSignal) {
    this.out = new Output({
      json: options.json,
      tty: deps.tty ?? false,
      stdout: deps.stdout ?? process.stdout,
      stderr: deps.stderr ?? process.stderr,
    });
    this.signal = signal;
    this.cdk = deps.cdk ?? new CdkCli(this);
    this.pollMs = deps.pollMs ?? 10_000;
    this.timeoutMs = deps.timeoutMs ?? 60 * 60_000;
    this.root = deps.root ?? process.cwd();
  }

  /** The region in use. */
  public get region(): string | undefined {
    return this.options.region ?? this.deps.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  }

  /** The current time. */
  public now(): number {
    return this.deps.now ? this.deps.now() : Date.now();
  }

  /** An SDK v3 client, one per class, pointed at the endpoint override if any. */
  public client<T>(ctor: ClientCtor<T>): T {
    let c = this.clients.get(ctor) as T | undefined;
    if (!c) {
      c = new ctor({
        region: this.region,
        ...(this.deps.endpoint ? { endpoint: this.deps.endpoint, forcePathStyle: true } : {}),
        ...(this.deps.credentials ? { credentials: this.deps.credentials } : {}),
        // HTTP/1.1 everywhere: Kinesis' default HTTP/2 handler fails against local endpoints.
        requestHandler: new NodeHttpHandler(),
        maxAttempts: 5,
      });
      this.clients.set(ctor, c);
    }
    return c;
  }

  /** Run an AWS call; any error becomes one plain sentence. */
  public async aws<T>(doing: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (e) {
      throw toLabError(e, doing);
    }
  }

  /** Outputs of a deployed lab stack, or an error that says to deploy it. */
  public async stackOutputs(stack: string): Promise<Record<string, string>> {
    const cfn = this.client(CloudFormationClient);
    let found;
    try {
      found = (await cfn.send(new DescribeStacksCommand({ StackName: stack }))).Stacks?.[0];
    } catch (e) {
      if (/does not exist/.test(String((e as Error).message))) found = undefined;
      else throw toLabError(e, `reading the outputs of ${stack}`);
    }
    if (!found || found.StackStatus === 'DELETE_COMPLETE') {
      throw new LabError(`${stack} is not deployed in ${this.region ?? 'this region'}.`,
        stack === DATA_STACK ? 'Run `lab up` first.' : 'Run `lab serve` first.');
    }
    return Object.fromEntries((found.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue!]));
  }

  /** Ask before something that costs money or deletes data; `--yes` (or no terminal) answers for the learner. */
  public async confirm(question: string): Promise<boolean> {
    if (this.options.yes) return true;
    if (this.deps.confirm) return this.deps.confirm(question);
    if (!this.deps.tty) {
      throw new LabError(`"${question}" needs an answer and there is no terminal to ask.`, 'Add --yes to answer yes non-interactively.');
    }
    const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
    const answer = await new Promise<string>((resolve) => rl.question(`${question} [y/N] `, resolve));
    rl.close();
    return /^y(es)?$/i.test(answer.trim());
  }

  /**
   * Poll until done, with a spinner. Ctrl-C stops waiting (the AWS work goes on) and says how to
   * resume; a time-out says the same.
   */
  public async waitFor(label: string, poll: () => Promise<WaitStatus>, resume: string, timeoutMs: number = this.timeoutMs): Promise<WaitStatus> {
    const spinner = this.out.spinner(label);
    const start = this.now();
    for (;;) {
      if (this.signal.aborted) {
        spinner.stop(false, `${label}: stopped waiting`);
        throw new LabError(`Stopped waiting for ${label}; the work continues in AWS.`, resume, 130);
      }
      let status: WaitStatus;
      try {
        status = await poll();
      } catch (e) {
        spinner.stop(false);
        throw toLabError(e, label);
      }
      spinner.update(status.status);
      if (status.done) {
        spinner.stop(!status.failed, `${label}: ${status.status}`);
        if (status.failed) throw new LabError(`${label} ended ${status.status}${status.reason ? `: ${status.reason}` : ''}.`, status.next ?? 'Fix the cause shown above and run the command again.');
        return status;
      }
      if (this.now() - start >= timeoutMs) {
        spinner.stop(false, `${label}: still ${status.status}`);
        throw new LabError(`Timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${label} (still ${status.status}).`, resume);
      }
      await sleep(this.pollMs, this.signal);
    }
  }
}

/** One poll's answer. */
export interface WaitStatus {
  readonly done: boolean;
  readonly failed?: boolean;
  readonly status: string;
  readonly reason?: string;
  readonly next?: string;
  /** Anything the caller needs from the last poll (e.g. a job ARN). */
  readonly ref?: string;
}

/** Sleep that wakes early on abort. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** The CDK CLI of this repository (`npx cdk`), its output in a log the learner can read. */
class CdkCli implements CdkRunner {
  constructor(private readonly ctx: LabContext) {}

  public deploy(stack: string, context: Record<string, string>, signal: AbortSignal): Promise<void> {
    const args = ['cdk', 'deploy', stack, '--exclusively', '--require-approval', 'never', '--progress', 'events',
      ...Object.entries(context).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
    return this.run(args, `deploying ${stack}`, signal, `CloudFormation keeps deploying ${stack}: run \`lab up\` (or \`lab serve\`) again to follow it, or \`lab down\` to remove it.`);
  }

  public destroy(stack: string, signal: AbortSignal): Promise<void> {
    return this.run(['cdk', 'destroy', stack, '--exclusively', '--force'], `destroying ${stack}`, signal,
      `CloudFormation keeps deleting ${stack}: run \`lab down\` again to follow it.`);
  }

  private run(args: string[], doing: string, signal: AbortSignal, resume: string): Promise<void> {
    if (signal.aborted) return Promise.reject(new LabError(`Did not start ${doing}: interrupted.`, resume, 130));
    const spinner = this.ctx.out.spinner(doing);
    const region = this.ctx.region;
    return new Promise((resolve, reject) => {
      const child = spawn('npx', args, {
        cwd: this.ctx.root,
        env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', ...(region ? { AWS_REGION: region, CDK_DEFAULT_REGION: region } : {}) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const tail: string[] = [];
      const onData = (chunk: Buffer) => {
        for (const l of chunk.toString().split('\n').filter(Boolean)) {
          tail.push(l);
          if (tail.length > 20) tail.shift();
          const m = /\|\s*(\S+_(IN_PROGRESS|COMPLETE|FAILED))\s*\|\s*(\S+)/.exec(l);
          if (m) spinner.update(`${m[1]} ${m[3]}`);
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      let settled = false;
      const onAbort = () => {
        // The CDK CLI stops following; CloudFormation carries on, so nothing is orphaned.
        // Answer at once: the CLI may take a while to notice.
        child.kill('SIGINT');
        settled = true;
        spinner.stop(false, `${doing}: stopped following`);
        reject(new LabError(`Stopped following ${doing}.`, resume, 130));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      child.on('error', (e) => { settled = true; spinner.stop(false); reject(new LabError(`Could not start the CDK CLI (${e.message}).`, 'Run `npm ci` in the repository first.')); });
      child.on('exit', (code) => {
        signal.removeEventListener('abort', onAbort);
        if (settled) return;
        settled = true;
        spinner.stop(code === 0, doing);
        if (code === 0) resolve();
        else reject(new LabError(`The CDK CLI failed ${doing}: ${tail.filter((l) => /failed|error|Error/.test(l)).slice(-1)[0] ?? tail.slice(-1)[0] ?? `exit ${code}`}`,
          'Read the CloudFormation events of the stack in the console, fix the cause, and run the command again.'));
      });
    });
  }
}
