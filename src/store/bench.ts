/**
 * `npm run bench:store`: trial append throughput through the Appender versus row-by-row INSERT, both
 * measured in the same run on fresh DuckDB files. Exits 1 when a target is missed.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";
import type { TrialRow } from "../schema/rows.js";
import { openStore } from "./store.js";

/** Figures of one store benchmark. */
export interface StoreBenchResult {
  appendRows: number;
  appendRowsPerSec: number;
  /** Rows per second of process CPU time (all threads): the rate on an otherwise idle machine, roughly. */
  appendRowsPerCpuSec: number;
  rowByRowRows: number;
  /** One reused prepared INSERT, one autocommit transaction per row (what naive logging does). */
  rowByRowRowsPerSec: number;
  /** The same prepared INSERT inside a single transaction (the strongest row-by-row baseline). */
  rowByRowTxRowsPerSec: number;
  speedup: number;
  speedupVsTx: number;
}

/**
 * Deterministic synthetic trial rows.
 *
 * @example
 * ```ts
 * const rows = syntheticTrials(1, 1000);
 * ```
 */
export function syntheticTrials(runId: number, n: number): TrialRow[] {
  const pipelines = ["zstd:3", "zstd:19", "lz4", "delta:4>zstd:9", "shuffle:4>lz4", "deflate:6"];
  const rows: TrialRow[] = new Array(n);
  for (let i = 0; i < n; i++) {
    rows[i] = {
      runId,
      datasetId: `ds-${i % 7}`,
      blockIndex: Math.floor(i / pipelines.length),
      pipeline: pipelines[i % pipelines.length]!,
      bytesOut: 1000 + ((i * 7919) % 60000),
      encNs: 10_000 + ((i * 104729) % 5_000_000),
      decNs: 2_000 + ((i * 1299709) % 900_000),
      roundTripOk: true,
    };
  }
  return rows;
}

const INSERT_TRIAL =
  "INSERT INTO trials (run_id, dataset_id, block_index, pipeline, bytes_out, enc_ns, dec_ns, round_trip_ok) " +
  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

async function rowByRow(dir: string, rows: TrialRow[], inTransaction: boolean): Promise<number> {
  const path = join(dir, `row-by-row-${inTransaction}.duckdb`);
  const store = await openStore(path);
  const run = await store.startRun({ experiment: "bench", seed: 0, config: {} });
  store.close();
  const instance = await DuckDBInstance.create(path);
  const conn = await instance.connect();
  try {
    const start = process.hrtime.bigint();
    if (inTransaction) await conn.run("BEGIN TRANSACTION");
    // one reused prepared statement, destroyed afterwards (an undestroyed one keeps the file locked)
    const prepared = await conn.prepare(INSERT_TRIAL);
    try {
      for (const r of rows) {
        prepared.bindInteger(1, run.id);
        prepared.bindVarchar(2, r.datasetId);
        prepared.bindInteger(3, r.blockIndex);
        prepared.bindVarchar(4, r.pipeline);
        prepared.bindBigInt(5, BigInt(r.bytesOut));
        prepared.bindBigInt(6, BigInt(r.encNs));
        prepared.bindBigInt(7, BigInt(r.decNs));
        prepared.bindBoolean(8, r.roundTripOk);
        await prepared.run();
      }
    } finally {
      prepared.destroySync();
    }
    if (inTransaction) await conn.run("COMMIT");
    const secs = Number(process.hrtime.bigint() - start) / 1e9;
    const n = (await conn.runAndReadAll("SELECT count(*) FROM trials")).getRowsJS()[0]![0];
    if (Number(n) !== rows.length) throw new Error(`row-by-row wrote ${n} rows, expected ${rows.length}`);
    return rows.length / secs;
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/**
 * Measures Appender throughput for `appendRows` trials (in batches of `batch`) and row-by-row INSERT on
 * `rowByRowRows`, in temporary files removed afterwards.
 *
 * @example
 * ```ts
 * const r = await benchStore({ appendRows: 1_000_000, rowByRowRows: 5_000 });
 * r.speedup; // e.g. 80
 * ```
 */
export async function benchStore(options: {
  appendRows: number;
  rowByRowRows: number;
  batch?: number;
}): Promise<StoreBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), "metacomp-bench-store-"));
  try {
    const store = await openStore(join(dir, "append.duckdb"));
    let appendRowsPerSec: number;
    let appendRowsPerCpuSec: number;
    try {
      const run = await store.startRun({ experiment: "bench", seed: 0, config: {} });
      const rows = syntheticTrials(run.id, options.appendRows);
      const batch = options.batch ?? 100_000;
      const start = process.hrtime.bigint();
      const cpu = process.cpuUsage();
      for (let i = 0; i < rows.length; i += batch) await store.appendTrials(rows.slice(i, i + batch));
      appendRowsPerSec = rows.length / (Number(process.hrtime.bigint() - start) / 1e9);
      const used = process.cpuUsage(cpu);
      appendRowsPerCpuSec = rows.length / ((used.user + used.system) / 1e6);
      const [{ n }] = (await store.query("SELECT count(*) AS n FROM trials")) as [{ n: bigint }];
      if (Number(n) !== rows.length) throw new Error(`appender wrote ${n} rows, expected ${rows.length}`);
    } finally {
      store.close();
    }
    const small = syntheticTrials(1, options.rowByRowRows);
    const rowByRowRowsPerSec = await rowByRow(dir, small, false);
    const rowByRowTxRowsPerSec = await rowByRow(dir, small, true);
    return {
      appendRows: options.appendRows,
      appendRowsPerSec,
      appendRowsPerCpuSec,
      rowByRowRows: options.rowByRowRows,
      rowByRowRowsPerSec,
      rowByRowTxRowsPerSec,
      speedup: appendRowsPerSec / rowByRowRowsPerSec,
      speedupVsTx: appendRowsPerSec / rowByRowTxRowsPerSec,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const r = await benchStore({ appendRows: 1_000_000, rowByRowRows: 5_000 });
  const fmt = (x: number) => Math.round(x).toLocaleString("en-US");
  const targets = { rate: 200_000, speedup: 50 };
  const lines = [
    `appender: ${fmt(r.appendRows)} trial rows at ${fmt(r.appendRowsPerSec)} rows/s (target >= ${fmt(targets.rate)})`,
    `appender per CPU-second (all threads): ${fmt(r.appendRowsPerCpuSec)} rows/s; load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`,
    `row-by-row INSERT, autocommit: ${fmt(r.rowByRowRows)} rows at ${fmt(r.rowByRowRowsPerSec)} rows/s`,
    `row-by-row INSERT, one transaction: ${fmt(r.rowByRowRows)} rows at ${fmt(r.rowByRowTxRowsPerSec)} rows/s`,
    `speedup vs autocommit row-by-row: ${r.speedup.toFixed(1)}x (target >= ${targets.speedup}x)`,
    `speedup vs row-by-row in one transaction: ${r.speedupVsTx.toFixed(1)}x`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  if (r.appendRowsPerSec < targets.rate || r.speedup < targets.speedup) {
    process.stderr.write("bench:store: a target was missed\n");
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e) => {
    process.stderr.write(`bench:store failed: ${(e as Error).stack ?? e}\n`);
    process.exitCode = 1;
  });
}
