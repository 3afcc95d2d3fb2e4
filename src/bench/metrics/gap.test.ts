import { describe, expect, it } from "vitest";
import { isMetacompError } from "../../errors.js";
import type { CostMatrix } from "../types.js";
import { gapClosed, gapClosedOf, sbsIndex, selectionCost, vbsChoices, vbsCost } from "./gap.js";

// 4 blocks × 3 pipelines; pipeline 1 is best overall, but blocks 2 and 3 prefer 0 and 2.
const m: CostMatrix = {
  pipelines: ["a", "b", "c"],
  blockCount: 4,
  costs: Float64Array.of(10, 5, 9, 10, 5, 9, 3, 6, 9, 9, 7, 2),
};

describe("oracle metrics on a hand-built cost matrix", () => {
  it("finds the per-block oracle and its cost", () => {
    expect(vbsChoices(m)).toEqual([1, 1, 0, 2]);
    expect(vbsCost(m)).toBe(5 + 5 + 3 + 2);
    expect(vbsCost(m, [2, 3])).toBe(5);
  });

  it("picks the SBS on training blocks only", () => {
    expect(sbsIndex(m)).toBe(1); // totals 32, 23, 29
    expect(sbsIndex(m, [2])).toBe(0);
    expect(sbsIndex(m, [3])).toBe(2);
  });

  it("computes gap closed with the exact definition", () => {
    expect(gapClosed({ sbs: 100, vbs: 80, selector: 85 })).toBeCloseTo(0.75, 12);
    expect(gapClosed({ sbs: 100, vbs: 80, selector: 80 })).toBe(1);
    expect(gapClosed({ sbs: 100, vbs: 80, selector: 100 })).toBe(0);
    expect(gapClosed({ sbs: 100, vbs: 80, selector: 120 })).toBe(-1);
  });

  it("reports undefined, not a division by zero, when SBS = VBS", () => {
    expect(gapClosed({ sbs: 80, vbs: 80, selector: 80 })).toBeUndefined();
    expect(gapClosed({ sbs: 80, vbs: 80, selector: 90 })).toBeUndefined();
  });

  it("scores a selector on held-out blocks against the train SBS", () => {
    const split = { train: [0, 1], test: [2, 3] };
    // SBS on train = 1; on test: SBS cost 6+7 = 13, VBS 3+2 = 5.
    expect(gapClosedOf(m, [0, 2], split)).toBe(1);
    expect(gapClosedOf(m, [1, 1], split)).toBe(0);
    expect(gapClosedOf(m, [0, 1], split)).toBeCloseTo((13 - 10) / 8, 12);
    expect(selectionCost(m, [2, 0], [2, 3])).toBe(18);
    expect(gapClosedOf(m, [2, 0], split)).toBeCloseTo((13 - 18) / 8, 12);
  });

  it("rejects bad input with coded errors", () => {
    const codes = [
      () => gapClosed({ sbs: 1, vbs: 2, selector: 1 }),
      () => gapClosed({ sbs: Number.NaN, vbs: 0, selector: 0 }),
      () => vbsCost(m, [4]),
      () => selectionCost(m, [0], [0, 1]),
      () => selectionCost(m, [3], [0]),
      () => sbsIndex(m, []),
    ].map((f) => {
      try {
        f();
        return "no error";
      } catch (e) {
        return isMetacompError(e) ? e.code : "uncoded";
      }
    });
    expect(codes).toEqual(Array(6).fill("E_INVALID_CONFIG"));
  });
});
