import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { integApp } from './support';

// The offline half of the integration tests: each `integ.*.ts` synthesizes (no AWS) and its
// templates and integ manifest must equal the committed snapshot, in integ-runner's layout
// (`integ.<name>.ts.snapshot/`; assets are left out of the repository). Regenerate after an
// intended change with `npm run integ:snapshot`. Deploying them is `npm run integ` (README).

const DIR = __dirname;
const UPDATE = process.env.INTEG_SNAPSHOT_UPDATE === '1';
const files = fs.readdirSync(DIR).filter((f) => /^integ\..+\.ts$/.test(f) && !f.endsWith('.d.ts')).sort();

/**
 * The snapshot files of an assembly: every template plus integ.json, as parsed JSON by file name.
 * The assertion calls' `salt` (the synth time, so every deploy re-runs them) is blanked.
 */
function snapshotOf(dir: string): Record<string, unknown> {
  return Object.fromEntries(fs.readdirSync(dir).filter((f) => f.endsWith('.template.json') || f === 'integ.json').sort()
    .map((f) => [f, JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'), (key, value) => (key === 'salt' ? '<salt>' : value))]));
}

test('there is one integration test per example stack of bin/app.ts', () => {
  // Names as bin/app.ts registers them today; a new example needs its integ.<name>.ts.
  expect(files).toEqual([
    'integ.ab-testing-endpoint.ts', 'integ.data-lake.ts', 'integ.etl.ts', 'integ.foundation.ts',
    'integ.realtime-endpoint.ts', 'integ.serverless-endpoint.ts', 'integ.streaming-ingestion.ts',
  ]);
});

describe.each(files)('%s', (file) => {
  test('synthesizes to its committed snapshot', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ml-integ-'));
    const app: App = integApp(outdir);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- each test file is loaded by name
    (require(path.join(DIR, file)) as { build(app: App): unknown }).build(app);
    app.synth();
    const actual = snapshotOf(outdir);
    const snapshotDir = path.join(DIR, `${file}.snapshot`);
    if (UPDATE) {
      fs.rmSync(snapshotDir, { recursive: true, force: true });
      fs.mkdirSync(snapshotDir);
      for (const [name, content] of Object.entries(actual)) fs.writeFileSync(path.join(snapshotDir, name), `${JSON.stringify(content, null, 1)}\n`);
    }
    expect(Object.keys(actual).length).toBeGreaterThanOrEqual(3); // the example, the assertion stack, integ.json
    expect(actual).toEqual(snapshotOf(snapshotDir));
  });
});
