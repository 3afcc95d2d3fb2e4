import { describe, expect, it } from "vitest";
import { meanCI95, tQuantile975 } from "./stats.js";

describe("tQuantile975", () => {
  it("matches published t-table values", () => {
    expect(tQuantile975(1)).toBeCloseTo(12.7062, 4);
    expect(tQuantile975(4)).toBeCloseTo(2.776445, 4);
    expect(tQuantile975(9)).toBeCloseTo(2.262157, 4);
    expect(tQuantile975(30)).toBeCloseTo(2.042272, 4);
  });
  it("uses an accurate expansion beyond the table", () => {
    expect(tQuantile975(31)).toBeCloseTo(2.039513, 4);
    expect(tQuantile975(60)).toBeCloseTo(2.000298, 5);
    expect(tQuantile975(120)).toBeCloseTo(1.97993, 5);
    expect(tQuantile975(1e6)).toBeCloseTo(1.959966, 5);
  });
  it("decreases with df and is NaN below 1", () => {
    for (let df = 1; df < 100; df++) expect(tQuantile975(df + 1)).toBeLessThan(tQuantile975(df));
    expect(tQuantile975(0)).toBeNaN();
  });
});

describe("meanCI95", () => {
  it("computes mean ± t·sd/√n", () => {
    const ci = meanCI95([1, 2, 3, 4, 5]);
    expect(ci.n).toBe(5);
    expect(ci.mean).toBe(3);
    expect(ci.sd).toBeCloseTo(Math.sqrt(2.5), 12);
    expect(ci.halfWidth).toBeCloseTo((2.776445 * Math.sqrt(2.5)) / Math.sqrt(5), 4);
    expect(ci.low).toBeCloseTo(3 - ci.halfWidth, 12);
    expect(ci.high).toBeCloseTo(3 + ci.halfWidth, 12);
  });
  it("ignores non-finite values and gives no interval from one value", () => {
    expect(meanCI95([2, Number.NaN, 4])).toMatchObject({ n: 2, mean: 3 });
    const one = meanCI95([7]);
    expect(one.mean).toBe(7);
    expect(one.halfWidth).toBeNaN();
    expect(meanCI95([]).mean).toBeNaN();
  });
  it("has zero width for constant values", () => {
    expect(meanCI95(new Float64Array([0.5, 0.5, 0.5])).halfWidth).toBe(0);
  });
});
