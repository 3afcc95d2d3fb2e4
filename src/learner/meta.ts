/**
 * The meta level.
 * (a) Learning to learn across tasks: a prior (network weights + feature/target normalisation) pretrained with full
 *     information on the task families seen so far; an online learner on a NEW family starts from it.
 * (b) Self-tuning: the learner's hyperparameters evolve across generations by a population-based search scored on
 *     validation tasks; each generation's best is then measured on test tasks that never inform the search.
 * Both report a meta-improvement rate (DESIGN.md §3) with a 95% CI across seeds, and an ablation on the same seeds.
 */

import { ErrorCode, err } from "../errors.js";
import { createRng, deriveSeed } from "../rng.js";
import { type MeanCI, mean, meanCI95, pearson, sampleSd } from "../stats.js";
import { CostLearner, DEFAULT_EXPLORATION, type LearnerConfig, learnerConfig } from "./learner.js";
import {
  curveArea,
  type LearningCurve,
  type MetaImprovementRate,
  metaImprovementRate,
} from "./metrics/curve.js";
import { hasDefinedGap, type OnlineTask, runOnline } from "./online.js";

function costRows(task: OnlineTask, blocks: readonly number[]): Float64Array[] {
  const n = task.costs.pipelines.length;
  return blocks.map((b) => task.costs.costs.subarray(b * n, b * n + n));
}

/**
 * Pretrains a prior with full information on the training blocks of the given (meta-training) tasks: the network
 * and the normaliser. Held-out families must not be among `tasks`.
 *
 * @example
 * ```ts
 * const prior = pretrainPrior(metaTrainTasks, config, { epochs: 20 });
 * const learner = learnerFromPrior(prior, { ...config, seed: 99 });
 * ```
 */
export function pretrainPrior(
  tasks: readonly OnlineTask[],
  config: LearnerConfig,
  options: { epochs: number },
): CostLearner {
  if (tasks.length === 0)
    throw err(ErrorCode.INVALID_CONFIG, "pretrainPrior needs at least one meta-training task");
  const prior = CostLearner.create(config);
  prior.fitOffline(
    tasks.flatMap((t) => t.train.map((b) => t.features[b])),
    tasks.flatMap((t) => costRows(t, t.train)),
    options,
  );
  return prior;
}

/**
 * A fresh online learner (new seed, empty replay, fresh optimiser, round 0) that starts from a prior's weights and
 * normalisation. The normaliser's running counts are capped at `priorWeight` so a new family can move it.
 *
 * @example
 * ```ts
 * const learner = learnerFromPrior(prior, { ...prior.config, seed: 5 });
 * ```
 */
export function learnerFromPrior(prior: CostLearner, config: LearnerConfig, priorWeight = 256): CostLearner {
  const learner = CostLearner.create(config);
  const same = prior.config.hidden.join() === config.hidden.join() && prior.config.heads === config.heads;
  if (!same) {
    throw err(
      ErrorCode.INVALID_CONFIG,
      "a prior only fits learners of the same shape (hidden widths and heads)",
    );
  }
  learner.model.setWeights(prior.model.getWeights());
  learner.weightsChanged();
  const p = prior.norm;
  const n = learner.norm;
  const scale = p.featCount > priorWeight ? priorWeight / p.featCount : 1;
  n.featCount = Math.min(p.featCount, priorWeight);
  n.featMean.set(p.featMean);
  n.featM2.set(p.featM2.map((v) => v * scale));
  const costScale = p.costCount > priorWeight ? priorWeight / p.costCount : 1;
  n.costCount = Math.min(p.costCount, priorWeight);
  n.costMean = p.costMean;
  n.costM2 = p.costM2 * costScale;
  n.useMean.set(p.useMean);
  n.useStd.set(p.useStd);
  n.useCostMean = p.useCostMean;
  n.useCostStd = p.useCostStd;
  n.relWeight = p.relWeight;
  return learner;
}

/** Throws when a task that learners are scored on has no defined gap closed (its curves would all be NaN). */
function requireDefinedGaps(tasks: readonly OnlineTask[], role: string): void {
  const undefinedGap = tasks
    .map((t, i) => ({ name: t.name ?? `task-${i}`, defined: hasDefinedGap(t) }))
    .filter((t) => !t.defined)
    .map((t) => t.name);
  if (undefinedGap.length > 0) {
    throw err(
      ErrorCode.INVALID_CONFIG,
      `gap closed is undefined on ${role} task(s) ${undefinedGap.join(", ")}: their SBS is also the VBS on their held-out blocks, so no learner can be scored there; leave them out of the ${role} tasks`,
    );
  }
}

