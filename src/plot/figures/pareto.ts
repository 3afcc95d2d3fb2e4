/** Pareto fronts of compression ratio against compress speed, per family, with the optimal pipelines marked. */
import {
  baseLayout,
  groupBy,
  type PlotlyFigure,
  type PlotlyTrace,
  requireRows,
  seriesColor,
  withAlpha,
} from "../figure.js";

/** One pipeline's aggregate on one family: higher ratio and higher speed are both better. */
export interface ParetoRow {
  family: string;
  pipeline: string;
  /** original bytes / compressed bytes. */
  ratio: number;
  /** Compress throughput in MB/s (10^6 bytes per second). */
  compressMBps: number;
}

/**
 * Indices of the Pareto-optimal points when both coordinates are maximised: a point is dropped when another
 * is at least as good on both and strictly better on one. Exact duplicates of an optimal point are all kept.
 *
 * @example
 * ```ts
 * paretoFront([{ ratio: 3, compressMBps: 10 }, { ratio: 2, compressMBps: 5 }, { ratio: 1, compressMBps: 50 }]);
 * // [0, 2]
 * ```
 */
export function paretoFront(points: readonly { ratio: number; compressMBps: number }[]): number[] {
  const front: number[] = [];
  points.forEach((p, i) => {
    const dominated = points.some(
      (q) =>
        q.ratio >= p.ratio &&
        q.compressMBps >= p.compressMBps &&
        (q.ratio > p.ratio || q.compressMBps > p.compressMBps),
    );
    if (!dominated) front.push(i);
  });
  return front;
}

/**
 * Scatter of every pipeline (open markers) per family, with the Pareto-optimal pipelines as filled
 * diamonds joined by the front line. Speed is on a log axis.
 *
 * @example
 * ```ts
 * const fig = paretoFigure(rows); // rows: { family, pipeline, ratio, compressMBps }[]
 * await writeFigureImage("pareto.png", fig);
 * ```
 */
export function paretoFigure(rows: readonly ParetoRow[], opts: { title?: string } = {}): PlotlyFigure {
  requireRows(rows, "paretoFigure");
  const byFamily = groupBy(rows, (r) => r.family);
  const data: PlotlyTrace[] = [];
  [...byFamily].forEach(([family, rs], i) => {
    const color = seriesColor(i);
    const front = new Set(paretoFront(rs));
    const rest = rs.filter((_, j) => !front.has(j));
    const optimal = rs.filter((_, j) => front.has(j)).sort((a, b) => a.compressMBps - b.compressMBps);
    const hover = `%{text}<br>ratio %{y:.3f}×<br>%{x:.1f} MB/s<extra>${family}</extra>`;
    if (rest.length > 0) {
      data.push({
        type: "scatter",
        mode: "markers",
        name: `${family}: dominated`,
        legendgroup: family,
        showlegend: false,
        x: rest.map((r) => r.compressMBps),
        y: rest.map((r) => r.ratio),
        text: rest.map((r) => r.pipeline),
        marker: { symbol: "circle-open", size: 8, color: withAlpha(color, 0.7), line: { width: 1.5 } },
        hovertemplate: hover,
      });
    }
    data.push({
      type: "scatter",
      mode: "lines+markers+text",
      name: `${family}: Pareto front`,
      legendgroup: family,
      x: optimal.map((r) => r.compressMBps),
      y: optimal.map((r) => r.ratio),
      text: optimal.map((r) => r.pipeline),
      textposition: "top right",
      textfont: { size: 10, color },
      line: { color, width: 2, shape: "vh" },
      marker: { symbol: "diamond", size: 11, color, line: { color: "#fff", width: 1 } },
      customdata: optimal.map(() => true),
      hovertemplate: hover,
    });
  });
  const layout = baseLayout(
    opts.title ??
      "Pareto front: compression ratio vs compress speed per family<br><sup>◆ Pareto-optimal pipeline, ○ dominated pipeline; up and right is better</sup>",
    { title: "compress speed (MB/s, log scale)", type: "log" },
    { title: "compression ratio (original / compressed, ×)" },
    true,
  );
  return { data, layout };
}
