import { describe, expect, it } from "vitest";
import { isMetacompError } from "../../errors.js";
import type { PlotlyFigure, PlotlyTrace } from "../figure.js";
import { sampleFigures } from "../test-utils/gallery.js";
import { sampleLearningCurve } from "../test-utils/samples.js";
import { confusionFigure } from "./confusion.js";
import { entropyEfficiencyFigure } from "./entropy-efficiency.js";
import { featureImportanceFigure } from "./feature-importance.js";
import { gapClosedFigure } from "./gap-closed.js";
import { learningCurveFigure } from "./learning-curve.js";
import { metaImprovementFigure } from "./meta-improvement.js";
import { metricCurveFigure } from "./metric-curve.js";
import { paretoFigure, paretoFront } from "./pareto.js";
import { portfolioHeatmapFigure } from "./portfolio.js";
import { systemMetricPoints, systemMetricsFigure } from "./system-metrics.js";

type Axis = { title?: { text?: string }; type?: string };

function axes(fig: PlotlyFigure): [string, Axis][] {
  return Object.entries(fig.layout).filter(([k]) => /^[xy]axis\d*$/.test(k)) as [string, Axis][];
}

function bands(fig: PlotlyFigure): PlotlyTrace[] {
  return fig.data.filter((t) => t.fill === "tonexty");
}

function namedSeries(fig: PlotlyFigure): PlotlyTrace[] {
  return fig.data.filter((t) => t.showlegend !== false);
}

describe("every figure is legible", () => {
  for (const [name, fig] of Object.entries(sampleFigures())) {
    it(`${name}: title, labelled axes with units, legend when several series`, () => {
      expect(fig.layout.title.text.length).toBeGreaterThan(10);
      const ax = axes(fig);
      expect(ax.length).toBeGreaterThanOrEqual(2);
      for (const [key, a] of ax) {
        const text = a.title?.text ?? "";
        expect(text, `${name}.${key} has no title`).not.toBe("");
        if (a.type !== "category") expect(text, `${name}.${key} has no unit`).toMatch(/\(.+\)/);
      }
      if (namedSeries(fig).length > 1) expect(fig.layout.showlegend).toBe(true);
      expect(JSON.parse(JSON.stringify(fig))).toEqual(fig); // plain JSON
    });
  }
});

describe("learningCurveFigure", () => {
  it("draws mean ± t-based 95% CI bands across seeds", () => {
    const rows = [1, 2, 3].flatMap((seed) => [
      { seed, round: 0, gapClosed: 0 },
      { seed, round: 100, gapClosed: 0.2 * seed },
    ]);
    const fig = learningCurveFigure(rows);
    expect(fig.data.map((t) => t.fill ?? "-")).toEqual(["-", "tonexty", "-"]);
    const [low, high, mean] = fig.data as unknown as { x: number[]; y: number[] }[];
    const half = (4.302653 * 0.2) / Math.sqrt(3); // t(0.975, 2) · sd / √n
    expect(mean.x).toEqual([0, 100]);
    expect(mean.y[1]).toBeCloseTo(0.4, 12);
    expect(low.y[1]).toBeCloseTo(0.4 - half, 3);
    expect(high.y[1]).toBeCloseTo(0.4 + half, 3);
    expect(low.y[0]).toBe(0);
    expect(fig.layout.title.text).toContain("3 seeds");
  });
  it("has no band for a single seed, and one band per series otherwise", () => {
    const single = learningCurveFigure(sampleLearningCurve(1).filter((r) => r.series === "meta-learner"));
    expect(bands(single)).toHaveLength(0);
    expect(single.data).toHaveLength(1);
    const multi = learningCurveFigure(sampleLearningCurve(5));
    expect(bands(multi)).toHaveLength(2);
    expect(namedSeries(multi).map((t) => t.name)).toEqual([
      "meta-learner (mean, n=5)",
      "bandit (no meta) (mean, n=5)",
    ]);
    // each band fills to its own lower bound, which comes right before it
    multi.data.forEach((t, i) => {
      if (t.fill === "tonexty") expect(multi.data[i - 1].legendgroup).toBe(t.legendgroup);
    });
  });
  it("rejects empty input with a coded error", () => {
    try {
      learningCurveFigure([]);
      expect.unreachable();
    } catch (e) {
      expect(isMetacompError(e, "E_INVALID_CONFIG")).toBe(true);
    }
  });
});

