/**
 * The experiment store: run tracking, catalogue tables, bulk writers, typed queries, comparisons and
 * Parquet export over one DuckDB file (or `:memory:`).
 */
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { INTEGER, LIST, listValue, TIMESTAMP, VARCHAR } from "@duckdb/node-api";
import { z } from "zod";
import { canonicalJson } from "../canonical-json.js";
import { ErrorCode, err } from "../errors.js";
import {
  type BlockRow,
  type DatasetRow,
  type FeatureRow,
  type LearnerCheckpointRow,
  type PipelineRow,
  type RowOf,
  type RunRow,
  type RunStatus,
  TABLES,
  type TableKey,
  type TrialRow,
} from "../schema/rows.js";
import { columnOf } from "../schema/table.js";
import { gitState, machineState, sha256Hex } from "./capture.js";
import { Database } from "./database.js";
import { MIGRATIONS, migrate, SCHEMA_VERSION, schemaVersionOf } from "./migrations.js";
import { RunHandle } from "./run.js";
import { bigintToNumber, toDuck } from "./values.js";

/** Default location of the store, relative to the working directory. */
export const DEFAULT_STORE_PATH = "experiments/metacomp.duckdb";

/** Options of {@link openStore}. */
export interface OpenStoreOptions {
  /** Open without writing: no migration, no interrupted-run sweep; writes throw E_STORE_READ_ONLY. */
  readOnly?: boolean;
  /** Retry a file locked by another process for this long before E_STORE_LOCKED (default 0: fail at once). */
  waitForLockMs?: number;
  /** A `running` run whose heartbeat is older than this is marked `interrupted` on open (default 120 000). */
  staleAfterMs?: number;
  /** Logging calls refresh a run's heartbeat at most this often (default 10 000). */
  heartbeatEveryMs?: number;
  /** @internal migrate only up to this version (tests of old files). */
  migrateTo?: number;
}

/** What {@link Store.startRun} takes. Git state is read from `cwd` (default: the process's). */
export interface StartRunOptions {
  experiment: string;
  seed: number;
  config: unknown;
  name?: string;
  tfjsBackend?: string | null;
  cwd?: string;
}

/** One row of the `metric_summary` view: last, min, max and best (by the metric's goal) per run and key. */
export const metricSummaryRow = z.object({
  runId: z.int32(),
  key: z.string(),
  context: z.string().nullable(),
  n: z.number(),
  lastValue: z.number(),
  lastStep: z.number(),
  minValue: z.number(),
  minStep: z.number(),
  maxValue: z.number(),
  maxStep: z.number(),
  goal: z.enum(["min", "max"]),
  bestValue: z.number(),
  bestStep: z.number(),
});
/** A `metric_summary` row. */
export type MetricSummaryRow = z.infer<typeof metricSummaryRow>;

/** One param key that differs between the compared runs, with each run's value (null when unset). */
export interface ParamDiff {
  key: string;
  values: Record<number, unknown>;
}

/** The comparison of a set of runs. */
export interface RunComparison {
  runs: RunRow[];
  paramDiffs: ParamDiff[];
  metrics: MetricSummaryRow[];
}

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const runIdsValue = (ids: readonly number[]) => listValue(ids.map((id) => id));

function toNumbers(raw: Record<string, unknown>, where: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw))
    out[camel(k)] = typeof v === "bigint" ? bigintToNumber(v, where) : v;
  return out;
}

/**
 * An open experiment store. Get one with {@link openStore}; close it when done (it holds the file lock).
 *
 * @example
 * ```ts
 * const store = await openStore("experiments/metacomp.duckdb");
 * const run = await store.startRun({ experiment: "smoke", seed: 1, config: { n: 3 } });
 * await run.logMetric("loss", 0.5, 0);
 * await run.finish();
 * console.log(await store.compareRuns([run.id]));
 * store.close();
 * ```
 */
export class Store {
  /** Runs that this open found with a stale heartbeat and marked `interrupted`. */
  interruptedOnOpen: number[] = [];
  /** Runs with an unfinished handle from this store. */
  private readonly live = new Set<number>();

