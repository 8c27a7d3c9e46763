// Prints the mutation score per file and per folder of one or more Stryker JSON reports as a Markdown
// table (a file in a later report replaces the same file in an earlier one):
//   node scripts/mutation/summary.mjs reports/mutation/lib-core.json [more.json ...]
// Score = (killed + timed out) / (killed + timed out + survived + no coverage), as Stryker computes it;
// mutants that do not compile or crash the module (runtime errors) and ignored ones are not counted.
// A sampled run (MUTATE_SAMPLE) adds the folder's 95 % Wilson interval for the full score.
import fs from 'node:fs';
import path from 'node:path';
import { SAMPLE_REASON, wilson } from './sample.mjs';

const files = {};
for (const report of process.argv.slice(2)) Object.assign(files, JSON.parse(fs.readFileSync(report, 'utf8')).files);
if (Object.keys(files).length === 0) {
  console.error('usage: node scripts/mutation/summary.mjs <stryker report.json> [...]');
  process.exit(2);
}

const KINDS = ['Killed', 'Timeout', 'Survived', 'NoCoverage', 'RuntimeError', 'CompileError', 'Ignored', 'Unsampled'];
const kind = (m) => (m.status === 'Ignored' && m.statusReason?.startsWith(SAMPLE_REASON) ? 'Unsampled' : m.status);
const count = (mutants) => Object.fromEntries(KINDS.map((k) => [k, mutants.filter((m) => kind(m) === k).length]));
const score = (c) => {
  const detected = c.Killed + c.Timeout;
  const valid = detected + c.Survived + c.NoCoverage;
  if (valid === 0) return 'n/a';
  const text = `${(100 * detected / valid).toFixed(1)} % (${detected}/${valid})`;
  if (c.Unsampled === 0) return text;
  const [low, high] = wilson(detected, valid);
  return `${text}, 95 % interval ${(100 * low).toFixed(1)}–${(100 * high).toFixed(1)} %`;
};
const row = (name, c) => `| ${name} | ${score(c)} | ${c.Survived} | ${c.NoCoverage} | ${c.RuntimeError + c.CompileError} | ${c.Ignored} | ${c.Unsampled} |`;

const byFolder = {};
const lines = ['| file | score | survived | no coverage | errors | ignored | not sampled |', '|---|---|---|---|---|---|---|'];
for (const [file, data] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
  const c = count(data.mutants);
  lines.push(row(file, c));
  const folder = path.dirname(file).split('/').slice(0, 2).join('/');
  byFolder[folder] ??= Object.fromEntries(KINDS.map((k) => [k, 0]));
  for (const k of KINDS) byFolder[folder][k] += c[k];
}
for (const [folder, c] of Object.entries(byFolder)) lines.push(row(`**${folder}**`, c));
console.log(lines.join('\n'));
