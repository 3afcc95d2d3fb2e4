/** Entropy efficiency against the Shannon bound: (n·H/8) / bytesOut, 1 = at the bound. */
import {
  baseLayout,
  curveWithBand,
  groupBy,
  type PlotlyFigure,
  requireRows,
  seriesColor,
  summarizeByX,
} from "../figure.js";

/** One pipeline on one source of known entropy (one row per block or seed). */
export interface EntropyEfficiencyRow {
  family: string;
  pipeline: string;
  /** The source's true entropy rate H, in bits per byte (0…8). */
  entropy: number;
  /** (n·H/8) / bytesOut. */
  entropyEfficiency: number;
  seed?: number;
}

/**
 * Efficiency against the source entropy H, one curve per pipeline (mean ± 95% CI band across seeds/blocks),
 * with the Shannon bound (efficiency = 1) and the 1% line (0.99) drawn dashed.
 *
 * @example
 * ```ts
 * const fig = entropyEfficiencyFigure([{ family: "iid", pipeline: "zstd:19", entropy: 4, entropyEfficiency: 0.97 }]);
 * ```
 */
export function entropyEfficiencyFigure(
  rows: readonly EntropyEfficiencyRow[],
  opts: { title?: string } = {},
): PlotlyFigure {
  requireRows(rows, "entropyEfficiencyFigure");
  const byPipeline = groupBy(rows, (r) => r.pipeline);
  const data = [...byPipeline].flatMap(([pipeline, rs], i) =>
    curveWithBand(summarizeByX(rs.map((r) => ({ x: r.entropy, value: r.entropyEfficiency }))), {
      name: pipeline,
      color: seriesColor(i),
      mode: "lines+markers",
    }),
  );
  const layout = baseLayout(
    opts.title ?? "Entropy efficiency vs the Shannon bound (1 = compressed to the true entropy)",
    { title: "source entropy H (bits per byte)" },
    { title: "entropy efficiency ((n·H/8) / bytesOut)" },
    true,
  );
  const xs = rows.map((r) => r.entropy);
  const span = [Math.min(...xs), Math.max(...xs)];
  for (const [name, y, dash, color] of [
    ["Shannon bound (efficiency = 1)", 1, "dash", "#444"],
    ["within 1% of the bound (0.99)", 0.99, "dot", "#888"],
  ] as const) {
    data.push({
      type: "scatter",
      mode: "lines",
      name,
      x: span,
      y: [y, y],
      line: { dash, color, width: 1.5 },
      hoverinfo: "name",
    });
  }
  return { data, layout };
}
