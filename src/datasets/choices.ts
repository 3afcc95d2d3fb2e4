/**
 * Random choices that keep a tally of their self-information (−log2 p of each outcome). Averaged over a sample,
 * the tally per byte estimates a structured generator's entropy rate (text-like families whose output decodes
 * back to its choices), without writing its maths twice.
 */
import type { Rng } from "../rng.js";
import { quantizeWeights } from "./sampler.js";

/** A categorical distribution sampled exactly with one 32-bit word (integer CDF over 2^32). */
export interface Categorical {
  readonly size: number;
  /** The integer CDF (length size + 1, from 0 to 2^32). */
  readonly cdf: Float64Array;
  /** −log2 p of each outcome. */
  readonly selfInfo: Float64Array;
  /** The exact entropy in bits of the sampled (quantized) distribution. */
  readonly entropy: number;
}

/**
 * Builds a categorical distribution from weights (quantized to 2^-32, as it is sampled).
 *
 * @example
 * ```ts
 * const levels = categorical([70, 15, 10, 5]);
 * levels.entropy; // ≈ 1.32
 * ```
 */
export function categorical(weights: ArrayLike<number>): Categorical {
  const q = quantizeWeights(weights);
  const cdf = new Float64Array(q.length + 1);
  const selfInfo = new Float64Array(q.length);
  let entropy = 0;
  for (let i = 0; i < q.length; i++) {
    cdf[i + 1] = cdf[i] + q[i];
    const p = q[i] / 4294967296;
    selfInfo[i] = p > 0 ? -Math.log2(p) : Number.POSITIVE_INFINITY;
    if (p > 0) entropy -= p * Math.log2(p);
  }
  return { size: q.length, cdf, selfInfo, entropy };
}

/**
 * Draws an index from a categorical distribution (binary search on the integer CDF).
 *
 * @example
 * ```ts
 * const level = sampleCategorical(levels, rng);
 * ```
 */
export function sampleCategorical(dist: Categorical, rng: Rng): number {
  const u = rng.nextU32();
  const cdf = dist.cdf;
  let lo = 0;
  let hi = dist.size - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (u >= cdf[mid + 1]) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Zipf weights `r^-s` for ranks 1…n.
 *
 * @example
 * ```ts
 * categorical(zipfWeights(1000, 1.1));
 * ```
 */
export function zipfWeights(n: number, s: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = (i + 1) ** -s;
  return w;
}

/**
 * A chooser bound to an `Rng` that adds the self-information of every outcome to `bits`.
 *
 * @example
 * ```ts
 * const c = new Chooser(rng);
 * const level = c.pick(levels);
 * c.bits; // information drawn so far
 * ```
 */
export class Chooser {
  /** Self-information of all outcomes drawn so far, in bits. */
  bits = 0;

  constructor(readonly rng: Rng) {}

  /** An index from a categorical distribution. */
  pick(dist: Categorical): number {
    const i = sampleCategorical(dist, this.rng);
    this.bits += dist.selfInfo[i];
    return i;
  }

  /** A uniform integer in [0, n). */
  uniform(n: number): number {
    this.bits += Math.log2(n);
    return this.rng.nextInt(n);
  }

  /** A geometric count on {0, 1, …} with the given mean (inversion). */
  geometric(mean: number): number {
    if (mean <= 0) return 0;
    const p = 1 / (1 + mean);
    const k = Math.floor(Math.log(1 - this.rng.nextFloat()) / Math.log(1 - p));
    this.bits -= Math.log2(p) + k * Math.log2(1 - p);
    return k;
  }

  /** `hexChars` uniform lowercase hex digits. */
  hex(hexChars: number): string {
    let s = "";
    for (let i = 0; i < hexChars; i++) s += HEX[this.rng.nextU32() >>> 28];
    this.bits += 4 * hexChars;
    return s;
  }

  /** A normal variate (no self-information: continuous values are tallied by the caller after rounding). */
  gaussian(): number {
    return this.rng.nextGaussian();
  }
}

const HEX = "0123456789abcdef";

/**
 * Estimates bits per byte of a chunk generator that uses a {@link Chooser}: runs it until `sampleBytes` bytes and
 * divides the tallied self-information by the bytes produced.
 *
 * @example
 * ```ts
 * const rate = estimateRate(chooser, () => nextRecord().length, 1 << 18);
 * ```
 */
export function estimateRate(chooser: Chooser, nextChunkLength: () => number, sampleBytes: number): number {
  let bytes = 0;
  const start = chooser.bits;
  while (bytes < sampleBytes) bytes += nextChunkLength();
  return Math.min(8, (chooser.bits - start) / bytes);
}
