/** System metrics over time (memory, CPU, throughput…), one stacked panel per metric. */
import {
  axis,
  baseLayout,
  groupBy,
  type PlotlyFigure,
  type PlotlyTrace,
  requireRows,
  seriesColor,
} from "../figure.js";

/** One sample of one system metric. */
export interface SystemMetricRow {
  /** Seconds since the run started. */
  seconds: number;
  /** e.g. "rss", "heapUsed", "cpu", "blocksPerSecond". */
  metric: string;
  value: number;
  /** Unit shown on the panel's axis, e.g. "MB", "%", "blocks/s". */
  unit: string;
  /** Optional run/worker name when several are overlaid. */
  series?: string;
}

/**
 * Stacked line panels sharing the time axis: one panel per metric (`metric (unit)` on its y axis), one line
 * per `series`.
 *
 * @example
 * ```ts
 * const fig = systemMetricsFigure([{ seconds: 0, metric: "rss", value: 180, unit: "MB" }]);
 * ```
 */
export function systemMetricsFigure(
  rows: readonly SystemMetricRow[],
  opts: { title?: string } = {},
): PlotlyFigure {
  requireRows(rows, "systemMetricsFigure");
  const byMetric = groupBy(rows, (r) => r.metric);
  const seriesNames = [...new Set(rows.map((r) => r.series ?? "run"))];
  const panels = byMetric.size;
  const gap = 0.06;
  const height = (1 - gap * (panels - 1)) / panels;
  const layout = baseLayout(
    opts.title ?? "System metrics over time",
    { title: "time since run start (s)" },
    { title: "" },
    seriesNames.length > 1,
  );
  layout.height = Math.max(400, 80 + 200 * panels);
  const data: PlotlyTrace[] = [];
  [...byMetric].forEach(([metric, rs], p) => {
    const suffix = p === 0 ? "" : String(p + 1);
    const top = 1 - p * (height + gap);
    layout[`yaxis${suffix}`] = {
      ...axis({ title: `${metric} (${rs[0].unit})` }),
      domain: [Math.max(0, top - height), top],
      anchor: "x",
    };
    for (const [series, srs] of groupBy(rs, (r) => r.series ?? "run")) {
      const sorted = [...srs].sort((a, b) => a.seconds - b.seconds);
      data.push({
        type: "scatter",
        mode: "lines",
        name: series,
        legendgroup: series,
        showlegend: p === 0,
        x: sorted.map((r) => r.seconds),
        y: sorted.map((r) => r.value),
        yaxis: `y${suffix}`,
        line: { color: seriesColor(seriesNames.indexOf(series)), width: 2 },
        hovertemplate: `%{x:.1f} s<br>${metric}: %{y:.3g} ${rs[0].unit}<extra>${series}</extra>`,
      });
    }
  });
  layout.xaxis = { ...(layout.xaxis as object), anchor: `y${panels === 1 ? "" : panels}` };
  return { data, layout };
}