  private handle(id: number): RunHandle {
    this.live.add(id);
    return new RunHandle(this.db, id, this.heartbeatEveryMs, () => this.live.delete(id));
  }

  /** @internal use {@link openStore} */
  constructor(
    private readonly db: Database,
    private readonly heartbeatEveryMs: number,
  ) {}

  /** The resolved path, or `:memory:`. */
  get path(): string {
    return this.db.path;
  }

  /** True when opened with `{ readOnly: true }`. */
  get readOnly(): boolean {
    return this.db.readOnly;
  }

  private writing<T>(what: string, fn: () => Promise<T>): Promise<T> {
    if (this.db.readOnly) {
      return Promise.reject(
        err(
          ErrorCode.STORE_READ_ONLY,
          `cannot ${what}: ${this.db.path} is open read-only; open it without readOnly`,
        ),
      );
    }
    return this.db.serial(fn);
  }

  /** @internal */
  async sweepStaleRuns(staleAfterMs: number): Promise<void> {
    const cutoff = new Date(Date.now() - staleAfterMs);
    const stale = await this.db.all(
      `UPDATE runs SET status = 'interrupted', ended_at = heartbeat_at, error = $2
       WHERE status = 'running' AND heartbeat_at < $1 RETURNING id`,
      [toDuck(columnOf(TABLES.runs, "heartbeatAt"), cutoff), `no heartbeat for over ${staleAfterMs} ms`],
      [TIMESTAMP, VARCHAR],
    );
    this.interruptedOnOpen = stale.map((r) => Number(r.id)).sort((a, b) => a - b);
  }

  /**
   * Starts a run under `experiment` (created if new), capturing seed, config JSON and hash, git commit,
   * branch and dirty flag, Node version, platform, CPU model and tfjs backend.
   *
   * @example
   * ```ts
   * const run = await store.startRun({ experiment: "meta-v1", seed: 3, config: spec, tfjsBackend: "wasm" });
   * ```
   */
  startRun(options: StartRunOptions): Promise<RunHandle> {
    const git = gitState(options.cwd ?? process.cwd());
    const machine = machineState();
    const configJson = canonicalJson(options.config ?? null);
    return this.writing("start a run", () =>
      this.db.transaction(async () => {
        const experimentId = await this.experimentId(options.experiment);
        const [{ next }] = (await this.db.all("SELECT coalesce(max(id), 0) + 1 AS next FROM runs")) as [
          { next: number },
        ];
        const now = new Date();
        await this.db.insert(TABLES.runs, {
          id: Number(next),
          experimentId,
          name: options.name ?? null,
          status: "running",
          seed: options.seed,
          configJson,
          configHash: sha256Hex(configJson),
          gitCommit: git.commit,
          gitBranch: git.branch,
          gitDirty: git.dirty,
          ...machine,
          startedAt: now,
          endedAt: null,
          heartbeatAt: now,
          error: null,
          trace: null,
          tfjsBackend: options.tfjsBackend ?? null,
        });
        return this.handle(Number(next));
      }),
    );
  }

  /**
   * Reopens an unfinished run for writing (status back to `running`, fresh heartbeat), so that
   * `metacomp run --resume` continues it. A run marked `running` qualifies too: this store holds DuckDB's
   * single-writer lock, so no other process can still be writing it (it was killed before its heartbeat went
   * stale). A `completed` run is refused.
   *
   * @example
   * ```ts
   * const run = await store.resumeRun(7);
   * ```
   */
  async resumeRun(id: number): Promise<RunHandle> {
    const row = await this.getRun(id);
    if (row.status === "completed") {
      throw err(ErrorCode.USAGE, `run ${id} is completed; start a new run instead of resuming it`);
    }
    if (this.live.has(id)) {
      throw err(
        ErrorCode.USAGE,
        `run ${id} is still being written through a handle of this store; use that handle`,
      );
    }
    return this.writing("resume a run", async () => {
      await this.db.exec(
        "UPDATE runs SET status = 'running', heartbeat_at = $1, ended_at = NULL, error = NULL, trace = NULL WHERE id = $2",
        [toDuck(columnOf(TABLES.runs, "heartbeatAt"), new Date()), id],
        [TIMESTAMP, INTEGER],
      );
      return this.handle(id);
    });
  }

