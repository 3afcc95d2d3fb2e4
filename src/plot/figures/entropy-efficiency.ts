/** Entropy efficiency against the Shannon bound: (n·H/8) / bytesOut, 1 = at the bound. */
import {
  baseLayout,
  curveWithBand,
  fitLegend,
  groupBy,
  type PlotlyFigure,
  type PlotlyTrace,
  requireRows,
  seriesColor,
  seriesSymbol,
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
 * Efficiency against the source entropy H, one colour and marker per pipeline, with the Shannon bound
 * (efficiency = 1) and the 1% line (0.99) drawn dashed. Points of one family at several H (an entropy sweep)
 * are joined, with a 95% CI band across seeds/blocks; different families are never joined (they are unrelated
 * sources), so a family seen at one H is a marker with a 95% CI error bar.
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
  const data: PlotlyTrace[] = [];
  for (const [i, [pipeline, rs]] of [...groupBy(rows, (r) => r.pipeline)].entries()) {
    const color = seriesColor(i);
    const symbol = seriesSymbol(i);
    let legendShown = false;
    const single: { x: number; y: number; half: number; n: number; family: string }[] = [];
    for (const [family, fs] of groupBy(rs, (r) => r.family)) {
      const curve = summarizeByX(fs.map((r) => ({ x: r.entropy, value: r.entropyEfficiency })));
      if (curve.x.length >= 2) {
        // an entropy sweep within one family: a curve with its band
        for (const t of curveWithBand(curve, { name: pipeline, color, mode: "lines+markers" })) {
          const main = !("fill" in t) && t.hoverinfo !== "skip";
          data.push({
            ...t,
            ...(main
              ? {
                  name: pipeline,
                  showlegend: !legendShown,
                  marker: { color, size: 7, symbol },
                  text: curve.x.map(() => family),
                  hovertemplate: `${pipeline}<br>%{text}, H = %{x:.2f}: %{y:.3f}<extra></extra>`,
                }
              : {}),
          });
          if (main) legendShown = true;
        }
      } else {
        single.push({
          x: curve.x[0],
          y: curve.mean[0],
          half: curve.maxN >= 2 && Number.isFinite(curve.high[0]) ? curve.high[0] - curve.mean[0] : 0,
          n: curve.maxN,
          family,
        });
      }
    }
    if (single.length > 0) {
      data.push({
        type: "scatter",
        mode: "markers",
        name: pipeline,
        legendgroup: pipeline,
        showlegend: !legendShown,
        x: single.map((p) => p.x),
        y: single.map((p) => p.y),
        text: single.map((p) => p.family),
        marker: { color, size: 9, symbol, line: { color: "#fff", width: 0.5 } },
        ...(single.some((p) => p.n >= 2)
          ? { error_y: { type: "data", array: single.map((p) => p.half), color, thickness: 1.2, width: 3 } }
          : {}),
        hovertemplate: `${pipeline}<br>%{text}, H = %{x:.2f}: %{y:.3f}<extra></extra>`,
      });
    }
  }
  const pipelines = new Set(rows.map((r) => r.pipeline)).size;
  const layout = baseLayout(
    opts.title ?? "Entropy efficiency vs the Shannon bound (1 = compressed to the true entropy)",
    { title: "source entropy H (bits per byte)" },
    { title: "entropy efficiency ((n·H/8) / bytesOut)" },
    true,
  );
  fitLegend(layout, pipelines + 2);
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
