import { BuiltInImage } from '../../../lib/core/built-in-image';
import { SUPPORTED_REGIONS } from '../../../lib/lab/cli/regions';
import { expiryFrom } from '../../../lib/lab/cli/commands/setup';
import { auc, parseLabelled, percentile, skew } from '../../../lib/lab/cli/commands/model';
import { toLabError } from '../../../lib/lab/cli/errors';
import { Output } from '../../../lib/lab/cli/output';
import { Capture } from './moto';

test('AUC: perfect, inverted, ties count half, undefined without both classes', () => {
  expect(auc([1, 0, 1, 0], [0.9, 0.1, 0.8, 0.2])).toBe(1);
  expect(auc([1, 0], [0.1, 0.9])).toBe(0);
  expect(auc([1, 0], [0.5, 0.5])).toBe(0.5);
  expect(auc([1, 1, 0, 0, 0], [0.9, 0.3, 0.4, 0.2, 0.1])).toBeCloseTo(5 / 6, 10);
  expect(auc([1, 1], [0.2, 0.3])).toBeNaN();
});

test('percentile: nearest rank', () => {
  const xs = Array.from({ length: 20 }, (_, i) => 20 - i);
  expect(percentile(xs, 0.5)).toBe(10);
  expect(percentile(xs, 0.95)).toBe(19);
  expect(percentile([7], 0.95)).toBe(7);
  expect(percentile([], 0.5)).toBeNaN();
});

test('expiry: now plus hours, to the minute, UTC with Z (what LabGuard accepts)', () => {
  expect(expiryFrom(Date.parse('2026-12-01T13:07:59.900Z'), 4)).toBe('2026-12-01T17:07:00Z');
  expect(expiryFrom(Date.parse('2026-12-31T22:30:00Z'), 2)).toBe('2027-01-01T00:30:00Z');
});

test('labelled CSV: label first; skew triples the first feature and zeroes the activity columns', () => {
  expect(parseLabelled('1,5,0.1\n\n0,40,0.9\n')).toEqual({ labels: [1, 0], rows: ['5,0.1', '40,0.9'] });
  expect(skew('5,0.1,0.2,1,0,0,0,0,3,10,1,0,4')).toBe('17,0.1,0.2,1,0,0,0,0,0,0,0,0,0');
});

test('spinner: animated frames on a terminal, one line per status elsewhere; progress never on stdout', async () => {
  const stdout = new Capture();
  const stderr = new Capture();
  const tty = new Output({ tty: true, stdout, stderr });
  const s = tty.spinner('waiting');
  await new Promise((r) => setTimeout(r, 250));
  s.update('RUNNING');
  s.stop(true, 'done');
  expect(stderr.text).toContain("\r\u001b[K⠋ waiting (0 s)");
  expect(stderr.text).toMatch(/✔ done \(0 s\)\n$/);
  expect(stdout.text).toBe('');
  const plain = new Capture();
  const p = new Output({ tty: false, stdout, stderr: plain }).spinner('job');
  p.update('RUNNING');
  p.update('RUNNING');
  p.update('SUCCEEDED');
  p.stop(true);
  expect(plain.text).toBe('job ...\njob: RUNNING\njob: SUCCEEDED\n✔ job (0 s)\n');
});

test('--json mode: tables go into the document, not onto the screen', () => {
  const stdout = new Capture();
  const out = new Output({ json: true, tty: true, stdout, stderr: new Capture() });
  expect(out.tty).toBe(false);
  out.line('hidden');
  out.table('rows', [{ a: 1 }]);
  out.flush({ ok: true });
  expect(JSON.parse(stdout.text)).toEqual({ rows: [{ a: 1 }], ok: true });
});

test('a table for people: aligned columns under a rule', () => {
  const stdout = new Capture();
  new Output({ stdout, stderr: new Capture() }).table('t', [{ name: 'a', value: 10 }, { name: 'long name', value: 2 }]);
  expect(stdout.text).toBe('name       value\n---------  -----\na          10\nlong name  2\n');
});

test('errors keep the original for --debug and map unknown errors to a retry-with-debug hint', () => {
  const original = new Error('socket hang up');
  const e = toLabError(original, 'reading');
  expect(e.message).toBe('Something failed while reading: socket hang up');
  expect((e as { cause?: unknown }).cause).toBe(original);
  expect(toLabError(Object.assign(new Error('x'), { name: 'SlowDown' }), 'uploading').next).toBe('Wait a minute and run the same command again; nothing was left half-done.');
});

test('doctor\'s supported regions are exactly the regions of the built-in image table synth uses', () => {
  expect([...SUPPORTED_REGIONS].sort()).toEqual(Object.keys(BuiltInImage.registryAccounts()).sort());
});