  private async experimentId(name: string): Promise<number> {
    const found = await this.db.select(TABLES.experiments, { name });
    if (found[0]) return found[0].id;
    const [{ next }] = (await this.db.all("SELECT coalesce(max(id), 0) + 1 AS next FROM experiments")) as [
      { next: number },
    ];
    await this.db.insert(TABLES.experiments, {
      id: Number(next),
      name,
      description: null,
      createdAt: new Date(),
    });
    return Number(next);
  }

  /**
   * Typed rows of any table, filtered by equality on row fields, ordered by primary key (else insertion).
   * Rows are validated with the table's zod schema; BIGINT counters come back as numbers.
   *
   * @example
   * ```ts
   * const done = await store.select("runs", { status: "completed" });
   * const trials = await store.select("trials", { runId: 3, datasetId: "zipf" });
   * ```
   */
  select<K extends TableKey>(table: K, where: Partial<RowOf<K>> = {}): Promise<RowOf<K>[]> {
    return this.db.serial(() => this.db.select(TABLES[table], where as Record<string, unknown>)) as Promise<
      RowOf<K>[]
    >;
  }

  /**
   * One run by id; E_NOT_FOUND if absent.
   *
   * @example
   * ```ts
   * const run = await store.getRun(3); // run.status, run.configHash, …
   * ```
   */
  async getRun(id: number): Promise<RunRow> {
    const [run] = await this.select("runs", { id });
    if (!run)
      throw err(
        ErrorCode.NOT_FOUND,
        `run ${id} is not in ${this.path}; list runs with \`metacomp runs list\``,
      );
    return run;
  }

  /**
   * The latest checkpoint of a run (or the one at `step`); E_NOT_FOUND if none.
   *
   * @example
   * ```ts
   * const { model, step } = await store.loadCheckpoint(run.id);
   * ```
   */
  async loadCheckpoint(runId: number, step?: number): Promise<LearnerCheckpointRow> {
    const rows = await this.select("learnerCheckpoints", step === undefined ? { runId } : { runId, step });
    const last = rows[rows.length - 1];
    if (!last)
      throw err(
        ErrorCode.NOT_FOUND,
        `run ${runId} has no checkpoint${step === undefined ? "" : ` at step ${step}`}`,
      );
    return last;
  }

  /**
   * Registers a dataset (once per id; registering the same id again is a no-op).
   *
   * @example
   * ```ts
   * await store.addDataset({ id: "zipf-s1", family: "zipf", configJson: "{}", seed: 1, entropyRate: 5.2,
   *   entropyExact: true, blockSize: 65536, createdAt: new Date() });
   * ```
   */
  addDataset(row: DatasetRow): Promise<void> {
    return this.writing("add a dataset", () => this.db.insert(TABLES.datasets, row, true));
  }

  /**
   * Adds pipelines to the catalogue; specs already present are left unchanged.
   *
   * @example
   * ```ts
   * await store.addPipelines([{ spec: "delta:4>zstd:19", codec: "zstd", paramsJson: '{"level":19}', version: 1 }]);
   * ```
   */
  addPipelines(rows: readonly PipelineRow[]): Promise<void> {
    return this.writing("add pipelines", () =>
      this.db.transaction(async () => {
        for (const row of rows) await this.db.insert(TABLES.pipelines, row, true);
      }),
    );
  }

  /**
   * Bulk-appends blocks with the DuckDB Appender in one transaction; returns the count.
   *
   * @example
   * ```ts
   * await store.appendBlocks(blocks.map((b, i) => ({ datasetId: "zipf-s1", blockIndex: i, family: "zipf",
   *   task: "t0", length: b.bytes.length, entropy: b.entropy ?? null })));
   * ```
   */
  appendBlocks(rows: Iterable<BlockRow>): Promise<number> {
    return this.writing("append blocks", () => this.db.append(TABLES.blocks, rows));
  }