describe("paretoFront", () => {
  it("keeps exactly the non-dominated points of a hand-built example", () => {
    const pts = [
      { ratio: 4.0, compressMBps: 5 }, // 0 best ratio
      { ratio: 3.0, compressMBps: 50 }, // 1 optimal
      { ratio: 2.9, compressMBps: 40 }, // 2 dominated by 1
      { ratio: 2.0, compressMBps: 300 }, // 3 optimal
      { ratio: 2.0, compressMBps: 200 }, // 4 dominated by 3 (equal ratio, slower)
      { ratio: 1.0, compressMBps: 2000 }, // 5 fastest
      { ratio: 1.0, compressMBps: 2000 }, // 6 duplicate of an optimal point: kept
      { ratio: 0.9, compressMBps: 10 }, // 7 dominated
    ];
    expect(paretoFront(pts)).toEqual([0, 1, 3, 5, 6]);
    expect(paretoFront([])).toEqual([]);
  });
  it("marks the optimal pipelines per family in the figure", () => {
    const rows = [
      { family: "a", pipeline: "zstd:19", ratio: 4, compressMBps: 5 },
      { family: "a", pipeline: "lz4", ratio: 2, compressMBps: 500 },
      { family: "a", pipeline: "deflate:6", ratio: 1.9, compressMBps: 50 },
      { family: "b", pipeline: "zstd:19", ratio: 3, compressMBps: 5 },
      { family: "b", pipeline: "lz4", ratio: 3.5, compressMBps: 600 },
    ];
    const fig = paretoFigure(rows);
    const fronts = fig.data.filter((t) => String(t.name).endsWith("Pareto front"));
    expect(fronts.map((t) => [t.name, t.text])).toEqual([
      ["a: Pareto front", ["zstd:19", "lz4"]],
      ["b: Pareto front", ["lz4"]],
    ]);
    const dominated = fig.data.filter((t) => String(t.name).endsWith("dominated"));
    expect(dominated.map((t) => t.text)).toEqual([["deflate:6"], ["zstd:19"]]);
    expect((fig.layout.xaxis as Axis).type).toBe("log");
  });
  it("draws one labelled panel per family when there are more than 3", () => {
    const families = ["a", "b", "c", "d", "e"];
    const rows = families.flatMap((family, i) => [
      { family, pipeline: "zstd:19", ratio: 4 + i, compressMBps: 5 },
      { family, pipeline: "lz4", ratio: 2, compressMBps: 500 },
      { family, pipeline: "deflate:6", ratio: 1.9, compressMBps: 50 },
    ]);
    const fig = paretoFigure(rows);
    const fronts = fig.data.filter((t) => t.legendgroup === "front");
    expect(fronts.map((t) => [t.xaxis, t.text])).toEqual(
      families.map((_, k) => [`x${k === 0 ? "" : k + 1}`, ["zstd:19", "lz4"]]),
    );
    expect(fig.data.filter((t) => t.showlegend !== false).map((t) => t.name)).toEqual([
      "dominated pipeline",
      "Pareto front (optimal pipelines)",
    ]);
    for (const k of ["xaxis", "xaxis2", "xaxis5"]) expect((fig.layout[k] as Axis).type).toBe("log");
    expect((fig.layout.annotations as { text: string }[]).map((a) => a.text)).toEqual(
      families.map((f) => `<b>${f}</b>`),
    );
    // 3 columns: panels 4 and 5 are on the bottom row and carry the x title, panel 1 does not
    const title = (k: string) => (fig.layout[k] as { title: { text: string } }).title.text;
    expect([title("xaxis"), title("xaxis4"), title("xaxis5")]).toEqual([
      "",
      "compress speed (MB/s, log)",
      "compress speed (MB/s, log)",
    ]);
    expect(title("yaxis4")).toBe("ratio (×)");
    expect(paretoFigure(rows, { facet: false }).data.some((t) => t.name === "e: Pareto front")).toBe(true);
  });
});

