import { spawnSync } from 'child_process';
import * as path from 'path';
import { CostEstimator } from '../../lib/ops/cost-estimator';
import { labTemplates } from '../../scripts/render-costs';

const ROOT = path.resolve(__dirname, '..', '..');

test('`lab cost --json` prints the estimator\'s figures for the synthesized lab stacks (bin/lab.ts wiring, no AWS call)', () => {
  const run = spawnSync(process.execPath, ['--require', './scripts/register-ts.js', 'bin/lab.ts', 'cost', '--json'], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, AWS_REGION: 'us-east-1', CI: 'true' }, timeout: 60_000,
  });
  expect(run.status).toBe(0);
  const json = JSON.parse(run.stdout);
  const e = new CostEstimator();
  const lab = labTemplates('lab');
  expect(json.ok).toBe(true);
  expect(json.sessionUsd).toBeCloseTo(e.session(lab.data, lab.serving, 3, 2, ['train', 'etl']).totalUsd, 10);
  expect(json.idle.map((i: Record<string, string>) => `${i.stack}/${i.profile}`)).toEqual(['MlLabData/lab', 'MlLabServing/lab', 'MlLabData/production', 'MlLabServing/production']);
  expect(json.exercises).toHaveLength(15);
});
