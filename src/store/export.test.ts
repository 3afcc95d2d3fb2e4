import { existsSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { ErrorCode } from "../errors.js";
import { TABLES } from "../schema/rows.js";
import { toDataFrame } from "./dataframe.js";
import { openStore, type Store } from "./store.js";
import { SAMPLES, tempDir } from "./test-utils/helpers.js";

async function filledStore(path: string): Promise<Store> {
  const store = await openStore(path);
  const run = await store.startRun({ experiment: "x", seed: 5, config: { a: 1 }, tfjsBackend: "wasm" });
  await run.logParams({ lr: 0.1, name: "it's quoted" });
  for (let step = 0; step < 20; step++)
    await run.logMetric("loss", 1 / (step + 1), step, step % 2 ? "eval" : null);
  await run.saveCheckpoint(5, new Uint8Array([9, 8, 7, 0, 255]), { loss: 0.2 });
  await run.logSystemMetrics();
  await store.addDataset(SAMPLES.datasets);
  await store.addPipelines([SAMPLES.pipelines]);
  await store.appendBlocks(Array.from({ length: 50 }, (_, i) => ({ ...SAMPLES.blocks, blockIndex: i })));
  await run.appendTrials(
    Array.from({ length: 300 }, (_, i) => ({ ...SAMPLES.trials, blockIndex: i % 50, encNs: 2 ** 35 + i })),
  );
  await store.appendFeatures([SAMPLES.features]);
  await store.setMetricGoal("loss", "min");
  await run.finish();
  return store;
}

describe("Parquet export", () => {
  it("writes every table, and read_parquet gives back identical rows", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const store = await filledStore(join(dir, "s.duckdb"));
      const files = await store.exportParquet(join(dir, "pq"));
      expect(files.length).toBe(Object.keys(TABLES).length);
      for (const table of Object.values(TABLES)) {
        const file = join(dir, "pq", `${table.name}.parquet`);
        expect(existsSync(file)).toBe(true);
        const cols = table.columns.map((c) => c.name).join(", ");
        const inDb = await store.query(`SELECT ${cols} FROM ${table.name} ORDER BY ALL`);
        const inFile = await store.query(`SELECT ${cols} FROM read_parquet($1) ORDER BY ALL`, [file]);
        expect(inFile).toEqual(inDb);
        // and set-equality in SQL, with types preserved
        const diff = await store.query(
          `SELECT count(*) AS n FROM ((SELECT * FROM ${table.name} EXCEPT ALL SELECT * FROM read_parquet($1))
           UNION ALL (SELECT * FROM read_parquet($1) EXCEPT ALL SELECT * FROM ${table.name}))`,
          [file],
        );
        expect(diff[0]!.n).toBe(0n);
      }
      const trials = await store.query("SELECT count(*) AS n FROM read_parquet($1)", [
        join(dir, "pq", "trials.parquet"),
      ]);
      expect(trials[0]!.n).toBe(300n);
      store.close();

      // a fresh DuckDB, unrelated to the store, reads the files too
      const instance = await DuckDBInstance.create(":memory:");
      const conn = await instance.connect();
      const reader = await conn.runAndReadAll("SELECT model FROM read_parquet($1)", [
        join(dir, "pq", "learner_checkpoints.parquet"),
      ]);
      expect(Array.from(reader.getRowObjectsJS()[0]!.model as Uint8Array)).toEqual([9, 8, 7, 0, 255]);
      conn.closeSync();
      instance.closeSync();
    } finally {
      cleanup();
    }
  });

  it("exports from a read-only store", async () => {
    const { dir, cleanup } = tempDir();
    try {
      (await filledStore(join(dir, "s.duckdb"))).close();
      const ro = await openStore(join(dir, "s.duckdb"), { readOnly: true });
      expect(ro.readOnly).toBe(true);
      expect((await ro.exportParquet(join(dir, "out"))).length).toBe(Object.keys(TABLES).length);
      await expect(ro.startRun({ experiment: "no", seed: 1, config: {} })).rejects.toMatchObject({
        code: ErrorCode.STORE_READ_ONLY,
      });
      await expect(ro.appendTrials([SAMPLES.trials])).rejects.toMatchObject({
        code: ErrorCode.STORE_READ_ONLY,
      });
      ro.close();
    } finally {
      cleanup();
    }
  });
});

describe("toDataFrame", () => {
  it("turns store rows into a danfo DataFrame, BIGINT as numbers", async () => {
    const store = await openStore(":memory:");
    const run = await store.startRun({ experiment: "df", seed: 1, config: {} });
    await run.appendTrials([SAMPLES.trials, { ...SAMPLES.trials, blockIndex: 1, bytesOut: 7 }]);
    await run.saveCheckpoint(1, new Uint8Array(16), {});
    await store.appendFeatures([SAMPLES.features]);
    const df = await toDataFrame(
      await store.query("SELECT block_index, bytes_out, enc_ns FROM trials ORDER BY 1"),
    );
    expect(df.shape).toEqual([2, 3]);
    expect(df.columns).toEqual(["block_index", "bytes_out", "enc_ns"]);
    expect(df.values).toEqual([
      [0, 100, 6_000_000_000],
      [1, 7, 6_000_000_000],
    ]);
    const big = await toDataFrame([{ n: 2n ** 60n, blob: new Uint8Array(3), v: [1, 2] }]);
    expect(big.values).toEqual([[(2n ** 60n).toString(), 3, "[1,2]"]]);
    const ckpt = await toDataFrame(await store.select("learnerCheckpoints"));
    expect(ckpt.shape).toEqual([1, 5]);
    await expect(toDataFrame([])).rejects.toMatchObject({ code: ErrorCode.USAGE });
    store.close();
  });
});
