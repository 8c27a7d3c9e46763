/**
 * The seeded random numbers every lab generator draws from: dependency-free and deterministic, so
 * the same seed gives the same data, byte for byte, on every machine.
 */

/** mulberry32: a small, fast 32-bit PRNG with good statistical quality for sample data. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box-Muller) from a uniform source. */
export function normal(random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** The logistic function. */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Rejects what is not an integer in [min, max] with the lab's usual message. */
export function requireInteger(owner: string, name: string, value: unknown, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${owner}: invalid ${name}: got ${String(value)}; allowed: an integer from ${min} to ${max}`);
  }
}
