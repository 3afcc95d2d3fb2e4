import { afterEach, describe, expect, it } from "vitest";
import { ErrorCode } from "../errors.js";
import { openStore, type Store } from "./store.js";

let store: Store | undefined;
afterEach(() => store?.close());

describe("selections and feature importances", () => {
  it("round-trip through a run handle as typed rows, keyed per run, seed and block", async () => {
    store = await openStore(":memory:");
    const run = await store.startRun({ experiment: "sel", seed: 1, config: {} });
    const n = await run.appendSelections([
      {
        seed: 1,
        selector: "online learner",
        datasetId: "d",
        blockIndex: 0,
        selected: "lz4",
        oracle: "zstd:3",
      },
      { seed: 1, selector: "online learner", datasetId: "d", blockIndex: 1, selected: "lz4", oracle: "lz4" },
      {
        seed: 2,
        selector: "online learner",
        datasetId: "d",
        blockIndex: 0,
        selected: "zstd:3",
        oracle: "zstd:3",
      },
    ]);
    expect(n).toBe(3);
    await run.appendFeatureImportances([
      {
        seed: 1,
        selector: "online learner",
        feature: "entropy0",
        importance: 0.25,
        baselineGapClosed: 0.8,
        repeats: 3,
      },
      {
        seed: 1,
        selector: "online learner",
        feature: "length",
        importance: -0.01,
        baselineGapClosed: 0.8,
        repeats: 3,
      },
    ]);
    const rows = await store.select("selections", { runId: run.id, seed: 1 });
    expect(rows.map((r) => [r.blockIndex, r.selected, r.oracle])).toEqual([
      [0, "lz4", "zstd:3"],
      [1, "lz4", "lz4"],
    ]);
    const counts = await store.query(
      "SELECT oracle, selected, count(*)::INTEGER AS n FROM selections GROUP BY ALL ORDER BY ALL",
    );
    expect(counts).toEqual([
      { oracle: "lz4", selected: "lz4", n: 1 },
      { oracle: "zstd:3", selected: "lz4", n: 1 },
      { oracle: "zstd:3", selected: "zstd:3", n: 1 },
    ]);
    const imp = await store.select("featureImportances", { runId: run.id });
    expect(imp.map((r) => [r.feature, r.importance])).toEqual([
      ["entropy0", 0.25],
      ["length", -0.01],
    ]);
    // the same block of the same seed twice is refused (a resumed seed must not double count)
    await expect(
      run.appendSelections([
        {
          seed: 1,
          selector: "online learner",
          datasetId: "d",
          blockIndex: 0,
          selected: "lz4",
          oracle: "lz4",
        },
      ]),
    ).rejects.toThrow();
    await expect(
      run.appendFeatureImportances([
        { seed: 1, selector: "x", feature: "f", importance: 0, baselineGapClosed: 0, repeats: 0 },
      ]),
    ).rejects.toMatchObject({ code: ErrorCode.INVALID_CONFIG });
  });
});
