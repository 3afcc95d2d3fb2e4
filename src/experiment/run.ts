/**
 * The experiment runner: datasets → bench (trials, features, oracle, baselines) → online learner per seed →
 * meta level per seed → store → summary. It is the one place (with the CLI) that composes the stages.
 *
 * Work is recorded per seed; a seed is done once its `seed.done` metric is written. A resumed run skips finished
 * seeds and recomputes the rest, which gives the same numbers because every random choice derives from the seed.
 * The summary is always computed from the per-seed rows in the store, so a run, a resumed run and merged shards
 * share one code path.
 */
import { sampleAndTryOnTrials } from "../bench/baselines/sample-and-try.js";
import { subMatrix } from "../bench/compare.js";
import { permutationImportance } from "../bench/importance.js";
import { vbsChoices } from "../bench/metrics/gap.js";
import { formatObjective, parseObjective } from "../bench/objectives.js";
import { namedPortfolio, parsePortfolio } from "../bench/portfolio.js";
import { runBench } from "../bench/run.js";
import type { CostMatrix } from "../bench/types.js";
import type { Block } from "../datasets/block.js";
import type { SyntheticDataConfigInput } from "../datasets/config.js";
import { loadFiles } from "../datasets/files.js";
import { datasetIdOf, entropyRate, generate } from "../datasets/generate.js";
import { ErrorCode, err } from "../errors.js";
import { FEATURE_COUNT, FEATURE_NAMES, featureSetId } from "../features/extract.js";
import { initBackend } from "../learner/backend.js";
import { learnerToBytes } from "../learner/io.js";
import { CostLearner, DEFAULT_EXPLORATION, type LearnerConfig, learnerConfig } from "../learner/learner.js";
import { evolveForSeed, transferForSeed } from "../learner/meta.js";
import { noveltyGuard } from "../learner/novelty.js";
import { hasDefinedGap, type OnlineTask, runOnline } from "../learner/online.js";
import {
  DEFAULT_DISTILLATION,
  formatLoss,
  type OfflineRecipe,
  offlineLearnerSelector,
} from "../learner/selector.js";
import { deriveSeed } from "../rng.js";
import type { RunHandle } from "../store/run.js";
import type { Store } from "../store/store.js";
import type { ExperimentSpec } from "./spec.js";
import { metricContext as ctx, type ExperimentSummary, summarizeRuns } from "./summary.js";
import { startSystemSampler } from "./system-metrics.js";

/** A deterministic slice of the seeds: shard `index` of `count` (0-based). */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Options of {@link runExperiment}. */
export interface RunExperimentOptions {
  readonly store: Store;
  readonly shard?: Shard;
  /** Continue this run (its finished seeds are kept) instead of starting a new one. */
  readonly resumeRunId?: number;
  readonly onProgress?: (phase: string, done: number, total: number) => void;
  readonly log?: (line: string) => void;
}

/** What the bench phase hands the learner phases: plain data only. */
export interface BenchPhase {
  readonly blocks: readonly Block[];
  readonly groups: readonly string[];
  /** The dataset name of each block: the unit of a meta-level task. */
  readonly datasetOf: readonly string[];
  readonly matrix: CostMatrix;
  readonly features: readonly Float32Array[];
  readonly train: readonly number[];
  readonly test: readonly number[];
}

/**
 * The seeds of an experiment, 1…n, or the slice a shard owns (seed k goes to shard (k − 1) mod count).
 *
 * @example
 * ```ts
 * seedsOf(5, { index: 1, count: 2 }); // [2, 4]
 * ```
 */
export function seedsOf(count: number, shard?: Shard): number[] {
  const all = Array.from({ length: count }, (_, i) => i + 1);
  if (!shard) return all;
  if (
    !Number.isInteger(shard.count) ||
    shard.count < 1 ||
    !Number.isInteger(shard.index) ||
    shard.index < 0 ||
    shard.index >= shard.count
  ) {
    throw err(ErrorCode.USAGE, `shard ${shard.index}/${shard.count} is invalid; use i/n with 0 <= i < n`);
  }
  return all.filter((s) => (s - 1) % shard.count === shard.index);
}

