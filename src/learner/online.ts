/**
 * The online contextual-bandit loop: each round a block arrives, the learner chooses a pipeline, and only that
 * pipeline's cost is revealed (read from a full-information cost matrix that plays the environment). A learning
 * curve — gap closed of the learner's greedy choices on a FIXED held-out set — is measured every k rounds.
 */
import { gapClosedOf, sbsIndex } from "../bench/metrics/gap.js";
import type { CostMatrix } from "../bench/types.js";
import { ErrorCode, err } from "../errors.js";
import { createRng, deriveSeed } from "../rng.js";
import type { CostLearner } from "./learner.js";
import type { LearningCurve } from "./metrics/curve.js";

/** A task for the online loop: features and costs of every block, the stream blocks and the held-out blocks. */
export interface OnlineTask {
  readonly name?: string;
  readonly features: readonly Float32Array[];
  readonly costs: CostMatrix;
  /** Blocks the learner sees online (streamed in seeded random order, repeated as needed). */
  readonly train: readonly number[];
  /** The fixed held-out evaluation set of the learning curve. */
  readonly test: readonly number[];
}

/** Receives metrics as they are measured; the experiment runner forwards them to the store. */
export interface Recorder {
  metric(key: string, value: number, step: number): void;
}

/** Options of {@link runOnline}. */
export interface OnlineOptions {
  readonly rounds: number;
  /** Checkpoint spacing k of the learning curve. */
  readonly checkpointEvery: number;
  readonly recorder?: Recorder;
  readonly onProgress?: (done: number, total: number) => void;
}

/** What an online run measured. */
export interface OnlineResult {
  readonly curve: LearningCurve;
  /** Cumulative regret (chosen − VBS cost, summed over rounds) at each checkpoint. */
  readonly regret: readonly number[];
  /** The pipeline chosen at each round of this run. */
  readonly choices: readonly number[];
}

/**
 * The block shown at a round: a seeded permutation of the stream blocks per pass, so a resumed learner sees the
 * same sequence.
 *
 * @example
 * ```ts
 * streamBlock(task.train, 7, 1234); // a block index from task.train
 * ```
 */
export function streamBlock(train: readonly number[], seed: number, round: number): number {
  const pass = Math.floor(round / train.length);
  const rng = createRng(deriveSeed(seed, `stream:${pass}`));
  const order = Array.from(train);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order[round % train.length];
}

/**
 * Whether gap closed is defined on a task: its SBS (picked on the training blocks) costs more than the VBS on the
 * held-out blocks. Where it is not, every learning curve of the task is NaN.
 *
 * @example
 * ```ts
 * hasDefinedGap(task); // false when the SBS is also the cheapest pipeline on every held-out block
 * ```
 */
export function hasDefinedGap(task: OnlineTask): boolean {
  const sbs = sbsIndex(task.costs, task.train);
  const sbsChoices = task.test.map(() => sbs);
  return gapClosedOf(task.costs, sbsChoices, { train: task.train, test: task.test }) !== undefined;
}

/**
 * Gap closed of the learner's greedy choices on the task's held-out blocks (NaN when SBS equals VBS there).
 *
 * @example
 * ```ts
 * heldOutGapClosed(learner, task); // 0.93
 * ```
 */
export function heldOutGapClosed(learner: CostLearner, task: OnlineTask): number {
  const choices = learner.greedy(task.test.map((b) => task.features[b]));
  return gapClosedOf(task.costs, choices, { train: task.train, test: task.test }) ?? Number.NaN;
}

/**
 * Runs `rounds` online rounds from the learner's current round counter, with partial feedback, and measures the
 * learning curve at every multiple of `checkpointEvery` (including the start when it is one).
 *
 * @example
 * ```ts
 * const { curve } = runOnline(learner, task, { rounds: 2000, checkpointEvery: 100 });
 * ```
 */
