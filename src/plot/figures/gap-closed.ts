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

/** Options of {@link gapClosedFigure}. */
export interface GapClosedOptions {
  title?: string;
  /**
   * Lowest gap closed the y axis shows (default −1). A random baseline can score −5 and squash every other bar;
   * bars below the floor are cut at it and labelled with their value. `"auto"` shows everything.
   */
  yFloor?: number | "auto";
}

/**
 * Grouped bars: x = family, one bar per selector, height = mean gap closed over seeds, error bars = 95% CI
 * where several seeds exist; dashed lines mark SBS (0) and oracle (1). The y axis stops at `yFloor` (−1 by
 * default); bars reaching below it are labelled with their value and the title says the axis is clipped.
 *
 * @example
 * ```ts
 * const fig = gapClosedFigure([
 *   { family: "markov", selector: "meta-learner", gapClosed: 0.62, seed: 1 },
 *   { family: "markov", selector: "SBS", gapClosed: 0, seed: 1 },
 * ]);
 * ```
 */
export function gapClosedFigure(rows: readonly GapClosedRow[], opts: GapClosedOptions = {}): PlotlyFigure {
  requireRows(rows, "gapClosedFigure");
  const families = [...new Set(rows.map((r) => r.family))];
  const bySelector = groupBy(rows, (r) => r.selector);
  let maxSeeds = 1;
  const floor = opts.yFloor ?? -1;
  const clipped: { family: number; trace: number; mean: number }[] = [];
  let lowest = 0;
  let highest = 1;
  const data: PlotlyTrace[] = [...bySelector].map(([selector, rs], i) => {
    const byFamily = groupBy(rs, (r) => r.family);
    const cis = families.map((f) => bandCI((byFamily.get(f) ?? []).map((r) => r.gapClosed)));
    for (const [f, c] of cis.entries()) {
      if (c.n === 0) continue;
      const half = c.n >= 2 && Number.isFinite(c.halfWidth) ? c.halfWidth : 0;
      lowest = Math.min(lowest, c.mean - half);
      highest = Math.max(highest, c.mean + half);
      if (floor !== "auto" && c.mean < floor) clipped.push({ family: f, trace: i, mean: c.mean });
    }
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
  const clipNote = clipped.length > 0 ? `; axis cut at ${floor}, lower bars labelled` : "";
  const title =
    (opts.title ??
      `Gap closed per family vs baselines (${maxSeeds > 1 ? `mean ± 95% CI over ${maxSeeds} seeds` : "1 seed"})`) +
    (clipNote ? ` (${clipNote.slice(2)})` : "");
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
  if (floor !== "auto") {
    const pad = 0.06 * (highest - Math.max(floor, lowest));
    (layout.yaxis as Record<string, unknown>).range = [Math.max(floor, lowest) - pad, highest + pad];
    // grouped bars: bar k of n sits at family + (k + 0.5) · w − 0.4, w = 0.8 / n (plotly's default bargap 0.2)
    const width = 0.8 / bySelector.size;
    for (const c of clipped) {
      (layout.annotations as unknown[]).push({
        x: c.family - 0.4 + (c.trace + 0.5) * width,
        y: floor,
        xref: "x",
        yref: "y",
        text: `${c.mean.toFixed(2)} ↓`,
        showarrow: false,
        yanchor: "bottom",
        textangle: bySelector.size > 3 ? -90 : 0,
        font: { size: 12, color: "#fff" },
        bgcolor: "rgba(0,0,0,0.55)",
      });
    }
  }
  return { data, layout };
}
