/**
 * Deterministic sample rows for every figure builder (tests and the PNG gallery). Shapes mimic real runs;
 * the numbers are made up from a seeded LCG, not measured.
 */

import type { SelectionRow } from "../figures/confusion.js";
import type { EntropyEfficiencyRow } from "../figures/entropy-efficiency.js";
import type { FeatureImportanceRow } from "../figures/feature-importance.js";
import type { GapClosedRow } from "../figures/gap-closed.js";
import type { LearningCurveRow } from "../figures/learning-curve.js";
import type { MetaImprovementRateRow, MetaImprovementRow } from "../figures/meta-improvement.js";
import type { ParetoRow } from "../figures/pareto.js";
import type { PortfolioRow } from "../figures/portfolio.js";
import type { SystemMetricPoint } from "../figures/system-metrics.js";

/** A tiny seeded generator: uniform in [0, 1). */
export function lcg(seed: number): () => number {
  let s = (seed * 2654435761) >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export const FAMILIES = ["iid-skewed", "markov-2", "text-like", "float-series", "sparse"];
export const PIPELINES = [
  "store",
  "lz4",
  "zstd:3",
  "zstd:19",
  "delta:4>zstd:9",
  "shuffle:4>zstd:9",
  "brotli:9",
  "deflate:6",
];

export function sampleLearningCurve(seeds = 5): LearningCurveRow[] {
  const rows: LearningCurveRow[] = [];
  for (const [series, plateau, tau] of [
    ["meta-learner", 0.78, 1800],
    ["bandit (no meta)", 0.6, 4000],
  ] as const) {
    for (let seed = 1; seed <= seeds; seed++) {
      const rnd = lcg(seed * 31 + series.length);
      for (let round = 0; round <= 10_000; round += 500) {
        rows.push({
          series,
          seed,
          round,
          gapClosed: plateau * (1 - Math.exp(-round / tau)) + (rnd() - 0.5) * 0.12,
        });
      }
    }
  }
  return rows;
}

export function sampleMetaImprovement(): { rows: MetaImprovementRow[]; rates: MetaImprovementRateRow[] } {
  const rows: MetaImprovementRow[] = [];
  for (const [condition, slope] of [
    ["meta-learned", 260],
    ["ablation: no meta-training", 10],
  ] as const) {
    for (let seed = 1; seed <= 5; seed++) {
      const rnd = lcg(seed * 7 + condition.length);
      for (let task = 0; task < 8; task++)
        rows.push({ condition, seed, task, value: 3000 - slope * task + (rnd() - 0.5) * 500 });
    }
  }
  return {
    rows,
    rates: [
      { condition: "meta-learned", rate: 260, ciLow: 205, ciHigh: 315 },
      { condition: "ablation: no meta-training", rate: 10, ciLow: -45, ciHigh: 65 },
    ],
  };
}

export function sampleGapClosed(): GapClosedRow[] {
  const rows: GapClosedRow[] = [];
  const selectors: [string, number][] = [
    ["meta-learner", 0.7],
    ["SBS", 0],
    ["random", -0.6],
    ["entropy heuristic", 0.35],
  ];
  FAMILIES.forEach((family, f) => {
    for (const [selector, base] of selectors) {
      for (let seed = 1; seed <= 5; seed++) {
        const rnd = lcg(seed * 101 + f * 13 + selector.length);
        rows.push({
          family,
          selector,
          seed,
          gapClosed: selector === "SBS" ? 0 : base + (rnd() - 0.5) * 0.2 - 0.05 * f,
        });
      }
    }
  });
  return rows;
}

export function sampleSpeedRatio(): ParetoRow[] {
  const base: Record<string, [number, number]> = {
    store: [1, 2500],
    lz4: [1.8, 700],
    "zstd:3": [2.6, 320],
    "zstd:19": [3.3, 9],
    "delta:4>zstd:9": [3.0, 90],
    "shuffle:4>zstd:9": [3.1, 110],
    "brotli:9": [3.2, 35],
    "deflate:6": [2.5, 60],
  };
  const rows: ParetoRow[] = [];
  FAMILIES.slice(0, 3).forEach((family, f) => {
    const rnd = lcg(f + 5);
    for (const pipeline of PIPELINES) {
      const [ratio, speed] = base[pipeline];
      rows.push({
        family,
        pipeline,
        ratio: pipeline === "store" ? 1 : ratio * (0.7 + 0.3 * f) * (0.9 + 0.2 * rnd()),
        compressMBps: speed * (0.8 + 0.4 * rnd()),
      });
    }
  });
  return rows;
}

export function samplePortfolio(): PortfolioRow[] {
  return FAMILIES.flatMap((family) =>
    sampleSpeedRatio()
      .filter((r) => r.family === "iid-skewed")
      .map((r, i) => ({
        family,
        pipeline: r.pipeline,
        ratio: r.ratio * (1 + 0.15 * ((i + family.length) % 4)),
        compressMBps: r.compressMBps,
      })),
  );
}

export function sampleSelections(): SelectionRow[] {
  const rnd = lcg(3);
  const labels = PIPELINES.slice(1, 7);
  const rows: SelectionRow[] = [];
  for (let b = 0; b < 400; b++) {
    const oracle = labels[Math.floor(rnd() * labels.length)];
    const selected = rnd() < 0.72 ? oracle : labels[Math.floor(rnd() * labels.length)];
    rows.push({ oracle, selected });
  }
  return rows;
}

export function sampleFeatureImportance(): FeatureImportanceRow[] {
  const features = [
    "entropy0",
    "entropy1",
    "entropy2",
    "byteHistSkew",
    "runLength",
    "deltaEntropy",
    "zeroShare",
    "asciiShare",
    "float32Likely",
    "period",
    "lz4Probe",
    "meanByte",
  ];
  const rows: FeatureImportanceRow[] = [];
  features.forEach((feature, i) => {
    for (let seed = 1; seed <= 5; seed++) {
      const rnd = lcg(seed * 17 + i);
      rows.push({ feature, seed, importance: 0.25 * Math.exp(-i / 3) + (rnd() - 0.5) * 0.04 });
    }
  });
  return rows;
}

export function sampleEntropyEfficiency(): EntropyEfficiencyRow[] {
  const rows: EntropyEfficiencyRow[] = [];
  for (const [pipeline, k] of [
    ["zstd:19", 0.02],
    ["brotli:9", 0.03],
    ["lz4", 0.2],
    ["deflate:6", 0.06],
  ] as const) {
    for (let h = 1; h <= 7; h++) {
      for (let seed = 1; seed <= 5; seed++) {
        const rnd = lcg(seed * 11 + h * 3 + pipeline.length);
        rows.push({
          family: "iid-skewed",
          pipeline,
          entropy: h,
          seed,
          entropyEfficiency: 1 - k * (1 + 1 / h) + (rnd() - 0.5) * 0.02,
        });
      }
    }
  }
  return rows;
}

export function sampleSystemMetrics(): SystemMetricPoint[] {
  const rows: SystemMetricPoint[] = [];
  const rnd = lcg(9);
  for (let t = 0; t <= 120; t += 2) {
    rows.push({ seconds: t, metric: "rss", unit: "MB", value: 180 + t * 0.6 + rnd() * 10 });
    rows.push({ seconds: t, metric: "cpu", unit: "%", value: 150 + rnd() * 40 });
    rows.push({
      seconds: t,
      metric: "throughput",
      unit: "blocks/s",
      value: 400 + rnd() * 60 - (t > 60 ? 50 : 0),
    });
  }
  return rows;
}
