/** Learning curves: gap closed on the held-out set against rounds, mean ± 95% CI across seeds. */
import { type PlotlyFigure, referenceLine } from "../figure.js";
import { metricCurveFigure } from "./metric-curve.js";

/** One checkpoint of one online run: gap closed at `round` for `seed`; `series` names the learner/condition. */
export interface LearningCurveRow {
  round: number;
  gapClosed: number;
  seed: number;
  /** Learner or condition name; rows without it form one series called "learner". */
  series?: string;
}

/** Options of {@link learningCurveFigure}. */
export interface LearningCurveOptions {
  title?: string;
}

/**
 * Learning curves with shaded 95% CI bands across seeds (one series per `series`), plus the reference
 * lines gap closed = 0 (SBS) and = 1 (oracle).
 *
 * @example
 * ```ts
 * const fig = learningCurveFigure([
 *   { round: 0, gapClosed: 0.0, seed: 1 }, { round: 1000, gapClosed: 0.4, seed: 1 },
 *   { round: 0, gapClosed: 0.1, seed: 2 }, { round: 1000, gapClosed: 0.5, seed: 2 },
 * ]);
 * displayFigure(fig);
 * ```
 */
export function learningCurveFigure(
  rows: readonly LearningCurveRow[],
  opts: LearningCurveOptions = {},
): PlotlyFigure {
  const seeds = new Set(rows.map((r) => r.seed)).size;
  const { data, layout } = metricCurveFigure(
    rows.map((r) => ({ step: r.round, value: r.gapClosed, seed: r.seed, series: r.series ?? "learner" })),
    {
      valueLabel: "gap closed (fraction; 1 = oracle, 0 = SBS)",
      stepLabel: "round (online updates)",
      title:
        opts.title ??
        `Learning curve: gap closed vs round (${seeds > 1 ? `mean ± 95% CI over ${seeds} seeds` : "1 seed"})`,
    },
  );
  const sbs = referenceLine(0, "SBS (0)");
  const oracle = referenceLine(1, "oracle / VBS (1)");
  layout.shapes = [sbs.shape, oracle.shape];
  layout.annotations = [sbs.annotation, oracle.annotation];
  return { data, layout };
}