  /**
   * Bulk-appends trials (each names its run) with the Appender in one transaction; returns the count.
   *
   * @example
   * ```ts
   * await store.appendTrials([{ runId: 1, datasetId: "zipf-s1", blockIndex: 0, pipeline: "zstd:3",
   *   bytesOut: 1234, encNs: 50_000, decNs: 9_000, roundTripOk: true }]);
   * ```
   */
  appendTrials(rows: Iterable<TrialRow>): Promise<number> {
    return this.writing("append trials", () => this.db.append(TABLES.trials, rows));
  }

  /**
   * Bulk-appends feature vectors with the Appender in one transaction; returns the count.
   *
   * @example
   * ```ts
   * await store.appendFeatures([{ featureSet: "cheap-v1", datasetId: "zipf-s1", blockIndex: 0,
   *   vector: Array.from(extract(block)) }]);
   * ```
   */
  appendFeatures(rows: Iterable<FeatureRow>): Promise<number> {
    return this.writing("append features", () => this.db.append(TABLES.features, rows));
  }

  /**
   * Declares whether a metric is better high (`max`) or low (`min`, the default) for `best_*` columns.
   *
   * @example
   * ```ts
   * await store.setMetricGoal("gapClosed", "max");
   * ```
   */
  setMetricGoal(key: string, goal: "min" | "max"): Promise<void> {
    return this.writing("set a metric goal", () =>
      this.db.exec(
        "INSERT INTO metric_goals (key, goal) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET goal = excluded.goal",
        [key, goal],
        [VARCHAR, VARCHAR],
      ),
    );
  }

  /**
   * Last, min, max and best value (with their steps) of every metric of the given runs (the
   * `metric_summary` view; in SQL: `SELECT * FROM metric_summary WHERE run_id IN (…)`).
   *
   * @example
   * ```ts
   * const [loss] = (await store.metricSummary([run.id])).filter((m) => m.key === "loss");
   * loss.bestStep;
   * ```
   */
  metricSummary(runIds: readonly number[]): Promise<MetricSummaryRow[]> {
    return this.db.serial(async () => {
      const raw = await this.db.all(
        "SELECT * FROM metric_summary WHERE list_contains($1, run_id) ORDER BY run_id, key, context NULLS FIRST",
        [runIdsValue(runIds)],
        [LIST(INTEGER)],
      );
      return raw.map((r) => metricSummaryRow.parse(toNumbers(r, "metric_summary")));
    });
  }

  /**
   * The params whose values differ between the runs, or that some of them lack (the `param_diff` table
   * macro; in SQL: `SELECT * FROM param_diff([1, 2])`). Values are decoded from JSON; missing ones are null.
   *
   * @example
   * ```ts
   * await store.paramDiff([1, 2]); // [{ key: "lr", values: { 1: 0.01, 2: 0.1 } }]
   * ```
   */
  paramDiff(runIds: readonly number[]): Promise<ParamDiff[]> {
    return this.db.serial(async () => {
      const raw = await this.db.all(
        "SELECT key, run_id, value FROM param_diff($1)",
        [runIdsValue(runIds)],
        [LIST(INTEGER)],
      );
      const byKey = new Map<string, ParamDiff>();
      for (const r of raw) {
        const key = String(r.key);
        let diff = byKey.get(key);
        if (!diff) {
          diff = { key, values: Object.fromEntries(runIds.map((id) => [id, null])) };
          byKey.set(key, diff);
        }
        diff.values[Number(r.run_id)] = JSON.parse(String(r.value));
      }
      return [...byKey.values()];
    });
  }

  /**
   * Compares runs: their rows, the params that differ and each metric's last/min/max/best.
   *
   * @example
   * ```ts
   * const { paramDiffs, metrics } = await store.compareRuns([4, 5]);
   * ```
   */
  async compareRuns(runIds: readonly number[]): Promise<RunComparison> {
    const runs: RunRow[] = [];
    for (const id of runIds) runs.push(await this.getRun(id));
    return { runs, paramDiffs: await this.paramDiff(runIds), metrics: await this.metricSummary(runIds) };
  }

