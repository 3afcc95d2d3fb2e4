/**
 * Plain plotly figure JSON and the helpers every builder shares: one look (fonts, margins, colours),
 * titles and axis labels, CI bands, grouping. Nothing here touches a browser, a store or a learner.
 */
import { ErrorCode, err } from "../errors.js";
import { bandCI } from "./stats.js";

/** One plotly trace: a plain JSON object (`type`, `x`, `y`, `name`, …), as plotly.js documents it. */
export type PlotlyTrace = { type: string; name?: string } & Record<string, unknown>;

/** A plotly layout: plain JSON. Builders always set `title.text` and the axis titles. */
export type PlotlyLayout = Record<string, unknown> & { title: { text: string } & Record<string, unknown> };

/** A plotly figure as plain JSON: what builders return and renderers draw. */
export interface PlotlyFigure {
  data: PlotlyTrace[];
  layout: PlotlyLayout;
}

/** Colour-blind-safe qualitative palette (Okabe–Ito, reordered), used in series order. */
export const PALETTE: readonly string[] = [
  "#0072B2",
  "#D55E00",
  "#009E73",
  "#CC79A7",
  "#E69F00",
  "#56B4E9",
  "#000000",
  "#F0E442",
];

/**
 * The palette colour of series `i`, wrapping around.
 *
 * @example
 * ```ts
 * seriesColor(0); // "#0072B2"
 * ```
 */
export function seriesColor(i: number): string {
  return PALETTE[((i % PALETTE.length) + PALETTE.length) % PALETTE.length];
}

const SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "star"] as const;

/**
 * The marker symbol of series `i`: it changes each time the colours wrap, so that series 0 and 8 (same colour)
 * still look different.
 *
 * @example
 * ```ts
 * seriesSymbol(0); // "circle"
 * seriesSymbol(8); // "square"
 * ```
 */
export function seriesSymbol(i: number): string {
  return SYMBOLS[Math.floor(Math.max(0, i) / PALETTE.length) % SYMBOLS.length];
}

/**
 * Makes a legend of `entries` items fit beside the plot: the figure grows taller (never shorter than
 * `minHeight`) so that no entry is cut off, at about 32 px per entry.
 *
 * @example
 * ```ts
 * fitLegend(layout, 10); // 10 entries fit in the default 520 px
 * fitLegend(layout, 16); // layout.height = 662
 * ```
 */
export function fitLegend(layout: PlotlyLayout, entries: number, minHeight = 520): void {
  const margin = (layout.margin ?? {}) as { t?: number; b?: number };
  const needed = (margin.t ?? 70) + (margin.b ?? 70) + 32 * entries + 10;
  const current = typeof layout.height === "number" ? layout.height : minHeight;
  if (needed > current) layout.height = needed;
}

/**
 * `#rrggbb` → `rgba(r,g,b,alpha)`, for translucent bands.
 *
 * @example
 * ```ts
 * withAlpha("#0072B2", 0.2); // "rgba(0,114,178,0.2)"
 * ```
 */
export function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
}

/** Axis options for {@link baseLayout}. */
export interface AxisSpec {
  /** Axis label including its unit, e.g. "compress speed (MB/s)". */
  title: string;
  type?: "linear" | "log" | "category";
  range?: [number, number];
}

/**
 * The shared layout: title, labelled axes, legend, legible fonts, white background.
 *
 * @example
 * ```ts
 * const layout = baseLayout("Learning curve", { title: "round" }, { title: "gap closed" }, true);
 * ```
 */
export function baseLayout(title: string, x: AxisSpec, y: AxisSpec, showLegend: boolean): PlotlyLayout {
  return {
    title: { text: title, x: 0.02, xanchor: "left", font: { size: 18 } },
    font: { family: "DejaVu Sans, Liberation Sans, Arial, sans-serif", size: 13, color: "#222" },
    paper_bgcolor: "#ffffff",
    plot_bgcolor: "#ffffff",
    margin: { l: 80, r: 30, t: 70, b: 70 },
    xaxis: axis(x),
    yaxis: axis(y),
    showlegend: showLegend,
    legend: { bgcolor: "rgba(255,255,255,0.85)", bordercolor: "#ccc", borderwidth: 1 },
    hovermode: "closest",
  };
}

/**
 * One axis in the shared style.
 *
 * @example
 * ```ts
 * const xaxis = axis({ title: "round (updates)" });
 * ```
 */
export function axis(spec: AxisSpec): Record<string, unknown> {
  return {
    title: { text: spec.title },
    type: spec.type ?? "linear",
    ...(spec.range ? { range: spec.range } : {}),
    showline: true,
    linecolor: "#444",
    mirror: false,
    ticks: "outside",
    gridcolor: "#e6e6e6",
    zeroline: false,
    automargin: true,
  };
}

/**
 * A dashed horizontal reference line across the plot with a label at its right end.
 *
 * @example
 * ```ts
 * const { shape, annotation } = referenceLine(1, "oracle (VBS)");
 * ```
 */
