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
export interface SystemMetricPoint {
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
  rows: readonly SystemMetricPoint[],
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

/** A wide system sample as the store records it (one row per sampling instant). */
export interface SystemSample {
  ts: Date;
  cpuPercent: number;
  rssBytes: number | bigint;
  heapBytes: number | bigint;
  /** Blocks per second, when measured. */
  throughput?: number | null;
}

/**
 * Turns wide samples into {@link SystemMetricPoint}s for {@link systemMetricsFigure}: seconds since the first
 * sample, memory in MB (10^6 bytes), CPU in %, throughput in blocks/s.
 *
 * @example
 * ```ts
 * const fig = systemMetricsFigure(systemMetricPoints(samples));
 * ```
 */
export function systemMetricPoints(samples: readonly SystemSample[], series?: string): SystemMetricPoint[] {
  if (samples.length === 0) return [];
  const t0 = Math.min(...samples.map((s) => s.ts.getTime()));
  const points: SystemMetricPoint[] = [];
  for (const s of samples) {
    const seconds = (s.ts.getTime() - t0) / 1000;
    const base = series === undefined ? { seconds } : { seconds, series };
    points.push({ ...base, metric: "rss", unit: "MB", value: Number(s.rssBytes) / 1e6 });
    points.push({ ...base, metric: "heap", unit: "MB", value: Number(s.heapBytes) / 1e6 });
    points.push({ ...base, metric: "cpu", unit: "%", value: s.cpuPercent });
    if (typeof s.throughput === "number")
      points.push({ ...base, metric: "throughput", unit: "blocks/s", value: s.throughput });
  }
  return points;
}
