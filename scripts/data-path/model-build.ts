/**
 * `npm run model:build`: regenerates the lab's data, runs the feature SQL on DuckDB, writes the
 * training export and trains the committed model (models/churn-xgboost/model.tar.gz and
 * metrics.json) with Debian's python3-xgboost. Deterministic: run it twice, get the same bytes.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildExport } from './pipeline';

/** The data the committed model is trained on. */
export const MODEL_DATA = { seed: 20261201, customers: 5000, days: 30 };
const ROOT = path.resolve(__dirname, '..', '..');
export const MODEL_DIR = path.join(ROOT, 'models', 'churn-xgboost');

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'model-build-'));
  const { raw, layout, db } = await buildExport(work, MODEL_DATA);
  db.close();
  console.log(`data: ${raw.customers} customers (${raw.customerRows} CSV rows), ${raw.events} events; export rows ${JSON.stringify(layout.rows)}`);
  const out = execFileSync('/usr/bin/python3', [path.join(ROOT, 'scripts', 'train-model.py'), 'train',
    '--export', layout.dir, '--out', MODEL_DIR, '--data-json', JSON.stringify(MODEL_DATA)], { encoding: 'utf8' });
  console.log(out.trim());
  fs.rmSync(work, { recursive: true, force: true });
}

if (require.main === module) {
  main().catch((e) => { console.error(e); process.exit(1); });
}
