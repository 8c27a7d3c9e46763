import { spawnSync } from 'child_process';

export interface LintFinding {
  readonly file: string;
  readonly rule: string;
  readonly level: string;
  readonly message: string;
  readonly resourcePath: string;
}

let availability: { ok: boolean; reason: string } | undefined;

/** Whether the preinstalled cfn-lint answers; under CI=true its absence is an error, not a skip. */
export function cfnLintAvailability(): { ok: boolean; reason: string } {
  if (!availability) {
    const probe = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
    availability = probe.status === 0
      ? { ok: true, reason: probe.stdout.trim() }
      : { ok: false, reason: `cfn-lint not runnable (${probe.error?.message ?? probe.stderr.trim()})` };
    if (!availability.ok && process.env.CI === 'true') {
      throw new Error(`${availability.reason}: CI must run cfn-lint; install it (pip install cfn-lint) on this machine`);
    }
  }
  return availability;
}

/** Runs cfn-lint once over all the templates and returns every finding (errors, warnings, info). */
export function cfnLint(templatePaths: string[]): LintFinding[] {
  if (templatePaths.length === 0) return [];
  const run = spawnSync('cfn-lint', ['--format', 'json', '--non-zero-exit-code', 'none', '--', ...templatePaths], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`cfn-lint failed (${run.status}): ${run.stderr}`);
  const raw = JSON.parse(run.stdout || '[]') as Array<{
    Filename: string; Level: string; Message: string; Rule: { Id: string }; Location?: { Path?: unknown[] };
  }>;
  return raw.map((f) => ({
    file: f.Filename,
    rule: f.Rule.Id,
    level: f.Level,
    message: f.Message,
    resourcePath: (f.Location?.Path ?? []).join('/'),
  }));
}

/** The errors only: what the gates require to be zero. */
export function cfnLintErrors(templatePaths: string[]): LintFinding[] {
  return cfnLint(templatePaths).filter((f) => f.level === 'Error');
}
