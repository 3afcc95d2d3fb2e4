import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { canonicalJson } from "../canonical-json.js";
import { ErrorCode } from "../errors.js";
import { gitState, sha256Hex } from "./capture.js";
import { SCHEMA_VERSION } from "./migrations.js";
import { openStore, type Store } from "./store.js";
import { rawExec, SAMPLES, tempDir } from "./test-utils/helpers.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

async function fresh(kind: "memory" | "file"): Promise<Store> {
  if (kind === "memory") {
    const store = await openStore(":memory:");
    cleanups.push(() => store.close());
    return store;
  }
  const { dir, cleanup } = tempDir();
  const store = await openStore(join(dir, "nested", "s.duckdb"));
  cleanups.push(() => {
    store.close();
    cleanup();
  });
  return store;
}

const expectCode = async (p: Promise<unknown>, code: string) =>
  expect(
    await p.then(
      () => "no error",
      (e: { code?: string }) => e.code,
    ),
  ).toBe(code);

describe.each(["memory", "file"] as const)("store on %s", (kind) => {
  it("tracks a run's lifecycle with full capture", async () => {
    const store = await fresh(kind);
    const config = { b: [1, { y: 2, x: 1 }], a: "z" };
    const run = await store.startRun({
      experiment: "e1",
      seed: 7,
      config,
      name: "first",
      tfjsBackend: "wasm",
    });
    expect(run.status).toBe("running");
    const row = await store.getRun(run.id);
    expect(row).toMatchObject({
      id: run.id,
      status: "running",
      seed: 7,
      name: "first",
      configJson: '{"a":"z","b":[1,{"x":1,"y":2}]}',
      configHash: sha256Hex('{"a":"z","b":[1,{"x":1,"y":2}]}'),
      nodeVersion: process.version,
      platform: `${process.platform}-${process.arch}`,
      tfjsBackend: "wasm",
      endedAt: null,
    });
    expect(row.gitCommit).toBe(gitState(process.cwd()).commit);
    expect(row.gitCommit).toMatch(/^[0-9a-f]{40}$/);
    expect(typeof row.gitDirty).toBe("boolean");
    expect(row.cpuModel.length).toBeGreaterThan(0);

    await run.logParams({ lr: 0.01, layers: [8, 4] });
    await run.setTag("purpose", "test");
    await run.logArtifact({ path: "r.html", sha256: sha256Hex("x"), kind: "report", bytes: 1 });
    await run.logGeneration(0, { hidden: 8 }, 0.25);
    await run.logSystemMetrics({ throughput: 12.5 });
    await run.heartbeat();
    await run.finish();
    expect(run.status).toBe("completed");
    const done = await store.getRun(run.id);
    expect(done.status).toBe("completed");
    expect(done.endedAt!.getTime()).toBeGreaterThanOrEqual(done.startedAt.getTime());

    expect(await store.select("params", { runId: run.id })).toEqual([
      { runId: run.id, key: "layers", value: "[8,4]" },
      { runId: run.id, key: "lr", value: "0.01" },
    ]);
    expect(await store.select("tags", { runId: run.id })).toEqual([
      { runId: run.id, key: "purpose", value: "test" },
    ]);
    expect((await store.select("artifacts"))[0]!.kind).toBe("report");
    expect((await store.select("generations"))[0]).toMatchObject({ generation: 0, score: 0.25 });
    const [sys] = await store.select("systemMetrics", { runId: run.id });
    expect(sys!.rssBytes).toBeGreaterThan(0);
    expect(sys!.throughput).toBe(12.5);
    expect((await store.select("experiments")).map((e) => e.name)).toEqual(["e1"]);

    await expectCode(run.logMetric("late", 1, 0), ErrorCode.USAGE);
    await expectCode(run.finish(), ErrorCode.USAGE);
  });

  it("records failures with message and trace", async () => {
    const store = await fresh(kind);
    const run = await store.startRun({ experiment: "e1", seed: 1, config: {} });
    await run.fail(new Error("diverged"));
    const row = await store.getRun(run.id);
    expect(row.status).toBe("failed");
    expect(row.error).toBe("diverged");
    expect(row.trace).toContain("store.test.ts");
    const second = await store.startRun({ experiment: "e1", seed: 2, config: {} });
    await second.fail("plain string");
    expect((await store.getRun(second.id)).error).toBe("plain string");
    expect((await store.select("experiments")).length).toBe(1);
  });

  it("summarises metrics per run: last, min, max and best by goal", async () => {
    const store = await fresh(kind);
    const run = await store.startRun({ experiment: "m", seed: 1, config: {} });
    const loss = [3, 1, 2, 1, 2.5];
    for (const [step, v] of loss.entries()) await run.logMetric("loss", v, step);
    for (const [step, v] of [0.1, 0.6, 0.4].entries())
      await run.logMetric("gapClosed", v, step * 10, "heldout");
    await store.setMetricGoal("gapClosed", "max");
    await run.finish();
    const summary = await store.metricSummary([run.id]);
    expect(summary).toEqual([
      {
        runId: run.id,
        key: "gapClosed",
        context: "heldout",
        n: 3,
        lastValue: 0.4,
        lastStep: 20,
        minValue: 0.1,
        minStep: 0,
        maxValue: 0.6,
        maxStep: 10,
        goal: "max",
        bestValue: 0.6,
        bestStep: 10,
      },
      {
        runId: run.id,
        key: "loss",
        context: null,
        n: 5,
        lastValue: 2.5,
        lastStep: 4,
        minValue: 1,
        minStep: 1,
        maxValue: 3,
        maxStep: 0,
        goal: "min",
        bestValue: 1,
        bestStep: 1,
      },
    ]);
    const metrics = await store.select("metrics", { runId: run.id, key: "loss" });
    expect(metrics.map((m) => m.value)).toEqual(loss);
  });

  it("shows the params that differ between two runs, from the API and as SQL", async () => {
    const store = await fresh(kind);
    const a = await store.startRun({ experiment: "cmp", seed: 1, config: { lr: 0.1 } });
    const b = await store.startRun({ experiment: "cmp", seed: 2, config: { lr: 0.2 } });
    await a.logParams({ lr: 0.1, arms: 12, optimizer: "adam", warmup: 5 });
    await b.logParams({ lr: 0.2, arms: 12, optimizer: "sgd" });
    await a.logMetric("loss", 1, 0);
    await b.logMetric("loss", 0.5, 0);
    expect(await store.paramDiff([a.id, b.id])).toEqual([
      { key: "lr", values: { [a.id]: 0.1, [b.id]: 0.2 } },
      { key: "optimizer", values: { [a.id]: "adam", [b.id]: "sgd" } },
      { key: "warmup", values: { [a.id]: 5, [b.id]: null } },
    ]);
    const sql = await store.query(
      "SELECT key, run_id, value FROM param_diff([$1, $2]) ORDER BY key, run_id",
      [a.id, b.id],
    );
    expect(sql).toEqual([
      { key: "lr", run_id: a.id, value: "0.1" },
      { key: "lr", run_id: b.id, value: "0.2" },
      { key: "optimizer", run_id: a.id, value: '"adam"' },
      { key: "optimizer", run_id: b.id, value: '"sgd"' },
      { key: "warmup", run_id: a.id, value: "5" },
    ]);
    const cmp = await store.compareRuns([a.id, b.id]);
    expect(cmp.runs.map((r) => r.seed)).toEqual([1, 2]);
    expect(cmp.paramDiffs.map((d) => d.key)).toEqual(["lr", "optimizer", "warmup"]);
    expect(cmp.metrics.map((m) => [m.runId, m.lastValue])).toEqual([
      [a.id, 1],
      [b.id, 0.5],
    ]);
    await expectCode(store.compareRuns([a.id, 999]), ErrorCode.NOT_FOUND);
  });

  it("bulk-writes blocks, trials and features with the Appender, all or nothing", async () => {
    const store = await fresh(kind);
    const run = await store.startRun({ experiment: "bulk", seed: 1, config: {} });
    await store.addDataset(SAMPLES.datasets);
    await store.addDataset(SAMPLES.datasets); // idempotent
    await store.addPipelines([SAMPLES.pipelines, { ...SAMPLES.pipelines, spec: "lz4", codec: "lz4" }]);
    await store.addPipelines([{ ...SAMPLES.pipelines, version: 2 }]); // existing spec left unchanged
    expect((await store.select("pipelines")).map((p) => [p.spec, p.version])).toEqual([
      ["lz4", 1],
      ["zstd:3", 1],
    ]);
    const n = 5000;
    const blocks = Array.from({ length: n }, (_, i) => ({
      ...SAMPLES.blocks,
      blockIndex: i,
      entropy: i % 3 === 0 ? null : i / n,
    }));
    expect(await store.appendBlocks(blocks)).toBe(n);
    const trials = blocks.map((b, i) => ({
      datasetId: "ds",
      blockIndex: b.blockIndex,
      pipeline: "zstd:3",
      bytesOut: i,
      encNs: 2 ** 40 + i,
      decNs: i * 3,
      roundTripOk: i % 2 === 0,
    }));
    expect(await run.appendTrials(trials)).toBe(n);
    const features = blocks.map((b) => ({
      featureSet: "cheap",
      datasetId: "ds",
      blockIndex: b.blockIndex,
      vector: new Float32Array([b.blockIndex, 0.5]) as unknown as number[],
    }));
    expect(await store.appendFeatures(features)).toBe(n);

    expect(await store.select("blocks")).toEqual(blocks);
    const back = await store.select("trials", { runId: run.id });
    expect(back).toEqual(trials.map((t) => ({ runId: run.id, ...t })));
    expect(back[7]!.encNs).toBe(2 ** 40 + 7); // BIGINT back as an exact number
    const f = await store.select("features", { blockIndex: 3 });
    expect(f).toEqual([{ featureSet: "cheap", datasetId: "ds", blockIndex: 3, vector: [3, 0.5] }]);

    // a bad row anywhere rolls the whole append back: by JS type check and by a DuckDB CHECK
    const badType = [...trials.slice(0, 10), { ...trials[10]!, bytesOut: "many" as unknown as number }];
    await expectCode(run.appendTrials(badType), ErrorCode.INVALID_CONFIG);
    const badCheck = [...trials.slice(0, 3000), { ...trials[0]!, bytesOut: -1 }];
    await expectCode(run.appendTrials(badCheck), ErrorCode.INVALID_CONFIG);
    const missing = [{ ...trials[0]!, pipeline: undefined as unknown as string }];
    await expectCode(run.appendTrials(missing), ErrorCode.INVALID_CONFIG);
    await expectCode(store.appendBlocks([blocks[0]!]), ErrorCode.INVALID_CONFIG); // duplicate key
    const orphan = trials.slice(0, 5).map((t) => ({ ...t, runId: run.id + 100 }));
    await expectCode(store.appendTrials(orphan), ErrorCode.NOT_FOUND); // run_id must name a run
    expect((await store.select("trials")).length).toBe(n);
    expect((await store.select("blocks")).length).toBe(n);
  });

  it("stores checkpoints as BLOBs and loads the latest or a given step", async () => {
    const store = await fresh(kind);
    const run = await store.startRun({ experiment: "ckpt", seed: 1, config: {} });
    const model = (k: number) => new Uint8Array(1000).map((_, i) => (i * k) & 255);
    await run.saveCheckpoint(100, model(3), { gapClosed: 0.5 });
    await run.saveCheckpoint(200, model(5), { gapClosed: 0.7 });
    const latest = await store.loadCheckpoint(run.id);
    expect(latest.step).toBe(200);
    expect(latest.model).toEqual(model(5));
    expect(JSON.parse(latest.metricsJson)).toEqual({ gapClosed: 0.7 });
    expect((await store.loadCheckpoint(run.id, 100)).model).toEqual(model(3));
    await expectCode(store.loadCheckpoint(run.id, 150), ErrorCode.NOT_FOUND);
    await expectCode(store.loadCheckpoint(99), ErrorCode.NOT_FOUND);
    await expectCode(run.saveCheckpoint(100, model(1), {}), ErrorCode.INVALID_CONFIG); // append-only: no overwrite
  });

  it("validates rows and identifiers before writing", async () => {
    const store = await fresh(kind);
    const run = await store.startRun({ experiment: "v", seed: 1, config: {} });
    await expectCode(run.logMetric("", 1, 0), ErrorCode.INVALID_CONFIG);
    await expectCode(run.logMetric("loss", Number.NaN, 0), ErrorCode.INVALID_CONFIG);
    await expectCode(run.logMetric("loss", 1, -1), ErrorCode.INVALID_CONFIG);
    await expectCode(
      store.select("runs", { nope: 1 } as unknown as { id: number }),
      ErrorCode.INVALID_CONFIG,
    );
    await expectCode(store.getRun(12345), ErrorCode.NOT_FOUND);
    expect(await store.schemaVersion()).toBe(SCHEMA_VERSION);
  });
});