/** Options of the online runs inside the meta level. */
export interface MetaRunOptions {
  readonly rounds: number;
  readonly checkpointEvery: number;
}

function meanCurve(curves: readonly LearningCurve[]): LearningCurve {
  return {
    rounds: curves[0].rounds,
    gapClosed: curves[0].gapClosed.map(
      (_, i) => curves.reduce((a, c) => a + c.gapClosed[i], 0) / curves.length,
    ),
  };
}

/** The result of {@link transferSequence}: per seed and step j, the mean learning curve over the held-out tasks. */
export interface TransferResult {
  /** curves[s][j]: seed s, prior pretrained on the first j meta-training tasks (j = 0: no prior). */
  readonly curves: readonly (readonly LearningCurve[])[];
  readonly ablation: readonly (readonly LearningCurve[])[];
  readonly rate: MetaImprovementRate;
  readonly ablationRate: MetaImprovementRate;
  /** Paired (meta − ablation) area at the last step, across seeds. */
  readonly finalAreaGain: MeanCI;
  /** Meta-training task order per seed (names). */
  readonly orders: readonly (readonly string[])[];
}

/**
 * Meta-improvement of learning to learn (a). For each seed: shuffle the meta-training tasks; for j = 0…M, pretrain
 * a prior on the first j of them, then run online learners from it on every held-out task (never seen in
 * meta-training) and average their learning curves. The slope of the curve's area over j is the meta-improvement
 * rate. The ablation runs the same learners (same seeds) without the prior.
 *
 * @example
 * ```ts
 * const r = transferSequence(metaTrain, heldOut, config, { seeds: [1, 2, 3, 4, 5], rounds: 600, checkpointEvery: 100, epochs: 15 });
 * r.rate; // { mean, lo, hi, excludesZero }
 * ```
 */
export function transferSequence(
  metaTrain: readonly OnlineTask[],
  heldOut: readonly OnlineTask[],
  base: Omit<LearnerConfig, "seed">,
  options: MetaRunOptions & {
    seeds: readonly number[];
    epochs: number;
    relativeWeight?: number | "auto";
    onProgress?: (done: number, total: number) => void;
  },
): TransferResult {
  const perSeed = options.seeds.map((seed, s) => {
    const one = transferForSeed(metaTrain, heldOut, base, seed, options);
    options.onProgress?.(s + 1, options.seeds.length);
    return one;
  });
  const curves = perSeed.map((p) => p.curves);
  const ablation = perSeed.map((p) => p.ablation);
  const last = metaTrain.length;
  return {
    curves,
    ablation,
    rate: metaImprovementRate(curves, "area"),
    ablationRate: metaImprovementRate(ablation, "area"),
    finalAreaGain: meanCI95(curves.map((c, s) => curveArea(c[last]) - curveArea(ablation[s][last]))),
    orders: perSeed.map((p) => p.order),
  };
}

/** One seed of {@link transferSequence}: its curves for j = 0…M with and without the prior. */
export interface SeedTransfer {
  readonly curves: readonly LearningCurve[];
  readonly ablation: readonly LearningCurve[];
  readonly order: readonly string[];
}

/**
 * One seed of the learning-to-learn sequence (see {@link transferSequence}); the experiment runner calls it seed
 * by seed so that a killed run resumes at the first unfinished seed.
 *
 * @example
 * ```ts
 * const { curves, ablation } = transferForSeed(metaTrain, heldOut, base, 3, { rounds: 300, checkpointEvery: 50, epochs: 10 });
 * ```
 */
