/**
 * Random variates built on {@link Rng}: gamma (in log space, so tiny shapes do not underflow) and symmetric
 * Dirichlet vectors.
 */
import type { Rng } from "../rng.js";

/**
 * The natural log of a Gamma(shape, 1) variate (Marsaglia–Tsang; shapes below 1 use the `U^(1/shape)` boost).
 *
 * @example
 * ```ts
 * Math.exp(sampleLogGamma(createRng(1), 2.5)); // a Gamma(2.5) draw
 * ```
 */
export function sampleLogGamma(rng: Rng, shape: number): number {
  if (!(shape > 0)) throw new RangeError(`gamma shape must be > 0, got ${shape}`);
  if (shape < 1) {
    const u = 1 - rng.nextFloat(); // (0, 1]
    return sampleLogGamma(rng, shape + 1) + Math.log(u) / shape;
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = rng.nextGaussian();
    const t = 1 + c * x;
    if (t <= 0) continue;
    const v = t * t * t;
    const u = 1 - rng.nextFloat();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return Math.log(d * v);
  }
}

/**
 * A symmetric Dirichlet(concentration·1) probability vector of length `n`. Small concentrations give peaked
 * (low-entropy) vectors, large ones near-uniform vectors.
 *
 * @example
 * ```ts
 * const p = sampleDirichlet(createRng(1), 0.5, 16); // sums to 1
 * ```
 */
export function sampleDirichlet(rng: Rng, concentration: number, n: number): Float64Array {
  const logs = new Float64Array(n);
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    logs[i] = sampleLogGamma(rng, concentration);
    if (logs[i] > max) max = logs[i];
  }
  let sum = 0;
  for (let i = 0; i < n; i++) {
    logs[i] = Math.exp(logs[i] - max);
    sum += logs[i];
  }
  for (let i = 0; i < n; i++) logs[i] /= sum;
  return logs;
}
