// Times `npx cdk synth` of every example against an empty-stack app, alternating, and prints the ratio of medians.
// Usage: npm run bench [-- runs [--no-validation]]   (default 5 runs each; the flag turns aws-cdk-lib's validator off in both)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const runs = Number(process.argv[2] ?? 5);
const extra = process.argv.includes('--no-validation') ? ['--no-validation'] : [];
const env = { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' };
const cases = {
  examples: [],
  empty: ['--app', 'node --require ./scripts/register-ts.js scripts/empty-app.ts'],
};

function time(args) {
  const out = mkdtempSync(join(tmpdir(), 'cdk-bench-'));
  const start = process.hrtime.bigint();
  execFileSync('npx', ['cdk', 'synth', '--quiet', '-o', out, ...extra, ...args], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  rmSync(out, { recursive: true, force: true });
  return seconds;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const samples = { examples: [], empty: [] };
time(cases.empty); // warm the file cache, not counted
for (let i = 0; i < runs; i++) {
  for (const name of i % 2 ? ['empty', 'examples'] : ['examples', 'empty']) samples[name].push(time(cases[name]));
}
const m = { examples: median(samples.examples), empty: median(samples.empty) };
for (const name of ['examples', 'empty']) {
  console.log(`${name.padEnd(9)} median ${m[name].toFixed(2)} s  runs: ${samples[name].map((s) => s.toFixed(2)).join(' ')}`);
}
// The stacks bin/app.ts builds: its EXAMPLE_STACKS list (the gates assert it is exact).
const list = /EXAMPLE_STACKS[^=]*=\s*\[([\s\S]*?)\];/.exec(readFileSync('bin/app.ts', 'utf8'))[1];
const stacks = (list.match(/'[A-Za-z0-9-]+'/g) ?? []).length;
const perStack = (m.examples - m.empty) / stacks;
console.log(`ratio examples/empty: ${(m.examples / m.empty).toFixed(2)}${extra.length ? ', validator off' : ''}`);
console.log(`over the empty app: ${(m.examples - m.empty).toFixed(2)} s for ${stacks} stacks = ${perStack.toFixed(3)} s per stack (goal <= 0.25)`);
