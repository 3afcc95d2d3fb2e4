import { describe, expect, it } from "vitest";
import { extractAll } from "../../features/extract.js";
import { createRng } from "../../rng.js";
import { compareSelectors, subMatrix } from "../compare.js";
import { evaluate } from "../evaluate.js";
import { gapClosedOf } from "../metrics/gap.js";
import { costMatrix, parseObjective } from "../objectives.js";
import { splitByBlock } from "../oracle.js";
import { testBlock } from "../test-utils/blocks.js";
import type { CostMatrix } from "../types.js";
import { fixedSelector, fixedSelectors } from "./fixed.js";
import { knnSelector } from "./knn.js";
import { randomSelector } from "./random.js";
import { blockSample, pipelineSpeeds, sampleAndTryOnTrials, sampleAndTrySelector } from "./sample-and-try.js";

/** A learnable problem: 4 clusters in feature space; pipeline c is cheapest for cluster c. */
function learnable(blocks: number, seed: number): { features: Float32Array[]; matrix: CostMatrix } {
  const rng = createRng(seed);
  const P = 6;
  const features: Float32Array[] = [];
  const costs = new Float64Array(blocks * P);
  for (let b = 0; b < blocks; b++) {
    const c = rng.nextInt(4);
    const f = new Float32Array(24);
    for (let d = 0; d < 24; d++) f[d] = rng.nextFloat();
    // the cluster shows in a third of the dimensions; the rest is noise
    for (let d = 0; d < 8; d++) f[d * 3] += ((c >> (d % 2)) & 1) * 1.5;
    features.push(f);
    for (let p = 0; p < P; p++) costs[b * P + p] = (p === c ? 100 : 150) + rng.nextFloat() * 20;
  }
  return { features, matrix: { pipelines: ["a", "b", "c", "d", "e", "f"], blockCount: blocks, costs } };
}

