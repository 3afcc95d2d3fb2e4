/** The portfolio at a glance: one metric per (family, pipeline) cell. */
import { ErrorCode, err } from "../../errors.js";
import { baseLayout, fmt, type PlotlyFigure, requireRows } from "../figure.js";
import { bandCI } from "../stats.js";

/** Measurements of one pipeline on one family (one row per block, seed or aggregate; cells are averaged). */
export interface PortfolioRow {
  family: string;
  pipeline: string;
  ratio?: number;
  compressMBps?: number;
  decompressMBps?: number;
  entropyEfficiency?: number;
  /** Share of the family's blocks on which this pipeline is the oracle's choice (0…1). */
  oracleShare?: number;
}

/** Which metric a portfolio heatmap shows, with its axis label and unit. */
export const PORTFOLIO_METRICS = {
  ratio: "compression ratio (original / compressed, ×)",
  compressMBps: "compress speed (MB/s)",
  decompressMBps: "decompress speed (MB/s)",
  entropyEfficiency: "entropy efficiency ((n·H/8) / bytesOut)",
  oracleShare: "oracle share (fraction of blocks where best)",
} as const;

/** A key of {@link PORTFOLIO_METRICS}. */
export type PortfolioMetric = keyof typeof PORTFOLIO_METRICS;

/**
 * Heatmap of family (rows) × pipeline (columns), colour and text = mean of `metric` over the rows of that cell.
 *
 * @example
 * ```ts
 * const fig = portfolioHeatmapFigure(rows, { metric: "ratio" });
 * ```
 */
export function portfolioHeatmapFigure(
  rows: readonly PortfolioRow[],
  opts: { metric?: PortfolioMetric; title?: string } = {},
): PlotlyFigure {
  requireRows(rows, "portfolioHeatmapFigure");
  const metric = opts.metric ?? "ratio";
  if (!(metric in PORTFOLIO_METRICS)) {
    throw err(
      ErrorCode.INVALID_CONFIG,
      `portfolioHeatmapFigure: unknown metric "${metric}"; use one of ${Object.keys(PORTFOLIO_METRICS).join(", ")}`,
    );
  }
  const families = [...new Set(rows.map((r) => r.family))];
  const pipelines = [...new Set(rows.map((r) => r.pipeline))];
  const cells = new Map<string, number[]>();
  for (const r of rows) {
    const v = r[metric];
    if (typeof v !== "number") continue;
    const k = `${r.family}\u0000${r.pipeline}`;
    const c = cells.get(k);
    if (c) c.push(v);
    else cells.set(k, [v]);
  }
  const z = families.map((f) =>
    pipelines.map((p) => {
      const c = cells.get(`${f}\u0000${p}`);
      return c ? bandCI(c).mean : null;
    }),
  );
  const label = PORTFOLIO_METRICS[metric];
  const layout = baseLayout(
    opts.title ?? `Portfolio: ${label.split(" (")[0]} per family × pipeline`,
    { title: "pipeline", type: "category" },
    { title: "dataset family", type: "category" },
    false,
  );
  layout.margin = { l: 120, r: 30, t: 70, b: 140 };
  layout.yaxis = { ...(layout.yaxis as object), autorange: "reversed" };
  return {
    data: [
      {
        type: "heatmap",
        name: metric,
        x: pipelines,
        y: families,
        z,
        text: z.map((row) => row.map((v) => (v === null ? "" : fmt(v)))),
        texttemplate: "%{text}",
        colorscale: "Viridis",
        colorbar: { title: { text: label.replace(" (", "<br>(") } },
        hovertemplate: `%{y} × %{x}<br>${label}: %{z:.3f}<extra></extra>`,
      },
    ],
    layout,
  };
}