export function transferForSeed(
  metaTrain: readonly OnlineTask[],
  heldOut: readonly OnlineTask[],
  base: Omit<LearnerConfig, "seed">,
  seed: number,
  options: MetaRunOptions & { epochs: number; relativeWeight?: number | "auto" },
): SeedTransfer {
  const names = new Set(metaTrain.map((t) => t.name));
  if (heldOut.some((t) => t.name !== undefined && names.has(t.name))) {
    throw err(ErrorCode.INVALID_CONFIG, "a held-out task is also a meta-training task; keep them disjoint");
  }
  requireDefinedGaps(heldOut, "held-out");
  const online = { rounds: options.rounds, checkpointEvery: options.checkpointEvery };
  const rng = createRng(deriveSeed(seed, "meta-order"));
  const order = Array.from(metaTrain);
  for (let i = order.length - 1; i > 0; i--) {
    const k = rng.nextInt(i + 1);
    [order[i], order[k]] = [order[k], order[i]];
  }
  const curves: LearningCurve[] = [];
  const ablation: LearningCurve[] = [];
  for (let j = 0; j <= order.length; j++) {
    const prior =
      j === 0
        ? undefined
        : pretrainPrior(order.slice(0, j), { ...base, seed: deriveSeed(seed, `prior:${j}`) }, options);
    const run = (usePrior: boolean) =>
      meanCurve(
        heldOut.map((task, h) => {
          const config = { ...base, seed: deriveSeed(seed, `eval:${j}:${h}`) };
          const learner = usePrior && prior ? learnerFromPrior(prior, config) : CostLearner.create(config);
          const { curve } = runOnline(learner, task, online);
          learner.dispose();
          return curve;
        }),
      );
    curves.push(run(true));
    ablation.push(run(false));
    prior?.dispose();
  }
  return { curves, ablation, order: order.map((t, i) => t.name ?? `task-${i}`) };
}

/** The hyperparameters that self-tuning evolves. */
export interface Genome {
  readonly learningRate: number;
  readonly epsilon: number;
  /** Units of the learner's one hidden layer. */
  readonly width: number;
  readonly replaySize: number;
  /**
   * Minibatch steps per retraining. The best count depends on the task: on bench:learner's `transfer:100` online
   * curves 5–10 steps beat 50 on the symbols mixture (final gap closed 0.80–0.82 against 0.74), but 50 beat 10 on
   * the datasets mixture (0.38 against 0.27) and under `size` on symbols (0.81 against 0.71).
   */
  readonly trainSteps: number;
}

const RANGES = {
  learningRate: [1e-3, 5e-2],
  epsilon: [0.01, 0.5],
  width: [4, 64],
  replaySize: [64, 4096],
  trainSteps: [5, 100],
} as const;

function logUniform(u: number, [lo, hi]: readonly [number, number]): number {
  return Math.exp(Math.log(lo) + u * (Math.log(hi) - Math.log(lo)));
}

function clampGenome(g: Genome): Genome {
  const c = (v: number, [lo, hi]: readonly [number, number]) => Math.min(hi, Math.max(lo, v));
  return {
    learningRate: c(g.learningRate, RANGES.learningRate),
    epsilon: c(g.epsilon, RANGES.epsilon),
    width: Math.round(c(g.width, RANGES.width)),
    replaySize: Math.round(c(g.replaySize, RANGES.replaySize)),
    trainSteps: Math.round(c(g.trainSteps, RANGES.trainSteps)),
  };
}

/**
 * A random genome, log-uniform in each range.
 *
 * @example
 * ```ts
 * randomGenome(createRng(1)); // { learningRate: 0.0047…, epsilon: 0.037…, width: 6, replaySize: 180, trainSteps: 8 }
 * ```
 */
export function randomGenome(rng: { nextFloat(): number }): Genome {
  return clampGenome({
    learningRate: logUniform(rng.nextFloat(), RANGES.learningRate),
    epsilon: logUniform(rng.nextFloat(), RANGES.epsilon),
    width: logUniform(rng.nextFloat(), RANGES.width),
    replaySize: logUniform(rng.nextFloat(), RANGES.replaySize),
    trainSteps: logUniform(rng.nextFloat(), RANGES.trainSteps),
  });
}

function perturb(g: Genome, rng: { nextFloat(): number }): Genome {
  const f = () => (rng.nextFloat() < 0.5 ? 0.8 : 1.25);
  return clampGenome({
    learningRate: g.learningRate * f(),
    epsilon: g.epsilon * f(),
    width: g.width * f(),
    replaySize: g.replaySize * f() * f(),
    trainSteps: g.trainSteps * f(),
  });
}

/**
 * The learner config of a genome.
 *
 * @example
 * ```ts
 * const config = genomeConfig(base, genome, 42);
 * ```
 */
