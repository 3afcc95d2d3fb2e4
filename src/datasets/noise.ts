/**
 * Discrete Gaussian noise: integers k in [−K, K] with p(k) ∝ exp(−k²/2σ²), K = min(127, ⌈6σ⌉), sampled exactly
 * by the table sampler, so its entropy is known exactly.
 */

import type { Rng } from "../rng.js";
import { shannonEntropy } from "./entropy.js";
import { createSamplerTables, quantizeWeights, setRow, TableSampler } from "./sampler.js";

/** A discrete Gaussian noise model. */
export interface DiscreteNoise {
  /** Half-width K: values lie in [−K, K]. */
  readonly halfWidth: number;
  /** Exact entropy of one draw, in bits. */
  readonly entropyBits: number;
  /** A stateful source writing `n` draws (offset by +K, as bytes) into `out`. */
  createSource(rng: Rng): { fill(out: Uint8Array): void };
}

/**
 * Builds a discrete Gaussian with standard deviation about `sd` (0 gives constant 0).
 *
 * @example
 * ```ts
 * const noise = discreteGaussian(3);
 * noise.entropyBits; // ≈ 3.63
 * ```
 */
export function discreteGaussian(sd: number): DiscreteNoise {
  const halfWidth = sd <= 0 ? 0 : Math.min(127, Math.ceil(6 * sd));
  const weights = new Float64Array(2 * halfWidth + 1);
  for (let k = -halfWidth; k <= halfWidth; k++)
    weights[k + halfWidth] = sd <= 0 ? 1 : Math.exp((-k * k) / (2 * sd * sd));
  const q = quantizeWeights(weights);
  const tables = createSamplerTables(1, q.length, 12);
  setRow(tables, 0, q);
  return {
    halfWidth,
    entropyBits: shannonEntropy(q),
    createSource: (rng) => new TableSampler(tables, rng, 0, 0),
  };
}
