/** Gap closed per family, the selector against its baselines, as grouped bars with 95% CI error bars. */

import {
  baseLayout,
  groupBy,
  type PlotlyFigure,
  type PlotlyTrace,
  referenceLine,
  requireRows,
  seriesColor,
} from "../figure.js";
import { bandCI } from "../stats.js";

/** Gap closed of one selector (the learner or a baseline) on one family's held-out blocks, for one seed. */
export interface GapClosedRow {
  family: string;
  /** e.g. "meta-learner", "SBS", "random", "best-by-entropy". */
  selector: string;
  gapClosed: number;
  seed?: number;
}

/**
 * Grouped bars: x = family, one bar per selector, height = mean gap closed over seeds, error bars = 95% CI
 * where several seeds exist; dashed lines mark SBS (0) and oracle (1).
 *
 * @example
 * ```ts
 * const fig = gapClosedFigure([
 *   { family: "markov", selector: "meta-learner", gapClosed: 0.62, seed: 1 },
 *   { family: "markov", selector: "SBS", gapClosed: 0, seed: 1 },
 * ]);
 * ```
 */
export function gapClosedFigure(rows: readonly GapClosedRow[], opts: { title?: string } = {}): PlotlyFigure {
  requireRows(rows, "gapClosedFigure");
  const families = [...new Set(rows.map((r) => r.family))];
  const bySelector = groupBy(rows, (r) => r.selector);
  let maxSeeds = 1;
  const data: PlotlyTrace[] = [...bySelector].map(([selector, rs], i) => {
    const byFamily = groupBy(rs, (r) => r.family);
    const cis = families.map((f) => bandCI((byFamily.get(f) ?? []).map((r) => r.gapClosed)));
    const hasCI = cis.some((c) => c.n >= 2);
    maxSeeds = Math.max(maxSeeds, ...cis.map((c) => c.n));
    return {
      type: "bar",
      name: selector,
      x: families,
      y: cis.map((c) => (c.n > 0 ? c.mean : null)),
      marker: { color: seriesColor(i) },
      ...(hasCI
        ? {
            error_y: {
              type: "data",
              array: cis.map((c) => (c.n >= 2 ? c.halfWidth : 0)),
              color: "#222",
              thickness: 1.5,
              width: 4,
            },
          }
        : {}),
      hovertemplate: `${selector}<br>%{x}: %{y:.3f}<extra></extra>`,
    };
  });
  const title =
    opts.title ??
    `Gap closed per family vs baselines (${maxSeeds > 1 ? `mean ± 95% CI over ${maxSeeds} seeds` : "1 seed"})`;
  const layout = baseLayout(
    title,
    { title: "dataset family", type: "category" },
    { title: "gap closed (fraction; 1 = oracle, 0 = SBS)" },
    bySelector.size > 1,
  );
  layout.barmode = "group";
  const sbs = referenceLine(0, "SBS (0)");
  const oracle = referenceLine(1, "oracle (1)");
  layout.shapes = [sbs.shape, oracle.shape];
  layout.annotations = [sbs.annotation, oracle.annotation];
  return { data, layout };
}
