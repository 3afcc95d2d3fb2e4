/** The handle a running experiment logs through. */
import { memoryUsage } from "node:process";
import { INTEGER, TIMESTAMP, VARCHAR } from "@duckdb/node-api";
import { canonicalJson } from "../canonical-json.js";
import { ErrorCode, err } from "../errors.js";
import {
  type FeatureImportanceScoreRow,
  type RunStatus,
  type SelectionChoiceRow,
  TABLES,
  type TrialRow,
} from "../schema/rows.js";
import { columnOf } from "../schema/table.js";
import type { Database } from "./database.js";
import { toDuck } from "./values.js";

const ts = (d: Date) => toDuck(columnOf(TABLES.runs, "heartbeatAt"), d);

/**
 * A run in progress. Everything it logs is committed immediately; only the run's status, end time and
 * heartbeat ever change afterwards. Obtain one from `store.startRun(...)`.
 *
 * @example
 * ```ts
 * const run = await store.startRun({ experiment: "bandit", seed: 7, config });
 * await run.logParams({ lr: 0.01, arms: 12 });
 * for (let step = 0; step < 100; step++) await run.logMetric("gapClosed", g(step), step);
 * await run.finish();
 * ```
 */
export class RunHandle {
  private state: RunStatus = "running";
  private lastBeat = Date.now();
  private cpuMark = { usage: process.cpuUsage(), at: Date.now() };

  /** @internal use `store.startRun` */
  constructor(
    private readonly db: Database,
    readonly id: number,
    private readonly heartbeatEveryMs: number,
    private readonly onEnd: () => void = () => {},
  ) {}

  /** The run's status as this handle last set it. */
  get status(): RunStatus {
    return this.state;
  }

  private write<T>(what: string, fn: () => Promise<T>): Promise<T> {
    if (this.state !== "running") {
      return Promise.reject(
        err(ErrorCode.USAGE, `cannot ${what}: run ${this.id} is ${this.state}; start a new run`),
      );
    }
    return this.db.serial(async () => {
      const result = await fn();
      if (Date.now() - this.lastBeat >= this.heartbeatEveryMs) await this.beat();
      return result;
    });
  }

  private async beat(): Promise<void> {
    this.lastBeat = Date.now();
    await this.db.exec(
      "UPDATE runs SET heartbeat_at = $1 WHERE id = $2",
      [ts(new Date()), this.id],
      [TIMESTAMP, INTEGER],
    );
  }

  /**
   * Records parameters; values are stored as JSON text. A key can be logged once per run.
   *
   * @example
   * ```ts
   * await run.logParams({ lr: 0.01, portfolio: ["zstd:3", "lz4"] });
   * ```
   */
  logParams(params: Record<string, unknown>): Promise<void> {
    return this.write("log params", () =>
      this.db.transaction(async () => {
        for (const [key, value] of Object.entries(params)) {
          await this.db.insert(TABLES.params, { runId: this.id, key, value: canonicalJson(value ?? null) });
        }
      }),
    );
  }

  /**
   * Appends one metric observation at `step` (append-only; logging a step twice keeps both).
   *
   * @example
   * ```ts
   * await run.logMetric("loss", 0.42, 100);
   * await run.logMetric("gapClosed", 0.7, 100, "heldout");
   * ```
   */
  logMetric(key: string, value: number, step: number, context: string | null = null): Promise<void> {
    return this.write("log a metric", () =>
      this.db.insert(TABLES.metrics, { runId: this.id, key, step, value, ts: new Date(), context }),
    );
  }

  /**
   * Sets a tag (once per key).
   *
   * @example
   * ```ts
   * await run.setTag("purpose", "baseline");
   * ```
   */
  setTag(key: string, value: string): Promise<void> {
    return this.write("set a tag", () => this.db.insert(TABLES.tags, { runId: this.id, key, value }));
  }

  /**
   * Records a file the run produced.
   *
   * @example
   * ```ts
   * await run.logArtifact({ path: "report.html", sha256: sha256Hex(html), kind: "report", bytes: html.length });
   * ```
   */
  logArtifact(artifact: { path: string; sha256: string; kind: string; bytes: number }): Promise<void> {
    return this.write("log an artifact", () =>
      this.db.insert(TABLES.artifacts, { runId: this.id, ...artifact }),
    );
  }

  /**
   * Saves a learner checkpoint: the serialised model bytes and the metrics at that step.
   *
   * @example
   * ```ts
   * await run.saveCheckpoint(1000, modelBytes, { gapClosed: 0.8 });
   * ```
   */
  saveCheckpoint(step: number, model: Uint8Array, metrics: Record<string, number>): Promise<void> {
    return this.write("save a checkpoint", () =>
      this.db.insert(TABLES.learnerCheckpoints, {
        runId: this.id,
        step,
        model,
        metricsJson: canonicalJson(metrics),
        createdAt: new Date(),
      }),
    );
  }