describe("gapClosedFigure", () => {
  it("groups bars by family with CI error bars over seeds", () => {
    const rows = [1, 2, 3, 4].flatMap((seed) => [
      { family: "f1", selector: "meta", seed, gapClosed: 0.5 + seed / 100 },
      { family: "f2", selector: "meta", seed, gapClosed: 0.3 },
      { family: "f1", selector: "random", seed, gapClosed: -0.2 },
    ]);
    const fig = gapClosedFigure(rows);
    expect(fig.layout.barmode).toBe("group");
    expect(fig.data.map((t) => [t.name, t.x, t.y])).toEqual([
      ["meta", ["f1", "f2"], [0.525, 0.3]],
      ["random", ["f1", "f2"], [-0.2, null]],
    ]);
    const err = fig.data[0].error_y as { array: number[] };
    expect(err.array[0]).toBeCloseTo((3.182446 * Math.sqrt(0.0005 / 3)) / 2, 3); // t(0.975, 3) · sd / √4
    expect(err.array[1]).toBe(0);
    // nothing below −1: the axis spans the data and both reference lines, with nothing labelled
    const range = (fig.layout.yaxis as { range: number[] }).range;
    expect(range[0]).toBeLessThan(-0.2);
    expect(range[0]).toBeGreaterThan(-0.4);
    expect(range[1]).toBeGreaterThan(1);
    expect(fig.layout.annotations).toHaveLength(2);
  });
  it("cuts the y axis at −1 by default and labels the bars below it", () => {
    const rows = [
      { family: "f1", selector: "learner", gapClosed: 0.8 },
      { family: "f1", selector: "random", gapClosed: -4.5 },
      { family: "f2", selector: "learner", gapClosed: 0.6 },
      { family: "f2", selector: "random", gapClosed: -0.5 },
    ];
    const fig = gapClosedFigure(rows);
    const range = (fig.layout.yaxis as { range: number[] }).range;
    expect(range[0]).toBeCloseTo(-1 - 0.06 * 2, 9);
    expect(fig.layout.title.text).toContain("axis cut at -1");
    const labels = (fig.layout.annotations as { x: number; y: number; text: string }[]).slice(2);
    // one label, on the random bar of family 0: 2 bars per family, width 0.4, centre at −0.4 + 1.5 · 0.4
    expect(labels).toHaveLength(1);
    expect(labels[0]).toMatchObject({ y: -1, text: "-4.50 ↓" });
    expect(labels[0].x).toBeCloseTo(0.2, 12);
    const auto = gapClosedFigure(rows, { yFloor: "auto" });
    expect((auto.layout.yaxis as { range?: number[] }).range).toBeUndefined();
    expect(auto.layout.title.text).not.toContain("axis cut");
    expect((gapClosedFigure(rows, { yFloor: -5 }).layout.yaxis as { range: number[] }).range[0]).toBeLessThan(
      -4.5,
    );
  });
});