/**
 * Parses `i/n` into a {@link Shard}.
 *
 * @example
 * ```ts
 * parseShard("0/2"); // { index: 0, count: 2 }
 * ```
 */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) throw err(ErrorCode.USAGE, `--shard "${text}" must look like i/n, e.g. 0/2`);
  const shard = { index: Number(m[1]), count: Number(m[2]) };
  seedsOf(1, shard);
  return shard;
}

/** The datasets config of one spec entry: its seed derives from the spec's seed and the entry's name. */
function entryConfig(
  spec: ExperimentSpec,
  entry: { name: string; synthetic: unknown },
): SyntheticDataConfigInput {
  const config = {
    blockBytes: spec.blockBytes,
    ...(entry.synthetic as object),
    seed: deriveSeed(spec.seed, `dataset:${entry.name}`),
  } as SyntheticDataConfigInput;
  // The id names the entry and pins its config, so two experiments never share an id for different data.
  return { ...config, name: `${entry.name}-${datasetIdOf(config).slice(-8)}` };
}

/**
 * Generates every dataset of the spec into blocks. `datasetOf[i]` is the spec's name for block i's dataset.
 *
 * @example
 * ```ts
 * const { blocks, datasetOf } = await experimentBlocks(spec);
 * ```
 */
export async function experimentBlocks(
  spec: ExperimentSpec,
): Promise<{ blocks: Block[]; datasetOf: string[] }> {
  const blocks: Block[] = [];
  const datasetOf: string[] = [];
  for (const entry of spec.datasets) {
    if ("files" in entry) {
      // the user's files: one dataset, blocks labelled with each file's guessed family
      for await (const block of loadFiles(entry.files, {
        blockSize: spec.blockBytes,
        datasetId: entry.name,
      })) {
        blocks.push(block);
        datasetOf.push(entry.name);
      }
      continue;
    }
    for await (const block of generate(entryConfig(spec, entry))) {
      blocks.push(block);
      datasetOf.push(entry.name);
    }
  }
  return { blocks, datasetOf };
}

/** Records the spec's datasets and their blocks in the store, once per dataset id. */
async function recordDatasets(store: Store, spec: ExperimentSpec, blocks: readonly Block[]): Promise<void> {
  for (const entry of spec.datasets) {
    if ("files" in entry) continue;
    const config = entryConfig(spec, entry);
    const id = config.name as string;
    const known = await store.query("SELECT count(*) AS n FROM blocks WHERE dataset_id = $1", [id]);
    if (Number(known[0]?.n ?? 0) > 0) continue;
    const rate = entropyRate(config);
    const own = blocks.filter((b) => b.datasetId === id);
    await store.addDataset({
      id,
      family: own[0]?.family ?? "unknown",
      configJson: JSON.stringify(config),
      seed: config.seed ?? null,
      entropyRate: rate.bitsPerByte,
      entropyExact: rate.exact,
      blockSize: spec.blockBytes,
      createdAt: new Date(),
    });
    await store.appendBlocks(
      own.map((b) => ({
        datasetId: id,
        blockIndex: b.index,
        family: b.family,
        task: b.task,
        length: b.bytes.length,
        entropy: b.entropyBitsPerByte ?? null,
      })),
    );
  }
}

/** The learner config of the spec, without its seed. */
export function baseLearnerConfig(
  spec: ExperimentSpec,
  pipelines: readonly string[],
): Omit<LearnerConfig, "seed"> {
  const l = spec.learner;
  const { seed: _seed, ...config } = learnerConfig({
    featureCount: FEATURE_COUNT,
    featureSet: featureSetId(spec.bench.featureBytes),
    pipelines,
    seed: 0,
    hidden: l.hidden,
    learningRate: l.learningRate,
    exploration: {
      ...DEFAULT_EXPLORATION,
      epsilon: l.epsilon,
      halfLife: l.epsilonHalfLife,
      contenders: l.contenders,
    },
    heads: l.heads,
    replaySize: l.replaySize,
    retrainEvery: l.retrainEvery,
    trainSteps: l.trainSteps,
    batchSize: l.batchSize,
  });
  return config;
}

/**
 * The offline recipe of the spec (its `offline*` learner fields over the library's `OFFLINE_RECIPE`).
 *
 * @example
 * ```ts
 * offlineRecipeOf(spec).distil; // { copies: 8, jitter: 0.1, hidden: [32] } for offlineDistil true, offlineStudent [32]
 * ```
 */
