import { describe, expect, it } from "vitest";
import { isMetacompError } from "../errors.js";
import { permutationImportance } from "./importance.js";
import type { CostMatrix } from "./types.js";

/**
 * Pipeline 1 is best exactly where feature 0 is 1; feature 1 is noise; feature 2 is constant.
 * Block costs: x0 = 1 → [10, 0], x0 = 0 → [0, 10]. Training blocks are mostly x0 = 0, so SBS = pipeline 0.
 */
function task(x0: readonly number[], trainCount: number) {
  const all = [...Array.from({ length: trainCount }, (_, i) => (i === 0 ? 1 : 0)), ...x0];
  const features = all.map((v, i) => Float32Array.of(v, (i * 7919) % 13, 3));
  const matrix: CostMatrix = {
    pipelines: ["p0", "p1"],
    blockCount: all.length,
    costs: Float64Array.from(all.flatMap((v) => (v === 1 ? [10, 0] : [0, 10]))),
  };
  const train = Array.from({ length: trainCount }, (_, i) => i);
  const test = x0.map((_, i) => trainCount + i);
  return { features, matrix, split: { train, test } };
}

/** The selector that has learned the rule: pipeline 1 when feature 0 is above 0.5. */
const byFeature0 = (features: readonly Float32Array[]) => features.map((f) => (f[0] > 0.5 ? 1 : 0));

describe("permutationImportance", () => {
  it("two held-out blocks: each shuffle either keeps (drop 0) or swaps them (gap closed 1 → −1, drop 2)", () => {
    const t = task([1, 0], 3);
    const r = permutationImportance({ choose: byFeature0, ...t, seed: 1, repeats: 200 })!;
    expect(r.baselineGapClosed).toBe(1);
    expect(r.choices).toEqual([1, 0]);
    const [f0, f1, f2] = r.importances;
    expect(new Set(f0.drops)).toEqual(new Set([0, 2])); // both outcomes occur over 200 shuffles
    expect(f0.importance).toBeCloseTo(f0.drops.reduce((a, b) => a + b, 0) / 200, 12);
    expect(f0.importance).toBeGreaterThan(0.7); // a fair swap: expected 1
    expect(f0.importance).toBeLessThan(1.3);
    // unused and constant features: exactly zero
    expect(f1.importance).toBe(0);
    expect(f2.importance).toBe(0);
    expect(r.importances.map((i) => i.feature)).toEqual(["f0", "f1", "f2"]);
  });

  it("four held-out blocks [1, 1, 0, 0]: drop = mismatches / 2, expected 1 (mean of 0, 1, 2 with weights 1:4:1)", () => {
    const t = task([1, 1, 0, 0], 4);
    const seen: number[][] = [];
    const choose = (f: readonly Float32Array[]) => {
      seen.push(f.map((v) => v[0]));
      return byFeature0(f);
    };
    const r = permutationImportance({
      choose,
      ...t,
      seed: 9,
      repeats: 300,
      featureNames: ["a", "b", "c"],
    })!;
    expect(r.importances[0].drops.every((d) => d === 0 || d === 1 || d === 2)).toBe(true);
    expect(r.importances[0].importance).toBeGreaterThan(0.85);
    expect(r.importances[0].importance).toBeLessThan(1.15);
    // every call saw a permutation of the held-out column, never values from training blocks
    for (const column of seen) expect([...column].sort()).toEqual([0, 0, 1, 1]);
    expect(r.importances.map((i) => i.feature)).toEqual(["a", "b", "c"]);
  });

  it("is deterministic per seed, leaves the inputs untouched, and differs between seeds", () => {
    const t = task([1, 0, 1, 0, 0, 1], 4);
    const before = t.features.map((f) => Array.from(f));
    const a = permutationImportance({ choose: byFeature0, ...t, seed: 5 })!;
    const b = permutationImportance({ choose: byFeature0, ...t, seed: 5 })!;
    const c = permutationImportance({ choose: byFeature0, ...t, seed: 6, repeats: 5 })!;
    expect(a).toEqual(b);
    expect(a.repeats).toBe(5);
    expect(a.importances[0].drops).not.toEqual(c.importances[0].drops);
    expect(t.features.map((f) => Array.from(f))).toEqual(before);
  });

  it("is undefined when SBS already equals VBS on the held-out blocks", () => {
    const t = task([0, 0], 3); // SBS p0 is optimal on both held-out blocks
    expect(permutationImportance({ choose: byFeature0, ...t, seed: 1 })).toBeUndefined();
  });

  it("names bad inputs", () => {
    const t = task([1, 0], 3);
    const code = (f: () => unknown) => {
      try {
        f();
        return "no error";
      } catch (e) {
        return isMetacompError(e, "E_INVALID_CONFIG") ? (e as Error).message : String(e);
      }
    };
    expect(code(() => permutationImportance({ choose: byFeature0, ...t, seed: 1, repeats: 0 }))).toMatch(
      /repeats/,
    );
    expect(
      code(() => permutationImportance({ choose: byFeature0, ...t, features: t.features.slice(1), seed: 1 })),
    ).toMatch(/one per block/);
    expect(
      code(() => permutationImportance({ choose: byFeature0, ...t, seed: 1, featureNames: ["x"] })),
    ).toMatch(/one name per column/);
    expect(
      code(() =>
        permutationImportance({ choose: byFeature0, ...t, split: { train: [0], test: [] }, seed: 1 }),
      ),
    ).toMatch(/held-out/);
  });
});
