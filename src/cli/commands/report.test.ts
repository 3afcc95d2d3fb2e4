import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCommand } from "citty";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isMetacompError } from "../../errors.js";
import { openStore } from "../../store/store.js";
import report, { buildStoreReport } from "./report.js";

let dir: string;
let db: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "metacomp-report-cmd-"));
  db = join(dir, "store.duckdb");
  const store = await openStore(db);
  await store.addDataset({
    id: "iid-1",
    family: "iid",
    configJson: "{}",
    seed: 1,
    entropyRate: 4,
    entropyExact: true,
    blockSize: 1000,
    createdAt: new Date(0),
  });
  await store.appendBlocks(
    [0, 1, 2, 3].map((blockIndex) => ({
      datasetId: "iid-1",
      blockIndex,
      family: "iid",
      task: "t0",
      length: 1000,
      entropy: 4,
    })),
  );
  for (const seed of [1, 2, 3]) {
    const run = await store.startRun({ experiment: "demo", seed, config: { seed }, cwd: dir });
    for (const step of [0, 100, 200]) {
      await run.logMetric("gap_closed", step / 400 + seed / 100, step);
      await run.logMetric("regret", step * 2 + seed, step);
    }
    for (const [task, arm, round, value] of [
      [0, "meta", 0, 0.1],
      [0, "meta", 100, 0.5],
      [1, "meta", 0, 0.3],
      [1, "meta", 100, 0.7],
      [0, "ablation", 0, 0.1],
      [0, "ablation", 100, 0.5],
      [1, "ablation", 0, 0.1],
      [1, "ablation", 100, 0.5],
    ] as const) {
      await run.logMetric(
        "meta.gap_closed",
        value + seed / 100,
        round,
        `seed=${seed};step=${task};arm=${arm}`,
      );
    }
    // self-tuning: generation g's best on the held-out tasks, evolved and random arms; members' validation areas
    for (const [generation, arm, value] of [
      [0, "evolved", 0.2],
      [1, "evolved", 0.4],
      [0, "random", 0.2],
      [1, "random", 0.2],
    ] as const) {
      for (const round of [0, 100])
        await run.logMetric(
          "evolution.gap_closed",
          value,
          round,
          `seed=${seed};step=${generation};arm=${arm}`,
        );
    }
    for (const generation of [0, 1])
      await run.logMetric(
        "evolution.validation_area",
        generation - seed,
        generation,
        `seed=${seed};member=0`,
      );
    await run.logMetric("summary.self_tuning_rate", 0.2, 0);
    await run.logMetric("summary.self_tuning_rate_lo", 0.15, 0);
    await run.logMetric("summary.self_tuning_rate_hi", 0.25, 0);
    await run.logMetric("summary.meta_improvement_rate", 0.2, 0);
    await run.logMetric("summary.meta_improvement_rate_lo", 0.1, 0);
    await run.logMetric("summary.meta_improvement_rate_hi", 0.3, 0);
    await run.logMetric("bench.gap_closed", 0.5, 0, "selector=knn(k=5)");
    await run.logMetric("seed.done", 1, seed); // constant: no figure
    await run.logMetric("gapClosed", 0.6 + seed / 100, 0, "size/iid/meta-learner");
    await run.logMetric("gapClosed", 0, 0, "size/iid/SBS");
    await run.appendTrials(
      [0, 1, 2, 3].flatMap((blockIndex) => [
        {
          datasetId: "iid-1",
          blockIndex,
          pipeline: "zstd:3",
          bytesOut: 600,
          encNs: 20_000,
          decNs: 5_000,
          roundTripOk: true,
        },
        {
          datasetId: "iid-1",
          blockIndex,
          pipeline: "lz4",
          bytesOut: 800,
          encNs: 4_000,
          decNs: 2_000,
          roundTripOk: true,
        },
      ]),
    );
    // held-out blocks 0–3: the learner gets blocks 0–2 right and picks lz4 for block 3 (oracle zstd:3)
    await run.appendSelections(
      [0, 1, 2, 3].map((blockIndex) => ({
        seed,
        selector: "online learner",
        datasetId: "iid-1",
        blockIndex,
        selected: blockIndex === 0 || blockIndex === 3 ? "lz4" : "zstd:3",
        oracle: blockIndex === 0 ? "lz4" : "zstd:3",
      })),
    );
    await run.appendFeatureImportances(
      [
        ["entropy0", 0.3 + seed / 100],
        ["length", 0],
        ["runs", 0.1],
      ].map(([feature, importance]) => ({
        seed,
        selector: "online learner",
        feature: String(feature),
        importance: Number(importance),
        baselineGapClosed: 0.5,
        repeats: 5,
      })),
    );
    await run.logSystemMetrics({ throughput: 100 });
    await run.logSystemMetrics({ throughput: 120 });
    await run.finish();
  }
  store.close();
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("metacomp report", () => {
  it("builds sections and figures from an experiment's runs", async () => {
    const store = await openStore(db, { readOnly: true });
    try {
      const r = await buildStoreReport(store, "demo");
      expect(r.title).toContain("experiment demo (3 runs)");
      expect(r.sections.map((s) => s.heading)).toEqual([
        "Runs",
        "Learning curves",
        "Meta-improvement",
        "Self-tuning",
        "Gap closed against baselines",
        "Selection against the oracle",
        "Portfolio",
        "System",
        "Metric summary",
      ]);
      const curves = r.sections[1].figures!;
      expect(curves.map((f) => f.layout.title.text)).toEqual([
        "Learning curve (gap_closed): gap closed vs round",
        "regret vs step (mean ± 95% CI over 3 seeds)",
      ]);
      expect(curves[0].data.some((t) => t.fill === "tonexty")).toBe(true);
      // meta: normalised area of each (seed, task, arm) curve, e.g. seed 1 task 1 meta: (0.31 + 0.71) / 2
      const meta = r.sections[2].figures![0];
      const metaMean = meta.data.find((t) => String(t.name).startsWith("meta (mean"))!;
      expect(metaMean.x).toEqual([0, 1]);
      expect((metaMean.y as number[])[1]).toBeCloseTo(0.5 + 0.02, 9);
      expect(meta.data.find((t) => t.type === "bar")?.y).toEqual([0.2]);
      // self-tuning: its own figure over generations; members' validation areas are no learning curve
      const tuning = r.sections[3].figures![0];
      expect((tuning.layout.xaxis as { title: { text: string } }).title.text).toBe(
        "generation of the hyperparameter search",
      );
      const evolved = tuning.data.find((t) => String(t.name).startsWith("evolved (mean"))!;
      expect((evolved.y as number[]).map((y) => +y.toFixed(12))).toEqual([0.2, 0.4]);
      expect(tuning.data.find((t) => t.type === "bar")?.y).toEqual([0.2]);
      // gap closed: one figure for the "size/…" contexts, one for the selector=… contexts
      expect(r.sections[4].figures!.map((f) => f.data.map((t) => t.name))).toEqual([
        ["knn(k=5)"],
        ["meta-learner", "SBS"],
      ]);
      // confusion over 3 seeds × 4 blocks; rows/columns ordered by how often the oracle picks each pipeline
      const [confusion, importance] = r.sections[5].figures!;
      expect(confusion.data[0].x).toEqual(["zstd:3", "lz4"]);
      expect(confusion.data[0].customdata).toEqual([
        [6, 3],
        [0, 3],
      ]);
      expect(confusion.layout.title.text).toContain("top-1 accuracy 75.0% of 12");
      // importance: mean over seeds, most important on top (plotly draws the last bar on top)
      expect(importance.data[0].y).toEqual(["length", "runs", "entropy0"]);
      expect((importance.data[0].x as number[])[2]).toBeCloseTo(0.32, 12);
      expect(importance.layout.title.text).toContain("mean ± 95% CI over 3 seeds, 5 shuffles each");
      const pareto = r.sections[6].figures![0];
      const front = pareto.data.find((t) => String(t.name).endsWith("Pareto front"))!;
      // lz4: ratio 1.25 at 250 MB/s; zstd:3: ratio 1.667 at 50 MB/s → both optimal
      expect(front.x).toEqual([50, 250]);
      expect((front.y as number[])[0]).toBeCloseTo(1000 / 600, 9);
      const efficiency = r.sections[6].figures![2].data.find((t) => t.name === "zstd:3")!;
      expect((efficiency.y as number[])[0]).toBeCloseTo(500 / 600, 9);
      expect(r.sections[0].table!.rows).toHaveLength(3);

      const one = await buildStoreReport(store, "2");
      expect(one.title).toContain("run 2");
      await expect(buildStoreReport(store, "nope")).rejects.toSatisfy((e) =>
        isMetacompError(e, "E_NOT_FOUND"),
      );
    } finally {
      store.close();
    }
  });

  it("writes the report file (rendering in Chromium is tested in src/plot/render/chromium.test.ts)", async () => {
    const out = join(dir, "out", "report.html");
    await runCommand(report, { rawArgs: ["demo", "--out", out, "--db", db, "--json"] });
    const html = await readFile(out, "utf8");
    expect(html.match(/class="metacomp-figure"/g)).toHaveLength(12);
    expect(html.split("data-plotly-version=").length - 1).toBe(1);
    expect(html).toContain("<h2>Metric summary</h2>");
  });
});
