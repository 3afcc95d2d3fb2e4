/** Shared helpers for the store tests: temp folders, one valid sample row per table, table introspection. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RowOf, TableKey } from "../../schema/rows.js";
import type { Store } from "../store.js";

/** A fresh temp folder and its cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "metacomp-store-test-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const t0 = new Date("2026-01-02T03:04:05.678Z");
const hash = "a".repeat(64);

/** One valid row per table; typed against the zod schemas, so they cannot drift. Parents come first. */
export const SAMPLES: { [K in TableKey]: RowOf<K> } = {
  schemaVersion: { version: 99, description: "sample", appliedAt: t0 },
  experiments: { id: 1, name: "exp", description: null, createdAt: t0 },
  runs: {
    id: 1,
    experimentId: 1,
    name: "r",
    status: "running",
    seed: 42,
    configJson: "{}",
    configHash: hash,
    gitCommit: null,
    gitBranch: null,
    gitDirty: null,
    nodeVersion: "v20",
    platform: "linux-x64",
    cpuModel: "cpu",
    startedAt: t0,
    endedAt: null,
    heartbeatAt: t0,
    error: null,
    trace: null,
    tfjsBackend: "wasm",
  },
  params: { runId: 1, key: "lr", value: "0.1" },
  metrics: { runId: 1, key: "loss", step: 0, value: 1.5, ts: t0, context: null },
  tags: { runId: 1, key: "k", value: "v" },
  artifacts: { runId: 1, path: "a.txt", sha256: hash, kind: "report", bytes: 10 },
  datasets: {
    id: "ds",
    family: "zipf",
    configJson: "{}",
    seed: 1,
    entropyRate: 4.5,
    entropyExact: true,
    blockSize: 65536,
    createdAt: t0,
  },
  blocks: { datasetId: "ds", blockIndex: 0, family: "zipf", task: "t", length: 65536, entropy: 4.5 },
  pipelines: { spec: "zstd:3", codec: "zstd", paramsJson: "{}", version: 1 },
  trials: {
    runId: 1,
    datasetId: "ds",
    blockIndex: 0,
    pipeline: "zstd:3",
    bytesOut: 100,
    encNs: 6_000_000_000,
    decNs: 5,
    roundTripOk: true,
  },
  features: { featureSet: "f", datasetId: "ds", blockIndex: 0, vector: [0.5, -1.25, 3] },
  learnerCheckpoints: {
    runId: 1,
    step: 10,
    model: new Uint8Array([0, 1, 255]),
    metricsJson: "{}",
    createdAt: t0,
  },
  generations: { runId: 1, generation: 0, learnerConfigJson: "{}", score: 0.5, ts: t0 },
  systemMetrics: { runId: 1, ts: t0, cpuPercent: 50, rssBytes: 1e8, heapBytes: 1e7, throughput: null },
  metricGoals: { key: "gapClosed", goal: "max" },
  selections: {
    runId: 1,
    seed: 2,
    selector: "online learner",
    datasetId: "iid-1",
    blockIndex: 3,
    selected: "lz4",
    oracle: "zstd:19",
  },
  featureImportances: {
    runId: 1,
    seed: 2,
    selector: "online learner",
    feature: "entropy0",
    importance: 0.125,
    baselineGapClosed: 0.75,
    repeats: 5,
  },
};

/** The columns of a table as DuckDB reports them. */
export async function describeTable(
  store: Store,
  table: string,
): Promise<{ name: string; type: string; nullable: boolean }[]> {
  const rows = await store.query(
    "SELECT column_name, data_type, is_nullable FROM duckdb_columns() WHERE table_name = $1 ORDER BY column_index",
    [table],
  );
  return rows.map((r) => ({
    name: String(r.column_name),
    type: String(r.data_type),
    nullable: Boolean(r.is_nullable),
  }));
}

/** The constraints of a table as DuckDB reports them: type and the columns involved. */
export async function constraintsOf(
  store: Store,
  table: string,
): Promise<{ type: string; columns: string[] }[]> {
  const rows = await store.query(
    "SELECT constraint_type, constraint_column_names FROM duckdb_constraints() WHERE table_name = $1",
    [table],
  );
  return rows.map((r) => ({
    type: String(r.constraint_type),
    columns: (r.constraint_column_names as string[]).map(String),
  }));
}

/**
 * Runs SQL on a closed store file through a plain DuckDB connection: how the tests forge old, future or
 * corrupt-looking files that the store API itself refuses to write.
 */
export async function rawExec(path: string, statements: [string, (string | number)[]?][]): Promise<void> {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  try {
    for (const [sql, params] of statements) await connection.run(sql, params);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
