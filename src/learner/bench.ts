/**
 * `npm run bench:learner`: the meta-learner's acceptance measurements (issue 7) on held-out blocks of a synthetic
 * mixture of task families, objective `size` then `transfer:100`. Prints a report; `--out file.json` saves it.
 * Options: `--seeds N` (default 5), `--objectives size,transfer:100`, `--skip-evolution`, `--only-offline`,
 * `--blocks N` per family (default 48).
 */
import { writeFileSync } from "node:fs";
import { subMatrix } from "../bench/compare.js";
import { parseObjective } from "../bench/objectives.js";
import { splitByGroup } from "../bench/oracle.js";
import { quickPortfolio } from "../bench/portfolio.js";
import { runBench } from "../bench/run.js";
import type { CostMatrix } from "../bench/types.js";
import type { SyntheticDataConfigInput } from "../datasets/config.js";
import { generate } from "../datasets/generate.js";
import { deriveSeed } from "../datasets/rng.js";
import { FEATURE_COUNT } from "../features/extract.js";
import { initBackend } from "./backend.js";
import { CostLearner, DEFAULT_LEARNER, learnerConfig } from "./learner.js";
import { evolveHyperparameters, transferSequence } from "./meta.js";
import { improvementRate, type LearningCurve } from "./metrics/curve.js";
import { type OnlineTask, runOnline } from "./online.js";
import { learnerSelector } from "./selector.js";

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const SEEDS = Array.from({ length: Number(opt("seeds", "5")) }, (_, i) => i + 1);
const OBJECTIVES = opt("objectives", "size,transfer:100").split(",");
const BLOCK_BYTES = 16384;
const BLOCKS_PER_FAMILY = Number(opt("blocks", "48"));

/** The task families of the mixture (each its own generator config and task label). */
const FAMILIES: Record<string, SyntheticDataConfigInput> = {
  "iid-uniform256": { family: "iid", alphabet: 256, totalBytes: 0 },
  "iid-uniform16": { family: "iid", alphabet: 16, totalBytes: 0 },
  "iid-zipf": { family: "iid", alphabet: 256, distribution: { kind: "zipf", s: 1.3 }, totalBytes: 0 },
  "iid-geometric": {
    family: "iid",
    alphabet: 64,
    distribution: { kind: "geometric", p: 0.2 },
    totalBytes: 0,
  },
  "markov1-a16": { family: "markov", order: 1, alphabet: 16, concentration: 0.3, totalBytes: 0 },
  "markov2-a8": { family: "markov", order: 2, alphabet: 8, concentration: 0.2, totalBytes: 0 },
  "markov1-a256": { family: "markov", order: 1, alphabet: 256, concentration: 0.05, totalBytes: 0 },
  "markov3-a4": { family: "markov", order: 3, alphabet: 4, concentration: 0.5, totalBytes: 0 },
};
const HELD_OUT = ["iid-geometric", "markov2-a8"];

