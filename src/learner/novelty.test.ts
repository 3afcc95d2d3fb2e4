import { describe, expect, it } from "vitest";
import { fixedSelector } from "../bench/baselines/fixed.js";
import { knnSelector } from "../bench/baselines/knn.js";
import type { CostMatrix, Selector } from "../bench/types.js";
import { createRng } from "../rng.js";
import { noveltyGuard } from "./novelty.js";

const pipelines = ["a", "b", "c"];
/** Feature vectors around `centre` (sd 1 in dims 0–3); dim 4 is always 0. */
function cloud(count: number, centre: number, seed: number): Float32Array[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () =>
    Float32Array.from({ length: 5 }, (_, d) => (d < 4 ? centre + rng.nextGaussian() : 0)),
  );
}
const matrixOf = (rows: number): CostMatrix => ({
  pipelines,
  blockCount: rows,
  costs: new Float64Array(rows * pipelines.length).fill(1),
});
const block = new Uint8Array(16);

describe("noveltyGuard", () => {
  const train = cloud(200, 0, 1);
  const guarded = () =>
    noveltyGuard(fixedSelector(0, pipelines), { fallback: fixedSelector(2, pipelines), quantile: 0.97 });

  it("gives blocks like the training blocks to the learner and unlike ones to the fallback", () => {
    const g = guarded();
    g.fit?.(train, matrixOf(train.length));
    const near = cloud(50, 0, 2);
    const far = cloud(10, 8, 3);
    const choices = g.select([...near, ...far], Array(60).fill(block));
    const nearFallback = choices.slice(0, 50).filter((c) => c === 2).length;
    // fresh draws of the training distribution: about 3% beyond the 97% quantile of its own distances
    expect(nearFallback).toBeLessThanOrEqual(6);
    expect(choices.slice(50)).toEqual(Array(10).fill(2));
    expect(g.novelCount()).toBe(nearFallback + 10);
    expect(g.isNovel(far)).toEqual(Array(10).fill(true));
    // a feature constant in training (dim 4) that moves makes a block novel, however close the rest is
    const moved = Float32Array.from(train[0]);
    moved[4] = 0.01;
    expect(g.isNovel([train[0], moved])).toEqual([false, true]);
  });

  it("a higher quantile defers fewer blocks; training blocks themselves are never novel", () => {
    const fresh = cloud(200, 0, 4);
    const novelShare = (quantile: number) => {
      const g = noveltyGuard(fixedSelector(0, pipelines), {
        fallback: fixedSelector(2, pipelines),
        quantile,
      });
      g.fit?.(train, matrixOf(train.length));
      expect(g.isNovel(train).some(Boolean)).toBe(false);
      return g.isNovel(fresh).filter(Boolean).length / fresh.length;
    };
    const half = novelShare(0.5);
    const all = novelShare(1);
    expect(half).toBeGreaterThan(0.3);
    expect(all).toBeLessThan(0.1);
    expect(all).toBeLessThan(half);
  });

  it("fits the learner and the fallback on the same rows and forwards partial feedback", () => {
    const fitted: string[] = [];
    const updates: number[][] = [];
    const spy = (name: string, index: number): Selector => ({
      name,
      select: (fs) => fs.map(() => index),
      fit: (fs) => {
        fitted.push(`${name}:${fs.length}`);
      },
      update: (_fs, choices) => {
        updates.push([...choices]);
      },
    });
    const g = noveltyGuard(spy("learner", 1), { fallback: spy("probe", 2), quantile: 1 });
    expect(g.name).toBe("learner + novelty(q=1)");
    g.fit?.(train, matrixOf(train.length));
    expect(fitted).toEqual(["learner:200", "probe:200"]);
    g.update?.(train.slice(0, 2), [1, 0], [5, 6]);
    expect(updates).toEqual([[1, 0]]);
    // a learner fitted elsewhere is not fitted again
    fitted.length = 0;
    const shared = noveltyGuard(spy("learner", 1), {
      fallback: spy("probe", 2),
      quantile: 1,
      fitsLearner: false,
    });
    shared.fit?.(train, matrixOf(train.length));
    expect(fitted).toEqual(["probe:200"]);
  });

  it("works with a real learned selector: kNN keeps its choices on familiar blocks", () => {
    const matrix: CostMatrix = {
      pipelines,
      blockCount: train.length,
      // pipeline 0 is best where feature 0 < 0, pipeline 1 elsewhere
      costs: Float64Array.from({ length: train.length * 3 }, (_, k) => {
        const [b, p] = [Math.floor(k / 3), k % 3];
        return p === (train[b][0] < 0 ? 0 : 1) ? 1 : 2;
      }),
    };
    const knn = knnSelector();
    knn.fit?.(train, matrix);
    const g = noveltyGuard(knnSelector(), { fallback: fixedSelector(2, pipelines), quantile: 1 });
    g.fit?.(train, matrix);
    const near = cloud(30, 0, 5);
    const flags = g.isNovel(near);
    const expected = knn.select(near).map((c, i) => (flags[i] ? 2 : c));
    expect(g.select(near, Array(30).fill(block))).toEqual(expected);
  });

  it("rejects bad options and use before fit, and asks for the bytes novel blocks need", () => {
    const fallback = fixedSelector(2, pipelines);
    expect(() => noveltyGuard(fixedSelector(0, pipelines), { fallback, quantile: 0 })).toThrow(/quantile 0/);
    expect(() => noveltyGuard(fixedSelector(0, pipelines), { fallback, quantile: 1.5 })).toThrow(/\(0, 1\]/);
    const g = guarded();
    expect(() => g.select(train)).toThrow(/not fitted/);
    expect(() => g.fit?.(train.slice(0, 1), matrixOf(1))).toThrow(/>= 2 training blocks/);
    g.fit?.(train, matrixOf(train.length));
    // familiar blocks need no bytes; a novel one does
    expect(g.select(train.slice(0, 3))).toEqual([0, 0, 0]);
    expect(() => g.select(cloud(1, 8, 6))).toThrow(/need their bytes/);
  });
});
