/**
 * An experiment summary as the rows the plot builders take: learning curves per seed, and the meta-improvement per
 * seed and task position beside its ablation, with both rates and their 95% CIs.
 */
import type { LearningCurve, MetaImprovementRate } from "../learner/metrics/curve.js";
import type { LearningCurveRow } from "../plot/figures/learning-curve.js";
import type { MetaImprovementRateRow, MetaImprovementRow } from "../plot/figures/meta-improvement.js";
import type { ExperimentSummary, SequenceSummary } from "./summary.js";

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

/** Condition labels of the two arms of each meta level. */
const CONDITIONS = { meta: "meta-learned prior", ablation: "ablation: no meta-training" } as const;
const SELF_TUNING = { meta: "evolved population", ablation: "ablation: fresh random population" } as const;

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

function sequenceRows(
  sequence: SequenceSummary,
  seeds: readonly number[],
  labels: { readonly meta: string; readonly ablation: string },
): SummaryMetaRows {
  const rate = (r: MetaImprovementRate, condition: string): MetaImprovementRateRow => ({
    condition,
    rate: r.mean,
    ciLow: r.lo,
    ciHigh: r.hi,
  });
  return {
    rows: [
      ...armRows(sequence.rate, seeds, labels.meta),
      ...armRows(sequence.ablationRate, seeds, labels.ablation),
    ],
    rates: [rate(sequence.rate, labels.meta), rate(sequence.ablationRate, labels.ablation)],
    metric: sequence.rate.measure === "area" ? "auc" : "roundsTo90",
  };
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
  return summary.meta && sequenceRows(summary.meta, summary.seeds, CONDITIONS);
}

/**
 * Self-tuning (meta level b) as figure rows: per seed and generation, the test area of the generation's best
 * genome, for the evolved population and for fresh random populations, with both rates. Undefined when the
 * experiment ran without `meta.evolution`.
 *
 * @example
 * ```ts
 * const tuning = selfTuningRows(summary);
 * if (tuning) displayFigure(metaImprovementFigure(tuning.rows, { metric: tuning.metric, rates: tuning.rates, axisName: "generation" }));
 * ```
 */
export function selfTuningRows(summary: ExperimentSummary): SummaryMetaRows | undefined {
  return summary.evolution && sequenceRows(summary.evolution, summary.seeds, SELF_TUNING);
}
