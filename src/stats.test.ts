import { describe, expect, it } from "vitest";
import { olsSlope, pearson } from "./stats.js";

describe("pearson", () => {
  it("is the covariance over the product of the spreads, signed, and NaN for a constant side", () => {
    expect(pearson([1, 2, 3], [2, 4, 7])).toBeCloseTo(0.9933992677987828, 12);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
    // r² equals the share of y's variance explained by the least-squares line
    const xs = [0, 1, 2, 3, 4];
    const ys = [1, 0, 4, 3, 5];
    const slope = olsSlope(xs, ys);
    const my = 13 / 5;
    const explained = xs.reduce((a, x) => a + (slope * (x - 2)) ** 2, 0);
    const total = ys.reduce((a, y) => a + (y - my) ** 2, 0);
    expect(pearson(xs, ys) ** 2).toBeCloseTo(explained / total, 12);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNaN();
    expect(() => pearson([1], [1])).toThrow(/>= 2 paired values, got 1 x and 1 y/);
  });
});