  /**
   * Records one generation of the meta loop.
   *
   * @example
   * ```ts
   * await run.logGeneration(3, { hidden: 32 }, 0.71);
   * ```
   */
  logGeneration(generation: number, learnerConfig: unknown, score: number): Promise<void> {
    return this.write("log a generation", () =>
      this.db.insert(TABLES.generations, {
        runId: this.id,
        generation,
        learnerConfigJson: canonicalJson(learnerConfig),
        score,
        ts: new Date(),
      }),
    );
  }

  /**
   * Samples CPU % (since the previous sample), RSS and heap of this process, plus an optional throughput.
   *
   * @example
   * ```ts
   * await run.logSystemMetrics({ throughput: blocksPerSecond });
   * ```
   */
  logSystemMetrics(extra: { throughput?: number } = {}): Promise<void> {
    const now = Date.now();
    const used = process.cpuUsage(this.cpuMark.usage);
    const wallUs = Math.max(1, (now - this.cpuMark.at) * 1000);
    this.cpuMark = { usage: process.cpuUsage(), at: now };
    const mem = memoryUsage();
    return this.write("log system metrics", () =>
      this.db.insert(TABLES.systemMetrics, {
        runId: this.id,
        ts: new Date(now),
        cpuPercent: ((used.user + used.system) / wallUs) * 100,
        rssBytes: mem.rss,
        heapBytes: mem.heapUsed,
        throughput: extra.throughput ?? null,
      }),
    );
  }

  /**
   * Bulk-appends this run's trials through the DuckDB Appender (one transaction).
   *
   * @example
   * ```ts
   * await run.appendTrials(results.map((t) => ({ datasetId: "zipf", blockIndex: t.block, pipeline: t.spec,
   *   bytesOut: t.bytesOut, encNs: t.encNs, decNs: t.decNs, roundTripOk: t.ok })));
   * ```
   */
  appendTrials(rows: Iterable<Omit<TrialRow, "runId">>): Promise<number> {
    const id = this.id;
    function* withRun() {
      for (const r of rows) yield { runId: id, ...r };
    }
    return this.write("append trials", () => this.db.append(TABLES.trials, withRun()));
  }

  /**
   * Bulk-appends this run's per-block selections (chosen vs oracle pipeline) through the Appender.
   *
   * @example
   * ```ts
   * await run.appendSelections([{ seed: 1, selector: "online learner", datasetId: "zipf", blockIndex: 4,
   *   selected: "zstd:3", oracle: "zstd:19" }]);
   * ```
   */
  appendSelections(rows: Iterable<Omit<SelectionChoiceRow, "runId">>): Promise<number> {
    const id = this.id;
    function* withRun() {
      for (const r of rows) yield { runId: id, ...r };
    }
    return this.write("append selections", () => this.db.append(TABLES.selections, withRun()));
  }

  /**
   * Bulk-appends this run's permutation feature importances through the Appender.
   *
   * @example
   * ```ts
   * await run.appendFeatureImportances([{ seed: 1, selector: "online learner", feature: "entropy0",
   *   importance: 0.12, baselineGapClosed: 0.7, repeats: 5 }]);
   * ```
   */
  appendFeatureImportances(rows: Iterable<Omit<FeatureImportanceScoreRow, "runId">>): Promise<number> {
    const id = this.id;
    function* withRun() {
      for (const r of rows) yield { runId: id, ...r };
    }
    return this.write("append feature importances", () =>
      this.db.append(TABLES.featureImportances, withRun()),
    );
  }

  /**
   * Refreshes the heartbeat, so the run is not marked `interrupted` by the next open. Logging calls do this
   * on their own at most every `heartbeatEveryMs`.
   *
   * @example
   * ```ts
   * setInterval(() => void run.heartbeat(), 30_000).unref();
   * ```
   */
  heartbeat(): Promise<void> {
    return this.write("heartbeat", () => this.beat());
  }

  private end(status: RunStatus, error: string | null, trace: string | null): Promise<void> {
    return this.write(`mark it ${status}`, async () => {
      const now = ts(new Date());
      const result = await this.db.connection.run(
        "UPDATE runs SET status = $1, ended_at = $2, heartbeat_at = $2, error = $3, trace = $4 WHERE id = $5 AND status = 'running'",
        [status, now, error, trace, this.id],
        [VARCHAR, TIMESTAMP, VARCHAR, VARCHAR, INTEGER],
      );
      if (result.rowsChanged === 0) {
        this.state = "interrupted";
        this.onEnd();
        throw err(
          ErrorCode.USAGE,
          `run ${this.id} is no longer running (its heartbeat went stale); start a new run`,
        );
      }
      this.state = status;
      this.onEnd();
    });
  }

  /**
   * Marks the run `completed`.
   *
   * @example
   * ```ts
   * await run.finish();
   * ```
   */
  finish(): Promise<void> {
    return this.end("completed", null, null);
  }

  /**
   * Marks the run `failed`, storing the error message and stack trace.
   *
   * @example
   * ```ts
   * try { await train(run); await run.finish(); } catch (e) { await run.fail(e); throw e; }
   * ```
   */
  fail(error: unknown): Promise<void> {
    const e = error instanceof Error ? error : new Error(String(error));
    return this.end("failed", e.message || e.name, e.stack ?? null);
  }
}
