/**
 * Mean ± 95% CI for drawing bands and error bars. The statistics themselves live in one place,
 * `src/stats.ts` (`meanCI95`, Student t on n − 1 df); this adapter only makes them
 * tolerant for plotting: non-finite values are skipped, and fewer than two values give a mean without a band
 * instead of an error.
 */
import { meanCI95 } from "../stats.js";

/** One plotted point: mean and its 95% interval (NaN interval when n < 2). */
export interface BandCI {
  /** Number of finite values used. */
  n: number;
  mean: number;
  low: number;
  high: number;
  /** (high − low) / 2; NaN when n < 2. */
  halfWidth: number;
}

/**
 * Mean and 95% t-interval of the finite `values`, for a CI band or error bar. One value: mean, no band.
 *
 * @example
 * ```ts
 * bandCI([0.41, 0.45, Number.NaN, 0.39]); // { n: 3, mean: 0.4167, low: 0.34…, high: 0.49…, … }
 * ```
 */
export function bandCI(values: ArrayLike<number>): BandCI {
  const finite = Array.from(values).filter(Number.isFinite);
  if (finite.length < 2) {
    const mean = finite.length === 1 ? finite[0] : Number.NaN;
    return { n: finite.length, mean, low: Number.NaN, high: Number.NaN, halfWidth: Number.NaN };
  }
  const ci = meanCI95(finite);
  return { n: ci.n, mean: ci.mean, low: ci.lo, high: ci.hi, halfWidth: (ci.hi - ci.lo) / 2 };
}