  /**
   * Runs one read-only statement (SELECT) with bound parameters and returns plain rows (BIGINT stays
   * `bigint`). For notebooks and ad-hoc SQL over tables, `metric_summary` and `param_diff([...])`; writes are
   * refused with E_USAGE. Never build `sql` from user input.
   *
   * @example
   * ```ts
   * await store.query("SELECT pipeline, avg(bytes_out) AS mean FROM trials WHERE run_id = $1 GROUP BY 1", [3]);
   * ```
   */
  query(
    sql: string,
    params: (string | number | boolean | bigint | null)[] = [],
  ): Promise<Record<string, unknown>[]> {
    return this.db.serial(() => this.db.read(sql, params));
  }

  /**
   * Folds the write-ahead log into the database file (DuckDB also does this on close and when the WAL grows).
   *
   * @example
   * ```ts
   * await store.checkpoint();
   * ```
   */
  checkpoint(): Promise<void> {
    return this.writing("checkpoint", () => this.db.exec("CHECKPOINT"));
  }

  /**
   * Writes every table to `<dir>/<table>.parquet` (zstd-compressed) and returns the file paths.
   *
   * @example
   * ```ts
   * const files = await store.exportParquet("out/parquet");
   * ```
   */
  exportParquet(dir: string): Promise<string[]> {
    const target = resolve(dir);
    mkdirSync(target, { recursive: true });
    return this.db.serial(async () => {
      const files: string[] = [];
      const version = await schemaVersionOf(this.db.connection);
      for (const table of Object.values(TABLES)) {
        if (table.since > version) continue;
        const file = join(target, `${table.name}.parquet`);
        const cols = table.columns.filter((c) => c.since <= version).map((c) => c.name);
        await this.db.exec(
          `COPY (SELECT ${cols.join(", ")} FROM ${table.name} ORDER BY ${table.primaryKey?.length ? table.primaryKey.map((f) => columnOf(table, f).name).join(", ") : "rowid"}) TO $1 (FORMAT parquet, COMPRESSION zstd)`,
          [file],
          [VARCHAR],
        );
        files.push(file);
      }
      return files;
    });
  }

  /**
   * The schema version of the open file.
   *
   * @example
   * ```ts
   * await store.schemaVersion(); // 2
   * ```
   */
  schemaVersion(): Promise<number> {
    return this.db.serial(() => schemaVersionOf(this.db.connection));
  }

  /**
   * Closes the store and releases the file lock. Idempotent.
   *
   * @example
   * ```ts
   * store.close();
   * ```
   */
  close(): void {
    this.db.close();
  }
}

/**
 * Opens (creating and migrating as needed) the store at `path`, or an in-memory one for `":memory:"`.
 * A writer marks runs with a stale heartbeat `interrupted`. A second writer process gets E_STORE_LOCKED
 * (or waits up to `waitForLockMs`); readers pass `{ readOnly: true }`.
 *
 * @example
 * ```ts
 * const store = await openStore("experiments/metacomp.duckdb");
 * const reader = await openStore("experiments/metacomp.duckdb", { readOnly: true }); // when no writer is open
 * const scratch = await openStore(":memory:");
 * ```
 */
export async function openStore(
  path: string = DEFAULT_STORE_PATH,
  options: OpenStoreOptions = {},
): Promise<Store> {
  const readOnly = options.readOnly ?? false;
  if (readOnly && path === ":memory:") {
    throw err(ErrorCode.USAGE, "an in-memory store cannot be read-only; open it without readOnly");
  }
  const db = await Database.open(path, { readOnly, waitForLockMs: options.waitForLockMs ?? 0 });
  try {
    const store = new Store(db, options.heartbeatEveryMs ?? 10_000);
    if (readOnly) {
      const version = await schemaVersionOf(db.connection);
      if (version !== SCHEMA_VERSION) {
        throw err(
          ErrorCode.STORE_SCHEMA,
          `${db.path} has schema version ${version}, this metacomp reads ${SCHEMA_VERSION}; ` +
            (version < SCHEMA_VERSION ? "open it once without readOnly to migrate it" : "upgrade metacomp"),
        );
      }
    } else {
      await migrate(db.connection, options.migrateTo ?? MIGRATIONS[MIGRATIONS.length - 1]!.version);
      await store.sweepStaleRuns(options.staleAfterMs ?? 120_000);
    }
    return store;
  } catch (e) {
    db.close();
    throw e;
  }
}

export type { RunStatus };