export function offlineRecipeOf(spec: ExperimentSpec): Partial<OfflineRecipe> {
  const l = spec.learner;
  return {
    hidden: l.offlineHidden,
    learningRate: l.offlineLearningRate,
    members: l.offlineMembers,
    loss: l.offlineLoss,
    epochs: l.offlineEpochs,
    earlyStopping: l.offlineEarlyStopping,
    distil: l.offlineDistil ? { ...DEFAULT_DISTILLATION, hidden: l.offlineStudent } : undefined,
  };
}

/**
 * The online task of one dataset. About a third of its blocks form the fixed held-out set of its learning curve,
 * stratified by each block's oracle pipeline so that the held-out set shows the task's variety (with a plain
 * random third, SBS often equals VBS on a small task and gap closed is undefined).
 */
function datasetTask(name: string, bench: BenchPhase): OnlineTask {
  const blocks = bench.datasetOf.flatMap((d, b) => (d === name ? [b] : []));
  const costs = subMatrix(bench.matrix, blocks);
  const byOracle = new Map<number, number[]>();
  for (const [i, p] of vbsChoices(costs).entries()) byOracle.set(p, [...(byOracle.get(p) ?? []), i]);
  const test = [...byOracle.values()]
    .flatMap((members) => members.filter((_, k) => k % 3 === 1))
    .sort((a, b) => a - b);
  return {
    name,
    features: blocks.map((b) => bench.features[b]),
    costs,
    train: blocks.map((_, i) => i).filter((i) => !test.includes(i)),
    test,
  };
}

/** Logs a learning curve point by point; checkpoints where gap closed is undefined (SBS = VBS) are skipped. */
async function logCurve(
  run: RunHandle,
  key: string,
  context: string,
  curve: { rounds: readonly number[]; gapClosed: readonly number[] },
) {
  for (let i = 0; i < curve.rounds.length; i++) {
    if (Number.isFinite(curve.gapClosed[i]))
      await run.logMetric(key, curve.gapClosed[i], curve.rounds[i], context);
  }
}

/**
 * Stores, for one seed's trained selector, its choice and the oracle's on each held-out block, and the
 * permutation importance of each feature (5 seeded shuffles). A resumed seed whose rows exist keeps them.
 */
async function recordSelections(
  store: Store,
  run: RunHandle,
  seed: number,
  bench: BenchPhase,
  choose: (features: readonly Float32Array[]) => number[],
  specSeed: number,
): Promise<void> {
  const selector = "online learner";
  const stored = async (table: "selections" | "feature_importances") => {
    const sql = `SELECT count(*) AS n FROM ${table} WHERE run_id = $1 AND seed = $2`;
    const [row] = await store.query(sql, [run.id, seed]);
    return Number(row?.n ?? 0) > 0;
  };
  // each table is checked on its own: a kill between the two appends leaves only the second to write
  const haveSelections = await stored("selections");
  const haveImportances = await stored("feature_importances");
  if (haveSelections && haveImportances) return;
  const split = { train: bench.train, test: bench.test };
  const pipelines = bench.matrix.pipelines;
  const oracle = vbsChoices(bench.matrix, bench.test);
  const importance = permutationImportance({
    choose,
    features: bench.features,
    matrix: bench.matrix,
    split,
    seed: deriveSeed(specSeed, `importance:${seed}`),
    featureNames: FEATURE_NAMES,
  });
  const chosen = importance?.choices ?? choose(bench.test.map((b) => bench.features[b]));
  if (!haveSelections)
    await run.appendSelections(
      bench.test.map((b, i) => ({
        seed,
        selector,
        datasetId: bench.blocks[b].datasetId,
        blockIndex: bench.blocks[b].index,
        selected: pipelines[chosen[i]],
        oracle: pipelines[oracle[i]],
      })),
    );
  if (importance && !haveImportances) {
    await run.appendFeatureImportances(
      importance.importances.map((f) => ({
        seed,
        selector,
        feature: f.feature,
        importance: f.importance,
        baselineGapClosed: importance.baselineGapClosed,
        repeats: importance.repeats,
      })),
    );
  }
}

async function finishedSeeds(store: Store, runId: number): Promise<Set<number>> {
  const rows = await store.query(
    "SELECT DISTINCT step FROM metrics WHERE run_id = $1 AND key = 'seed.done'",
    [runId],
  );
  return new Set(rows.map((r) => Number(r.step)));
}