export function referenceLine(
  y: number,
  label: string,
  axes: { x: string; y: string } = { x: "x", y: "y" },
): { shape: Record<string, unknown>; annotation: Record<string, unknown> } {
  const xref = axes.x === "x" ? "x domain" : `${axes.x} domain`;
  return {
    shape: {
      type: "line",
      xref,
      x0: 0,
      x1: 1,
      yref: axes.y,
      y0: y,
      y1: y,
      line: { color: "#555", dash: "dash", width: 1.5 },
    },
    annotation: {
      xref,
      x: 1,
      xanchor: "right",
      yref: axes.y,
      y,
      yanchor: "bottom",
      text: label,
      showarrow: false,
      font: { size: 12, color: "#444" },
    },
  };
}

/**
 * Groups items by a key, keeping first-seen order of keys.
 *
 * @example
 * ```ts
 * groupBy([{ f: "a" }, { f: "b" }, { f: "a" }], (r) => r.f); // Map { a → 2 rows, b → 1 row }
 * ```
 */
export function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const g = groups.get(k);
    if (g) g.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** Mean curve with its CI, one point per x. */
export interface SummaryCurve {
  x: number[];
  mean: number[];
  low: number[];
  high: number[];
  /** Largest number of values (seeds) behind any point. */
  maxN: number;
}

/**
 * Summarises (x, value) pairs into mean ± 95% CI per distinct x, sorted by x.
 *
 * @example
 * ```ts
 * summarizeByX([{ x: 0, value: 0.1 }, { x: 0, value: 0.3 }]); // { x: [0], mean: [0.2], … }
 * ```
 */
export function summarizeByX(points: readonly { x: number; value: number }[]): SummaryCurve {
  const byX = groupBy(points, (p) => p.x);
  const xs = [...byX.keys()].sort((a, b) => a - b);
  const out: SummaryCurve = { x: [], mean: [], low: [], high: [], maxN: 0 };
  for (const x of xs) {
    const ci = bandCI(byX.get(x)!.map((p) => p.value));
    out.x.push(x);
    out.mean.push(ci.mean);
    out.low.push(ci.low);
    out.high.push(ci.high);
    out.maxN = Math.max(out.maxN, ci.n);
  }
  return out;
}

/**
 * Traces for one series: a shaded 95% CI band (lower bound, then upper bound with `fill: "tonexty"`) when
 * several seeds stand behind the points, then the mean line. The band shares the series' legend group.
 *
 * @example
 * ```ts
 * const traces = curveWithBand(summarizeByX(points), { name: "meta-learner", color: seriesColor(0) });
 * ```
 */
export function curveWithBand(
  curve: SummaryCurve,
  opts: { name: string; color: string; xaxis?: string; yaxis?: string; hoverUnit?: string; mode?: string },
): PlotlyTrace[] {
  const axes = { xaxis: opts.xaxis ?? "x", yaxis: opts.yaxis ?? "y" };
  const traces: PlotlyTrace[] = [];
  if (curve.maxN >= 2) {
    const lowX: number[] = [];
    const lowY: number[] = [];
    const highY: number[] = [];
    curve.x.forEach((x, i) => {
      if (Number.isFinite(curve.low[i])) {
        lowX.push(x);
        lowY.push(curve.low[i]);
        highY.push(curve.high[i]);
      }
    });
    const band = {
      type: "scatter",
      mode: "lines",
      x: lowX,
      line: { width: 0, color: opts.color },
      hoverinfo: "skip",
      showlegend: false,
      legendgroup: opts.name,
      ...axes,
    };
    traces.push({ ...band, name: `${opts.name} 95% CI low`, y: lowY });
    traces.push({
      ...band,
      name: `${opts.name} 95% CI`,
      y: highY,
      fill: "tonexty",
      fillcolor: withAlpha(opts.color, 0.2),
    });
  }
  traces.push({
    type: "scatter",
    mode: opts.mode ?? "lines",
    name: curve.maxN >= 2 ? `${opts.name} (mean, n=${curve.maxN})` : opts.name,
    x: curve.x,
    y: curve.mean,
    line: { color: opts.color, width: 2.5 },
    marker: { color: opts.color, size: 7 },
    legendgroup: opts.name,
    ...axes,
  });
  return traces;
}

/**
 * Throws a clear `E_INVALID_CONFIG` when a builder gets no rows, instead of drawing an empty figure.
 *
 * @example
 * ```ts
 * requireRows(rows, "learningCurveFigure");
 * ```
 */
export function requireRows(rows: readonly unknown[], builder: string): void {
  if (!Array.isArray(rows) || rows.length === 0) {
    throw err(
      ErrorCode.INVALID_CONFIG,
      `${builder} got no rows; pass at least one row (check the query that produced them)`,
    );
  }
}

/**
 * Renders a number compactly for titles and hover labels.
 *
 * @example
 * ```ts
 * fmt(0.123456); // "0.123"
 * ```
 */
export function fmt(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return String(v);
  return Number(v.toPrecision(digits)).toString();
}