describe("store edge cases", () => {
  it("refuses a read-only :memory: store and works after close only by reopening", async () => {
    await expectCode(openStore(":memory:", { readOnly: true }), ErrorCode.USAGE);
    const store = await openStore(":memory:");
    store.close();
    store.close();
    await expectCode(store.select("runs"), ErrorCode.USAGE);
  });

  it("converts BIGINT deliberately and refuses values beyond 2^53 instead of rounding", async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const path = join(dir, "big.duckdb");
    const store = await openStore(path);
    const run = await store.startRun({ experiment: "big", seed: 1, config: {} });
    await run.appendTrials([{ ...SAMPLES.trials, encNs: Number.MAX_SAFE_INTEGER }]);
    expect((await store.select("trials"))[0]!.encNs).toBe(Number.MAX_SAFE_INTEGER);
    store.close();
    await rawExec(path, [["INSERT INTO trials SELECT * REPLACE (enc_ns + 10 AS enc_ns) FROM trials"]]);
    const again = await openStore(path, { readOnly: true });
    cleanups.unshift(() => again.close());
    await expectCode(again.select("trials"), ErrorCode.STORE_SCHEMA);
    const raw = await again.query("SELECT max(enc_ns) AS m FROM trials");
    expect(raw[0]!.m).toBe(BigInt(Number.MAX_SAFE_INTEGER) + 10n);
  });

  it("store.query is read-only: one SELECT, never a write", async () => {
    const store = await openStore(":memory:");
    cleanups.push(() => store.close());
    const run = await store.startRun({ experiment: "q", seed: 1, config: {} });
    expect(await store.query("SELECT id, status FROM runs WHERE id = $1", [run.id])).toEqual([
      { id: run.id, status: "running" },
    ]);
    expect((await store.query("EXPLAIN SELECT 1")).length).toBeGreaterThan(0);
    for (const sql of [
      "UPDATE runs SET status = 'completed'",
      "DELETE FROM runs",
      "INSERT INTO tags VALUES (1, 'a', 'b')",
      "DROP TABLE trials",
      "COPY runs TO '/tmp/x.csv'",
      "SELECT 1; DELETE FROM runs",
    ]) {
      await expectCode(store.query(sql), ErrorCode.USAGE);
    }
    expect((await store.getRun(run.id)).status).toBe("running");
  });

  it("canonical JSON ignores key order", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { f: 1, e: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"e":2,"f":1}]},"b":1}',
    );
    expect(sha256Hex(canonicalJson({ x: 1, y: 2 }))).toBe(sha256Hex(canonicalJson({ y: 2, x: 1 })));
  });

  it("records null git state outside a checkout", () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    expect(gitState(dir)).toEqual({ commit: null, branch: null, dirty: null });
  });
});