/**
 * One `generations` row per generation of the self-tuning search, once all of a run's seeds are done: every seed's
 * population (genomes and validation areas) and, as the score, the mean test area of the seeds' best members.
 * Built from the run's metric rows, so a resumed run and merged shards write the same rows.
 *
 * @example
 * ```ts
 * const summary = await summarizeRuns(store, [run.id], spec);
 * await recordGenerations(store, run, summary); // nothing without `meta.evolution`, or when already written
 * ```
 */
export async function recordGenerations(
  store: Store,
  run: RunHandle,
  summary: ExperimentSummary,
): Promise<void> {
  const evolution = summary.evolution;
  if (!evolution) return;
  const written = await store.query("SELECT count(*) AS n FROM generations WHERE run_id = $1", [run.id]);
  if (Number(written[0]?.n ?? 0) > 0) return;
  const members = await store.query(
    "SELECT DISTINCT step, value, context FROM metrics WHERE run_id = $1 AND key = 'evolution.validation_area' ORDER BY step, context",
    [run.id],
  );
  const generations = evolution.rate.speeds[0]?.length ?? 0;
  for (let g = 0; g < generations; g++) {
    const testArea = summary.seeds.map((seed, s) => ({ seed, testArea: evolution.rate.speeds[s][g] }));
    const population = members
      .filter((r) => Number(r.step) === g)
      .map((r) => ({ ...JSON.parse(String(r.context)), validationArea: Number(r.value) }))
      .filter((m) => summary.seeds.includes(Number(m.seed)))
      .sort((a, b) => a.seed - b.seed || a.member - b.member);
    const finite = testArea.map((t) => t.testArea).filter(Number.isFinite);
    const score = finite.length > 0 ? finite.reduce((a, v) => a + v, 0) / finite.length : Number.NaN;
    await run.logGeneration(g, { population, best: testArea }, score);
  }
}

/**
 * Runs an experiment end to end and returns its summary. Records everything in the store.
 *
 * @example
 * ```ts
 * const store = await openStore("experiments/metacomp.duckdb");
 * const summary = await runExperiment(await loadExperimentSpec("experiments/quick.json"), { store });
 * summary.improvementRate; // { mean, lo, hi, … }
 * ```
 */
