/**
 * One bench run end to end on blocks already in memory: exhaustive evaluation, features, a split, and the
 * baselines compared under one or more objectives. The CLI and `npm run bench:features` both call this.
 */
import { checkSampleBytes, extract, FEATURE_SAMPLE_BYTES } from "../features/extract.js";
import { fixedSelector } from "./baselines/fixed.js";
import { knnSelector } from "./baselines/knn.js";
import { randomSelector } from "./baselines/random.js";
import { sampleAndTryOnTrials, sampleAndTrySelector } from "./baselines/sample-and-try.js";
import { type CompareResult, compareSelectors } from "./compare.js";
import { type EvaluateOptions, type EvaluateResult, evaluate } from "./evaluate.js";
import { costMatrix, formatObjective, type Objective, objectiveUsesTime } from "./objectives.js";
import { type Split, splitByBlock, splitByGroup } from "./oracle.js";
import type { Portfolio } from "./portfolio.js";
import type { CostMatrix, Selector, Trial } from "./types.js";

/** Options of {@link runBench}. */
export interface BenchOptions extends EvaluateOptions {
  readonly objectives: readonly Objective[];
  /** `block`: a seeded random split of blocks; `group`: whole groups held out. Default `block`. */
  readonly split?: "block" | "group";
  readonly testFraction?: number;
  /** Groups to hold out for a `group` split (default: one drawn with the seed). */
  readonly heldOut?: readonly string[];
  readonly seed?: number;
  /** kNN neighbours. Default 5. */
  readonly knnK?: number;
  /** Bytes of each block's feature sample (see `extract`). Default {@link FEATURE_SAMPLE_BYTES}. */
  readonly featureBytes?: number;
  /** Sample-and-try sample share and runs. Defaults 0.01 and 10. */
  readonly sampleFraction?: number;
  readonly sampleRuns?: number;
  /**
   * Extra selectors to compare beside the baselines (e.g. a trained learner), built per objective, with the
   * evaluation's trials and the split (e.g. for `pipelineSpeeds` of the training blocks).
   */
  readonly extraSelectors?: (
    objective: Objective,
    pipelines: readonly string[],
    context: { readonly trials: readonly Trial[]; readonly split: Split },
  ) => Selector[];
}

/** One objective's matrix and comparison. */
export interface ObjectiveResult extends CompareResult {
  readonly objective: string;
  readonly matrix: CostMatrix;
}

/** What {@link runBench} returns. */
export interface BenchResult {
  readonly evaluation: EvaluateResult;
  readonly features: Float32Array[];
  /** Feature extraction time per block, ns. */
  readonly featureNs: Float64Array;
  readonly split: Split;
  readonly results: ObjectiveResult[];
}

/**
 * The default baselines for an objective: fixed `zstd:3` (when in the portfolio), random, sample-and-try and kNN.
 * Under an objective with time, given the evaluation's trials and training blocks (`measured`), sample-and-try also
 * runs on the pipelines' median speeds there: timing a 1% sample mostly measures per-call costs, a weak baseline.
 *
 * @example
 * ```ts
 * defaultBaselines(parseObjective("size"), portfolio.pipelines, { seed: 1 });
 * defaultBaselines(parseObjective("transfer:100"), pipelines, { measured: { trials, blocks: split.train } });
 * ```
 */
export function defaultBaselines(
  objective: Objective,
  pipelines: readonly string[],
  opts: {
    seed?: number;
    knnK?: number;
    sampleFraction?: number;
    sampleRuns?: number;
    measured?: { readonly trials: readonly Trial[]; readonly blocks: readonly number[] };
  } = {},
): Selector[] {
  const out: Selector[] = [];
  const zstd = pipelines.indexOf("zstd:3");
  if (zstd >= 0) out.push(fixedSelector(zstd, pipelines));
  out.push(randomSelector(pipelines.length, opts.seed ?? 0));
  const sampling = { pipelines, objective, sampleFraction: opts.sampleFraction, runs: opts.sampleRuns };
  out.push(sampleAndTrySelector(sampling));
  out.push(knnSelector({ k: opts.knnK }));
  if (opts.measured && objectiveUsesTime(objective)) {
    out.push(sampleAndTryOnTrials(sampling, opts.measured.trials, opts.measured.blocks));
  }
  return out;
}

/**
 * Extracts every block's features and times it the way `evaluate` times an encode: after a JIT warm-up, the
 * median of `repeats` calls per block (one call's time is mostly noise: cold caches, GC, preemption).
 * `sampleBytes` is the feature sample (see `extract`).
 *
 * @example
 * ```ts
 * const { features, featureNs } = extractTimed(blocks);
 * const wide = extractTimed(blocks, 5, 640);
 * ```
 */
export function extractTimed(
  blocks: readonly Uint8Array[],
  repeats = 5,
  sampleBytes = FEATURE_SAMPLE_BYTES,
): { features: Float32Array[]; featureNs: Float64Array } {
  const featureNs = new Float64Array(blocks.length);
  for (let i = 0; i < 50 && blocks.length > 0; i++) extract(blocks[i % blocks.length], sampleBytes);
  const times = new Float64Array(repeats);
  const features = blocks.map((bytes, i) => {
    let f = extract(bytes, sampleBytes);
    for (let r = 0; r < repeats; r++) {
      const t0 = process.hrtime.bigint();
      f = extract(bytes, sampleBytes);
      times[r] = Number(process.hrtime.bigint() - t0);
    }
    featureNs[i] = times.sort()[repeats >> 1];
    return f;
  });
  return { features, featureNs };
}

/**
 * Evaluates the portfolio on the blocks once, then compares the baselines under each objective.
 *
 * @example
 * ```ts
 * const r = await runBench(quickPortfolio(), blocks, families, { objectives: [parseObjective("size")], workers: 2 });
 * r.results[0].report.overall.selectors["knn(k=5)"].gapClosed;
 * ```
 */
export async function runBench(
  portfolio: Portfolio,
  blocks: readonly Uint8Array[],
  groups: readonly string[],
  opts: BenchOptions,
): Promise<BenchResult> {
  if (opts.featureBytes !== undefined) checkSampleBytes(opts.featureBytes);
  const evaluation = await evaluate(portfolio, blocks, opts);
  const { features, featureNs } = extractTimed(blocks, 5, opts.featureBytes);
  const seed = opts.seed ?? 0;
  const split =
    opts.split === "group"
      ? splitByGroup(groups, { heldOut: opts.heldOut, seed })
      : splitByBlock(blocks.length, { testFraction: opts.testFraction, seed });
  const results = opts.objectives.map((objective): ObjectiveResult => {
    const matrix = costMatrix(evaluation.trials, blocks.length, evaluation.pipelines, objective);
    const selectors = [
      ...defaultBaselines(objective, evaluation.pipelines, {
        ...opts,
        seed,
        measured: { trials: evaluation.trials, blocks: split.train },
      }),
      ...(opts.extraSelectors?.(objective, evaluation.pipelines, { trials: evaluation.trials, split }) ?? []),
    ];
    const compared = compareSelectors({
      matrix,
      trials: evaluation.trials,
      features,
      featureNs,
      blocks,
      groups,
      split,
      selectors,
    });
    return { objective: formatObjective(objective), matrix, ...compared };
  });
  return { evaluation, features, featureNs, split, results };
}