describe("append-only tables", () => {
  it("the store's SQL only ever UPDATEs a run's status, end time, heartbeat and failure text", async () => {
    const { readdirSync, readFileSync } = await import("node:fs");
    const { TABLES } = await import("../schema/rows.js");
    const dir = new URL(".", import.meta.url);
    const sources = readdirSync(dir)
      .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && f !== "bench.ts")
      .map((f) => readFileSync(new URL(f, dir), "utf8"))
      .join("\n");
    expect(sources).not.toMatch(/\bDELETE\s+FROM\b|\bTRUNCATE\b|\bDROP\s+TABLE\b|\bINSERT\s+OR\s+REPLACE\b/i);
    const updates = [...sources.matchAll(/\bUPDATE\s+(\w+)\s+SET\s+([^"`]*?)\s+WHERE/gi)];
    expect(updates.length).toBeGreaterThanOrEqual(4);
    const allowed = new Set(["status", "ended_at", "heartbeat_at", "error", "trace"]);
    for (const [, table, set] of updates) {
      expect(table).toBe("runs");
      const cols = set!.split(",").map((a) => a.split("=")[0]!.trim());
      for (const c of cols) expect(allowed).toContain(c);
    }
    const upserts = [...sources.matchAll(/INSERT INTO (\w+)[^"]*ON CONFLICT[^"]*DO UPDATE/g)].map(
      (m) => m[1],
    );
    const mutable = Object.values(TABLES)
      .filter((t) => !t.appendOnly)
      .map((t) => t.name);
    for (const t of upserts) expect(mutable).toContain(t);
    expect(mutable.sort()).toEqual(["metric_goals", "runs"]);
  });
});

describe("resumeRun", () => {
  it("reopens an unfinished run, refusing completed ones and ones with a live handle here", async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const path = join(dir, "resume.duckdb");
    const store = await openStore(path);
    const a = await store.startRun({ experiment: "r", seed: 1, config: {} });
    await a.logMetric("loss", 1, 0);
    await a.fail(new Error("oom"));
    const resumed = await store.resumeRun(a.id);
    expect(resumed.id).toBe(a.id);
    expect(await store.getRun(a.id)).toMatchObject({
      status: "running",
      error: null,
      trace: null,
      endedAt: null,
    });
    await expectCode(store.resumeRun(a.id), ErrorCode.USAGE); // its handle is live
    await resumed.logMetric("loss", 0.5, 1);
    await resumed.finish();
    expect((await store.select("metrics", { runId: a.id })).map((m) => m.step)).toEqual([0, 1]);
    await expectCode(store.resumeRun(a.id), ErrorCode.USAGE); // completed
    const b = await store.startRun({ experiment: "r", seed: 2, config: {} });
    await expectCode(store.resumeRun(b.id), ErrorCode.USAGE); // running, with a live handle
    await expectCode(store.resumeRun(77), ErrorCode.NOT_FOUND);
    store.close();
    // a run left `running` by a process that died (heartbeat not yet stale) can be resumed by the next writer
    const next = await openStore(path);
    expect(next.interruptedOnOpen).toEqual([]);
    const again = await next.resumeRun(b.id);
    await again.finish();
    expect((await next.getRun(b.id)).status).toBe("completed");
    next.close();
  });
});