export function genomeConfig(base: Omit<LearnerConfig, "seed">, g: Genome, seed: number): LearnerConfig {
  return learnerConfig({
    ...base,
    seed,
    learningRate: g.learningRate,
    hidden: [g.width],
    replaySize: g.replaySize,
    trainSteps: g.trainSteps,
    exploration: {
      ...(base.exploration.kind === "epsilon" ? base.exploration : DEFAULT_EXPLORATION),
      epsilon: g.epsilon,
    },
  });
}

/** Where a genome's learners start: a prior pretrained (genome's config, `epochs`) on the pool's other tasks. */
interface GenomePrior {
  readonly pool: readonly OnlineTask[];
  readonly epochs: number;
}

/** Mean learning-curve area of a genome over tasks (each run seeded from `seed`). */
function scoreGenome(
  g: Genome,
  tasks: readonly OnlineTask[],
  base: Omit<LearnerConfig, "seed">,
  seed: number,
  run: MetaRunOptions,
  prior?: GenomePrior,
): { area: number; curve: LearningCurve } {
  const curves = tasks.map((task, i) => {
    const config = genomeConfig(base, g, deriveSeed(seed, `task:${i}`));
    let learner: CostLearner;
    if (prior) {
      const others = prior.pool.filter((t) => t !== task);
      const pretrained = pretrainPrior(
        others,
        { ...config, seed: deriveSeed(seed, `prior:${i}`) },
        { epochs: prior.epochs },
      );
      learner = learnerFromPrior(pretrained, config);
      pretrained.dispose();
    } else {
      learner = CostLearner.create(config);
    }
    const { curve } = runOnline(learner, task, run);
    learner.dispose();
    return curve;
  });
  const curve = meanCurve(curves);
  return { area: curveArea(curve), curve };
}

/** What {@link genomeSpread} measured. */
export interface GenomeSpread {
  readonly genomes: readonly Genome[];
  /** validation[i][s], test[i][s]: genome i's mean learning-curve area over the tasks, run s. */
  readonly validation: readonly (readonly number[])[];
  readonly test: readonly (readonly number[])[];
  /** Variance over genomes of their mean test area (what a search can gain, plus its noise / runs). */
  readonly testBetween: number;
  /** Mean variance of one run's test area around its genome's mean (the noise of one measurement). */
  readonly testWithin: number;
  /** Correlation over genomes of mean validation and mean test area (how well validation picks for test). */
  readonly correlation: number;
}

/**
 * Whether self-tuning has anything to find: random genomes, each run `runs` times (own seeds) on the validation
 * and the test tasks, scored as {@link evolveHyperparameters} scores them. Compares the spread between genomes
 * with one run's noise, and correlates validation with test.
 *
 * @example
 * ```ts
 * const s = genomeSpread(validation, test, base, { genomes: 16, runs: 3, seed: 1, rounds: 1000, checkpointEvery: 50 });
 * s.testWithin / s.testBetween; // > 1: one test run is mostly noise
 * ```
 */
export function genomeSpread(
  validation: readonly OnlineTask[],
  test: readonly OnlineTask[],
  base: Omit<LearnerConfig, "seed">,
  options: MetaRunOptions & { readonly genomes: number; readonly runs: number; readonly seed: number },
): GenomeSpread {
  if (
    !(
      Number.isInteger(options.genomes) &&
      options.genomes >= 2 &&
      Number.isInteger(options.runs) &&
      options.runs >= 2
    )
  ) {
    throw err(
      ErrorCode.INVALID_CONFIG,
      `a genome spread needs integer genomes >= 2 and runs >= 2 (got ${options.genomes}, ${options.runs})`,
    );
  }
  requireDefinedGaps(validation, "validation");
  requireDefinedGaps(test, "test");
  const run = { rounds: options.rounds, checkpointEvery: options.checkpointEvery };
  const rng = createRng(deriveSeed(options.seed, "spread"));
  const genomes = Array.from({ length: options.genomes }, () => randomGenome(rng));
  const areas = (tasks: readonly OnlineTask[], role: string) =>
    genomes.map((g, i) =>
      Array.from(
        { length: options.runs },
        (_, r) => scoreGenome(g, tasks, base, deriveSeed(options.seed, `${role}:${i}:${r}`), run).area,
      ),
    );
  const validationAreas = areas(validation, "val");
  const testAreas = areas(test, "test");
  const testMeans = testAreas.map(mean);
  const variance = (xs: readonly number[]) => sampleSd(xs) ** 2;
  return {
    genomes,
    validation: validationAreas,
    test: testAreas,
    testBetween: variance(testMeans),
    testWithin: mean(testAreas.map(variance)),
    correlation: pearson(validationAreas.map(mean), testMeans),
  };
}

