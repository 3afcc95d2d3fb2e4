/** Any logged metric against its step, mean ± 95% CI band across seeds, one curve per series. */
import {
  baseLayout,
  curveWithBand,
  groupBy,
  type PlotlyFigure,
  requireRows,
  seriesColor,
  summarizeByX,
} from "../figure.js";

/** One logged value of a metric at `step` for `seed`; `series` names the curve (context, learner, …). */
export interface MetricCurveRow {
  step: number;
  value: number;
  seed: number;
  series?: string;
}

/** Labels of {@link metricCurveFigure}. */
export interface MetricCurveOptions {
  /** y-axis label with its unit, e.g. "regret (bytes)". */
  valueLabel: string;
  /** x-axis label with its unit (default "step (rounds)"). */
  stepLabel?: string;
  title?: string;
}

/**
 * Curves of a metric against step with shaded 95% CI bands where several seeds log the same step.
 *
 * @example
 * ```ts
 * const fig = metricCurveFigure(rows, { valueLabel: "regret (bytes)", title: "Cumulative regret" });
 * ```
 */
export function metricCurveFigure(rows: readonly MetricCurveRow[], opts: MetricCurveOptions): PlotlyFigure {
  requireRows(rows, "metricCurveFigure");
  const bySeries = groupBy(rows, (r) => r.series ?? "run");
  const data = [...bySeries].flatMap(([name, rs], i) =>
    curveWithBand(summarizeByX(rs.map((r) => ({ x: r.step, value: r.value }))), {
      name,
      color: seriesColor(i),
      mode: "lines+markers",
    }),
  );
  const seeds = new Set(rows.map((r) => r.seed)).size;
  const what = opts.valueLabel.split(" (")[0];
  const title =
    opts.title ??
    `${what} vs ${(opts.stepLabel ?? "step").split(" (")[0]} (${seeds > 1 ? `mean ± 95% CI over ${seeds} seeds` : "1 seed"})`;
  const layout = baseLayout(
    title,
    { title: opts.stepLabel ?? "step (rounds)" },
    { title: opts.valueLabel },
    bySeries.size > 1 || seeds > 1,
  );
  return { data, layout };
}
