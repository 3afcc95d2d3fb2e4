/**
 * Small statistics used by the learner metrics: mean, sample standard deviation, Student-t confidence intervals
 * and least-squares slopes.
 */
import { ErrorCode, err } from "./errors.js";

/** Two-sided 95% Student-t quantiles t(0.975, df) for df = 1…30 (index df − 1). */
const T975 = [
  12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.306, 2.2622, 2.2281, 2.201, 2.1788, 2.1604,
  2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.093, 2.086, 2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555,
  2.0518, 2.0484, 2.0452, 2.0423,
];
/** Anchors beyond 30, interpolated linearly in 1/df (accurate to ~1e-4). */
const T975_TAIL: readonly [number, number][] = [
  [30, 2.0423],
  [40, 2.0211],
  [60, 2.0003],
  [120, 1.9799],
  [Number.POSITIVE_INFINITY, 1.96],
];

/**
 * The 0.975 quantile of Student's t with `df` degrees of freedom (the multiplier of a two-sided 95% CI).
 *
 * @example
 * ```ts
 * tQuantile975(4); // 2.7764
 * ```
 */
export function tQuantile975(df: number): number {
  if (!Number.isInteger(df) || df < 1) {
    throw err(
      ErrorCode.INVALID_CONFIG,
      `t quantile needs an integer df >= 1, got ${df}; use at least 2 seeds`,
    );
  }
  if (df <= 30) return T975[df - 1];
  for (let i = 1; i < T975_TAIL.length; i++) {
    const [d1, q1] = T975_TAIL[i];
    if (df <= d1) {
      const [d0, q0] = T975_TAIL[i - 1];
      const w = (1 / d0 - 1 / df) / (1 / d0 - 1 / d1);
      return q0 + w * (q1 - q0);
    }
  }
  /* c8 ignore next */
  return 1.96;
}

/**
 * Arithmetic mean.
 *
 * @example
 * ```ts
 * mean([1, 2, 3]); // 2
 * ```
 */
export function mean(values: readonly number[]): number {
  if (values.length === 0)
    throw err(ErrorCode.INVALID_CONFIG, "mean of an empty list; pass at least one value");
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/**
 * Median: the middle value, or the mean of the two middle values of an even count.
 *
 * @example
 * ```ts
 * median([3, 1, 2]); // 2
 * median([4, 1, 3, 2]); // 2.5
 * ```
 */
export function median(values: readonly number[]): number {
  if (values.length === 0)
    throw err(ErrorCode.INVALID_CONFIG, "median of an empty list; pass at least one value");
  const s = values.slice().sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Sample standard deviation (n − 1 denominator); 0 for a single value.
 *
 * @example
 * ```ts
 * sampleSd([1, 2, 3]); // 1
 * ```
 */
export function sampleSd(values: readonly number[]): number {
  const m = mean(values);
  if (values.length < 2) return 0;
  let s = 0;
  for (const v of values) s += (v - m) ** 2;
  return Math.sqrt(s / (values.length - 1));
}

/** A mean with its two-sided 95% Student-t confidence interval. */
export interface MeanCI {
  readonly mean: number;
  readonly lo: number;
  readonly hi: number;
  readonly sd: number;
  readonly n: number;
  /** True when the interval lies strictly on one side of 0. */
  readonly excludesZero: boolean;
}

/**
 * Mean and 95% CI across independent replicates (seeds), with the t-distribution on n − 1 degrees of freedom.
 *
 * @example
 * ```ts
 * meanCI95([1, 2, 3, 4, 5]); // { mean: 3, lo: 1.0368, hi: 4.9632, … }
 * ```
 */
export function meanCI95(values: readonly number[]): MeanCI {
  if (values.length < 2 || values.some((v) => !Number.isFinite(v))) {
    throw err(
      ErrorCode.INVALID_CONFIG,
      `a 95% CI needs at least 2 finite values, got [${values.join(", ")}]; run more seeds`,
    );
  }
  const m = mean(values);
  const sd = sampleSd(values);
  const half = (tQuantile975(values.length - 1) * sd) / Math.sqrt(values.length);
  return {
    mean: m,
    lo: m - half,
    hi: m + half,
    sd,
    n: values.length,
    excludesZero: m - half > 0 || m + half < 0,
  };
}

/** Centred sums of paired values: Σ(x−x̄)(y−ȳ), Σ(x−x̄)², Σ(y−ȳ)²; `what` names the statistic in the error. */
function centredSums(xs: readonly number[], ys: readonly number[], what: string) {
  if (xs.length !== ys.length || xs.length < 2) {
    throw err(
      ErrorCode.INVALID_CONFIG,
      `${what} needs >= 2 paired values, got ${xs.length} x and ${ys.length} y`,
    );
  }
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  return { sxy, sxx, syy };
}

/**
 * Ordinary least-squares slope of y on x.
 *
 * @example
 * ```ts
 * olsSlope([0, 1, 2], [1, 3, 5]); // 2
 * ```
 */
export function olsSlope(xs: readonly number[], ys: readonly number[]): number {
  const { sxy, sxx } = centredSums(xs, ys, "a slope");
  if (sxx === 0) throw err(ErrorCode.INVALID_CONFIG, "a slope needs at least two distinct x values");
  return sxy / sxx;
}

/**
 * Pearson correlation of paired values (NaN when either side is constant).
 *
 * @example
 * ```ts
 * pearson([1, 2, 3], [2, 4, 7]); // 0.993
 * ```
 */
export function pearson(xs: readonly number[], ys: readonly number[]): number {
  const { sxy, sxx, syy } = centredSums(xs, ys, "a correlation");
  return sxy / Math.sqrt(sxx * syy);
}