describe("confusionFigure", () => {
  it("can keep as rows only the pipelines the oracle picks", () => {
    const rows = [
      { oracle: "a", selected: "c", count: 2 },
      { oracle: "b", selected: "b" },
    ];
    const fig = confusionFigure(rows, { labels: ["a", "b", "c"], oracleRowsOnly: true });
    const t = fig.data[0] as unknown as { customdata: number[][]; x: string[]; y: string[] };
    expect([t.x, t.y]).toEqual([
      ["a", "b", "c"],
      ["a", "b"],
    ]);
    expect(t.customdata).toEqual([
      [0, 0, 2],
      [0, 1, 0],
    ]);
    expect((confusionFigure(rows, { labels: ["a", "b", "c"] }).data[0].y as string[]).length).toBe(3);
  });
  it("counts oracle × selected and normalises each oracle row", () => {
    const fig = confusionFigure([
      { oracle: "a", selected: "a", count: 3 },
      { oracle: "a", selected: "b" },
      { oracle: "b", selected: "b", count: 2 },
    ]);
    const t = fig.data[0] as unknown as { z: number[][]; customdata: number[][]; x: string[] };
    expect(t.x).toEqual(["a", "b"]);
    expect(t.customdata).toEqual([
      [3, 1],
      [0, 2],
    ]);
    expect(t.z).toEqual([
      [0.75, 0.25],
      [0, 1],
    ]);
    expect(fig.layout.title.text).toContain("83.3%");
  });
});

describe("portfolioHeatmapFigure", () => {
  it("averages the chosen metric per family × pipeline and rejects unknown metrics", () => {
    const fig = portfolioHeatmapFigure(
      [
        { family: "f", pipeline: "p", ratio: 2, compressMBps: 10 },
        { family: "f", pipeline: "p", ratio: 4, compressMBps: 30 },
        { family: "g", pipeline: "q", ratio: 1 },
      ],
      { metric: "compressMBps" },
    );
    expect(fig.data[0].z).toEqual([
      [20, null],
      [null, null],
    ]);
    expect(() =>
      portfolioHeatmapFigure([{ family: "f", pipeline: "p" }], { metric: "nope" as "ratio" }),
    ).toThrow(/unknown metric/);
  });
});