export async function runExperiment(
  spec: ExperimentSpec,
  opts: RunExperimentOptions,
): Promise<ExperimentSummary> {
  const log = opts.log ?? (() => {});
  const progress = opts.onProgress ?? (() => {});
  const backend = await initBackend();
  const run = opts.resumeRunId
    ? await opts.store.resumeRun(opts.resumeRunId)
    : await opts.store.startRun({
        experiment: spec.name,
        seed: spec.seed,
        config: spec,
        tfjsBackend: backend.name,
      });
  const sampler = startSystemSampler((m) => run.logSystemMetrics(m));
  try {
    if (!opts.resumeRunId) {
      await run.logParams({
        ...Object.fromEntries(Object.entries(spec).filter(([k]) => k !== "datasets")),
        datasets: spec.datasets.map((d) => d.name),
        shard: opts.shard ? `${opts.shard.index}/${opts.shard.count}` : "all",
        featureSet: featureSetId(spec.bench.featureBytes),
        featureNames: FEATURE_NAMES,
      });
    }
    log(
      `run ${run.id}: ${spec.name} on ${backend.name}${opts.shard ? `, shard ${opts.shard.index}/${opts.shard.count}` : ""}`,
    );

    // datasets and bench: deterministic, recomputed on resume
    const { blocks, datasetOf } = await experimentBlocks(spec);
    await recordDatasets(opts.store, spec, blocks);
    const groups = blocks.map((b) => b.task);
    const objective = parseObjective(spec.objective);
    const portfolio = Array.isArray(spec.portfolio)
      ? parsePortfolio({ name: "custom", pipelines: spec.portfolio })
      : namedPortfolio(spec.portfolio);
    log(
      `datasets: ${spec.datasets.length} (${blocks.length} blocks of ≤ ${spec.blockBytes} B); portfolio ${portfolio.name}: ${portfolio.pipelines.length} pipelines`,
    );
    const base = baseLearnerConfig(spec, portfolio.pipelines);
    const offline = offlineLearnerSelector(base, deriveSeed(spec.seed, "offline"), offlineRecipeOf(spec));
    // the same fitted learner, novel blocks probed by sample-and-try (it comes after the learner, which fits first);
    // with time in the objective, sample-and-try takes the pipelines' speeds on the training blocks
    const novelty = spec.learner.offlineNovelty;
    let guarded: ReturnType<typeof noveltyGuard> | undefined;
    const benchResult = await runBench(
      portfolio,
      blocks.map((b) => b.bytes),
      groups,
      {
        objectives: [objective],
        repeats: spec.bench.repeats,
        workers: spec.bench.workers,
        seed: spec.seed,
        testFraction: spec.bench.testFraction,
        featureBytes: spec.bench.featureBytes,
        onProgress: (done, total) => progress("bench", done, total),
        // one objective, so one fit: the selector can be built here and asked for its chosen loss below
        extraSelectors: (_objective, _pipelines, { trials, split }) => {
          if (novelty !== undefined) {
            const fallback = sampleAndTryOnTrials(
              { pipelines: portfolio.pipelines, objective },
              trials,
              split.train,
            );
            guarded = noveltyGuard(offline, { fallback, quantile: novelty, fitsLearner: false });
          }
          return [offline, ...(guarded ? [guarded] : [])];
        },
      },
    );
    sampler.addWork(benchResult.evaluation.trials.length);
    const result = benchResult.results[0];
    const bench: BenchPhase = {
      blocks,
      groups,
      datasetOf,
      matrix: result.matrix,
      features: benchResult.features,
      train: benchResult.split.train,
      test: benchResult.split.test,
    };
    const chosenLoss = offline.loss();
    const offlineLoss = chosenLoss && formatLoss(chosenLoss);
    // Trials and bench metrics are written once per run; a resumed run keeps what an earlier attempt wrote.
    const recorded = async (sql: string) => Number((await opts.store.query(sql, [run.id]))[0]?.n ?? 0) > 0;
    if (!(await recorded("SELECT count(*) AS n FROM trials WHERE run_id = $1"))) {
      await run.appendTrials(
        benchResult.evaluation.trials.map((t) => ({
          datasetId: blocks[t.blockIndex].datasetId,
          blockIndex: blocks[t.blockIndex].index,
          pipeline: t.pipeline,
          bytesOut: t.bytesOut,
          encNs: Math.round(t.encNs),
          decNs: Math.round(t.decNs),
          roundTripOk: t.roundTripOk,
        })),
      );
    }
    if (!(await recorded("SELECT count(*) AS n FROM metrics WHERE run_id = $1 AND key LIKE 'bench.%'"))) {
      for (const [name, s] of Object.entries(result.report.overall.selectors)) {
        if (s.gapClosed !== undefined && Number.isFinite(s.gapClosed))
          await run.logMetric(`bench.gap_closed`, s.gapClosed, 0, ctx({ selector: name }));
        await run.logMetric("bench.overhead", result.overhead[name].overall, 0, ctx({ selector: name }));
      }
      const pipelineBytes = new Map<string, number>();
      for (const t of benchResult.evaluation.trials)
        pipelineBytes.set(t.pipeline, (pipelineBytes.get(t.pipeline) ?? 0) + t.bytesOut);
      for (const [p, bytes] of pipelineBytes)
        await run.logMetric("bench.bytes_out", bytes, 0, ctx({ pipeline: p }));
      if (offlineLoss) await run.setTag("offline_loss", offlineLoss);
      if (guarded)
        await run.logMetric("bench.novel_blocks", guarded.novelCount(), 0, ctx({ selector: guarded.name }));
    }
    log(
      `bench: SBS ${result.report.sbs}; ${benchResult.evaluation.trials.length} trials (${formatObjective(objective)}); offline learner's loss: ${offlineLoss ?? "none"}`,
    );

    // learner: online curve and meta level, seed by seed
    const seeds = seedsOf(spec.seeds, opts.shard);
    const done = await finishedSeeds(opts.store, run.id);
    const mixture: OnlineTask = {
      name: "mixture",
      features: bench.features,
      costs: bench.matrix,
      train: bench.train,
      test: bench.test,
    };
    const meta = spec.meta?.enabled ? spec.meta : undefined;
    const heldOut = meta ? meta.heldOut.map((n) => datasetTask(n, bench)) : [];
    const metaTrain = meta
      ? spec.datasets
          .map((d) => d.name)
          .filter((n) => !meta.heldOut.includes(n))
          .map((n) => datasetTask(n, bench))
      : [];
    const evolution = meta?.evolution;
    // self-tuning is scored on the meta-training datasets where gap closed is defined (elsewhere every score is NaN)
    const validation = evolution ? metaTrain.filter(hasDefinedGap) : [];
    if (evolution && validation.length === 0) {
      throw err(
        ErrorCode.INVALID_CONFIG,
        `meta.evolution: no meta-training dataset has a defined gap closed (its SBS is also its VBS on held-out blocks), so no genome can be scored; add a dataset where pipelines differ, or remove meta.evolution`,
      );
    }
    if (evolution?.priorEpochs !== undefined && validation.length < 2) {
      throw err(
        ErrorCode.INVALID_CONFIG,
        `meta.evolution.priorEpochs: each meta-training dataset's learners start from a prior pretrained on the others, but only ${validation.length} has a defined gap closed; add one, or remove priorEpochs`,
      );
    }
    for (const [k, seed] of seeds.entries()) {
      if (done.has(seed)) {
        log(`seed ${seed}: done earlier, kept`);
        continue;
      }
      const learner = CostLearner.create({ ...base, seed: deriveSeed(spec.seed, `online:${seed}`) });
      const online = runOnline(learner, mixture, {
        rounds: spec.online.rounds,
        checkpointEvery: spec.online.checkpointEvery,
      });
      await run.saveCheckpoint(seed * 1_000_000 + spec.online.rounds, await learnerToBytes(learner), {
        seed,
        finalGapClosed: online.curve.gapClosed.at(-1) ?? Number.NaN,
      });
      await recordSelections(opts.store, run, seed, bench, (f) => learner.greedy(f), spec.seed);
      learner.dispose();
      await logCurve(run, "online.gap_closed", ctx({ seed }), online.curve);
      sampler.addWork(spec.online.rounds);
      if (meta) {
        const transfer = transferForSeed(metaTrain, heldOut, base, deriveSeed(spec.seed, `meta:${seed}`), {
          rounds: meta.rounds,
          checkpointEvery: meta.checkpointEvery,
          epochs: meta.priorEpochs,
        });
        for (const [j, curve] of transfer.curves.entries())
          await logCurve(run, "meta.gap_closed", ctx({ seed, step: j, arm: "meta" }), curve);
        for (const [j, curve] of transfer.ablation.entries())
          await logCurve(run, "meta.gap_closed", ctx({ seed, step: j, arm: "ablation" }), curve);
      }
      if (evolution) {
        const evo = evolveForSeed(validation, heldOut, base, deriveSeed(spec.seed, `evolution:${seed}`), {
          ...evolution,
          onProgress: (d, total) => progress(`self-tuning, seed ${seed}`, d, total),
        });
        for (const [g, curve] of evo.testCurves.entries())
          await logCurve(run, "evolution.gap_closed", ctx({ seed, step: g, arm: "evolved" }), curve);
        for (const [g, curve] of evo.ablationCurves.entries())
          await logCurve(run, "evolution.gap_closed", ctx({ seed, step: g, arm: "random" }), curve);
        for (const r of evo.rows) {
          await run.logMetric(
            "evolution.validation_area",
            r.validationArea,
            r.generation,
            ctx({ seed, member: r.member, best: r.testArea === undefined ? 0 : 1, ...r.genome }),
          );
        }
      }
      await run.logMetric("seed.done", 1, seed);
      log(
        `seed ${seed}: final online gap closed ${(online.curve.gapClosed.at(-1) ?? Number.NaN).toFixed(3)} (${k + 1}/${seeds.length})`,
      );
    }

    const summary = await summarizeRuns(opts.store, [run.id], spec);
    await recordGenerations(opts.store, run, summary);
    for (const [key, value] of Object.entries(summary.headline)) {
      if (Number.isFinite(value)) await run.logMetric(key, value, spec.online.rounds);
    }
    sampler.stop();
    await run.finish();
    return summary;
  } catch (e) {
    sampler.stop();
    await run.fail(e).catch(() => {});
    throw e;
  }
}
