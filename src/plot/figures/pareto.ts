/** Pareto fronts of compression ratio against compress speed, per family, with the optimal pipelines marked. */
import {
  axis,
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

/** Options of {@link paretoFigure}. */
export interface ParetoOptions {
  title?: string;
  /**
   * One panel per family (small multiples) instead of all families in one plot. Default: panels when there are
   * more than 3 families, where one plot's colours repeat and its labels pile up.
   */
  facet?: boolean;
  /** Panels per row when faceted (default 3). */
  columns?: number;
}

/**
 * Scatter of every pipeline (open markers) per family, with the Pareto-optimal pipelines as filled
 * diamonds joined by the front line and labelled. Speed is on a log axis. With more than 3 families each family
 * gets its own panel (see {@link ParetoOptions.facet}).
 *
 * @example
 * ```ts
 * const fig = paretoFigure(rows); // rows: { family, pipeline, ratio, compressMBps }[]
 * await writeFigureImage("pareto.png", fig);
 * ```
 */
export function paretoFigure(rows: readonly ParetoRow[], opts: ParetoOptions = {}): PlotlyFigure {
  requireRows(rows, "paretoFigure");
  const byFamily = groupBy(rows, (r) => r.family);
  if (opts.facet ?? byFamily.size > 3) return paretoPanels(byFamily, opts);
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

const TITLE =
  "Pareto front: compression ratio vs compress speed per family<br><sup>◆ Pareto-optimal pipeline (labelled), ○ dominated pipeline; up and right is better</sup>";

/** Small multiples: one log-speed × ratio panel per family, fronts labelled, the same two legend entries for all. */
function paretoPanels(byFamily: Map<string, ParetoRow[]>, opts: ParetoOptions): PlotlyFigure {
  const families = [...byFamily.keys()].sort();
  const columns = Math.max(1, Math.min(opts.columns ?? 3, families.length));
  const rowsOfPanels = Math.ceil(families.length / columns);
  const gapX = 0.08;
  const gapY = 0.1 / Math.max(1, rowsOfPanels - 1) + 0.06;
  const width = (1 - gapX * (columns - 1)) / columns;
  const height = (1 - gapY * (rowsOfPanels - 1)) / rowsOfPanels;
  const frontColor = seriesColor(0);
  const layout = baseLayout(opts.title ?? TITLE, { title: "" }, { title: "" }, true);
  delete layout.xaxis;
  delete layout.yaxis;
  layout.height = 140 + 250 * rowsOfPanels;
  layout.margin = { l: 70, r: 30, t: 100, b: 110 };
  // below the bottom row's axis titles, clear of the panel titles
  layout.legend = {
    ...(layout.legend as object),
    orientation: "h",
    xref: "container",
    yref: "container",
    x: 0.02,
    y: 0.01,
    yanchor: "bottom",
  };
  const annotations: unknown[] = [];
  const data: PlotlyTrace[] = [];
  families.forEach((family, k) => {
    const rs = byFamily.get(family)!;
    const col = k % columns;
    const row = Math.floor(k / columns);
    const suffix = k === 0 ? "" : String(k + 1);
    const x0 = col * (width + gapX);
    const yTop = 1 - row * (height + gapY);
    const bottomRow = k + columns >= families.length;
    layout[`xaxis${suffix}`] = {
      ...axis({ title: bottomRow ? "compress speed (MB/s, log)" : "", type: "log" }),
      domain: [x0, x0 + width],
      anchor: `y${suffix}`,
      title: { text: bottomRow ? "compress speed (MB/s, log)" : "", font: { size: 12 } },
    };
    // headroom above the top point for its label
    const ratios = rs.map((r) => r.ratio);
    const [lo, hi] = [Math.min(...ratios), Math.max(...ratios)];
    const span = Math.max(hi - lo, 0.02 * hi, 1e-9);
    layout[`yaxis${suffix}`] = {
      ...axis({ title: col === 0 ? "ratio (×)" : "", range: [lo - 0.08 * span, hi + 0.2 * span] }),
      domain: [yTop - height, yTop],
      anchor: `x${suffix}`,
      title: { text: col === 0 ? "ratio (×)" : "", font: { size: 12 } },
    };
    annotations.push({
      text: `<b>${family}</b>`,
      x: x0 + width / 2,
      y: yTop,
      xref: "paper",
      yref: "paper",
      xanchor: "center",
      yanchor: "bottom",
      showarrow: false,
      font: { size: 13 },
    });
    const front = new Set(paretoFront(rs));
    const rest = rs.filter((_, j) => !front.has(j));
    const optimal = rs.filter((_, j) => front.has(j)).sort((a, b) => a.compressMBps - b.compressMBps);
    const axes = { xaxis: `x${suffix}`, yaxis: `y${suffix}` };
    const hover = `%{text}<br>ratio %{y:.3f}×<br>%{x:.1f} MB/s<extra>${family}</extra>`;
    data.push({
      type: "scatter",
      mode: "markers",
      name: "dominated pipeline",
      legendgroup: "dominated",
      showlegend: k === 0,
      x: rest.map((r) => r.compressMBps),
      y: rest.map((r) => r.ratio),
      text: rest.map((r) => r.pipeline),
      marker: { symbol: "circle-open", size: 7, color: "#999", line: { width: 1.2 } },
      hovertemplate: hover,
      ...axes,
    });
    data.push({
      type: "scatter",
      mode: "lines+markers+text",
      name: `${family}: Pareto front`,
      legendgroup: "front",
      showlegend: k === 0,
      x: optimal.map((r) => r.compressMBps),
      y: optimal.map((r) => r.ratio),
      text: optimal.map((r) => r.pipeline),
      // alternate label sides so that neighbours on the front do not overlap
      textposition: optimal.map((_, j) =>
        // the fastest point sits at the panel's right edge: label it on its left
        j === optimal.length - 1 ? "top left" : j % 2 === 0 ? "top right" : "bottom right",
      ),
      textfont: { size: 10, color: "#222" },
      line: { color: frontColor, width: 2, shape: "vh" },
      marker: { symbol: "diamond", size: 10, color: frontColor, line: { color: "#fff", width: 1 } },
      customdata: optimal.map(() => true),
      hovertemplate: hover,
      ...axes,
    });
  });
  // the first panel's front trace names the series for every panel
  data[1] = { ...data[1], name: "Pareto front (optimal pipelines)" };
  layout.annotations = annotations;
  return { data, layout };
}