describe("baselines", () => {
  it("select valid indices; fixed is constant, random is seeded", () => {
    const { features } = learnable(50, 1);
    const pipelines = ["a", "b", "c"];
    expect(fixedSelector(2, pipelines).select(features)).toEqual(features.map(() => 2));
    expect(fixedSelectors(pipelines).map((s) => s.name)).toEqual(["fixed:a", "fixed:b", "fixed:c"]);
    expect(() => fixedSelector(3, pipelines)).toThrow(/outside/);
    const r1 = randomSelector(3, 9).select(features);
    expect(r1.every((i) => Number.isInteger(i) && i >= 0 && i < 3)).toBe(true);
    expect(new Set(r1).size).toBe(3);
    expect(randomSelector(3, 9).select(features)).toEqual(r1);
    expect(randomSelector(3, 10).select(features)).not.toEqual(r1);
    expect(() => randomSelector(0)).toThrow(/at least one pipeline/);
  });

  it("kNN beats random on a learnable problem (gap closed on held-out blocks)", () => {
    const { features, matrix } = learnable(400, 2);
    const split = splitByBlock(400, { testFraction: 0.25, seed: 3 });
    const knn = knnSelector({ k: 5 });
    knn.fit?.(
      split.train.map((b) => features[b]),
      subMatrix(matrix, split.train),
    );
    const test = split.test.map((b) => features[b]);
    const knnGap = gapClosedOf(matrix, knn.select(test), split) as number;
    const randomGap = gapClosedOf(matrix, randomSelector(6, 1).select(test), split) as number;
    expect(knnGap).toBeGreaterThan(0.8);
    expect(randomGap).toBeLessThan(0.3);
    expect(knnGap).toBeGreaterThan(randomGap + 0.5);
    expect(() => knnSelector().select(test)).toThrow(/not fitted/);
    expect(() => knnSelector({ k: 0 })).toThrow(/k ≥ 1/);
    expect(() => knn.fit?.(test.slice(1), subMatrix(matrix, split.test))).toThrow(/feature rows/);
  });

  it("kNN survives constant features and failed (Infinity) trials", () => {
    const features = [new Float32Array([1, 1]), new Float32Array([1, 1]), new Float32Array([1, 1])];
    const matrix: CostMatrix = {
      pipelines: ["x", "y"],
      blockCount: 3,
      costs: Float64Array.of(Infinity, 5, Infinity, 6, 4, Infinity),
    };
    const knn = knnSelector({ k: 3 });
    knn.fit?.(features, matrix);
    expect(knn.select([new Float32Array([1, 1])])).toEqual([1]);
  });

  it("sample-and-try takes a ~1% sample in runs and picks sensibly on real blocks", () => {
    const zeros = new Uint8Array(65536);
    const random = testBlock("random", 65536, 4);
    const sample = blockSample(random, 0.01, 10, 256);
    expect(sample.length).toBeGreaterThanOrEqual(640);
    expect(sample.length).toBeLessThanOrEqual(800);
    expect(blockSample(zeros.subarray(0, 100), 0.01, 10, 256).length).toBe(100);
    const pipelines = ["store", "zstd:3", "lz4"];
    const s = sampleAndTrySelector({ pipelines, objective: parseObjective("size") });
    const choices = s.select(extractAll([zeros, random]), [zeros, random]);
    expect(pipelines[choices[0]]).not.toBe("store");
    expect(pipelines[choices[1]]).toBe("store");
    const timed = sampleAndTrySelector({
      pipelines,
      objective: parseObjective("transfer:100"),
      sampleFraction: 0.05,
    });
    expect(timed.select([new Float32Array(24)], [random])[0]).toBeGreaterThanOrEqual(0);
    expect(() => s.select([new Float32Array(24)])).toThrow(/needs the blocks/);
    expect(() => sampleAndTrySelector({ pipelines, objective: parseObjective("size"), runs: 0 })).toThrow(
      /runs/,
    );
  });

  it("sample-and-try with measured speeds times nothing: its choices follow the speeds and sample sizes", async () => {
    const blocks = [testBlock("text", 65536, 1), testBlock("random", 65536, 2), testBlock("zeros", 65536, 3)];
    const pipelines = ["store", "zstd:3", "zstd:19"];
    const { trials } = await evaluate({ name: "t", pipelines }, blocks, { workers: 1, repeats: 1 });
    const speeds = pipelineSpeeds(trials, pipelines, [0, 1]);
    expect(speeds).toHaveLength(3);
    // zstd:19 encodes far slower per byte than store, measured on blocks 0 and 1 only
    expect(speeds[2].encNsPerByte).toBeGreaterThan(speeds[0].encNsPerByte);
    const text = [blocks[0]];
    const features = extractAll(text);
    const objective = parseObjective("transfer:100");
    const measured = sampleAndTrySelector({ pipelines, objective, speeds });
    expect(measured.name).toBe("sample-and-try(1%×10, measured speeds)");
    // reproducible: no live timing enters the choice
    expect(measured.select(features, text)).toEqual(measured.select(features, text));
    // free speeds: the smallest sample output wins; a very slow zstd:19: it loses to zstd:3
    const free = speeds.map(() => ({ encNsPerByte: 0, decNsPerByte: 0 }));
    expect(sampleAndTrySelector({ pipelines, objective, speeds: free }).select(features, text)).toEqual([2]);
    const slow19 = free.map((v, i) => (i === 2 ? { encNsPerByte: 1e6, decNsPerByte: 0 } : v));
    expect(sampleAndTrySelector({ pipelines, objective, speeds: slow19 }).select(features, text)).toEqual([
      1,
    ]);
    // under size the speeds play no part
    const size = sampleAndTrySelector({ pipelines, objective: parseObjective("size"), speeds: slow19 });
    expect(size.name).toBe("sample-and-try(1%×10)");
    expect(size.select(features, text)).toEqual([2]);
    expect(() => sampleAndTrySelector({ pipelines, objective, speeds: speeds.slice(1) })).toThrow(
      /one speed .* per pipeline: got 2 for 3/,
    );
    expect(() => pipelineSpeeds(trials, [...pipelines, "lz4"])).toThrow(/"lz4"/);
    // from trials: speeds only when the objective has time
    expect(sampleAndTryOnTrials({ pipelines, objective: parseObjective("size") }, trials, [0]).name).toBe(
      "sample-and-try(1%×10)",
    );
    const onTrials = sampleAndTryOnTrials({ pipelines, objective }, trials, [0, 1]);
    expect(onTrials.select(features, text)).toEqual(measured.select(features, text));
  });

  it("compareSelectors measures gap closed and overhead on evaluated real blocks", async () => {
    const kinds = ["text", "random", "zeros", "doubles", "ints"] as const;
    const blocks = Array.from({ length: 40 }, (_, i) => testBlock(kinds[i % 5], 8192, i));
    const groups = blocks.map((_, i) => kinds[i % 5]);
    const pipelines = ["store", "lz4", "zstd:3", "shuffle:8>zstd:3", "delta:4>zstd:3"];
    const evaluation = await evaluate(pipelines, blocks, { workers: 1, repeats: 1 });
    const matrix = costMatrix(evaluation.trials, blocks.length, evaluation.pipelines, parseObjective("size"));
    const features = extractAll(blocks);
    const split = splitByBlock(blocks.length, { testFraction: 0.3, seed: 1 });
    const r = compareSelectors({
      matrix,
      trials: evaluation.trials,
      features,
      featureNs: features.map(() => 1000),
      blocks,
      groups,
      split,
      selectors: [
        randomSelector(5, 1),
        sampleAndTrySelector({ pipelines, objective: parseObjective("size") }),
        knnSelector({ k: 1 }),
      ],
    });
    expect(Object.keys(r.overhead)).toEqual(["random(seed=1)", "sample-and-try(1%×10)", "knn(k=1)"]);
    for (const o of Object.values(r.overhead)) {
      expect(o.overall).toBeGreaterThan(0);
      expect(Number.isFinite(o.overall)).toBe(true);
      expect(Object.keys(o.byGroup).length).toBeGreaterThan(0);
    }
    const { selectors } = r.report.overall;
    expect(selectors["knn(k=1)"].gapClosed).toBeGreaterThan(0.5);
    expect(selectors["sample-and-try(1%×10)"].gapClosed).toBeGreaterThan(0.5);
    expect(selectors["knn(k=1)"].cost).toBeLessThan(selectors["random(seed=1)"].cost);
    expect(() =>
      compareSelectors({ matrix, trials: [], features: [], featureNs: [], groups, split, selectors: [] }),
    ).toThrow(/feature rows/);
    expect(() =>
      compareSelectors({
        matrix,
        trials: [],
        features,
        featureNs: [],
        groups,
        split,
        selectors: [randomSelector(5, 1), randomSelector(5, 1)],
      }),
    ).toThrow(/two selectors/);
  });
});
