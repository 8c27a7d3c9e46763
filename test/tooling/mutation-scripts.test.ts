import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../support/temp-dirs';

// The mutation scripts are ES modules run by Node (and by Stryker); Jest here transpiles to CommonJS,
// so each is driven in a child Node process, the way `npm run mutate:*` runs it.
const root = path.resolve(__dirname, '../..');
const node = (args: string[]): string => execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
const evalModule = (code: string): unknown =>
  JSON.parse(node(['--input-type=module', '-e', `${code}\nprocess.stdout.write(JSON.stringify(out));`]));

const mutant = (id: string, status: string, line: number, extra: Record<string, unknown> = {}) => ({
  id,
  mutatorName: 'BooleanLiteral',
  replacement: 'false',
  status,
  location: { start: { line, column: 11 }, end: { line, column: 15 } },
  ...extra,
});

let dir: string;
let report: string;
beforeAll(() => {
  dir = tempDir('mutation-scripts-');
  report = path.join(dir, 'report.json');
  const source = ['const a = true;', 'const b = true;', 'const c = true;', 'const d = true;'].join('\n');
  fs.writeFileSync(report, JSON.stringify({
    files: {
      'lib/ops/x.ts': {
        source,
        mutants: [
          mutant('1', 'Killed', 1),
          mutant('2', 'Survived', 2),
          mutant('3', 'NoCoverage', 3),
          mutant('4', 'Ignored', 4, { statusReason: 'Outside the MUTATE_SAMPLE sample (0.2)' }),
          mutant('5', 'Timeout', 1),
          mutant('6', 'Ignored', 4, { statusReason: 'Ignored because of excluded mutation "BooleanLiteral"' }),
        ],
      },
    },
  }));
});

describe('MUTATE_SAMPLE (scripts/mutation/sample.mjs)', () => {
  test('keeps the same mutants on every run and about the fraction asked for', () => {
    const out = evalModule(`
      import { inSample } from './scripts/mutation/sample.mjs';
      const keys = Array.from({ length: 20000 }, (_, i) => 'lib/ops/x.ts:' + i + ':4-' + i + ':9:BooleanLiteral:false');
      const pick = (rate) => keys.filter((k) => inSample(k, rate));
      const out = { quarter: pick(0.25).length, again: pick(0.25).join() === pick(0.25).join(), all: pick(1).length,
        nested: pick(0.1).every((k) => inSample(k, 0.25)) };`) as Record<string, unknown>;
    expect(out.again).toBe(true);
    expect(out.all).toBe(20000);
    expect(out.quarter).toBeGreaterThan(4700);
    expect(out.quarter).toBeLessThan(5300);
    // A smaller sample lies inside a larger one, so raising the rate later re-uses earlier results.
    expect(out.nested).toBe(true);
  });

  test('refuses a rate outside (0, 1]', () => {
    for (const rate of ['0', '1.5', 'NaN']) {
      const out = evalModule(`
        import { installSampling } from './scripts/mutation/sample.mjs';
        const out = await installSampling(${rate}).then(() => 'installed', (e) => e.message);`);
      expect(out).toBe(`MUTATE_SAMPLE must be a fraction in (0, 1], got "${rate}"`);
    }
  });

  test('marks the mutants outside the sample ignored as Stryker instruments a file', () => {
    const out = evalModule(`
      import { Instrumenter } from '@stryker-mutator/instrumenter';
      import { installSampling } from './scripts/mutation/sample.mjs';
      await installSampling(0.3);
      const log = { debug() {}, info() {}, warn() {}, isDebugEnabled: () => false };
      const content = Array.from({ length: 200 }, (_, i) => 'export const v' + i + ' = ' + i + ' > 1 && true;').join('\\n');
      const { mutants } = await new Instrumenter(log).instrument([{ name: process.cwd() + '/lib/ops/x.ts', content, mutate: true }],
        { plugins: null, excludedMutations: [], ignorers: [], noHeader: false });
      const out = { total: mutants.length, ignored: mutants.filter((m) => m.status === 'Ignored').length,
        reasons: [...new Set(mutants.filter((m) => m.status === 'Ignored').map((m) => m.statusReason))] };`) as
      { total: number; ignored: number; reasons: string[] };
    expect(out.total).toBeGreaterThan(600);
    expect(out.ignored / out.total).toBeGreaterThan(0.6);
    expect(out.ignored / out.total).toBeLessThan(0.8);
    expect(out.reasons).toEqual(['Outside the MUTATE_SAMPLE sample (0.3)']);
  });
});

describe('npm run mutate:summary', () => {
  test('scores killed and timed out against every tested mutant, and gives a sampled folder its interval', () => {
    const table = node(['scripts/mutation/summary.mjs', report]);
    // 2 detected of 4 (a survivor and a mutant no test covers); one ignored, one outside the sample.
    expect(table).toContain('| lib/ops/x.ts | 50.0 % (2/4), 95 % interval 15.0–85.0 % | 1 | 1 | 0 | 1 | 1 |');
    expect(table).toContain('| **lib/ops** | 50.0 % (2/4), 95 % interval 15.0–85.0 % |');
  });

  test('a Wilson interval matches its textbook value and stays inside 0–100 %', () => {
    const out = evalModule(`
      import { wilson } from './scripts/mutation/sample.mjs';
      const out = { mid: wilson(80, 100), all: wilson(50, 50) };`) as { mid: number[]; all: number[] };
    // 80 of 100: 71.1 %–86.7 % (Wilson, z = 1.96).
    expect(out.mid[0]).toBeCloseTo(0.7112, 3);
    expect(out.mid[1]).toBeCloseTo(0.8666, 3);
    expect(out.all[1]).toBeCloseTo(1, 10);
    expect(out.all[0]).toBeGreaterThan(0.92);
  });
});

describe('npm run mutate:survivors', () => {
  test('a template literal is quoted with double backticks, so the Markdown stays one code span', () => {
    const file = path.join(dir, 'template.json');
    fs.writeFileSync(file, JSON.stringify({ files: { 'lib/ops/t.ts': { source: 'const a = `x${b}`;', mutants: [
      { ...mutant('1', 'Survived', 1), replacement: '``', location: { start: { line: 1, column: 11 }, end: { line: 1, column: 18 } } },
    ] } } }));
    expect(node(['scripts/mutation/survivors.mjs', file]).trim().split('\n')[2]).toBe('| t.ts:1:11 | `` `x${b}` `` → `` `` `` |  |');
  });

  test('lists each survivor and uncovered mutant with its place and original text, nothing else', () => {
    const rows = node(['scripts/mutation/survivors.mjs', report]).trim().split('\n');
    expect(rows.slice(2)).toEqual([
      '| x.ts:2:11 | `true` → `false` |  |',
      '| x.ts:3:11 | `true` → `false` (no coverage) |  |',
    ]);
  });
});