/** One row per (generation, member): what the store's generations table records. */
export interface GenerationRow {
  readonly seed: number;
  readonly generation: number;
  readonly member: number;
  readonly genome: Genome;
  readonly validationArea: number;
  /** Set for the generation's best member only: its area on the test tasks. */
  readonly testArea?: number;
}

/** The result of {@link evolveHyperparameters}. */
export interface EvolutionResult {
  readonly rows: readonly GenerationRow[];
  /** testCurves[s][g]: the test learning curve of generation g's best member, seed s. */
  readonly testCurves: readonly (readonly LearningCurve[])[];
  readonly ablationCurves: readonly (readonly LearningCurve[])[];
  readonly rate: MetaImprovementRate;
  readonly ablationRate: MetaImprovementRate;
  /** Paired (evolved − random) test area at the last generation, across seeds. */
  readonly finalAreaGain: MeanCI;
  readonly best: readonly Genome[];
}

/** Options of {@link evolveHyperparameters} and {@link evolveForSeed}. */
export interface EvolutionOptions extends MetaRunOptions {
  readonly population: number;
  readonly generations: number;
  /**
   * Start every scored learner from a prior pretrained for this many epochs with the genome's config (both meta
   * levels at once: the search tunes how the learner adapts from what earlier tasks taught it). A validation task's
   * prior is pretrained on the other validation tasks, a test task's on all of them. Unset: learners start fresh.
   */
  readonly priorEpochs?: number;
  /**
   * Independent runs (own seeds) of each generation's best on the test tasks, averaged into its test curve
   * (default 1). One run is mostly noise: on bench:learner's symbols mixture the variance of one genome's test area
   * over seeds was about 3× the variance between genomes' means (`genomeSpread`).
   */
  readonly testRuns?: number;
  readonly onGeneration?: (rows: readonly GenerationRow[]) => void;
  readonly onProgress?: (done: number, total: number) => void;
}

/** One seed of {@link evolveHyperparameters}: its rows and, per generation, the best member's test curve. */
export interface SeedEvolution {
  readonly rows: readonly GenerationRow[];
  /** testCurves[g]: the test learning curve of generation g's best member. */
  readonly testCurves: readonly LearningCurve[];
  readonly ablationCurves: readonly LearningCurve[];
  /** The last generation's best genome. */
  readonly best: Genome;
}

/**
 * Self-tuning (b): population-based search over learning rate, exploration, width, replay size and training steps
 * per retraining. Each generation runs every member on the validation tasks with fresh seeds (score: mean
 * learning-curve area over all its runs so far, so survivors' scores sharpen); the better half survives (exploit)
 * and the worse half is replaced by perturbed copies of survivors (explore). The generation's best is measured on
 * the test tasks (`testRuns` runs, averaged), which never inform selection; the slope of that test area across
 * generations is the meta-improvement rate. The ablation draws a fresh random population each generation (same
 * budget, no inheritance). It has not yet shown a rate whose CI excludes 0; the configurations measured are in
 * docs/learner-measurements.md.
 *
 * @example
 * ```ts
 * const evo = evolveHyperparameters(validation, test, base, { seeds: [1, 2, 3, 4, 5], population: 6, generations: 4, rounds: 500, checkpointEvery: 100 });
 * ```
 */
export function evolveHyperparameters(
  validation: readonly OnlineTask[],
  test: readonly OnlineTask[],
  base: Omit<LearnerConfig, "seed">,
  options: EvolutionOptions & { readonly seeds: readonly number[] },
): EvolutionResult {
  const total = options.seeds.length * options.generations * 2;
  const perSeed = options.seeds.map((seed, s) =>
    evolveForSeed(validation, test, base, seed, {
      ...options,
      onProgress: (done) => options.onProgress?.(s * options.generations * 2 + done, total),
    }),
  );
  const testCurves = perSeed.map((p) => p.testCurves);
  const ablationCurves = perSeed.map((p) => p.ablationCurves);
  return {
    rows: perSeed.flatMap((p) => p.rows),
    testCurves,
    ablationCurves,
    rate: metaImprovementRate(testCurves, "area"),
    ablationRate: metaImprovementRate(ablationCurves, "area"),
    finalAreaGain: meanCI95(
      testCurves.map((c, s) => curveArea(c[c.length - 1]) - curveArea(ablationCurves[s][c.length - 1])),
    ),
    best: perSeed.map((p) => p.best),
  };
}

