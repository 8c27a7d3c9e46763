import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ProfileName, ROOT } from './app';
import { tempDir } from './temp-dirs';

/**
 * Synthesizes `exportName` of `modulePath` (a function adding stacks to an App) in a separate Node
 * process with the test App's context, and returns each template's text by file name.
 */
export function synthInChildProcess(modulePath: string, exportName: string, profile: ProfileName): Record<string, string> {
  const outdir = tempDir('cdk-ml-child-');
  const run = spawnSync(process.execPath, ['--require', path.join(ROOT, 'scripts', 'register-ts.js'),
    path.join(ROOT, 'test', 'support', 'synth-child.ts'), modulePath, exportName, profile, outdir], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' }, maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`synth in a child process failed (${run.status}): ${run.stderr}`);
  return Object.fromEntries(fs.readdirSync(outdir).filter((f) => f.endsWith('.template.json'))
    .map((f) => [f, fs.readFileSync(path.join(outdir, f), 'utf8')]));
}