const log = (line: string) => process.stdout.write(`${line}\n`);
const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : String(x));

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
  for (const [i, [name, config]] of Object.entries(FAMILIES).entries()) {
    for await (const b of generate({
      ...config,
      totalBytes: BLOCK_BYTES * BLOCKS_PER_FAMILY,
      blockBytes: BLOCK_BYTES,
      seed: 100 + i,
      task: name,
    } as SyntheticDataConfigInput)) {
      blocks.push(b.bytes);
      groups.push(name);
    }
  }
  log(
    `mixture: ${Object.keys(FAMILIES).length} families × ${BLOCKS_PER_FAMILY} blocks of ${BLOCK_BYTES} B; held-out families: ${HELD_OUT.join(", ")}`,
  );
  const objectives = OBJECTIVES.map((o) => parseObjective(o));
  const portfolio = quickPortfolio();
  const base = { ...DEFAULT_LEARNER, featureCount: FEATURE_COUNT, pipelines: portfolio.pipelines };
  const t0 = Date.now();
  const bench = await runBench(portfolio, blocks, groups, {
    objectives,
    repeats: 3,
    workers: 1,
    seed: 1,
    extraSelectors: () => [
      learnerSelector(learnerConfig({ ...base, seed: 1 }), { epochs: 200, name: "learner" }),
    ],
  });
  log(
    `evaluated ${portfolio.pipelines.length} pipelines × ${blocks.length} blocks in ${((Date.now() - t0) / 1000).toFixed(0)} s`,
  );
  const report: Record<string, unknown> = {
    backend,
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
    log("held-out blocks (random 30% split), gap closed / selection overhead:");
    for (const name of Object.keys(sel)) {
      log(
        `  ${name.padEnd(28)} gap ${f3(sel[name].gapClosed ?? Number.NaN)}  overhead ${(100 * result.overhead[name].overall).toFixed(2)}%`,
      );
    }
    const featUs =
      bench.split.test.reduce((a, b) => a + bench.featureNs[b], 0) / bench.split.test.length / 1000;
    log(
      `  (feature extraction alone: ${featUs.toFixed(1)} µs/block, included in every feature-reading selector's overhead)`,
    );
    out.heldOutBlocks = Object.fromEntries(
      Object.keys(sel).map((k) => [k, { gapClosed: sel[k].gapClosed, overhead: result.overhead[k].overall }]),
    );
    // 2. offline, held-out FAMILIES: baselines and learner fitted on the other families
    const famSplit = splitByGroup(groups, { heldOut: HELD_OUT });
    const { compareSelectors } = await import("../bench/compare.js");
    const { defaultBaselines } = await import("../bench/run.js");
    const fam = compareSelectors({
      matrix: m,
      trials: bench.evaluation.trials,
      features: bench.features,
      featureNs: bench.featureNs,
      blocks,
      groups,
      split: famSplit,
      selectors: [
        ...defaultBaselines(objectives[oi], m.pipelines, { seed: 1 }),
        learnerSelector(learnerConfig({ ...base, seed: 1 }), { epochs: 200, name: "learner" }),
      ],
    });
    log(`held-out families (${HELD_OUT.join(", ")}), fitted on the other families:`);
    const fs = fam.report.overall.selectors;
    for (const name of Object.keys(fs)) {
      log(
        `  ${name.padEnd(28)} gap ${f3(fs[name].gapClosed ?? Number.NaN)}  overhead ${(100 * fam.overhead[name].overall).toFixed(2)}%`,
      );
    }
    out.heldOutFamilies = Object.fromEntries(
      Object.keys(fs).map((k) => [k, { gapClosed: fs[k].gapClosed, overhead: fam.overhead[k].overall }]),
    );
    if (args.includes("--only-offline")) continue;
    // 3. online, partial feedback: stream = training blocks, fixed held-out evaluation set = test blocks
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
      log(
        `  improvement rate [${r.window.name}]: ${f3(r.mean)} gap closed / 1000 rounds, 95% CI [${f3(r.lo)}, ${f3(r.hi)}]`,
      );
    }
    out.online = { meanCurve, rounds: curves[0].rounds, reach08: reach ?? null, rates };
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
    const tMeta = Date.now();
    const transfer = transferSequence(metaTrain, heldOut, base, {
      seeds: SEEDS,
      rounds: 500,
      checkpointEvery: 50,
      epochs: 40,
    });
    log(
      `meta (a) learning to learn: ${metaTrain.length} meta-training families in seeded order, held-out ${HELD_OUT.join(", ")} (${((Date.now() - tMeta) / 1000).toFixed(0)} s)`,
    );
    log(
      `  area per step j (mean over seeds), with prior:    ${transfer.rate.speeds[0].map((_, j) => f3(transfer.rate.speeds.reduce((a, s) => a + s[j], 0) / SEEDS.length)).join(" ")}`,
    );
    log(
      `  area per step j (mean over seeds), ablation:      ${transfer.ablationRate.speeds[0].map((_, j) => f3(transfer.ablationRate.speeds.reduce((a, s) => a + s[j], 0) / SEEDS.length)).join(" ")}`,
    );
    log(
      `  meta-improvement rate: ${f3(transfer.rate.mean)} area/task, 95% CI [${f3(transfer.rate.lo)}, ${f3(transfer.rate.hi)}]`,
    );
    log(
      `  ablation (no prior):   ${f3(transfer.ablationRate.mean)} area/task, 95% CI [${f3(transfer.ablationRate.lo)}, ${f3(transfer.ablationRate.hi)}]`,
    );
    log(
      `  final-step area gain (prior − ablation): ${f3(transfer.finalAreaGain.mean)}, 95% CI [${f3(transfer.finalAreaGain.lo)}, ${f3(transfer.finalAreaGain.hi)}]`,
    );
    out.transfer = {
      rate: transfer.rate,
      ablationRate: transfer.ablationRate,
      finalAreaGain: transfer.finalAreaGain,
      orders: transfer.orders,
    };
    // 5. meta (b): self-tuning across generations
    if (!args.includes("--skip-evolution") && oi === 0) {
      const tEvo = Date.now();
      const validation = metaTrain.slice(0, 2);
      const evo = evolveHyperparameters(validation, heldOut, base, {
        seeds: SEEDS,
        population: 4,
        generations: 4,
        rounds: 400,
        checkpointEvery: 50,
      });
      log(
        `meta (b) self-tuning: population 4 × 4 generations, validation ${validation.map((t) => t.name).join(", ")}, test = held-out families (${((Date.now() - tEvo) / 1000).toFixed(0)} s)`,
      );
      log(
        `  test area per generation (mean over seeds), evolved: ${evo.rate.speeds[0].map((_, g) => f3(evo.rate.speeds.reduce((a, s) => a + s[g], 0) / SEEDS.length)).join(" ")}`,
      );
      log(
        `  test area per generation (mean over seeds), random:  ${evo.ablationRate.speeds[0].map((_, g) => f3(evo.ablationRate.speeds.reduce((a, s) => a + s[g], 0) / SEEDS.length)).join(" ")}`,
      );
      log(
        `  meta-improvement rate: ${f3(evo.rate.mean)} area/generation, 95% CI [${f3(evo.rate.lo)}, ${f3(evo.rate.hi)}]`,
      );
      log(
        `  ablation (fresh random population each generation): ${f3(evo.ablationRate.mean)}, 95% CI [${f3(evo.ablationRate.lo)}, ${f3(evo.ablationRate.hi)}]`,
      );
      out.evolution = { rate: evo.rate, ablationRate: evo.ablationRate, best: evo.best };
    }
  }
  const file = opt("out", "");
  if (file) writeFileSync(file, JSON.stringify(report, null, 2));
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
