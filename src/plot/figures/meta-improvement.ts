/** Meta-improvement: how fast each new held-out task is learned, along the task sequence, beside the ablation. */
import { ErrorCode, err } from "../../errors.js";
import {
  axis,
  baseLayout,
  curveWithBand,
  groupBy,
  type PlotlyFigure,
  type PlotlyTrace,
  requireRows,
  seriesColor,
  summarizeByX,
} from "../figure.js";

/** One learner run on one task of the sequence. `condition` separates the meta-learner from its ablation. */
export interface MetaImprovementRow {
  /** Position of the held-out task (or generation) in the sequence: 0, 1, 2, … */
  task: number;
  seed: number;
  /** e.g. "meta-learned" or "ablation: no meta-training". */
  condition: string;
  /** Rounds to reach 90% of the final gap closed (lower is better), or area under the learning curve. */
  value: number;
}

/** A meta-improvement rate per condition with its 95% CI (computed by the learner's metrics). */
export interface MetaImprovementRateRow {
  condition: string;
  rate: number;
  ciLow: number;
  ciHigh: number;
}

/** Options of {@link metaImprovementFigure}. */
export interface MetaImprovementOptions {
  /** Which per-task measure `value` holds; sets the y label. Default "roundsTo90". */
  metric?: "roundsTo90" | "auc";
  /** Call the x axis "generation" instead of "task". */
  axisName?: "task" | "generation";
  /** Rates to draw beside the curves (bars with CI error bars). Omit for a single panel. */
  rates?: readonly MetaImprovementRateRow[];
  title?: string;
  /** The x-axis title, when the sequence is not "held-out tasks in the order seen" (e.g. tasks behind a prior). */
  xTitle?: string;
}

const METRIC_LABEL = {
  roundsTo90: "rounds to 90% of final gap closed<br>(rounds; lower = faster)",
  auc: "area under learning curve<br>(mean gap closed over the run)",
} as const;

/**
 * Per-task learning speed across the task sequence, one curve with a 95% CI band per condition
 * (meta-learned beside its ablation), and optionally a right panel with each condition's
 * meta-improvement rate and CI.
 *
 * @example
 * ```ts
 * const fig = metaImprovementFigure(rows, { metric: "roundsTo90", rates: [
 *   { condition: "meta-learned", rate: 120, ciLow: 80, ciHigh: 160 },
 *   { condition: "ablation: no meta-training", rate: 5, ciLow: -30, ciHigh: 40 },
 * ] });
 * ```
 */
export function metaImprovementFigure(
  rows: readonly MetaImprovementRow[],
  opts: MetaImprovementOptions = {},
): PlotlyFigure {
  requireRows(rows, "metaImprovementFigure");
  const metric = opts.metric ?? "roundsTo90";
  const axisName = opts.axisName ?? "task";
  const byCondition = groupBy(rows, (r) => r.condition);
  const colorOf = new Map([...byCondition.keys()].map((c, i) => [c, seriesColor(i)]));
  const data: PlotlyTrace[] = [...byCondition].flatMap(([name, rs]) =>
    curveWithBand(summarizeByX(rs.map((r) => ({ x: r.task, value: r.value }))), {
      name,
      color: colorOf.get(name)!,
      mode: "lines+markers",
    }),
  );
  const seeds = new Set(rows.map((r) => r.seed)).size;
  const title =
    opts.title ??
    `Meta-improvement across held-out ${axisName}s (${seeds > 1 ? `mean ± 95% CI over ${seeds} seeds` : "1 seed"})`;
  const layout = baseLayout(
    title,
    { title: opts.xTitle ?? `held-out ${axisName} index (order seen)` },
    { title: METRIC_LABEL[metric] },
    true,
  );
  if (opts.rates && opts.rates.length > 0) {
    for (const r of opts.rates) {
      if (![r.rate, r.ciLow, r.ciHigh].every(Number.isFinite)) {
        throw err(
          ErrorCode.INVALID_CONFIG,
          `metaImprovementFigure: rate of "${r.condition}" is not finite; pass rate, ciLow, ciHigh numbers`,
        );
      }
    }
    layout.xaxis = { ...(layout.xaxis as object), domain: [0, 0.58] };
    layout.xaxis2 = {
      ...axis({ title: "condition", type: "category" }),
      domain: [0.72, 1],
      anchor: "y2",
      tickangle: 0,
    };
    layout.yaxis2 = {
      ...axis({
        title: `meta-improvement rate (95% CI)<br>(${metric === "roundsTo90" ? "rounds saved" : "AUC gained"} per ${axisName})`,
      }),
      anchor: "x2",
      zeroline: true,
      zerolinecolor: "#888",
    };
    data.push({
      type: "bar",
      name: "meta-improvement rate",
      x: opts.rates.map((r) => wrapLabel(r.condition)),
      y: opts.rates.map((r) => r.rate),
      marker: { color: opts.rates.map((r) => colorOf.get(r.condition) ?? "#888") },
      error_y: {
        type: "data",
        symmetric: false,
        array: opts.rates.map((r) => r.ciHigh - r.rate),
        arrayminus: opts.rates.map((r) => r.rate - r.ciLow),
        color: "#222",
        thickness: 1.5,
      },
      xaxis: "x2",
      yaxis: "y2",
      showlegend: false,
    });
  }
  layout.legend = {
    ...(layout.legend as object),
    orientation: "h",
    x: 0,
    y: -0.22,
    xanchor: "left",
    yanchor: "top",
  };
  layout.margin = { l: 90, r: 30, t: 70, b: 130 };
  return { data, layout };
}

/** Breaks a long category label at spaces so ticks stay horizontal and legible. */
function wrapLabel(label: string, width = 14): string {
  const lines: string[] = [];
  let line = "";
  for (const word of label.split(" ")) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines.join("<br>");
}
