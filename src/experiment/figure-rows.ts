/**
 * An experiment summary as the rows the plot builders take: learning curves per seed, and the meta-improvement per
 * seed and task position beside its ablation, with both rates and their 95% CIs.
 */
import type { LearningCurve, MetaImprovementRate } from "../learner/metrics/curve.js";
import type { LearningCurveRow } from "../plot/figures/learning-curve.js";
import type { MetaImprovementRateRow, MetaImprovementRow } from "../plot/figures/meta-improvement.js";
import type { ExperimentSummary } from "./summary.js";

/**
 * One learning-curve row per seed and checkpoint (non-finite points left out), labelled `series`.
 *
 * @example
 * ```ts
 * displayFigure(learningCurveFigure(summaryCurveRows(summary.curves)));
 * ```
 */
export function summaryCurveRows(
  curves: readonly (LearningCurve & { readonly seed: number })[],
  series = "online learner",
): LearningCurveRow[] {
  return curves.flatMap((c) =>
    c.rounds.flatMap((round, i) =>
      Number.isFinite(c.gapClosed[i]) ? [{ round, gapClosed: c.gapClosed[i], seed: c.seed, series }] : [],
    ),
  );
}

/** What {@link metaImprovementRows} returns: the inputs of `metaImprovementFigure`. */
export interface SummaryMetaRows {
  readonly rows: MetaImprovementRow[];
  readonly rates: MetaImprovementRateRow[];
  /** The per-task measure of `rows[].value` (area under the curve, or rounds to 90% of final). */
  readonly metric: "auc" | "roundsTo90";
}

/** Condition labels of the two arms of the meta level. */
const CONDITIONS = { meta: "meta-learned prior", ablation: "ablation: no meta-training" } as const;

function armRows(
  rate: MetaImprovementRate,
  seeds: readonly number[],
  condition: string,
): MetaImprovementRow[] {
  return rate.speeds.flatMap((bySeed, s) =>
    bySeed.flatMap((speed, task) => {
      if (!Number.isFinite(speed)) return [];
      // speeds are "higher is faster": rounds-to-90% is stored negated
      const value = rate.measure === "roundsTo90" ? -speed : speed;
      return [{ task, seed: seeds[s] ?? s + 1, condition, value }];
    }),
  );
}

/**
 * The meta level of a summary as figure rows: the learning speed on each held-out task position per seed, for the
 * meta-learned prior and for its ablation, plus both meta-improvement rates with their 95% CIs. Undefined when
 * the experiment ran without a meta section.
 *
 * @example
 * ```ts
 * const meta = metaImprovementRows(summary);
 * if (meta) displayFigure(metaImprovementFigure(meta.rows, { metric: meta.metric, rates: meta.rates }));
 * ```
 */
export function metaImprovementRows(summary: ExperimentSummary): SummaryMetaRows | undefined {
  const meta = summary.meta;
  if (!meta) return undefined;
  const rate = (r: MetaImprovementRate, condition: string): MetaImprovementRateRow => ({
    condition,
    rate: r.mean,
    ciLow: r.lo,
    ciHigh: r.hi,
  });
  return {
    rows: [
      ...armRows(meta.rate, summary.seeds, CONDITIONS.meta),
      ...armRows(meta.ablationRate, summary.seeds, CONDITIONS.ablation),
    ],
    rates: [rate(meta.rate, CONDITIONS.meta), rate(meta.ablationRate, CONDITIONS.ablation)],
    metric: meta.rate.measure === "area" ? "auc" : "roundsTo90",
  };
}