/**
 * One seed of self-tuning (see {@link evolveHyperparameters}); the experiment runner calls it seed by seed so that
 * a killed run resumes at the first unfinished seed.
 *
 * @example
 * ```ts
 * const { testCurves, ablationCurves } = evolveForSeed(validation, test, base, 3, { population: 4, generations: 4, rounds: 300, checkpointEvery: 50 });
 * ```
 */
export function evolveForSeed(
  validation: readonly OnlineTask[],
  test: readonly OnlineTask[],
  base: Omit<LearnerConfig, "seed">,
  seed: number,
  options: EvolutionOptions,
): SeedEvolution {
  const { population: size, generations } = options;
  if (size < 2 || generations < 2) {
    throw err(
      ErrorCode.INVALID_CONFIG,
      `evolution needs population >= 2 and generations >= 2 (got ${size}, ${generations})`,
    );
  }
  requireDefinedGaps(validation, "validation");
  requireDefinedGaps(test, "test");
  const { priorEpochs } = options;
  if (
    priorEpochs !== undefined &&
    !(Number.isInteger(priorEpochs) && priorEpochs >= 1 && validation.length >= 2)
  ) {
    throw err(
      ErrorCode.INVALID_CONFIG,
      `evolution with a prior needs an integer priorEpochs >= 1 and >= 2 validation tasks, so each has others to pretrain on (got ${priorEpochs} epochs, ${validation.length} task(s)); add a validation task or leave priorEpochs unset`,
    );
  }
  const testRuns = options.testRuns ?? 1;
  if (!(Number.isInteger(testRuns) && testRuns >= 1)) {
    throw err(ErrorCode.INVALID_CONFIG, `evolution testRuns must be an integer >= 1 (got ${testRuns})`);
  }
  const prior = priorEpochs === undefined ? undefined : { pool: validation, epochs: priorEpochs };
  const run = { rounds: options.rounds, checkpointEvery: options.checkpointEvery };
  const rows: GenerationRow[] = [];
  const curves: { inherit: LearningCurve[]; fresh: LearningCurve[] } = { inherit: [], fresh: [] };
  let best: Genome | undefined;
  let done = 0;
  for (const inherit of [true, false]) {
    const rng = createRng(deriveSeed(seed, "evolution"));
    const fresh = (genome: Genome) => ({ genome, area: Number.NaN, sum: 0, count: 0 });
    let members = Array.from({ length: size }, () => fresh(randomGenome(rng)));
    for (let g = 0; g < generations; g++) {
      // every member (survivors too) runs again on fresh seeds: a survivor's score is the mean of all its
      // runs, so a lucky first score does not keep a weak genome at the top
      for (const [i, m] of members.entries()) {
        m.sum += scoreGenome(m.genome, validation, base, deriveSeed(seed, `val:${g}:${i}`), run, prior).area;
        m.count++;
        m.area = m.sum / m.count;
      }
      const ranked = [...members].sort((a, b) => b.area - a.area);
      const top = ranked[0];
      // run r's seed is shared by every generation and both arms (common random numbers); run 0 keeps "test"
      const testCurve = meanCurve(
        Array.from(
          { length: testRuns },
          (_, r) =>
            scoreGenome(top.genome, test, base, deriveSeed(seed, r === 0 ? "test" : `test:${r}`), run, prior)
              .curve,
        ),
      );
      (inherit ? curves.inherit : curves.fresh).push(testCurve);
      if (inherit) {
        const genRows = members.map((m, i) => ({
          seed,
          generation: g,
          member: i,
          genome: m.genome,
          validationArea: m.area,
          testArea: m === top ? curveArea(testCurve) : undefined,
        }));
        rows.push(...genRows);
        options.onGeneration?.(genRows);
        best = top.genome;
      }
      const keep = Math.ceil(size / 2);
      members = inherit
        ? [
            ...ranked.slice(0, keep),
            ...ranked.slice(0, size - keep).map((m) => fresh(perturb(m.genome, rng))),
          ]
        : Array.from({ length: size }, () => fresh(randomGenome(rng)));
      options.onProgress?.(++done, generations * 2);
    }
  }
  return { rows, testCurves: curves.inherit, ablationCurves: curves.fresh, best: best as Genome };
}
