import { describe, expect, it } from "vitest";
import { improvementRate, type LearningCurve, metaImprovementRate } from "../learner/metrics/curve.js";
import { learningCurveFigure } from "../plot/figures/learning-curve.js";
import { metaImprovementFigure } from "../plot/figures/meta-improvement.js";
import { meanCI95 } from "../stats.js";
import { metaImprovementRows, selfTuningRows, summaryCurveRows } from "./figure-rows.js";
import type { ExperimentSummary } from "./summary.js";

const curve = (gapClosed: number[]): LearningCurve => ({
  rounds: gapClosed.map((_, i) => i * 50),
  gapClosed,
});

function summary(withMeta: boolean): ExperimentSummary {
  const curves = [
    { seed: 3, ...curve([0, 0.2, Number.NaN, 0.5]) },
    { seed: 8, ...curve([0.1, 0.3, 0.4, 0.6]) },
  ];
  // seed 3 learns task 1 faster than task 0; seed 8 too, by more
  const metaCurves = [
    [curve([0, 0.2, 0.4]), curve([0.2, 0.4, 0.6])],
    [curve([0, 0.1, 0.2]), curve([0.3, 0.5, 0.7])],
  ];
  const ablation = [
    [curve([0, 0.2, 0.4]), curve([0, 0.2, 0.4])],
    [curve([0, 0.1, 0.2]), curve([0, 0.1, 0.2])],
  ];
  return {
    experiment: "t",
    runIds: [1],
    seeds: [3, 8],
    curves,
    improvementRate: improvementRate(curves, { name: "all", from: 0, to: 150 }),
    finalGapClosed: meanCI95([0.5, 0.6]),
    meta: withMeta
      ? {
          curves: metaCurves,
          ablation,
          rate: metaImprovementRate(metaCurves, "area"),
          ablationRate: metaImprovementRate(ablation, "area"),
        }
      : undefined,
    selectors: {},
    pipelineBytes: {},
    headline: {},
  };
}

describe("summary figure rows", () => {
  it("turns per-seed curves into learning-curve rows, dropping non-finite points", () => {
    const rows = summaryCurveRows(summary(false).curves, "learner");
    expect(rows).toHaveLength(7);
    expect(rows.filter((r) => r.seed === 3).map((r) => r.round)).toEqual([0, 50, 150]);
    expect(rows.every((r) => r.series === "learner" && Number.isFinite(r.gapClosed))).toBe(true);
    expect(learningCurveFigure(rows).data.length).toBeGreaterThan(0);
  });

  it("gives per-seed, per-task speeds for both arms and both rates with their CIs", () => {
    const s = summary(true);
    const meta = metaImprovementRows(s);
    expect(meta?.metric).toBe("auc");
    const metaArm = meta?.rows.filter((r) => r.condition.startsWith("meta")) ?? [];
    expect(metaArm).toHaveLength(4);
    const seed8 = metaArm.filter((r) => r.seed === 8).sort((a, b) => a.task - b.task);
    expect(seed8[1].value).toBeGreaterThan(seed8[0].value);
    expect(meta?.rates.map((r) => r.rate)).toEqual([s.meta?.rate.mean, s.meta?.ablationRate.mean]);
    expect(meta?.rates[0].ciLow).toBe(s.meta?.rate.lo);
    expect(meta?.rates[1].rate).toBeCloseTo(0, 12);
    const fig = metaImprovementFigure(meta?.rows ?? [], { metric: meta?.metric, rates: meta?.rates });
    expect(fig.data.length).toBeGreaterThan(2);
  });

  it("is undefined without a meta section", () => {
    expect(metaImprovementRows(summary(false))).toBeUndefined();
    expect(selfTuningRows(summary(true))).toBeUndefined();
  });

  it("labels self-tuning's arms by population, one row per seed and generation", () => {
    const s = summary(true);
    const tuning = selfTuningRows({ ...s, evolution: s.meta });
    expect(new Set(tuning?.rows.map((r) => r.condition))).toEqual(
      new Set(["evolved population", "ablation: fresh random population"]),
    );
    expect(tuning?.rows).toHaveLength(2 * 2 * 2);
    expect(tuning?.rates[0]).toMatchObject({ condition: "evolved population", rate: s.meta?.rate.mean });
  });
});
