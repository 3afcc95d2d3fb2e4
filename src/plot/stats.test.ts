import { describe, expect, it } from "vitest";
import { meanCI95 } from "../stats.js";
import { bandCI } from "./stats.js";

describe("bandCI", () => {
  it("is mean ± t(0.975, n−1)·sd/√n, the same numbers as the learner metrics", () => {
    const ci = bandCI([1, 2, 3, 4, 5]);
    expect(ci.n).toBe(5);
    expect(ci.mean).toBe(3);
    expect(ci.halfWidth).toBeCloseTo((2.776445 * Math.sqrt(2.5)) / Math.sqrt(5), 3);
    expect(ci.low).toBe(meanCI95([1, 2, 3, 4, 5]).lo);
    expect(ci.high).toBe(meanCI95([1, 2, 3, 4, 5]).hi);
  });
  it("skips non-finite values and draws no band from one value", () => {
    expect(bandCI([2, Number.NaN, 4, Number.POSITIVE_INFINITY])).toMatchObject({ n: 2, mean: 3 });
    const one = bandCI(new Float64Array([7]));
    expect(one.mean).toBe(7);
    expect(one.halfWidth).toBeNaN();
    expect(bandCI([]).mean).toBeNaN();
  });
  it("has zero width for constant values", () => {
    expect(bandCI([0.5, 0.5, 0.5]).halfWidth).toBe(0);
  });
});
