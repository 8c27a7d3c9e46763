import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// Cloud assemblies the test helpers synthesize into. aws-cdk-lib's jest-autoclean only removes the
// directories App creates itself, so these are removed after each test file (clean-temp-dirs.ts).
const created: string[] = [];

/** A new directory under the system temp dir, removed when the test file ends. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Removes every directory tempDir made so far; returns how many. */
export function removeTempDirs(): number {
  const dirs = created.splice(0);
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  return dirs.length;
}
