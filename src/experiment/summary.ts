/**
 * The summary of one or more runs (a run, a resumed run, or merged shards), computed from the per-seed rows in the
 * store: learning curves, the improvement rate and the meta-improvement rate with their 95% CIs, and the bench
 * results. One code path for all three, so they agree exactly.
 */
import { ErrorCode, err } from "../errors.js";
import {
  type ImprovementRate,
  improvementRate,
  type LearningCurve,
  type MetaImprovementRate,
  metaImprovementRate,
} from "../learner/metrics/curve.js";
import { type MeanCI, meanCI95 } from "../stats.js";
import type { Store } from "../store/store.js";
import type { ExperimentSpec } from "./spec.js";

/** A learning curve of one seed. */
export interface SeedCurve extends LearningCurve {
  readonly seed: number;
}

/** What an experiment measured. */
export interface ExperimentSummary {
  readonly experiment: string;
  readonly runIds: readonly number[];
  readonly seeds: readonly number[];
  /** Online learning curves on the fixed held-out evaluation set, one per seed. */
  readonly curves: readonly SeedCurve[];
  readonly improvementRate: ImprovementRate;
  readonly finalGapClosed: MeanCI;
  /**
   * Meta level (a), learning to learn; undefined when the spec has no meta section. curves[s][j]: seed s, prior
   * meta-trained on j tasks, mean curve over the held-out tasks; the ablation has no prior.
   */
  readonly meta?: SequenceSummary;
  /**
   * Meta level (b), self-tuning; undefined without `meta.evolution`. curves[s][g]: seed s, the test curve of
   * generation g's best genome; the ablation draws a fresh random population every generation.
   */
  readonly evolution?: SequenceSummary;
  /** Gap closed and selection overhead per selector on held-out blocks (baselines and the offline learner). */
  readonly selectors: Readonly<Record<string, { gapClosed?: number; overhead?: number }>>;
  /** Total bytes out per pipeline over all blocks (deterministic). */
  readonly pipelineBytes: Readonly<Record<string, number>>;
  /** Scalar metrics, as logged to the store and compared by the regression gate. */
  readonly headline: Readonly<Record<string, number>>;
}

/** Curves along a sequence (tasks or generations) per seed, with and without the meta level, and both rates. */
export interface SequenceSummary {
  readonly curves: readonly (readonly LearningCurve[])[];
  readonly ablation: readonly (readonly LearningCurve[])[];
  readonly rate: MetaImprovementRate;
  readonly ablationRate: MetaImprovementRate;
}

/**
 * The context string of a metric row: canonical JSON of a few named fields (seed, arm, selector, …).
 *
 * @example
 * ```ts
 * metricContext({ seed: 3, arm: "meta" }); // '{"arm":"meta","seed":3}'
 * ```
 */
export function metricContext(fields: Record<string, string | number>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(fields).sort(([a], [b]) => a.localeCompare(b))));
}

function parseContext(context: string): Record<string, string> {
  if (!context.startsWith("{")) return {};
  return Object.fromEntries(
    Object.entries(JSON.parse(context) as Record<string, unknown>).map(([k, v]) => [k, String(v)]),
  );
}

/** A curve from its stored points; a curve with no defined point is one undefined point (its speed is NaN). */
function curveOf(points: Map<number, number>): LearningCurve {
  if (points.size === 0) return { rounds: [0], gapClosed: [Number.NaN] };
  const rounds = [...points.keys()].sort((a, b) => a - b);
  return { rounds, gapClosed: rounds.map((r) => points.get(r) as number) };
}

/**
 * Summarizes runs from their rows in the store. With several run ids (shards), their seeds must not overlap.
 *
 * @example
 * ```ts
 * const summary = await summarizeRuns(store, [runId], spec);
 * summary.improvementRate.mean; // gap closed per 1000 rounds
 * ```
 */
