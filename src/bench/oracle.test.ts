import { describe, expect, it } from "vitest";
import { oracleReport, splitByBlock, splitByGroup } from "./oracle.js";
import type { CostMatrix } from "./types.js";

// 3 pipelines × 6 blocks; families A (blocks 0–2) and B (3–5). Row = block.
const matrix: CostMatrix = {
  pipelines: ["p0", "p1", "p2"],
  blockCount: 6,
  costs: Float64Array.from([
    10,
    12,
    30, // 0 A
    10,
    12,
    30, // 1 A
    10,
    12,
    30, // 2 A
    50,
    20,
    40, // 3 B
    50,
    20,
    40, // 4 B
    60,
    30,
    20, // 5 B
  ]),
};
const groups = ["A", "A", "A", "B", "B", "B"];

describe("splits", () => {
  it("splits blocks by a seed: disjoint, complete, reproducible, seed-dependent", () => {
    const a = splitByBlock(100, { testFraction: 0.3, seed: 5 });
    expect(a.test.length).toBe(30);
    expect([...a.train, ...a.test].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(splitByBlock(100, { testFraction: 0.3, seed: 5 })).toEqual(a);
    expect(splitByBlock(100, { testFraction: 0.3, seed: 6 }).test).not.toEqual(a.test);
    expect(splitByBlock(2, { testFraction: 0.9 }).train.length).toBe(1);
    expect(() => splitByBlock(1)).toThrow(/at least 2 blocks/);
    expect(() => splitByBlock(10, { testFraction: 1 })).toThrow(/testFraction/);
  });

  it("holds out whole groups", () => {
    const s = splitByGroup(groups, { heldOut: ["B"] });
    expect(s.test).toEqual([3, 4, 5]);
    expect(s.train).toEqual([0, 1, 2]);
    const drawn = splitByGroup(groups, { heldOutCount: 1, seed: 3 });
    expect(drawn.heldOut.length).toBe(1);
    expect(drawn.test.every((b) => groups[b] === drawn.heldOut[0])).toBe(true);
    expect(() => splitByGroup(groups, { heldOut: ["C"] })).toThrow(/has no blocks/);
    expect(() => splitByGroup(groups, { heldOut: ["A", "B"] })).toThrow(/hold out between 1 and 1/);
  });
});

describe("oracleReport", () => {
  it("computes SBS on train and gap closed per family and overall on a hand-built matrix", () => {
    // train on blocks 0,1,3 → totals p0 70, p1 44, p2 100 → SBS p1
    const split = { train: [0, 1, 3], test: [2, 4, 5] };
    const r = oracleReport(matrix, split, groups, {
      perfect: [0, 1, 2],
      sbsLike: [1, 1, 1],
      half: [0, 1, 1],
    });
    expect(r.sbs).toBe("p1");
    // overall: SBS 12+20+30 = 62, VBS 10+20+20 = 50
    expect(r.overall.sbsCost).toBe(62);
    expect(r.overall.vbsCost).toBe(50);
    expect(r.overall.selectors.perfect).toEqual({ cost: 50, gapClosed: 1 });
    expect(r.overall.selectors.sbsLike).toEqual({ cost: 62, gapClosed: 0 });
    expect(r.overall.selectors.half.gapClosed).toBeCloseTo(2 / 12, 12); // (62 − 60) / 12
    const [a, b] = r.groups;
    expect(a).toMatchObject({ group: "A", blocks: 1, sbsCost: 12, vbsCost: 10 });
    expect(a.selectors.half.gapClosed).toBe(1);
    expect(b).toMatchObject({ group: "B", blocks: 2, sbsCost: 50, vbsCost: 40 });
    expect(b.selectors.half.gapClosed).toBe(0);
    expect(b.selectors.perfect.gapClosed).toBe(1);
  });

  it("reports gap closed as undefined where SBS = VBS, negative when worse than SBS", () => {
    const split = { train: [0, 1], test: [2, 3] };
    const r = oracleReport(matrix, split, groups, { worse: [2, 0] });
    // SBS p0; family A: SBS = VBS = 10 → undefined
    expect(r.groups[0].selectors.worse.gapClosed).toBeUndefined();
    // family B block 3: SBS 50, VBS 20, worse picks p0 = 50 → 0
    expect(r.groups[1].selectors.worse.gapClosed).toBe(0);
    // overall: SBS 60, VBS 30, worse 30+50 = 80 → −2/3
    expect(r.overall.selectors.worse.gapClosed).toBeCloseTo(-20 / 30, 12);
  });

  it("gives −Infinity to a selector that chose a failed pipeline, and checks its inputs", () => {
    const failing: CostMatrix = {
      pipelines: ["a", "b"],
      blockCount: 2,
      costs: Float64Array.of(1, Infinity, 1, 2),
    };
    const r = oracleReport(failing, { train: [1], test: [0] }, ["x", "x"], { bad: [1], good: [0] });
    expect(r.overall.selectors.bad.gapClosed).toBe(-Infinity);
    expect(r.overall.selectors.good.gapClosed).toBeUndefined();
    expect(() => oracleReport(matrix, { train: [0], test: [1] }, ["A"], {})).toThrow(/group labels/);
    expect(() => oracleReport(matrix, { train: [0], test: [1] }, groups, { s: [0, 1] })).toThrow(
      /made 2 choices/,
    );
  });
});
