/** Permutation feature importance: how much gap closed drops when one feature's column is shuffled. */

import { baseLayout, groupBy, type PlotlyFigure, requireRows, seriesColor } from "../figure.js";
import { bandCI } from "../stats.js";

/** The drop in gap closed when `feature` is permuted, for one seed (or one permutation repeat). */
export interface FeatureImportanceRow {
  feature: string;
  /** gapClosed(intact) − gapClosed(feature permuted); > 0 means the selector uses the feature. */
  importance: number;
  seed?: number;
}

/**
 * Horizontal bars, most important feature on top, mean over seeds with 95% CI error bars where seeds vary.
 *
 * @example
 * ```ts
 * const fig = featureImportanceFigure([{ feature: "entropy0", importance: 0.21, seed: 1 }]);
 * ```
 */
export function featureImportanceFigure(
  rows: readonly FeatureImportanceRow[],
  opts: { title?: string; top?: number } = {},
): PlotlyFigure {
  requireRows(rows, "featureImportanceFigure");
  const stats = [...groupBy(rows, (r) => r.feature)]
    .map(([feature, rs]) => ({ feature, ci: bandCI(rs.map((r) => r.importance)) }))
    .sort((a, b) => b.ci.mean - a.ci.mean)
    .slice(0, opts.top ?? Number.POSITIVE_INFINITY)
    .reverse();
  const maxN = Math.max(...stats.map((s) => s.ci.n));
  const layout = baseLayout(
    opts.title ??
      `Permutation feature importance (${maxN > 1 ? `mean ± 95% CI over ${maxN} seeds` : "1 seed"})`,
    { title: "importance: drop in gap closed when permuted (fraction)" },
    { title: "feature", type: "category" },
    false,
  );
  layout.margin = { l: 150, r: 30, t: 70, b: 70 };
  layout.height = Math.max(360, 120 + 26 * stats.length);
  return {
    data: [
      {
        type: "bar",
        orientation: "h",
        name: "importance",
        x: stats.map((s) => s.ci.mean),
        y: stats.map((s) => s.feature),
        marker: { color: stats.map((s) => (s.ci.mean >= 0 ? seriesColor(0) : seriesColor(1))) },
        ...(maxN > 1
          ? {
              error_x: {
                type: "data",
                array: stats.map((s) => (s.ci.n >= 2 ? s.ci.halfWidth : 0)),
                color: "#222",
                thickness: 1.5,
              },
            }
          : {}),
        hovertemplate: "%{y}: %{x:.4f}<extra></extra>",
      },
    ],
    layout,
  };
}
