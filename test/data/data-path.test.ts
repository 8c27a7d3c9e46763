/**
 * The lab's data path, run for real on this machine: generated customers and clickstream ->
 * lib/data/etl/features.sql on DuckDB -> the training export -> XGBoost (Debian's python3-xgboost
 * 1.7.4, the release line of SageMaker's 1.7-1 container) -> the committed model artifact.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ChurnModelDefaults } from '../../lib';
import { MODEL_DATA, MODEL_DIR } from '../../scripts/data-path/model-build';
import { buildExport, exportColumns, SPLITS } from '../../scripts/data-path/pipeline';
import { ROOT } from '../support/app';
import { runSystemPython, xgboostTest } from '../support/python-xgboost';

const TRAIN_SCRIPT = path.join(ROOT, 'scripts', 'train-model.py');
const NUMBER = /^-?\d+(\.\d+)?(e[-+]?\d+)?$/i;

type Built = Awaited<ReturnType<typeof buildExport>>;
let built: Built;
let features: Array<Record<string, unknown>>;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'data-path-'));
const lines = (file: string) => fs.readFileSync(file, 'utf8').trim().split('\n');
const exportFile = (split: string) => path.join(built.layout.dir, split, `${split}.csv`);

beforeAll(async () => {
  built = await buildExport(path.join(work, 'small'), { seed: 11, customers: 3000, days: 30 });
  features = await built.db.rows('SELECT * FROM features ORDER BY customer_id');
});
afterAll(() => {
  built?.db.close();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('the features table', () => {
  test('has one row per customer of the generated table, with a month of clicks joined', () => {
    expect(features).toHaveLength(3000);
    expect(new Set(features.map((r) => r.customer_id)).size).toBe(3000);
    expect(built.raw.events).toBeGreaterThan(3000 * 15);
    expect(features.filter((r) => Number(r.sessions) > 0).length).toBeGreaterThan(2700);
  });

  test('has every column of the feature schema, the label, and the split', () => {
    const columns = Object.keys(features[0]);
    for (const c of [ChurnModelDefaults.labelColumn(), ...ChurnModelDefaults.featureColumns()]) expect(columns).toContain(c.name);
    expect(columns).toContain('split');
  });

  test('the SQL\'s export columns match lib/core/model-defaults/feature-schema.json: names, order (label first) and types', () => {
    const schema = JSON.parse(fs.readFileSync(ChurnModelDefaults.FEATURE_SCHEMA_FILE, 'utf8'));
    expect(exportColumns()).toEqual([schema.label.name, ...schema.features.map((f: { name: string }) => f.name)]);
    // Collected, then asserted once: 40,000 expect() calls would take seconds.
    const wrong: string[] = [];
    for (const column of [schema.label, ...schema.features]) {
      for (const row of features) {
        const value = row[column.name];
        const numeric = typeof value === 'number' || (typeof value === 'string' && NUMBER.test(value));
        if (!numeric || (column.type === 'int' && !Number.isInteger(Number(value)))) wrong.push(`${row.customer_id}.${column.name}=${String(value)} (${column.type})`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('the training export', () => {
  test('splits 70 / 15 / 15 within 2 points', () => {
    const n = features.length;
    const share = (split: string) => built.layout.rows[split] / n;
    expect(Math.abs(share('train') - 0.70)).toBeLessThanOrEqual(0.02);
    expect(Math.abs(share('validation') - 0.15)).toBeLessThanOrEqual(0.02);
    expect(Math.abs(share('test') - 0.15)).toBeLessThanOrEqual(0.02);
  });

  test('each customer\'s split is the SHA-1 of its id, recomputed here: no customer can be in two splits', () => {
    const expected = (id: unknown) => {
      const bucket = parseInt(createHash('sha1').update(String(id)).digest('hex').slice(0, 3), 16);
      return bucket < 2867 ? 'train' : bucket < 3482 ? 'validation' : 'test';
    };
    for (const row of features) expect(row.split).toBe(expected(row.customer_id));
  });

  test('has the same rows as the features table: the split files hold exactly its rows, label first, in the schema\'s order', () => {
    let total = 0;
    for (const split of SPLITS) {
      const rows = lines(exportFile(split));
      const expected = features.filter((r) => r.split === split).map((r) => exportColumns().map((c) => Number(r[c])));
      expect(rows.map((l) => l.split(',').map(Number))).toEqual(expected);
      total += rows.length;
    }
    expect(total).toBe(features.length);
  });

  test('has no header, and only numbers: label (0 or 1) first, then one number per feature', () => {
    const wrong: string[] = [];
    for (const split of SPLITS) {
      lines(exportFile(split)).forEach((line, i) => {
        const cells = line.split(',');
        const ok = cells.length === 1 + ChurnModelDefaults.featureColumns().length && cells.every((c) => NUMBER.test(c)) && ['0', '1'].includes(cells[0]);
        if (!ok) wrong.push(`${split}:${i + 1}: ${line}`);
      });
    }
    expect(wrong).toEqual([]);
  });

  test('the baseline is the train split with a header, and the schema JSON is written beside it', () => {
    const baseline = lines(path.join(built.layout.dir, 'baseline', 'baseline.csv'));
    expect(baseline[0]).toBe(exportColumns().join(','));
    expect(baseline.slice(1)).toEqual(lines(exportFile('train')));
    expect(fs.readFileSync(path.join(built.layout.dir, 'feature-schema.json'), 'utf8')).toBe(fs.readFileSync(ChurnModelDefaults.FEATURE_SCHEMA_FILE, 'utf8'));
  });
});

describe('the model (XGBoost 1.7 on this machine)', () => {
  const xgbTest = xgboostTest();

  xgbTest('the default hyperparameters learn the planted signal: validation AUC from 0.80 to 0.97 (a signal, not a leak)', () => {
    const out = path.join(work, 'model');
    const metrics = JSON.parse(runSystemPython([TRAIN_SCRIPT, 'train', '--export', built.layout.dir, '--out', out]));
    expect(metrics.validation_auc).toBeGreaterThanOrEqual(0.8);
    expect(metrics.validation_auc).toBeLessThanOrEqual(0.97);
    expect(metrics.rows).toEqual(built.layout.rows);
    expect(metrics.features).toBe(ChurnModelDefaults.featureColumns().length);
    expect(metrics.seed).toBe(Number(ChurnModelDefaults.hyperparameters().seed));
  });

  xgbTest('the committed artifact holds only xgboost-model, loads the way the 1.7-1 container loads it, and scores its test split to the recorded AUC ± 0.01', async () => {
    const recorded = JSON.parse(fs.readFileSync(path.join(MODEL_DIR, 'metrics.json'), 'utf8'));
    expect(recorded.data).toEqual(MODEL_DATA);
    const data = await buildExport(path.join(work, 'model-data'), MODEL_DATA);
    data.db.close();
    expect(data.layout.rows).toEqual(recorded.rows);
    const scored = JSON.parse(runSystemPython([TRAIN_SCRIPT, 'score', '--model', path.join(MODEL_DIR, 'model.tar.gz'), '--csv', path.join(data.layout.dir, 'test')]));
    expect(scored.rows).toBe(recorded.rows.test);
    expect(Math.abs(scored.auc - recorded.test_auc)).toBeLessThanOrEqual(0.01);
    expect(recorded.validation_auc).toBeGreaterThanOrEqual(0.8);
  });
});
