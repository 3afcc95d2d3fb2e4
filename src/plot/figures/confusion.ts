/** Selection against the oracle: which pipeline the selector chose for blocks whose best pipeline was X. */
import { baseLayout, type PlotlyFigure, requireRows } from "../figure.js";

/** One held-out block (or `count` of identical ones): the oracle's pipeline and the selector's choice. */
export interface SelectionRow {
  /** The VBS pipeline of the block. */
  oracle: string;
  /** The pipeline the selector chose. */
  selected: string;
  /** How many blocks this row stands for (default 1). */
  count?: number;
}

/** Options of {@link confusionFigure}. */
export interface ConfusionOptions {
  title?: string;
  /** Label order for both axes; default: order of first appearance (oracle labels first). */
  labels?: readonly string[];
  /**
   * Only the pipelines that are the oracle for some block as rows (default false: the same labels on both
   * axes). Rows of pipelines the oracle never picks are all zeros.
   */
  oracleRowsOnly?: boolean;
}

/**
 * Confusion matrix as a heatmap: rows = oracle pipeline, columns = selected pipeline; colour = share of that
 * oracle pipeline's blocks (each row sums to 1), cell text = block count. The title gives top-1 accuracy.
 *
 * @example
 * ```ts
 * const fig = confusionFigure([{ oracle: "zstd:19", selected: "zstd:19" }, { oracle: "lz4", selected: "zstd:3" }]);
 * ```
 */
export function confusionFigure(rows: readonly SelectionRow[], opts: ConfusionOptions = {}): PlotlyFigure {
  requireRows(rows, "confusionFigure");
  const labels = opts.labels
    ? [...opts.labels]
    : [...new Set([...rows.map((r) => r.oracle), ...rows.map((r) => r.selected)])];
  const oracles = new Set(rows.map((r) => r.oracle));
  const rowLabels = opts.oracleRowsOnly ? labels.filter((l) => oracles.has(l)) : labels;
  const index = new Map(labels.map((l, i) => [l, i]));
  const rowIndex = new Map(rowLabels.map((l, i) => [l, i]));
  const counts = rowLabels.map(() => labels.map(() => 0));
  let total = 0;
  let correct = 0;
  for (const r of rows) {
    const i = rowIndex.get(r.oracle);
    const j = index.get(r.selected);
    const c = r.count ?? 1;
    total += c;
    if (r.oracle === r.selected) correct += c;
    if (i !== undefined && j !== undefined) counts[i][j] += c;
  }
  const share = counts.map((row) => {
    const s = row.reduce((a, b) => a + b, 0);
    return row.map((c) => (s > 0 ? c / s : 0));
  });
  const accuracy = total > 0 ? correct / total : 0;
  const layout = baseLayout(
    opts.title ?? `Selection vs oracle: top-1 accuracy ${(100 * accuracy).toFixed(1)}% of ${total} blocks`,
    { title: "selected pipeline", type: "category" },
    { title: "oracle (VBS) pipeline", type: "category" },
    false,
  );
  // Long pipeline names: plotly can place a vertical y title over the tick labels, so the y axis is named by a
  // horizontal label above its tick labels instead (the axis keeps the title text, drawn invisibly, for readers
  // of the JSON).
  const yaxis = layout.yaxis as { title: { text: string } };
  layout.yaxis = {
    ...yaxis,
    autorange: "reversed",
    title: { ...yaxis.title, font: { color: "rgba(0,0,0,0)", size: 1 } },
  };
  layout.annotations = [
    {
      text: "oracle (VBS) pipeline ↓",
      xref: "paper",
      yref: "paper",
      x: 0,
      y: 1,
      xanchor: "right",
      yanchor: "bottom",
      showarrow: false,
      font: { size: 14 },
    },
  ];
  layout.margin = { l: 150, r: 30, t: 90, b: 130 };
  return {
    data: [
      {
        type: "heatmap",
        name: "confusion",
        x: labels,
        y: rowLabels,
        z: share,
        zmin: 0,
        zmax: 1,
        text: counts.map((row) => row.map(String)),
        texttemplate: "%{text}",
        customdata: counts,
        colorscale: [
          [0, "#f7fbff"],
          [0.5, "#6baed6"],
          [1, "#08306b"],
        ],
        colorbar: { title: { text: "share of oracle row" } },
        hovertemplate: "oracle %{y}<br>selected %{x}<br>%{customdata} blocks (%{z:.1%})<extra></extra>",
      },
    ],
    layout,
  };
}
