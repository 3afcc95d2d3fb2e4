/**
 * Learning-curve metrics of DESIGN.md §3: the curve itself (gap closed on a fixed held-out set at rounds
 * 0, k, 2k, …), its improvement rate with a 95% CI across seeds, its area and rounds-to-fraction-of-final,
 * and the meta-improvement rate across a sequence of held-out tasks or generations.
 */
import { ErrorCode, err } from "../../errors.js";
import { type MeanCI, meanCI95, olsSlope } from "../../stats.js";

/** Gap closed on a fixed held-out evaluation set, measured after `rounds[i]` online rounds. */
export interface LearningCurve {
  readonly rounds: readonly number[];
  readonly gapClosed: readonly number[];
}

function checkCurve(curve: LearningCurve): void {
  const { rounds, gapClosed } = curve;
  if (rounds.length !== gapClosed.length || rounds.length === 0) {
    throw err(
      ErrorCode.INVALID_CONFIG,
      `a learning curve needs as many rounds as gap-closed values (got ${rounds.length} and ${gapClosed.length})`,
    );
  }
  for (let i = 1; i < rounds.length; i++) {
    if (!(rounds[i] > rounds[i - 1])) {
      throw err(
        ErrorCode.INVALID_CONFIG,
        `learning-curve rounds must increase, got ${rounds[i - 1]} then ${rounds[i]}`,
      );
    }
  }
}

/** A named window of rounds, inclusive at both ends. */
export interface RoundWindow {
  readonly name: string;
  readonly from: number;
  readonly to: number;
}

/**
 * Slope of one learning curve inside a window, in gap closed per 1000 rounds (least squares).
 *
 * @example
 * ```ts
 * curveSlopePer1000({ rounds: [0, 500, 1000], gapClosed: [0, 0.25, 0.5] }, { name: "all", from: 0, to: 1000 }); // 0.5
 * ```
 */
export function curveSlopePer1000(curve: LearningCurve, window: RoundWindow): number {
  checkCurve(curve);
  const xs: number[] = [];
  const ys: number[] = [];
  curve.rounds.forEach((r, i) => {
    if (r >= window.from && r <= window.to && Number.isFinite(curve.gapClosed[i])) {
      xs.push(r / 1000);
      ys.push(curve.gapClosed[i]);
    }
  });
  if (xs.length < 2) {
    throw err(
      ErrorCode.INVALID_CONFIG,
      `window "${window.name}" [${window.from}, ${window.to}] holds ${xs.length} checkpoint(s); widen it or checkpoint more often`,
    );
  }
  return olsSlope(xs, ys);
}

/** The improvement rate over a window: per-seed slopes and their mean with a 95% CI. */
export interface ImprovementRate extends MeanCI {
  readonly window: RoundWindow;
  /** Slope of each seed's curve, gap closed per 1000 rounds. */
  readonly perSeed: readonly number[];
}

/**
 * Improvement rate: the slope of the learning curve in gap closed per 1000 rounds over a named window,
 * with a 95% Student-t CI across seeds (one curve per seed; at least 5 seeds for the DESIGN.md claim).
 *
 * @example
 * ```ts
 * improvementRate(curvesBySeed, { name: "early", from: 0, to: 2000 }); // { mean, lo, hi, excludesZero, … }
 * ```
 */
export function improvementRate(curves: readonly LearningCurve[], window: RoundWindow): ImprovementRate {
  const perSeed = curves.map((c) => curveSlopePer1000(c, window));
  return { ...meanCI95(perSeed), window, perSeed };
}

/**
 * Normalised area under a learning curve (trapezoids divided by the round span): the average gap closed over
 * the run. Higher means the learner was good earlier.
 *
 * @example
 * ```ts
 * curveArea({ rounds: [0, 100], gapClosed: [0, 1] }); // 0.5
 * ```
 */
export function curveArea(curve: LearningCurve): number {
  checkCurve(curve);
  const { rounds, gapClosed } = curve;
  if (rounds.length === 1) return gapClosed[0];
  let area = 0;
  for (let i = 1; i < rounds.length; i++)
    area += ((gapClosed[i] + gapClosed[i - 1]) / 2) * (rounds[i] - rounds[i - 1]);
  return area / (rounds[rounds.length - 1] - rounds[0]);
}

/**
 * Rounds until the curve first reaches `fraction` of its final value (the last checkpoint). Undefined when the
 * final gap closed is not positive (there is nothing to reach).
 *
 * @example
 * ```ts
 * roundsToFraction({ rounds: [0, 100, 200], gapClosed: [0, 0.85, 0.9] }, 0.9); // 100
 * ```
 */
export function roundsToFraction(curve: LearningCurve, fraction = 0.9): number | undefined {
  checkCurve(curve);
  const final = curve.gapClosed[curve.gapClosed.length - 1];
  if (!(final > 0)) return undefined;
  const target = fraction * final;
  const i = curve.gapClosed.findIndex((g) => g >= target);
  return curve.rounds[i];
}

/** How much faster a learner learns one task: higher is faster for both measures. */
export type LearningSpeed = "area" | "roundsTo90";

/**
 * The learning speed of one curve: its area, or minus its rounds-to-90%-of-final (so that higher is faster).
 *
 * @example
 * ```ts
 * learningSpeed(curve, "roundsTo90"); // -400 when 90% of the final gap closed is reached at round 400
 * ```
 */
export function learningSpeed(curve: LearningCurve, measure: LearningSpeed): number {
  if (measure === "area") return curveArea(curve);
  const r = roundsToFraction(curve, 0.9);
  return r === undefined ? Number.NaN : -r;
}

/** The meta-improvement rate: per-seed slopes of learning speed across the task sequence, with a 95% CI. */
export interface MetaImprovementRate extends MeanCI {
  readonly measure: LearningSpeed;
  readonly perSeed: readonly number[];
  /** learning speed per seed (rows) and task position (columns). */
  readonly speeds: readonly (readonly number[])[];
}

/**
 * Meta-improvement rate (DESIGN.md §3): for each seed, the least-squares slope of the learner's speed on each
 * successive held-out task (or generation) against its position in the sequence; then the mean and 95% CI across
 * seeds. Positive means later tasks are learned faster. Units: area (mean gap closed) per task for `"area"`,
 * rounds saved per task for `"roundsTo90"`. Tasks whose speed is undefined are left out of that seed's fit.
 *
 * @example
 * ```ts
 * // curvesBySeed[s][j]: the learning curve on the j-th held-out task, seed s
 * metaImprovementRate(curvesBySeed, "area"); // { mean, lo, hi, excludesZero, … }
 * ```
 */
export function metaImprovementRate(
  curvesBySeed: readonly (readonly LearningCurve[])[],
  measure: LearningSpeed = "area",
): MetaImprovementRate {
  const speeds = curvesBySeed.map((seq) => seq.map((c) => learningSpeed(c, measure)));
  const perSeed = speeds.map((row, s) => {
    const xs: number[] = [];
    const ys: number[] = [];
    row.forEach((v, j) => {
      if (Number.isFinite(v)) {
        xs.push(j);
        ys.push(v);
      }
    });
    if (xs.length < 2) {
      throw err(
        ErrorCode.INVALID_CONFIG,
        `seed ${s} has ${xs.length} task(s) with a defined speed; need >= 2`,
      );
    }
    return olsSlope(xs, ys);
  });
  return { ...meanCI95(perSeed), measure, perSeed, speeds };
}