describe("other builders", () => {
  it("featureImportanceFigure sorts features, most important on top", () => {
    const fig = featureImportanceFigure([
      { feature: "a", importance: 0.1 },
      { feature: "b", importance: 0.3 },
      { feature: "c", importance: -0.05 },
    ]);
    expect(fig.data[0].y).toEqual(["c", "a", "b"]);
    expect(fig.data[0].error_x).toBeUndefined();
  });
  it("entropyEfficiencyFigure draws the Shannon bound at 1 and CI bands over seeds", () => {
    const rows = [1, 2, 3].flatMap((seed) => [
      { family: "iid", pipeline: "zstd:19", entropy: 2, seed, entropyEfficiency: 0.9 + seed / 100 },
      { family: "iid", pipeline: "zstd:19", entropy: 4, seed, entropyEfficiency: 0.95 },
    ]);
    const fig = entropyEfficiencyFigure(rows);
    const bound = fig.data.find((t) => String(t.name).startsWith("Shannon bound"));
    expect(bound?.y).toEqual([1, 1]);
    expect(bound?.x).toEqual([2, 4]);
    expect(bands(fig)).toHaveLength(1);
  });
  it("entropyEfficiencyFigure joins points of one family only, and fits a long legend", () => {
    const pipelines = Array.from({ length: 14 }, (_, i) => `p${i}`);
    const rows = pipelines.flatMap((pipeline, i) =>
      [
        ["text", 4.2],
        ["image", 2.1],
        ["random", 8],
      ].map(([family, entropy]) => ({
        family: String(family),
        pipeline,
        entropy: Number(entropy),
        entropyEfficiency: 0.5 + i / 100,
      })),
    );
    const fig = entropyEfficiencyFigure(rows);
    const perPipeline = fig.data.filter((t) => pipelines.includes(String(t.name)));
    expect(perPipeline).toHaveLength(14); // one trace per pipeline, three unrelated families in it
    expect(perPipeline.every((t) => t.mode === "markers")).toBe(true);
    expect(perPipeline[0].text).toEqual(["text", "image", "random"]);
    // colours wrap after 8 series, symbols tell them apart
    const marker = (i: number) => perPipeline[i].marker as { color: string; symbol: string };
    expect(marker(8).color).toBe(marker(0).color);
    expect(marker(8).symbol).not.toBe(marker(0).symbol);
    // 14 pipelines + 2 reference lines: taller than the default 520 px so that no entry is cut
    expect(fig.layout.height).toBe(70 + 70 + 32 * 16 + 10);
  });
  it("metaImprovementFigure puts the rates panel beside the curves", () => {
    const rows = [1, 2].flatMap((seed) =>
      ["meta", "ablation"].flatMap((condition) =>
        [0, 1, 2].map((task) => ({ seed, condition, task, value: 100 - task * seed })),
      ),
    );
    const plain = metaImprovementFigure(rows);
    expect(plain.layout.xaxis2).toBeUndefined();
    expect(bands(plain)).toHaveLength(2);
    const fig = metaImprovementFigure(rows, { rates: [{ condition: "meta", rate: 2, ciLow: 1, ciHigh: 3 }] });
    const bar = fig.data.find((t) => t.type === "bar")!;
    expect(bar.xaxis).toBe("x2");
    expect((bar.error_y as { array: number[]; arrayminus: number[] }).array).toEqual([1]);
    expect(() =>
      metaImprovementFigure(rows, { rates: [{ condition: "m", rate: Number.NaN, ciLow: 0, ciHigh: 1 }] }),
    ).toThrow(/not finite/);
    const axisTitle = (f: typeof plain) => (f.layout.xaxis as { title: { text: string } }).title.text;
    expect(axisTitle(plain)).toBe("held-out task index (order seen)");
    expect(axisTitle(metaImprovementFigure(rows, { xTitle: "tasks in the prior" }))).toBe(
      "tasks in the prior",
    );
  });
  it("systemMetricsFigure stacks one panel per metric, time axis at the bottom", () => {
    const fig = systemMetricsFigure([
      { seconds: 1, metric: "rss", value: 2, unit: "MB" },
      { seconds: 0, metric: "rss", value: 1, unit: "MB" },
      { seconds: 0, metric: "cpu", value: 50, unit: "%" },
    ]);
    expect(fig.data.map((t) => [t.yaxis, t.x])).toEqual([
      ["y", [0, 1]],
      ["y2", [0]],
    ]);
    expect((fig.layout.yaxis2 as Axis).title?.text).toBe("cpu (%)");
    expect((fig.layout.xaxis as { anchor: string }).anchor).toBe("y2");
  });
});

describe("systemMetricPoints", () => {
  it("converts stored wide samples to seconds and MB", () => {
    const t = new Date("2026-01-01T00:00:00Z").getTime();
    const points = systemMetricPoints([
      {
        ts: new Date(t + 2000),
        cpuPercent: 50,
        rssBytes: 3_000_000n,
        heapBytes: 1_000_000,
        throughput: null,
      },
      { ts: new Date(t), cpuPercent: 80, rssBytes: 2_000_000n, heapBytes: 1_000_000, throughput: 12 },
    ]);
    expect(points.filter((p) => p.metric === "rss").map((p) => [p.seconds, p.value])).toEqual([
      [2, 3],
      [0, 2],
    ]);
    expect(points.filter((p) => p.metric === "throughput")).toEqual([
      { seconds: 0, metric: "throughput", unit: "blocks/s", value: 12 },
    ]);
    expect(systemMetricPoints([])).toEqual([]);
    expect(systemMetricsFigure(points).data).toHaveLength(4);
  });
});

describe("metricCurveFigure", () => {
  it("labels axes from the options and bands over seeds", () => {
    const fig = metricCurveFigure(
      [1, 2].flatMap((seed) => [0, 1].map((step) => ({ seed, step, value: step * seed }))),
      { valueLabel: "regret (bytes)" },
    );
    expect(fig.layout.title.text).toBe("regret vs step (mean ± 95% CI over 2 seeds)");
    expect((fig.layout.yaxis as Axis).title?.text).toBe("regret (bytes)");
    expect(bands(fig)).toHaveLength(1);
  });
});
