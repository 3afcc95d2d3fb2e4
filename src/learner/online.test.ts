import { describe, expect, it } from "vitest";
import { createRng } from "../rng.js";
import { explorationReference, type OnlineTask } from "./online.js";

/** 3 pipelines on `blocks` blocks: p1 is the SBS, p2 is best on even blocks; `levels` scales whole blocks. */
function task(blocks: number, levels: (b: number) => number, margin: number): OnlineTask {
  const costs = new Float64Array(blocks * 3);
  for (let b = 0; b < blocks; b++) {
    const level = levels(b);
    costs.set([2 * level, level, (b % 2 === 0 ? 1 - margin : 1 + 3 * margin) * level], b * 3);
  }
  const all = Array.from({ length: blocks }, (_, b) => b);
  return {
    features: all.map(() => new Float32Array(1)),
    costs: { pipelines: ["a", "b", "c"], blockCount: blocks, costs },
    train: all.filter((b) => b % 4 !== 3),
    test: all.filter((b) => b % 4 === 3 || b % 4 === 0),
  };
}

describe("explorationReference", () => {
  it("finds the SBS every time when block levels are equal", () => {
    const r = explorationReference(
      task(40, () => 100, 0.2),
      600,
      50,
      1,
    );
    expect(r.identifiedSbs).toBe(1);
    expect(r.gapClosed).toEqual({ p10: 0, p50: 0, p90: 0 });
  });

  it("often misses it when block levels vary far more than the pipelines differ", () => {
    const rng = createRng(5);
    const level = Array.from({ length: 40 }, () => Math.exp(3 * rng.nextGaussian()));
    const r = explorationReference(
      task(40, (b) => level[b], 0.02),
      600,
      50,
      1,
    );
    expect(r.identifiedSbs).toBeLessThan(0.8);
    expect(r.gapClosed.p10).toBeLessThan(0);
  });

  it("is deterministic per seed", () => {
    const t = task(40, (b) => 1 + (b % 7), 0.05);
    expect(explorationReference(t, 300, 20, 3)).toEqual(explorationReference(t, 300, 20, 3));
  });
});
