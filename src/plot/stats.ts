/**
 * The one place for "mean ± 95% confidence interval across seeds". Figures use it to draw CI bands and error
 * bars; other areas may reuse it for any small-sample mean (it is exported from the package root).
 */

/** Two-sided 95% Student-t quantiles t(0.975, df) for df = 1…30 (standard tables, 6 significant digits). */
const T975: readonly number[] = [
  Number.NaN,
  12.7062,
  4.30265,
  3.18245,
  2.77645,
  2.57058,
  2.44691,
  2.36462,
  2.306,
  2.26216,
  2.22814,
  2.20099,
  2.17881,
  2.16037,
  2.14479,
  2.13145,
  2.11991,
  2.10982,
  2.10092,
  2.09302,
  2.08596,
  2.07961,
  2.07387,
  2.06866,
  2.0639,
  2.05954,
  2.05553,
  2.05183,
  2.04841,
  2.04523,
  2.04227,
];

/** Standard normal 0.975 quantile. */
const Z975 = 1.959963984540054;

/**
 * The 0.975 quantile of Student's t distribution with `df` degrees of freedom: the multiplier of the
 * standard error in a two-sided 95% confidence interval. Exact table for df ≤ 30, Cornish–Fisher
 * expansion beyond (error < 1e-5).
 *
 * @example
 * ```ts
 * tQuantile975(4); // 2.776…  (5 seeds)
 * ```
 */
export function tQuantile975(df: number): number {
  if (!(df >= 1)) return Number.NaN;
  if (df <= 30 && Number.isInteger(df)) return T975[df];
  const z = Z975;
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  return (
    z +
    (z3 + z) / (4 * df) +
    (5 * z5 + 16 * z3 + 3 * z) / (96 * df ** 2) +
    (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3)
  );
}

/** A sample mean with its two-sided 95% t-interval. */
export interface MeanCI {
  /** Number of finite values used. */
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1 denominator); NaN when n < 2. */
  sd: number;
  /** t(0.975, n − 1) · sd / √n; NaN when n < 2 (no interval from one value). */
  halfWidth: number;
  low: number;
  high: number;
}

/**
 * Mean and 95% confidence interval (Student t, n − 1 degrees of freedom) of `values`. Non-finite values are
 * ignored. With fewer than two values the interval is NaN: one seed gives no band.
 *
 * @example
 * ```ts
 * const ci = meanCI95([0.41, 0.45, 0.39, 0.44, 0.47]);
 * // ci.mean ≈ 0.432, ci.low ≈ 0.392, ci.high ≈ 0.472
 * ```
 */
export function meanCI95(values: ArrayLike<number>): MeanCI {
  let n = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) {
      n++;
      sum += v;
    }
  }
  const mean = n > 0 ? sum / n : Number.NaN;
  if (n < 2) return { n, mean, sd: Number.NaN, halfWidth: Number.NaN, low: Number.NaN, high: Number.NaN };
  let ss = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) ss += (v - mean) ** 2;
  }
  const sd = Math.sqrt(ss / (n - 1));
  const halfWidth = (tQuantile975(n - 1) * sd) / Math.sqrt(n);
  return { n, mean, sd, halfWidth, low: mean - halfWidth, high: mean + halfWidth };
}