export async function summarizeRuns(
  store: Store,
  runIds: readonly number[],
  spec: ExperimentSpec,
): Promise<ExperimentSummary> {
  const placeholders = runIds.map((_, i) => `$${i + 1}`).join(", ");
  const rows = await store.query(
    `SELECT DISTINCT key, step, value, context FROM metrics WHERE run_id IN (${placeholders}) AND (key LIKE 'online.%' OR key LIKE 'meta.%' OR key = 'evolution.gap_closed' OR key LIKE 'bench.%' OR key = 'seed.done')`,
    [...runIds],
  );
  const seeds = [...new Set(rows.filter((r) => r.key === "seed.done").map((r) => Number(r.step)))].sort(
    (a, b) => a - b,
  );
  if (seeds.length === 0)
    throw err(ErrorCode.NOT_FOUND, `runs ${runIds.join(", ")} have no finished seed to summarize`);
  const done = new Set(seeds);
  const online = new Map<number, Map<number, number>>();
  // sequence curves by "seed|arm|position", for meta (a) and meta (b)
  const meta = new Map<string, Map<number, number>>();
  const evolution = new Map<string, Map<number, number>>();
  const selectors: Record<string, { gapClosed?: number; overhead?: number }> = {};
  const pipelineBytes: Record<string, number> = {};
  for (const r of rows) {
    const key = String(r.key);
    const step = Number(r.step);
    const value = Number(r.value);
    const ctx = parseContext(String(r.context ?? ""));
    const seed = Number(ctx.seed);
    if (key === "online.gap_closed" && done.has(seed)) {
      if (!online.has(seed)) online.set(seed, new Map());
      online.get(seed)?.set(step, value);
    } else if ((key === "meta.gap_closed" || key === "evolution.gap_closed") && done.has(seed)) {
      const sequence = key === "meta.gap_closed" ? meta : evolution;
      const id = `${seed}|${ctx.arm}|${ctx.step}`;
      if (!sequence.has(id)) sequence.set(id, new Map());
      sequence.get(id)?.set(step, value);
    } else if (key === "bench.gap_closed") {
      selectors[ctx.selector] = { ...selectors[ctx.selector], gapClosed: value };
    } else if (key === "bench.overhead") {
      selectors[ctx.selector] = { ...selectors[ctx.selector], overhead: value };
    } else if (key === "bench.bytes_out") {
      pipelineBytes[ctx.pipeline] = value;
    }
  }
  const curves = seeds.map((seed) => ({ seed, ...curveOf(online.get(seed) ?? new Map()) }));
  const window = { name: `0-${spec.online.rounds}`, from: 0, to: spec.online.rounds };
  const rate = improvementRate(curves, window);
  const finalGapClosed = meanCI95(curves.map((c) => c.gapClosed.at(-1) ?? Number.NaN));
  const headline: Record<string, number> = {
    "summary.seeds": seeds.length,
    "summary.final_gap_closed": finalGapClosed.mean,
    "summary.final_gap_closed_lo": finalGapClosed.lo,
    "summary.final_gap_closed_hi": finalGapClosed.hi,
    "summary.improvement_rate": rate.mean,
    "summary.improvement_rate_lo": rate.lo,
    "summary.improvement_rate_hi": rate.hi,
  };
  for (const [name, s] of Object.entries(selectors).sort(([a], [b]) => a.localeCompare(b))) {
    if (s.gapClosed !== undefined) headline[`summary.gap_closed.${name}`] = s.gapClosed;
  }
  const metaSummary = sequenceSummary(meta, seeds, "meta", "ablation");
  if (metaSummary) Object.assign(headline, rateHeadline("meta_improvement", "meta_ablation", metaSummary));
  const evolutionSummary = sequenceSummary(evolution, seeds, "evolved", "random");
  if (evolutionSummary)
    Object.assign(headline, rateHeadline("self_tuning", "self_tuning_ablation", evolutionSummary));
  return {
    experiment: spec.name,
    runIds,
    seeds,
    curves,
    improvementRate: rate,
    finalGapClosed,
    meta: metaSummary,
    evolution: evolutionSummary,
    selectors,
    pipelineBytes,
    headline,
  };
}

/** Per seed, the curves of each position of a sequence for two arms, and their meta-improvement rates. */
function sequenceSummary(
  points: Map<string, Map<number, number>>,
  seeds: readonly number[],
  arm: string,
  ablationArm: string,
): SequenceSummary | undefined {
  if (points.size === 0) return undefined;
  const steps = Math.max(...[...points.keys()].map((k) => Number(k.split("|")[2]))) + 1;
  const curvesOf = (name: string) =>
    seeds.map((seed) =>
      Array.from({ length: steps }, (_, j) => curveOf(points.get(`${seed}|${name}|${j}`) ?? new Map())),
    );
  const curves = curvesOf(arm);
  const ablation = curvesOf(ablationArm);
  return {
    curves,
    ablation,
    rate: metaImprovementRate(curves, "area"),
    ablationRate: metaImprovementRate(ablation, "area"),
  };
}

/** The headline keys of a sequence's two rates: `summary.<name>_rate`, `_lo`, `_hi`. */
function rateHeadline(name: string, ablationName: string, s: SequenceSummary): Record<string, number> {
  return {
    [`summary.${name}_rate`]: s.rate.mean,
    [`summary.${name}_rate_lo`]: s.rate.lo,
    [`summary.${name}_rate_hi`]: s.rate.hi,
    [`summary.${ablationName}_rate`]: s.ablationRate.mean,
    [`summary.${ablationName}_rate_lo`]: s.ablationRate.lo,
    [`summary.${ablationName}_rate_hi`]: s.ablationRate.hi,
  };
}
