/**
 * `npm run bench:learner`: the meta-learner's acceptance measurements (issue 7) on held-out blocks of a synthetic
 * mixture of task families, objective `size` then `transfer:100`. Prints a report; `--out file.json` saves it.
 * Options: `--seeds N` (default 10), `--objectives size,transfer:100`, `--only-offline`, `--skip-online`, `--skip-meta`,
 * `--skip-transfer` (meta (a)), `--skip-evolution` (meta (b)), `--hidden 64x64`, `--lr 0.003`, `--steps 50`, `--batch 64` (online learner), `--epochs` (offline, most),
 * `--heads 5` (online bootstrap heads), `--epsilon 0.1 --epsilon-half-life 250 --contenders 3` (ε-greedy exploration),
 * `--thompson` (Thompson sampling over the heads instead), `--risk 0` (κ of risk-averse greedy choices),
 * `--offline-hidden 128x128`, `--offline-lr 0.003`, `--offline-members 5`, `--offline-early-stopping 0.2`, `--offline-loss listwise|listwise:τ|regression|validated`,
 * `--offline-temperatures 0.003,0.001,0.0003` (the listwise τ candidates, chosen on held-back training rows),
 * `--offline-distil 8 --offline-jitter 0.1` (distil the offline ensemble into one network; copies per training row),
 * `--offline-student 32` (the distilled network's hidden widths, e.g. 32x32, or linear; default: the members'),
 * `--offline-seeds 5 --offline-seed 1` (offline learners' seeds: the first is reported beside the baselines, all give a mean and CI),
 * `--leave-one-family-out` (also hold out every family in turn: gap closed pooled over the folds, the learner's margin
 * over each baseline with its CI; 7× the held-out-families fits, no novelty guards or regression head),
 * `--novelty 0.97` (quantiles of novelty guards around the offline learner, comma-separated; novel blocks go to sample-and-try, which under an objective with time takes the pipelines' measured speeds on the training blocks instead of timing its samples; "" = none),
 * `--relative-weight auto|w` (all offline fits and priors; default: each recipe's own), `--cache trials.json` (keeps the exhaustive evaluation between runs),
 * `--population 4 --generations 4 --validation-families N` (meta (b); default: every meta-training family with a defined gap),
 * `--evolution-prior 0` (meta (b): epochs of a prior that each scored learner starts from; 0 = learners start fresh),
 * `--evolution-rounds 1000` (meta (b): rounds of each scored learner's run, checkpoints every 50; 300 is quicker and noisier),
 * `--evolution-test-runs 5` (meta (b): independent runs of each generation's best on the held-out families, averaged),
 * `--genome-spread 16` (meta (b) diagnostic: that many random genomes, 3 runs each on the validation and held-out
 * families: how far genomes differ against one run's noise, and how well validation predicts test; 0 = skip),
 * `--repeats 15` (timed runs per trial, interleaved across pipelines, median kept), `--blocks N` per family (default 128), `--block-bytes B` (default 65536), `--held-out a,b`,
 * `--mixture symbols|datasets` (default symbols: iid and Markov sources; datasets: the datasets module's kinds of data),
 * `--feature-bytes 640` (the features' sample of each block, a multiple of 40 up to 1280; every stage reads the same;
 * 160 is the library's default, within the features' 2%-of-zstd:3 budget).
 * An unknown option or a malformed value stops the run before any work, with one line naming it (exit 2).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { sampleAndTryOnTrials } from "../bench/baselines/sample-and-try.js";
import { compareSelectors, subMatrix } from "../bench/compare.js";
import { evaluate } from "../bench/evaluate.js";
import { gapClosed, gapClosedOf, vbsChoices } from "../bench/metrics/gap.js";
import { costMatrix, objectiveUsesTime, parseObjective } from "../bench/objectives.js";
import { type OracleReport, type Split, splitByBlock, splitByGroup } from "../bench/oracle.js";
import { quickPortfolio } from "../bench/portfolio.js";
import { defaultBaselines, extractTimed } from "../bench/run.js";
import type { CostMatrix, Selector, Trial } from "../bench/types.js";
import { type NumberRule, numberArg, numberListArg } from "../cli/io.js";
import type { SyntheticDataConfigInput } from "../datasets/config.js";
import { generate } from "../datasets/generate.js";
import { ErrorCode, err } from "../errors.js";
import { checkSampleBytes, FEATURE_COUNT, FEATURE_SAMPLE_BYTES, featureSetId } from "../features/extract.js";
import { createRng, deriveSeed } from "../rng.js";
import { mean, meanCI95 } from "../stats.js";
import { initBackend } from "./backend.js";
import { DEFAULT_DISTILLATION } from "./config.js";
import {
  CostLearner,
  DEFAULT_EXPLORATION,
  DEFAULT_LEARNER,
  type LearnerConfig,
  learnerConfig,
} from "./learner.js";
import { evolveHyperparameters, genomeSpread, transferSequence } from "./meta.js";
import { improvementRate, type LearningCurve } from "./metrics/curve.js";
import { noveltyGuard } from "./novelty.js";
import { explorationReference, hasDefinedGap, type OnlineTask, runOnline } from "./online.js";
import { formatLoss, OFFLINE_RECIPE, type OfflineRecipe, offlineLearnerSelector } from "./selector.js";

const VALUE_OPTIONS = [
  ...["seeds", "objectives", "mixture", "held-out", "blocks", "block-bytes", "repeats", "cache", "out"],
  ...["hidden", "lr", "steps", "batch", "heads", "epsilon", "epsilon-half-life", "contenders", "risk"],
  ...["offline-hidden", "offline-lr", "offline-members", "offline-loss", "offline-temperatures", "epochs"],
  ...["offline-early-stopping", "offline-distil", "offline-jitter", "offline-seeds", "offline-seed"],
  ...["relative-weight", "novelty", "population", "generations", "validation-families", "evolution-prior"],
  ...["evolution-rounds", "evolution-test-runs", "genome-spread", "feature-bytes", "offline-student"],
];
const FLAGS = [
  ...["thompson", "only-offline", "skip-online", "skip-meta", "skip-transfer", "skip-evolution"],
  "leave-one-family-out",
];
/** A usage error (E_USAGE) ends the run with its one-line message and exit code 2; anything else is rethrown. */
function exitOnUsageError(e: unknown): never {
  if ((e as { code?: string }).code !== ErrorCode.USAGE) throw e;
  process.stderr.write(`bench:learner: ${(e as Error).message}\n`);
  process.exit(2);
}
/** Reads options through `read`, exiting on a usage error before any work is done. */
function checked<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    return exitOnUsageError(e);
  }
}
/** The command line; an unknown option stops the run before any work (a typo would otherwise be ignored). */
const parsed: Record<string, unknown> = (() => {
  try {
    return parseArgs({
      options: Object.fromEntries([
        ...VALUE_OPTIONS.map((name) => [name, { type: "string" as const }]),
        ...FLAGS.map((name) => [name, { type: "boolean" as const }]),
      ]),
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    const message = `${(e as Error).message}; the options are listed at the top of src/learner/bench.ts`;
    return exitOnUsageError(err(ErrorCode.USAGE, message, e));
  }
})();
const opt = (name: string, fallback: string): string => {
  const value = parsed[name];
  return typeof value === "string" ? value : fallback;
};
const flag = (name: string): boolean => parsed[name] === true;
/** A numeric option, checked (see `numberArg`). */
const num = (name: string, fallback: number, rule: NumberRule = {}): number =>
  checked(() => numberArg(opt(name, String(fallback)), name, rule));
const INT = { integer: true, min: 1 } as const;
const POSITIVE = { above: 0 } as const;
// 10 seeds by default: with 5, the meta-level CIs were too wide to tell a real gain from noise either way
const SEEDS = Array.from({ length: num("seeds", 10, INT) }, (_, i) => i + 1);
// unset: each recipe's default ("auto" for listwise; the regression head below uses "auto" too)
const REL_OPTION = opt("relative-weight", "");
const REL: number | "auto" | undefined =
  REL_OPTION === "" ? undefined : REL_OPTION === "auto" ? "auto" : num("relative-weight", 0, { min: 0 });
/**
 * The offline learners' seeds: `--offline-seeds N` (default 5) from `--offline-seed` (default 1). The first seed's
 * learners are reported with the baselines; every seed's gap closed gives the mean and its 95% CI.
 */
const OFFLINE_SEEDS = Array.from(
  { length: num("offline-seeds", 5, INT) },
  (_, i) => num("offline-seed", 1, { integer: true, min: 0 }) + i,
);
if (flag("leave-one-family-out") && OFFLINE_SEEDS.length < 2) {
  exitOnUsageError(
    err(
      ErrorCode.USAGE,
      "--leave-one-family-out reports a CI over offline seeds: use --offline-seeds 2 or more",
    ),
  );
}
const OBJECTIVES = opt("objectives", "size,transfer:100").split(",");
const BLOCK_BYTES = num("block-bytes", 65536, INT);
// 128: under transfer:100 each block's times carry their own noise and 64 blocks per family left the learner at
// 0.768 offline and 0.740 online; 128 gave 0.898 and 0.870 (160-byte features). Under size it changed nothing.
const BLOCKS_PER_FAMILY = num("blocks", 128, INT);
const NOVELTY = checked(() => numberListArg(opt("novelty", "0.97"), "novelty", { min: 0, max: 1 }));
/** Meta (b)'s budget; `--validation-families` unset = every scorable meta-training family. */
const EVOLUTION = {
  population: num("population", 4, INT),
  generations: num("generations", 4, INT),
  priorEpochs: num("evolution-prior", 0, { integer: true, min: 0 }) || undefined,
  // 1,000 rounds: at 300 the first checkpoints' luck dominated each run's area (the rates' CIs were twice as wide)
  rounds: num("evolution-rounds", 1000, { integer: true, min: 50 }),
  // 5 runs of each generation's best: one run's test area was mostly seed noise (see testRuns in meta.ts)
  testRuns: num("evolution-test-runs", 5, INT),
};
/** `--genome-spread N`: N random genomes, 3 runs each, before the search (0: skip). */
const GENOME_SPREAD = num("genome-spread", 0, { integer: true, min: 0 });
/**
 * The features' sample per block: wider tells the learner more at a proportional extraction cost. 640 bytes (4× the
 * library's default) lifted held-out blocks under size from 0.880 to 0.936 at 128 blocks, at 3.5× the extraction
 * time; the learner's overhead under size stays under 2% of the chosen encode.
 */
const FEATURE_BYTES = checked(() => {
  const bytes = num("feature-bytes", 4 * FEATURE_SAMPLE_BYTES, INT);
  try {
    checkSampleBytes(bytes);
  } catch (e) {
    throw err(ErrorCode.USAGE, `--feature-bytes: ${(e as Error).message}`);
  }
  return bytes;
});
const VALIDATION_FAMILIES = opt("validation-families", "") ? num("validation-families", 0, INT) : undefined;
/** How a trial cache's times were measured; caches from the earlier back-to-back timing are refused. */
const TIMING = "interleaved";

/**
 * The task families of a mixture. A family is a distribution over source parameters: every block draws its own
 * parameters (seeded), so the best pipeline varies inside a family as well as across families.
 */
type Draw = () => number;
type Family = (u: Draw) => SyntheticDataConfigInput;
const pick = <T>(u: number, xs: readonly T[]): T => xs[Math.min(xs.length - 1, Math.floor(u * xs.length))];
const logU = (u: number, lo: number, hi: number) =>
  Math.exp(Math.log(lo) + u * (Math.log(hi) - Math.log(lo)));
/** `--mixture datasets`: the datasets module's kinds of data, each with its parameters drawn per block. */
const DATA_FAMILIES: Record<string, Family> = {
  text: (u) => ({
    family: "text",
    vocabulary: Math.round(logU(u(), 50, 50000)),
    zipfS: 0.8 + 0.8 * u(),
    sentenceWords: 5 + 25 * u(),
    totalBytes: 0,
  }),
  "json-logs": (u) => ({
    family: "json-logs",
    services: Math.round(logU(u(), 1, 200)),
    users: Math.round(logU(u(), 10, 1e6)),
    meanIntervalMs: logU(u(), 1, 10000),
    idHexChars: pick(u(), [0, 8, 16, 32]),
    totalBytes: 0,
  }),
  csv: (u) => ({
    family: "csv",
    columns: [
      { type: "sequence", name: "id", start: 1 },
      { type: "category", name: "city", levels: Math.round(logU(u(), 2, 5000)), zipfS: 2 * u() },
      {
        type: "normal",
        name: "temperature",
        mean: 15,
        sd: logU(u(), 0.1, 50),
        decimals: pick(u(), [0, 1, 2, 4]),
      },
      { type: "uniform", name: "visits", min: 0, max: Math.round(logU(u(), 2, 1e6)) },
      { type: "walk", name: "price", start: 100, sd: logU(u(), 0.01, 5), decimals: 2 },
    ],
    totalBytes: 0,
  }),
  "timeseries-int": (u) => ({
    family: "timeseries",
    dtype: pick(u(), ["int16", "int32"] as const),
    process: pick(u(), ["random-walk", "ar1", "seasonal", "sensor"] as const),
    noiseSd: logU(u(), 0.05, 40),
    totalBytes: 0,
  }),
  "timeseries-float": (u) => ({
    family: "timeseries",
    dtype: pick(u(), ["float32", "float64"] as const),
    process: pick(u(), ["random-walk", "ar1", "seasonal", "sensor"] as const),
    noiseSd: logU(u(), 0.05, 40),
    totalBytes: 0,
  }),
  image: (u) => ({
    family: "image",
    width: pick(u(), [128, 256, 512]),
    components: Math.round(20 * u()),
    noiseSd: 20 * u() ** 2,
    totalBytes: 0,
  }),
  sparse: (u) => ({
    family: "sparse",
    zeroRunMean: logU(u(), 2, 4096),
    dataRunMean: logU(u(), 1, 64),
    totalBytes: 0,
  }),
  repetitive: (u) => ({
    family: "repetitive",
    motifBytes: Math.round(logU(u(), 64, 32768)),
    mutationRate: logU(u(), 1e-4, 0.1),
    totalBytes: 0,
  }),
};
/**
 * `--mixture symbols` (default): memoryless and Markov symbol sources only. A hard case for gap closed: on most of these
 * families the single best pipeline is within 0.1–2% of the oracle, so gap closed is a ratio of tiny differences.
 */
const SYMBOL_FAMILIES: Record<string, Family> = {
  "iid-uniform": (u) => ({ family: "iid", alphabet: Math.round(logU(u(), 2, 256)), totalBytes: 0 }),
  "iid-zipf": (u) => ({
    family: "iid",
    alphabet: pick(u(), [16, 64, 256]),
    distribution: { kind: "zipf", s: 0.5 + 2.5 * u() },
    totalBytes: 0,
  }),
  "iid-geometric": (u) => ({
    family: "iid",
    alphabet: 256,
    distribution: { kind: "geometric", p: logU(u(), 0.01, 0.8) },
    totalBytes: 0,
  }),
  markov1: (u) => ({
    family: "markov",
    order: 1,
    alphabet: pick(u(), [4, 16, 64, 256]),
    concentration: logU(u(), 0.02, 2),
    totalBytes: 0,
  }),
  markov2: (u) => ({
    family: "markov",
    order: 2,
    alphabet: pick(u(), [4, 8, 16, 32]),
    concentration: logU(u(), 0.02, 2),
    totalBytes: 0,
  }),
  markov3: (u) => ({
    family: "markov",
    order: 3,
    alphabet: pick(u(), [2, 4, 8]),
    concentration: logU(u(), 0.02, 2),
    totalBytes: 0,
  }),
  markov5: (u) => ({
    family: "markov",
    order: 5,
    alphabet: pick(u(), [2, 4]),
    concentration: logU(u(), 0.02, 2),
    totalBytes: 0,
  }),
};
const MIXTURE = opt("mixture", "symbols");
const MIXTURES: Record<string, { families: Record<string, Family>; heldOut: string }> = {
  datasets: { families: DATA_FAMILIES, heldOut: "json-logs,timeseries-float" },
  symbols: { families: SYMBOL_FAMILIES, heldOut: "iid-geometric,markov3" },
};
if (!MIXTURES[MIXTURE]) {
  process.stderr.write(`unknown --mixture ${MIXTURE}; use one of: ${Object.keys(MIXTURES).join(", ")}\n`);
  process.exit(2);
}
const FAMILIES = MIXTURES[MIXTURE].families;
const HELD_OUT = opt("held-out", MIXTURES[MIXTURE].heldOut).split(",");

const log = (line: string) => process.stdout.write(`${line}\n`);

/** The 1-minute load average at the end of each timed evaluation (undefined: not measured, e.g. an older cache). */
interface EvaluationLoad {
  trials?: number;
  retest?: number;
}

/**
 * Prints the load the timed evaluations ran under. The bench's own evaluation counts as 1; more means other
 * processes shared the machine, which makes times noisier (transfer:100, 15 repeats: the re-measured oracle closed
 * 0.92 of the gap on an idle machine, 0.79 with tests running beside it).
 */
function logLoad(load: EvaluationLoad): void {
  const measured = [load.trials, load.retest].filter((x): x is number => x !== undefined);
  if (measured.length === 0) return;
  const worst = Math.max(...measured);
  log(
    `load average after the timed evaluations: ${measured.map((x) => x.toFixed(2)).join(", ")} on ${availableParallelism()} cores (the evaluation itself is 1)`,
  );
  if (worst >= 1.5) {
    log(
      "  warning: other processes were running while blocks were timed; figures of objectives with time are noisier than on an idle machine",
    );
  }
}
const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : String(x));
/**
 * One offline seed's fit of a learner: its gap closed overall and per family, and what the fit chose (the loss, or
 * for a novelty guard how many blocks it gave the fallback).
 */
type SeedFit = { gap: number; cost: number; familyGaps: Record<string, number>; chose: string };
/**
 * Prints each learner's gap closed over the offline seeds (mean, 95% CI, per seed with the loss that seed's fit
 * used; with `byFamily`, each family's per-seed gaps too); returns them for the JSON.
 */
const logSeedGaps = (seedFits: Record<string, SeedFit[]>, byFamily = false) => {
  if (OFFLINE_SEEDS.length < 2) return undefined;
  return Object.fromEntries(
    Object.entries(seedFits).map(([name, fits]) => {
      const gaps = fits.map((f) => f.gap);
      const ci = meanCI95(gaps);
      const perSeed = fits.map((f) => `${f3(f.gap)} (${f.chose})`).join(", ");
      log(
        `  ${name} over offline seeds ${OFFLINE_SEEDS[0]}–${OFFLINE_SEEDS.at(-1)}: gap ${withCI(ci)}; per seed: ${perSeed}`,
      );
      const familyGaps = Object.fromEntries(
        Object.keys(fits[0].familyGaps).map((g) => [g, fits.map((f) => f.familyGaps[g])]),
      );
      if (byFamily) {
        for (const [g, xs] of Object.entries(familyGaps)) log(`    [${g}] per seed: ${xs.map(f3).join(" ")}`);
      }
      return [name, { gaps, chose: fits.map((f) => f.chose), familyGaps, ...ci }];
    }),
  );
};
/**
 * One line per family of a split's test blocks: the SBS/VBS cost ratio and the gap closed of the learner, its
 * novelty-guarded versions, kNN and sample-and-try.
 */
const logFamilies = (report: OracleReport) => {
  for (const g of report.groups) {
    const shown = Object.entries(g.selectors).filter(
      ([n]) =>
        n === "learner" ||
        n.startsWith("learner + novelty") ||
        n.startsWith("knn") ||
        n.startsWith("sample-and-try"),
    );
    log(
      `  [${g.group}] SBS/VBS cost ${f3(g.sbsCost / g.vbsCost)}; gap ${shown.map(([n, s]) => `${n} ${f3(s.gapClosed ?? Number.NaN)}`).join(", ")}`,
    );
  }
};
/** "mean unit, 95% CI [lo, hi]". */
const withCI = (x: { mean: number; lo: number; hi: number }, unit = "") =>
  `${f3(x.mean)}${unit}, 95% CI [${f3(x.lo)}, ${f3(x.hi)}]`;
/** The mean over seeds at each step of per-seed speeds (speeds[seed][step]). */
const meanPerStep = (speeds: readonly (readonly number[])[]) =>
  speeds[0].map((_, j) => f3(speeds.reduce((a, s) => a + s[j], 0) / speeds.length)).join(" ");

/**
 * Prints {@link genomeSpread} for `--genome-spread` (genomes by validation area, then the spread, the noise and the
 * validation–test correlation); returns it for the JSON.
 */
function logGenomeSpread(
  validation: readonly OnlineTask[],
  test: readonly OnlineTask[],
  base: Omit<LearnerConfig, "seed">,
) {
  const t0 = Date.now();
  const s = genomeSpread(validation, test, base, {
    genomes: GENOME_SPREAD,
    runs: 3,
    seed: 1,
    rounds: EVOLUTION.rounds,
    checkpointEvery: 50,
  });
  log(
    `meta (b) genome spread: ${GENOME_SPREAD} random genomes × 3 runs of ${EVOLUTION.rounds} rounds on validation and held-out families (${((Date.now() - t0) / 1000).toFixed(0)} s)`,
  );
  const rows = s.genomes.map((g, i) => ({ g, validation: mean(s.validation[i]), test: mean(s.test[i]) }));
  for (const r of [...rows].sort((a, b) => b.validation - a.validation)) {
    log(
      `  validation ${f3(r.validation).padStart(8)}  test ${f3(r.test).padStart(8)}  lr ${r.g.learningRate.toPrecision(2)} ε ${r.g.epsilon.toFixed(3)} width ${r.g.width} replay ${r.g.replaySize} steps ${r.g.trainSteps}`,
    );
  }
  log(
    `  test area: variance between genomes' means ${f3(s.testBetween)}, of one run around its genome's mean ${f3(s.testWithin)}; correlation of validation and test means ${f3(s.correlation)}`,
  );
  return s;
}

function familyTask(
  name: string,
  features: Float32Array[],
  m: CostMatrix,
  blocks: number[],
  seed: number,
): OnlineTask {
  const sub = subMatrix(m, blocks);
  const idx = blocks.map((_, i) => i);
  // a fixed 30% held-out evaluation set inside the family
  const test = idx.filter((i) => deriveSeed(seed, `${name}:${i}`) % 10 < 3);
  const train = idx.filter((i) => !test.includes(i));
  return { name, features: blocks.map((b) => features[b]), costs: sub, train, test };
}

async function main() {
  const backend = await initBackend();
  log(
    `backend: ${backend.name}${backend.simd ? " (SIMD)" : ""}; skipped: ${backend.skipped.map((s) => `${s.name}: ${s.reason}`).join("; ")}`,
  );
  const blocks: Uint8Array[] = [];
  const groups: string[] = [];
  for (const [name, draw] of Object.entries(FAMILIES)) {
    const rng = createRng(deriveSeed(100, name));
    for (let k = 0; k < BLOCKS_PER_FAMILY; k++) {
      const config = {
        ...draw(() => rng.nextFloat()),
        totalBytes: BLOCK_BYTES,
        blockBytes: BLOCK_BYTES,
        seed: deriveSeed(101, `${name}:${k}`),
        task: name,
      };
      for await (const block of generate(config as SyntheticDataConfigInput)) {
        blocks.push(block.bytes);
        groups.push(name);
      }
    }
  }
  log(
    `mixture ${MIXTURE}: ${Object.keys(FAMILIES).length} families × ${BLOCKS_PER_FAMILY} blocks of ${BLOCK_BYTES} B (parameters drawn per block); held-out families: ${HELD_OUT.join(", ")}; features on ${FEATURE_BYTES}-byte samples`,
  );
  const objectives = OBJECTIVES.map((o) => parseObjective(o));
  const portfolio = quickPortfolio();
  // online: the library's default learner (ε-greedy with contender tries, bootstrapped heads); `--thompson` explores
  // by Thompson sampling over the heads instead, `--risk κ` makes greedy choices risk-averse (mean + κ·sd)
  // learnerConfig fills the other defaults (bootstrapP from the head count) and validates the options
  const { seed: _seed, ...base } = learnerConfig({
    featureCount: FEATURE_COUNT,
    featureSet: featureSetId(FEATURE_BYTES),
    pipelines: portfolio.pipelines,
    seed: 0,
    hidden: numberListArg(opt("hidden", DEFAULT_LEARNER.hidden.join("x")), "hidden", INT, "x"),
    learningRate: num("lr", DEFAULT_LEARNER.learningRate, POSITIVE),
    trainSteps: num("steps", DEFAULT_LEARNER.trainSteps, INT),
    batchSize: num("batch", DEFAULT_LEARNER.batchSize, INT),
    heads: num("heads", DEFAULT_LEARNER.heads, INT),
    exploration: flag("thompson")
      ? ({ kind: "thompson" } as const)
      : {
          ...DEFAULT_EXPLORATION,
          epsilon: num("epsilon", DEFAULT_EXPLORATION.epsilon, { min: 0, max: 1 }),
          halfLife: num("epsilon-half-life", DEFAULT_EXPLORATION.halfLife, { min: 0 }),
          contenders: num("contenders", DEFAULT_EXPLORATION.contenders, { integer: true, min: 0 }),
        },
    riskAversion: num("risk", 0, { min: 0 }),
  });
  // offline (full information, one fit) affords a bigger network than the online loop's many retrainings:
  // the library's offline recipe (an ensemble whose loss, listwise τ or regression, is chosen on held-back training
  // rows), measured against the regression head of the same network and ensemble in this run
  const lossSpec = opt("offline-loss", OFFLINE_RECIPE.loss);
  if (!/^(listwise(:.*)?|regression|validated)$/.test(lossSpec)) {
    throw err(
      ErrorCode.USAGE,
      `--offline-loss "${lossSpec}" is not known; use listwise, listwise:τ (e.g. listwise:0.001), regression or validated`,
    );
  }
  // the distilled network's widths; unset: the members' own, "linear": no hidden layer
  const student = opt("offline-student", "");
  if (student !== "" && opt("offline-distil", "") === "") {
    throw err(ErrorCode.USAGE, "--offline-student sets the distilled network: add --offline-distil 8");
  }
  const studentWidths =
    student === ""
      ? undefined
      : student === "linear"
        ? []
        : numberListArg(student, "offline-student", INT, "x");
  const recipe: OfflineRecipe = {
    hidden: numberListArg(opt("offline-hidden", OFFLINE_RECIPE.hidden.join("x")), "offline-hidden", INT, "x"),
    learningRate: num("offline-lr", OFFLINE_RECIPE.learningRate, POSITIVE),
    members: num("offline-members", OFFLINE_RECIPE.members, INT),
    loss: lossSpec === "regression" || lossSpec === "validated" ? lossSpec : "listwise",
    // a fixed τ with `--offline-loss listwise:τ`; on sources whose best pipelines are within 1% of each other,
    // 0.01 blurs them
    temperatures: lossSpec.includes(":")
      ? [numberArg(lossSpec.split(":")[1], "offline-loss listwise:τ", POSITIVE)]
      : numberListArg(
          opt("offline-temperatures", OFFLINE_RECIPE.temperatures.join(",")),
          "offline-temperatures",
          POSITIVE,
        ),
    epochs: num("epochs", OFFLINE_RECIPE.epochs, INT),
    earlyStopping: num("offline-early-stopping", OFFLINE_RECIPE.earlyStopping, { min: 0, max: 1 }),
    relativeWeight: REL,
    distil: opt("offline-distil", "")
      ? {
          copies: num("offline-distil", 0, INT),
          jitter: num("offline-jitter", DEFAULT_DISTILLATION.jitter, { min: 0 }),
          hidden: studentWidths,
        }
      : undefined,
  };
  const t0 = Date.now();
  // the exhaustive evaluation is the slow part: `--cache file.json` keeps its trials between runs
  const cacheFile = opt("cache", "");
  const cached: {
    trials?: Trial[];
    retest?: Trial[];
    repeats?: number;
    timing?: string;
    load?: EvaluationLoad;
  } = cacheFile && existsSync(cacheFile) ? JSON.parse(readFileSync(cacheFile, "utf8")) : {};
  // timed objectives: each trial's times are the median of `--repeats` runs, interleaved across pipelines; on an
  // idle machine 15 (against 5) moved the re-measured oracle of transfer:100 from 0.80 to 0.92
  const repeats = num("repeats", 15, INT);
  if (cached.trials && cached.timing !== TIMING) {
    throw err(
      ErrorCode.USAGE,
      `${cacheFile} holds trials timed back to back, before evaluations interleaved their runs: pass another --cache file`,
    );
  }
  if (cached.trials && cached.repeats !== repeats) {
    throw err(
      ErrorCode.USAGE,
      `${cacheFile} holds trials timed with ${cached.repeats} repeats, not ${repeats}: pass --repeats ${cached.repeats} or another --cache file`,
    );
  }
  const evaluateOnce = (bytes: Uint8Array[]) => evaluate(portfolio, bytes, { repeats, workers: 1 });
  const trials: Trial[] = cached.trials ?? (await evaluateOnce(blocks)).trials;
  const load: EvaluationLoad = { ...cached.load };
  if (!cached.trials) load.trials = loadavg()[0];
  log(
    cached.trials
      ? `loaded ${trials.length} trials from ${cacheFile}`
      : `evaluated ${portfolio.pipelines.length} pipelines × ${blocks.length} blocks in ${((Date.now() - t0) / 1000).toFixed(0)} s`,
  );
  const blockSplit = splitByBlock(blocks.length, { seed: 1 });
  // time-based objectives: the held-out blocks are evaluated a second time, so the report can say how much of
  // the SBS–VBS gap an independent re-measurement reproduces at all (timing noise)
  let retest = cached.retest;
  if (!retest && objectives.some(objectiveUsesTime)) {
    retest = (await evaluateOnce(blockSplit.test.map((b) => blocks[b]))).trials;
    load.retest = loadavg()[0];
  }
  if (cacheFile && (!cached.trials || (retest && !cached.retest)))
    writeFileSync(cacheFile, JSON.stringify({ trials, retest, repeats, timing: TIMING, load }));
  logLoad(load);
  const { features, featureNs } = extractTimed(blocks, 5, FEATURE_BYTES);
  /** One offline seed's selector, what its fit chose (loss, or how many blocks went to the fallback), its cleanup. */
  type SeedLearner = { selector: Selector; chose: () => string; dispose: () => void };
  const learnerEntry = (l: ReturnType<typeof offlineLearnerSelector>): SeedLearner => ({
    selector: l,
    chose: () => {
      const loss = l.loss();
      return loss ? formatLoss(loss) : "none";
    },
    dispose: () => {
      for (const m of l.members()) m.dispose();
    },
  });
  /**
   * Sample-and-try for objective `oi`; with time in the objective, times come from the pipelines' median speeds on
   * the split's training blocks (the 1% sample's own times are mostly per-call costs and change between runs).
   */
  const sampleAndTry = (oi: number, split: Split) =>
    sampleAndTryOnTrials({ pipelines: portfolio.pipelines, objective: objectives[oi] }, trials, split.train);
  /**
   * The offline learners of one seed: the recipe; the same fitted learner behind a novelty guard per `--novelty`
   * quantile (novel blocks go to sample-and-try; the guard reuses the learner's fit, so it comes after it); the
   * recipe with the regression head.
   */
  const offlineLearners = (seed: number, oi: number, split: Split, variants = true): SeedLearner[] => {
    const main = offlineLearnerSelector(base, seed, recipe, "learner");
    if (!variants) return [learnerEntry(main)];
    const guards = NOVELTY.map((quantile): SeedLearner => {
      const guard = noveltyGuard(main, {
        fallback: sampleAndTry(oi, split),
        quantile,
        fitsLearner: false,
      });
      return { selector: guard, chose: () => `${guard.novelCount()} novel`, dispose: () => {} };
    });
    // the other head, same network, ensemble and early stopping, for the regression-vs-ranking measurement
    const regression = offlineLearnerSelector(
      base,
      seed,
      { ...recipe, loss: "regression", relativeWeight: REL ?? "auto" },
      "learner (regression head)",
    );
    return [learnerEntry(main), ...guards, learnerEntry(regression)];
  };
  /**
   * Baselines and the first seed's learners on a split, then the learners of every further offline seed; without
   * `variants`, the recipe alone (no novelty guards, no regression head).
   */
  const compare = (oi: number, split: Split, variants = true) => {
    const input = {
      matrix: costMatrix(trials, blocks.length, portfolio.pipelines, objectives[oi]),
      trials,
      features,
      featureNs,
      blocks,
      groups,
      split,
    };
    const learners = offlineLearners(OFFLINE_SEEDS[0], oi, split, variants);
    const compared = compareSelectors({
      ...input,
      selectors: [
        ...defaultBaselines(objectives[oi], portfolio.pipelines, {
          seed: 1,
          measured: { trials, blocks: split.train },
        }),
        ...learners.map((l) => l.selector),
      ],
    });
    /** Each learner's fits by name, one per offline seed. */
    const seedFits: Record<string, SeedFit[]> = Object.fromEntries(
      learners.map((l) => [l.selector.name, []]),
    );
    const record = (seedLearners: SeedLearner[], report: typeof compared.report) => {
      for (const { selector, chose } of seedLearners) {
        seedFits[selector.name].push({
          gap: report.overall.selectors[selector.name].gapClosed ?? Number.NaN,
          cost: report.overall.selectors[selector.name].cost,
          familyGaps: Object.fromEntries(
            report.groups.map((g) => [g.group, g.selectors[selector.name].gapClosed ?? Number.NaN]),
          ),
          chose: chose(),
        });
      }
    };
    record(learners, compared.report);
    const loss = learners[0].chose();
    for (const l of learners) l.dispose();
    for (const seed of OFFLINE_SEEDS.slice(1)) {
      const seedLearners = offlineLearners(seed, oi, split, variants);
      record(
        seedLearners,
        compareSelectors({ ...input, selectors: seedLearners.map((l) => l.selector) }).report,
      );
      for (const l of seedLearners) l.dispose();
    }
    return { ...compared, loss, seedFits };
  };
  /**
   * Every family held out in turn, fitted on the others (baselines, and the recipe alone over the offline seeds).
   * Gap closed pools the folds' summed costs, as DESIGN.md §3 sums over held-out blocks: a family weighs by its
   * SBS–VBS headroom, so families where every pipeline costs the same (gap closed ±20 on one wrong pick) do not
   * swamp the rest. The learner's margin over each baseline is per seed, with its 95% CI.
   */
  const leaveOneFamilyOut = (oi: number) => {
    const folds = Object.keys(FAMILIES).map((family) => {
      const fold = compare(oi, splitByGroup(groups, { heldOut: [family] }), false);
      return { family, overall: fold.report.overall, learnerFits: fold.seedFits.learner };
    });
    const sbs = folds.reduce((a, f) => a + f.overall.sbsCost, 0);
    const vbs = folds.reduce((a, f) => a + f.overall.vbsCost, 0);
    const pooled = (costOfFold: (f: (typeof folds)[number]) => number) =>
      gapClosed({ sbs, vbs, selector: folds.reduce((a, f) => a + costOfFold(f), 0) }) ?? Number.NaN;
    const baselines = Object.keys(folds[0].overall.selectors).filter((n) => n !== "learner");
    const baselineGaps = Object.fromEntries(
      baselines.map((n) => [n, pooled((f) => f.overall.selectors[n].cost)]),
    );
    const learnerGaps = OFFLINE_SEEDS.map((_, s) => pooled((f) => f.learnerFits[s].cost));
    const learner = meanCI95(learnerGaps);
    log(
      `leave one family out (${folds.length} folds; the recipe over offline seeds ${OFFLINE_SEEDS[0]}–${OFFLINE_SEEDS.at(-1)}), gap closed on the folds' summed costs (SBS/VBS ${f3(sbs / vbs)}):`,
    );
    for (const n of baselines) log(`  ${n.padEnd(40)} gap ${f3(baselineGaps[n])}`);
    log(`  ${"learner".padEnd(40)} gap ${withCI(learner)}; per seed: ${learnerGaps.map(f3).join(" ")}`);
    const margins = Object.fromEntries(
      baselines.map((n) => [n, meanCI95(learnerGaps.map((g) => g - baselineGaps[n]))]),
    );
    for (const n of baselines) log(`  learner − ${n}: ${withCI(margins[n])}`);
    const foldRows = folds.map((f) => {
      const learnerGap = mean(f.learnerFits.map((fit) => fit.gap));
      const gaps = Object.fromEntries(
        baselines.map((n) => [n, f.overall.selectors[n].gapClosed ?? Number.NaN]),
      );
      log(
        `  [${f.family}] SBS/VBS cost ${f3(f.overall.sbsCost / f.overall.vbsCost)}; gap learner (mean of seeds) ${f3(learnerGap)}, ${baselines.map((n) => `${n} ${f3(gaps[n])}`).join(", ")}`,
      );
      return { family: f.family, sbsCost: f.overall.sbsCost, vbsCost: f.overall.vbsCost, learnerGap, gaps };
    });
    return { baselines: baselineGaps, learner: { gaps: learnerGaps, ...learner }, margins, folds: foldRows };
  };
  const bench = {
    features,
    featureNs,
    split: blockSplit,
    evaluation: { trials },
    results: objectives.map((o, oi) => ({
      matrix: costMatrix(trials, blocks.length, portfolio.pipelines, o),
      ...compare(oi, blockSplit),
    })),
  };
  const report: Record<string, unknown> = {
    evaluationLoad: load,
    backend,
    mixture: MIXTURE,
    families: Object.keys(FAMILIES),
    heldOut: HELD_OUT,
    seeds: SEEDS,
  };
  for (const [oi, objective] of OBJECTIVES.entries()) {
    const result = bench.results[oi];
    const m = result.matrix;
    const out: Record<string, unknown> = {};
    report[objective] = out;
    log(`\n=== objective ${objective} ===`);
    // 1. offline, held-out blocks (all families), same split and run as the baselines
    const sel = result.report.overall.selectors;
    log(
      `held-out blocks (random 30% split), gap closed / selection overhead (learner's loss: ${result.loss}):`,
    );
    for (const name of Object.keys(sel)) {
      log(
        `  ${name.padEnd(40)} gap ${f3(sel[name].gapClosed ?? Number.NaN)}  overhead ${(100 * result.overhead[name].overall).toFixed(2)}%`,
      );
    }
    logFamilies(result.report);
    const featUs =
      bench.split.test.reduce((a, b) => a + bench.featureNs[b], 0) / bench.split.test.length / 1000;
    log(
      `  (feature extraction alone: ${featUs.toFixed(1)} µs/block, included in every feature-reading selector's overhead)`,
    );
    if (retest && objectiveUsesTime(objectives[oi])) {
      const again = costMatrix(retest, bench.split.test.length, portfolio.pipelines, objectives[oi]);
      const reference = gapClosedOf(m, vbsChoices(again), bench.split) ?? Number.NaN;
      log(
        `  timing-noise reference: the oracle of an independent re-measurement of these blocks closes ${f3(reference)} of this evaluation's gap`,
      );
      out.remeasuredOracleGap = reference;
    }
    out.heldOutBlocks = Object.fromEntries(
      Object.keys(sel).map((k) => [k, { gapClosed: sel[k].gapClosed, overhead: result.overhead[k].overall }]),
    );
    out.heldOutBlocksOverSeeds = logSeedGaps(result.seedFits);
    // 2. offline, held-out FAMILIES: baselines and learner fitted on the other families
    const famSplit = splitByGroup(groups, { heldOut: HELD_OUT });
    const fam = compare(oi, famSplit);
    log(
      `held-out families (${HELD_OUT.join(", ")}), fitted on the other families (learner's loss: ${fam.loss}):`,
    );
    const fs = fam.report.overall.selectors;
    for (const name of Object.keys(fs)) {
      log(
        `  ${name.padEnd(40)} gap ${f3(fs[name].gapClosed ?? Number.NaN)}  overhead ${(100 * fam.overhead[name].overall).toFixed(2)}%`,
      );
    }
    out.heldOutFamilies = Object.fromEntries(
      Object.keys(fs).map((k) => [k, { gapClosed: fs[k].gapClosed, overhead: fam.overhead[k].overall }]),
    );
    logFamilies(fam.report);
    out.heldOutFamiliesOverSeeds = logSeedGaps(fam.seedFits, true);
    if (flag("leave-one-family-out")) out.leaveOneFamilyOut = leaveOneFamilyOut(oi);
    if (flag("only-offline")) continue;
    // 3. online, partial feedback: stream = training blocks, fixed held-out evaluation set = test blocks
    if (!flag("skip-online")) {
      const task: OnlineTask = {
        name: "mixture",
        features: bench.features,
        costs: m,
        train: [...bench.split.train],
        test: [...bench.split.test],
      };
      const curves: LearningCurve[] = [];
      for (const seed of SEEDS) {
        const learner = CostLearner.create(learnerConfig({ ...base, seed }));
        curves.push(runOnline(learner, task, { rounds: 2000, checkpointEvery: 100 }).curve);
        learner.dispose();
      }
      const meanCurve = curves[0].rounds.map(
        (_, i) => curves.reduce((a, c) => a + c.gapClosed[i], 0) / curves.length,
      );
      const reach = curves[0].rounds.find((_, i) => meanCurve[i] >= 0.8);
      log(
        `online learning curve (mean of ${SEEDS.length} seeds, every 100 rounds): ${meanCurve.map(f3).join(" ")}`,
      );
      log(
        `  first round with mean gap closed >= 0.8: ${reach ?? "not reached"}; final ${f3(meanCurve.at(-1) ?? Number.NaN)}`,
      );
      const rates = [
        { name: "0-2000", from: 0, to: 2000 },
        { name: "100-2000", from: 100, to: 2000 },
        { name: "500-2000", from: 500, to: 2000 },
      ].map((w) => improvementRate(curves, w));
      for (const r of rates) {
        log(`  improvement rate [${r.window.name}]: ${withCI(r, " gap closed / 1000 rounds")}`);
      }
      const reference = explorationReference(task, 2000, 200, 1);
      log(
        `  partial-feedback reference: 2000 rounds of uniform exploration, then the lowest mean observed cost, finds the SBS in ${(100 * reference.identifiedSbs).toFixed(0)}% of 200 draws; its gap closed 10/50/90%: ${f3(reference.gapClosed.p10)} ${f3(reference.gapClosed.p50)} ${f3(reference.gapClosed.p90)}`,
      );
      out.online = { meanCurve, rounds: curves[0].rounds, reach08: reach ?? null, rates, reference };
    }
    if (flag("skip-meta")) continue;
    // 4. meta (a): priors over meta-training families, measured on held-out families
    const famTasks = Object.keys(FAMILIES).map((name) =>
      familyTask(
        name,
        bench.features,
        m,
        groups.flatMap((g, b) => (g === name ? [b] : [])),
        7,
      ),
    );
    const metaTrain = famTasks.filter((t) => !HELD_OUT.includes(t.name ?? ""));
    const heldOut = famTasks.filter((t) => HELD_OUT.includes(t.name ?? ""));
    if (!flag("skip-transfer")) {
      const tMeta = Date.now();
      const transfer = transferSequence(metaTrain, heldOut, base, {
        seeds: SEEDS,
        rounds: 500,
        checkpointEvery: 50,
        epochs: 40,
        relativeWeight: REL ?? "auto",
      });
      log(
        `meta (a) learning to learn: ${metaTrain.length} meta-training families in seeded order, held-out ${HELD_OUT.join(", ")} (${((Date.now() - tMeta) / 1000).toFixed(0)} s)`,
      );
      log(`  area per step j (mean over seeds), with prior:    ${meanPerStep(transfer.rate.speeds)}`);
      log(`  area per step j (mean over seeds), ablation:      ${meanPerStep(transfer.ablationRate.speeds)}`);
      log(`  meta-improvement rate: ${withCI(transfer.rate, " area/task")}`);
      log(`  ablation (no prior):   ${withCI(transfer.ablationRate, " area/task")}`);
      log(`  final-step area gain (prior − ablation): ${withCI(transfer.finalAreaGain)}`);
      out.transfer = {
        rate: transfer.rate,
        ablationRate: transfer.ablationRate,
        finalAreaGain: transfer.finalAreaGain,
        orders: transfer.orders,
      };
    }
    // 5. meta (b): self-tuning across generations
    // validation = every meta-training family whose gap closed is defined (on the datasets mixture, csv has
    // SBS = VBS on its held-out blocks: every genome would score NaN there and nothing be selected)
    const validation = metaTrain.filter(hasDefinedGap).slice(0, VALIDATION_FAMILIES);
    if (GENOME_SPREAD > 0) out.genomeSpread = logGenomeSpread(validation, heldOut, base);
    if (!flag("skip-evolution")) {
      const tEvo = Date.now();
      const { population, generations, priorEpochs, rounds, testRuns } = EVOLUTION;
      const evo = evolveHyperparameters(validation, heldOut, base, {
        seeds: SEEDS,
        population,
        generations,
        rounds,
        checkpointEvery: 50,
        priorEpochs,
        testRuns,
      });
      log(
        `meta (b) self-tuning: population ${population} × ${generations} generations of ${rounds}-round runs (each generation's best: ${testRuns} test runs), validation ${validation.map((t) => t.name).join(", ")}, test = held-out families, ${priorEpochs ? `learners start from a prior (${priorEpochs} epochs) on the other validation families` : "learners start fresh"} (${((Date.now() - tEvo) / 1000).toFixed(0)} s)`,
      );
      log(`  test area per generation (mean over seeds), evolved: ${meanPerStep(evo.rate.speeds)}`);
      log(`  test area per generation (mean over seeds), random:  ${meanPerStep(evo.ablationRate.speeds)}`);
      log(`  meta-improvement rate: ${withCI(evo.rate, " area/generation")}`);
      log(`  ablation (fresh random population each generation): ${withCI(evo.ablationRate)}`);
      log(`  last-generation area gain (evolved − random): ${withCI(evo.finalAreaGain)}`);
      out.evolution = {
        rate: evo.rate,
        ablationRate: evo.ablationRate,
        finalAreaGain: evo.finalAreaGain,
        best: evo.best,
      };
    }
  }
  const file = opt("out", "");
  if (file) writeFileSync(file, JSON.stringify(report, null, 2));
}

main()
  .catch(exitOnUsageError)
  .catch((e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exit(1);
  });
