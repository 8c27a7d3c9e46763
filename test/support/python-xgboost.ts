import { spawnSync } from 'child_process';

/** Debian's system Python, where `apt-get install python3-xgboost` puts xgboost (not the pyenv python3 on PATH). */
export const SYSTEM_PYTHON = '/usr/bin/python3';

let availability: { ok: boolean; reason: string } | undefined;

/**
 * Whether /usr/bin/python3 can import xgboost. Locally its absence skips the xgboost tests with a
 * printed reason; under CI=true it is an error (.ci/run installs python3-xgboost).
 */
export function pythonXgboost(): { ok: boolean; reason: string } {
  if (!availability) {
    const probe = spawnSync(SYSTEM_PYTHON, ['-c', 'import xgboost, numpy; print(xgboost.__version__)'], { encoding: 'utf8' });
    availability = probe.status === 0
      ? { ok: true, reason: `xgboost ${probe.stdout.trim()}` }
      : { ok: false, reason: `${SYSTEM_PYTHON} cannot import xgboost (${(probe.error?.message ?? probe.stderr.trim().split('\n').pop()) || 'unknown'}); install it with: apt-get install -y python3-xgboost` };
    if (!availability.ok && process.env.CI === 'true') {
      throw new Error(`${availability.reason}: CI must run the xgboost tests`);
    }
    if (!availability.ok) console.warn(`Skipping the xgboost tests: ${availability.reason}`);
  }
  return availability;
}

/** `test` when xgboost is importable, `test.skip` (with the reason printed once) when not; throws under CI=true. */
export function xgboostTest(): jest.It {
  return pythonXgboost().ok ? test : test.skip;
}

/** Runs a Python script with the system Python; returns its stdout, throws with stderr on failure. */
export function runSystemPython(args: string[]): string {
  const run = spawnSync(SYSTEM_PYTHON, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`${SYSTEM_PYTHON} ${args.join(' ')} failed (${run.status}): ${run.stderr}`);
  return run.stdout;
}