export function runOnline(learner: CostLearner, task: OnlineTask, options: OnlineOptions): OnlineResult {
  const { rounds, checkpointEvery: k } = options;
  if (!Number.isInteger(rounds) || rounds < 1 || !Number.isInteger(k) || k < 1) {
    throw err(
      ErrorCode.INVALID_CONFIG,
      `online run needs integer rounds >= 1 and checkpointEvery >= 1 (got ${rounds}, ${k})`,
    );
  }
  if (task.train.length === 0 || task.test.length === 0) {
    throw err(
      ErrorCode.INVALID_CONFIG,
      "online task needs non-empty train (stream) and test (held-out) blocks",
    );
  }
  const n = task.costs.pipelines.length;
  if (n !== learner.config.pipelines.length) {
    throw err(
      ErrorCode.INVALID_CONFIG,
      `task has ${n} pipelines, the learner ${learner.config.pipelines.length}`,
    );
  }
  const start = learner.round;
  const end = start + rounds;
  const curveRounds: number[] = [];
  const gaps: number[] = [];
  const regretAt: number[] = [];
  const choices: number[] = [];
  let regret = 0;
  const checkpoint = () => {
    const g = heldOutGapClosed(learner, task);
    curveRounds.push(learner.round);
    gaps.push(g);
    regretAt.push(regret);
    options.recorder?.metric("gap_closed", g, learner.round);
    options.recorder?.metric("regret", regret, learner.round);
  };
  if (start % k === 0) checkpoint();
  const every = learner.config.retrainEvery;
  while (learner.round < end) {
    const t = learner.round;
    // the model only changes at retraining, so a chunk up to the next retrain/checkpoint is chosen in one batch
    const chunk = Math.min(every - (t % every), k - (t % k), end - t);
    const blocks = Array.from({ length: chunk }, (_, i) =>
      streamBlock(task.train, learner.config.seed, t + i),
    );
    const feats = blocks.map((b) => task.features[b]);
    const chosen = learner.select(feats);
    const observed = chosen.map((p, i) => task.costs.costs[blocks[i] * n + p]);
    blocks.forEach((b, i) => {
      let best = Number.POSITIVE_INFINITY;
      for (let p = 0; p < n; p++) best = Math.min(best, task.costs.costs[b * n + p]);
      regret += observed[i] - best;
    });
    learner.update(feats, chosen, observed);
    choices.push(...chosen);
    if (learner.round % k === 0) checkpoint();
    options.onProgress?.(learner.round - start, rounds);
  }
  return { curve: { rounds: curveRounds, gapClosed: gaps }, regret: regretAt, choices };
}

/** What {@link explorationReference} measured. */
export interface ExplorationReference {
  readonly rounds: number;
  readonly draws: number;
  /** Share of draws whose lowest mean observed cost is the full-information SBS. */
  readonly identifiedSbs: number;
  /** Gap closed on the held-out blocks of always choosing that pipeline: 10th, 50th and 90th percentiles. */
  readonly gapClosed: { readonly p10: number; readonly p50: number; readonly p90: number };
}

/**
 * How well partial feedback can even find the single best pipeline: `draws` seeded runs of `rounds` rounds that
 * each show a random stream block and reveal the cost of a uniformly random pipeline, then pick the pipeline with
 * the lowest mean observed cost. Where block cost levels vary much more than pipelines differ, this SBS estimate
 * is often wrong; a context-free reference for how hard the task's online problem is.
 *
 * @example
 * ```ts
 * explorationReference(task, 2000, 200, 1).identifiedSbs; // e.g. 0.45
 * ```
 */
export function explorationReference(
  task: OnlineTask,
  rounds: number,
  draws: number,
  seed: number,
): ExplorationReference {
  const n = task.costs.pipelines.length;
  const sbs = sbsIndex(task.costs, task.train);
  // each draw ends on one constant choice: its held-out gap closed, computed once per pipeline
  const constantGap = Array.from(
    { length: n },
    (_, p) =>
      gapClosedOf(
        task.costs,
        task.test.map(() => p),
        task,
      ) ?? Number.NaN,
  );
  let identified = 0;
  const gaps: number[] = [];
  for (let d = 0; d < draws; d++) {
    const rng = createRng(deriveSeed(seed, `exploration:${d}`));
    const sum = new Float64Array(n);
    const count = new Float64Array(n);
    for (let t = 0; t < rounds; t++) {
      const b = task.train[rng.nextInt(task.train.length)];
      const p = rng.nextInt(n);
      sum[p] += task.costs.costs[b * n + p];
      count[p]++;
    }
    const meanCost = (p: number) => (count[p] > 0 ? sum[p] / count[p] : Number.POSITIVE_INFINITY);
    let best = 0;
    for (let p = 1; p < n; p++) if (meanCost(p) < meanCost(best)) best = p;
    if (best === sbs) identified++;
    gaps.push(constantGap[best]);
  }
  gaps.sort((a, b) => a - b);
  const at = (q: number) => gaps[Math.min(draws - 1, Math.floor(q * draws))];
  return {
    rounds,
    draws,
    identifiedSbs: identified / draws,
    gapClosed: { p10: at(0.1), p50: at(0.5), p90: at(0.9) },
  };
}
