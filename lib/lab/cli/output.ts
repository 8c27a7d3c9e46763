/** Where the command line writes: human lines, or one JSON document with `--json`. */
export interface OutputOptions {
  /** Print one JSON document at the end instead of lines. */
  readonly json?: boolean;
  /** Animate spinners (an interactive terminal); otherwise waits print plain lines. */
  readonly tty?: boolean;
  /** Standard output. */
  readonly stdout: { write(text: string): unknown };
  /** Standard error (progress and errors). */
  readonly stderr: { write(text: string): unknown };
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** A tiny spinner: animated on a terminal, a line per status change elsewhere (CI logs, pipes). */
export class Spinner {
  private frame = 0;
  private timer?: NodeJS.Timeout;
  private status = '';
  private readonly started = Date.now();

  constructor(private readonly out: Output, private readonly label: string) {
    if (out.tty) {
      this.timer = setInterval(() => this.render(), 100);
      this.timer.unref();
    } else {
      out.progress(`${label} ...`);
    }
  }

  /** Show a new status (printed once per change without a terminal). */
  public update(status: string): void {
    if (status === this.status) return;
    this.status = status;
    if (!this.out.tty) this.out.progress(`${this.label}: ${status}`);
  }

  /** Stop with a final line: ✔ or ✖. */
  public stop(ok: boolean, message?: string): void {
    if (this.timer) clearInterval(this.timer);
    const seconds = Math.round((Date.now() - this.started) / 1000);
    if (this.out.tty) this.out.progress('\r\x1b[K', false);
    this.out.progress(`${ok ? '✔' : '✖'} ${message ?? this.label} (${seconds} s)`);
  }

  private render(): void {
    const seconds = Math.round((Date.now() - this.started) / 1000);
    this.out.progress(`\r\x1b[K${FRAMES[this.frame++ % FRAMES.length]} ${this.label}${this.status ? `: ${this.status}` : ''} (${seconds} s)`, false);
  }
}

/** Output of one command run. */
export class Output {
  /** Whether spinners animate. */
  public readonly tty: boolean;
  /** Whether the run ends with one JSON document. */
  public readonly json: boolean;
  private readonly data: Record<string, unknown> = {};

  constructor(private readonly options: OutputOptions) {
    this.tty = !!options.tty && !options.json;
    this.json = !!options.json;
  }

  /** A line for people (nothing in JSON mode). */
  public line(text: string = ''): void {
    if (!this.json) this.options.stdout.write(`${text}\n`);
  }

  /** Progress on standard error (never mixed into JSON on standard output). */
  public progress(text: string, newline: boolean = true): void {
    this.options.stderr.write(newline ? `${text}\n` : text);
  }

  /** A warning line on standard error. */
  public warn(text: string): void {
    this.options.stderr.write(`! ${text}\n`);
  }

  /** A table for people; the rows also go into the JSON result under `key`. */
  public table(key: string, rows: Array<Record<string, unknown>>): void {
    this.set(key, rows);
    if (this.json || rows.length === 0) return;
    const cols = Object.keys(rows[0]);
    const cell = (v: unknown) => (v === undefined || v === null ? '' : String(v));
    const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
    const fmt = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd();
    this.line(fmt(cols));
    this.line(fmt(widths.map((w) => '-'.repeat(w))));
    for (const r of rows) this.line(fmt(cols.map((c) => cell(r[c]))));
  }

  /** Record a result field (printed with `--json`). */
  public set(key: string, value: unknown): void {
    this.data[key] = value;
  }

  /** A spinner for a wait. */
  public spinner(label: string): Spinner {
    return new Spinner(this, label);
  }

  /** Print the JSON document (JSON mode only). */
  public flush(extra: Record<string, unknown> = {}): void {
    if (this.json) this.options.stdout.write(`${JSON.stringify({ ...this.data, ...extra }, null, 2)}\n`);
  }

  /** The result fields so far (for tests and the JSON document). */
  public get result(): Record<string, unknown> {
    return { ...this.data };
  }
}
