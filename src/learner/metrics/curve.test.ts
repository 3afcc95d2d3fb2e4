import { describe, expect, it } from "vitest";
import { isMetacompError } from "../../errors.js";
import { mean, meanCI95, median, olsSlope, sampleSd, tQuantile975 } from "../../stats.js";
import {
  curveArea,
  curveSlopePer1000,
  improvementRate,
  type LearningCurve,
  learningSpeed,
  metaImprovementRate,
  roundsToFraction,
} from "./curve.js";

const line = (slopePer1000: number, intercept: number, k = 250, n = 9): LearningCurve => {
  const rounds = Array.from({ length: n }, (_, i) => i * k);
  return { rounds, gapClosed: rounds.map((r) => intercept + (slopePer1000 * r) / 1000) };
};

describe("stats", () => {
  it("t quantiles match tables and interpolate monotonically", () => {
    expect(tQuantile975(1)).toBeCloseTo(12.7062, 4);
    expect(tQuantile975(4)).toBeCloseTo(2.7764, 4);
    expect(tQuantile975(30)).toBeCloseTo(2.0423, 4);
    expect(tQuantile975(50)).toBeGreaterThan(2.0003);
    expect(tQuantile975(50)).toBeLessThan(2.0211);
    expect(tQuantile975(1e9)).toBeCloseTo(1.96, 3);
    expect(() => tQuantile975(0)).toThrow(/df >= 1/);
  });
  it("mean, sd, CI and slope on known values", () => {
    expect(mean([1, 2, 3])).toBe(2);
    expect(() => mean([])).toThrow(/empty/);
    const values = [4, 1, 3, 2];
    expect(median(values)).toBe(2.5);
    expect(values).toEqual([4, 1, 3, 2]); // not sorted in place
    expect(median([3, 1, 2])).toBe(2);
    expect(() => median([])).toThrow(/empty/);
    expect(sampleSd([1, 2, 3])).toBe(1);
    expect(sampleSd([5])).toBe(0);
    const ci = meanCI95([1, 2, 3, 4, 5]);
    expect(ci.mean).toBe(3);
    expect(ci.hi - ci.mean).toBeCloseTo((2.7764 * Math.sqrt(2.5)) / Math.sqrt(5), 6);
    expect(ci.excludesZero).toBe(true);
    expect(meanCI95([-1, 1, -2, 2]).excludesZero).toBe(false);
    expect(meanCI95([-3, -2.9, -3.1]).excludesZero).toBe(true);
    expect(() => meanCI95([1])).toThrow(/at least 2/);
    expect(() => meanCI95([1, Number.NaN])).toThrow(/finite/);
    expect(olsSlope([0, 1, 2], [1, 3, 5])).toBeCloseTo(2, 12);
    expect(() => olsSlope([1], [1])).toThrow(/paired/);
    expect(() => olsSlope([1, 1], [1, 2])).toThrow(/distinct/);
  });
});

