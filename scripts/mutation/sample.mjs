// MUTATE_SAMPLE=0.25 runs a fixed, reproducible quarter of a folder's mutants and marks the rest
// "Ignored" (Stryker leaves ignored mutants out of the score), for folders whose full run takes
// hours on two cores. The choice is per mutant, from a hash of its file, position, mutator and
// replacement: the same code gives the same sample on every run and machine, and a sample is an
// unbiased estimate of the full score (summary.mjs prints its 95 % interval).
//
// Stryker has no per-mutant sampling option and its ignorer plugins skip whole subtrees, so this
// wraps the instrumenter's MutantCollector.collect, which every mutant passes through once. The
// module is loaded by its real path: the same instance Stryker's core imports (pinned 9.6.1).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

export const SAMPLE_REASON = 'Outside the MUTATE_SAMPLE sample';

/** FNV-1a, 32 bits: small, stable, and spreads neighbouring positions well. */
export function fnv1a(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** Whether the mutant described by `key` falls in a sample of the given rate (0 < rate ≤ 1). */
export function inSample(key, rate) {
  return fnv1a(key) % 10000 < Math.round(rate * 10000);
}

/** Wilson score interval, 95 %, for `detected` of `valid` sampled mutants. */
export function wilson(detected, valid, z = 1.96) {
  const p = detected / valid;
  const centre = p + (z * z) / (2 * valid);
  const spread = z * Math.sqrt((p * (1 - p)) / valid + (z * z) / (4 * valid * valid));
  const denominator = 1 + (z * z) / valid;
  return [(centre - spread) / denominator, (centre + spread) / denominator];
}

export async function installSampling(rate, root = process.cwd()) {
  if (!(rate > 0 && rate <= 1)) throw new Error(`MUTATE_SAMPLE must be a fraction in (0, 1], got "${rate}"`);
  const index = fs.realpathSync(createRequire(path.join(root, 'package.json')).resolve('@stryker-mutator/instrumenter'));
  const { MutantCollector } = await import(pathToFileURL(path.join(path.dirname(index), 'transformers/mutant-collector.js')).href);
  const collect = MutantCollector.prototype.collect;
  MutantCollector.prototype.collect = function sampledCollect(...args) {
    const mutant = collect.apply(this, args);
    if (!mutant.ignoreReason) {
      const { start, end } = mutant.original.loc;
      const file = path.relative(root, mutant.fileName).split(path.sep).join('/');
      const key = `${file}:${start.line}:${start.column}-${end.line}:${end.column}:${mutant.mutatorName}:${mutant.replacementCode}`;
      if (!inSample(key, rate)) mutant.ignoreReason = `${SAMPLE_REASON} (${rate})`;
    }
    return mutant;
  };
}
