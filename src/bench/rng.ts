/**
 * A tiny seeded PRNG for the bench stage (splits, random baselines). The bench stage may not import datasets, so
 * it keeps its own generator; no `Math.random` anywhere.
 */

/** A seeded source of uniform numbers in [0, 1). */
export interface Rng {
  next(): number;
  /** A uniform integer in [0, n). */
  int(n: number): number;
}

/**
 * mulberry32 seeded through a splitmix-style scramble: deterministic per seed, fast, 32-bit state.
 *
 * @example
 * ```ts
 * const rng = createRng(42);
 * rng.int(10); // same value every run for seed 42
 * ```
 */
export function createRng(seed: number): Rng {
  let state = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n) => Math.floor(next() * n) };
}

/**
 * A seeded Fisher–Yates shuffle of a copy of `items`.
 *
 * @example
 * ```ts
 * shuffled([0, 1, 2, 3], createRng(1));
 * ```
 */
export function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