describe("learning curve metrics", () => {
  it("recovers a known slope per 1000 rounds inside a window", () => {
    const c = line(0.4, 0.1);
    expect(curveSlopePer1000(c, { name: "all", from: 0, to: 2000 })).toBeCloseTo(0.4, 10);
    // a kinked curve: flat after 1000, so the late window has slope 0
    const kinked = { rounds: c.rounds, gapClosed: c.rounds.map((r) => Math.min(r, 1000) / 2000) };
    expect(curveSlopePer1000(kinked, { name: "early", from: 0, to: 1000 })).toBeCloseTo(0.5, 10);
    expect(curveSlopePer1000(kinked, { name: "late", from: 1000, to: 2000 })).toBeCloseTo(0, 10);
    expect(() => curveSlopePer1000(c, { name: "tiny", from: 10, to: 20 })).toThrow(/widen/);
  });
  it("improvement rate: CI across seeds contains the true slope and excludes 0 when all rise", () => {
    const curves = [0.3, 0.35, 0.4, 0.45, 0.5].map((s, i) => line(s, 0.05 * i));
    const rate = improvementRate(curves, { name: "all", from: 0, to: 2000 });
    expect(rate.perSeed.map((x) => Number(x.toFixed(6)))).toEqual([0.3, 0.35, 0.4, 0.45, 0.5]);
    expect(rate.mean).toBeCloseTo(0.4, 10);
    expect(rate.lo).toBeLessThan(0.4);
    expect(rate.hi).toBeGreaterThan(0.4);
    expect(rate.excludesZero).toBe(true);
    const flat = improvementRate([line(0.1, 0), line(-0.1, 0), line(0.05, 0)], {
      name: "all",
      from: 0,
      to: 2000,
    });
    expect(flat.excludesZero).toBe(false);
  });
  it("validates curves", () => {
    expect(() => curveArea({ rounds: [0, 1], gapClosed: [0] })).toThrow(/as many/);
    expect(() => curveArea({ rounds: [0, 0], gapClosed: [0, 1] })).toThrow(/increase/);
    try {
      curveArea({ rounds: [], gapClosed: [] });
    } catch (e) {
      expect(isMetacompError(e)).toBe(true);
    }
  });
  it("area and rounds-to-90% on hand-built curves", () => {
    expect(curveArea({ rounds: [0, 100], gapClosed: [0, 1] })).toBeCloseTo(0.5, 12);
    expect(curveArea({ rounds: [0, 100, 300], gapClosed: [1, 1, 1] })).toBeCloseTo(1, 12);
    expect(curveArea({ rounds: [5], gapClosed: [0.7] })).toBe(0.7);
    expect(roundsToFraction({ rounds: [0, 100, 200], gapClosed: [0, 0.85, 0.9] }, 0.9)).toBe(100);
    expect(roundsToFraction({ rounds: [0, 100, 200], gapClosed: [0.95, 0.85, 0.9] })).toBe(0);
    expect(roundsToFraction({ rounds: [0, 100], gapClosed: [0.2, -0.1] })).toBeUndefined();
    expect(learningSpeed({ rounds: [0, 100, 200], gapClosed: [0, 0.5, 0.6] }, "roundsTo90")).toBe(-200);
    expect(learningSpeed({ rounds: [0, 100], gapClosed: [0, -1] }, "roundsTo90")).toBeNaN();
  });
  it("meta-improvement rate: later tasks learned faster gives a positive slope with a CI excluding 0", () => {
    // seed s, task j: the curve reaches its plateau after (4 - j) * 250 rounds, so speed rises with j
    const task = (j: number, plateau: number): LearningCurve => {
      const rounds = Array.from({ length: 9 }, (_, i) => i * 250);
      const reach = (4 - j) * 250;
      return {
        rounds,
        gapClosed: rounds.map((r) => (reach === 0 ? plateau : plateau * Math.min(1, r / reach))),
      };
    };
    const seqs = [0.8, 0.85, 0.9, 0.95, 1].map((p) => [0, 1, 2, 3].map((j) => task(j, p)));
    const area = metaImprovementRate(seqs, "area");
    expect(area.n).toBe(5);
    expect(area.mean).toBeGreaterThan(0);
    expect(area.excludesZero).toBe(true);
    const r90 = metaImprovementRate(seqs, "roundsTo90");
    // 90% of the plateau is first reached at the checkpoint equal to `reach`: 1000, 750, 500, 250 rounds
    expect(r90.speeds[0]).toEqual([-1000, -750, -500, -250]);
    expect(r90.mean).toBeCloseTo(250, 10);
    const same = [0, 1, 2, 3, 4].map((s) => [0, 1, 2].map(() => task(s % 2, 0.9)));
    expect(metaImprovementRate(same).mean).toBeCloseTo(0, 12);
    const undefinedSpeeds = [
      [{ rounds: [0, 1], gapClosed: [0, -1] }, task(1, 1)],
      [task(0, 1), task(1, 1)],
    ];
    expect(() => metaImprovementRate(undefinedSpeeds, "roundsTo90")).toThrow(/seed 0/);
  });
});
