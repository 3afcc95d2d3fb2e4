/**
 * Merges shard stores into one: a new run in the target store that holds every finished seed of the shards'
 * runs, plus the bench rows of the first shard (identical in every shard). The merged summary is computed by
 * the same `summarizeRuns` as a single run, so 2 shards + merge give the same numbers as one run.
 */
import { ErrorCode, err } from "../errors.js";
import type { FeatureImportanceScoreRow, SelectionChoiceRow } from "../schema/rows.js";
import { openStore, type Store } from "../store/store.js";
import { recordGenerations } from "./run.js";
import { parseExperimentSpec } from "./spec.js";
import { type ExperimentSummary, summarizeRuns } from "./summary.js";

/** What {@link mergeShards} produced. */
export interface MergeResult {
  readonly runId: number;
  readonly summary: ExperimentSummary;
}

interface ShardRun {
  readonly path: string;
  readonly runId: number;
  readonly configJson: string;
  readonly seed: number;
  readonly metrics: Record<string, unknown>[];
  readonly trials: Record<string, unknown>[];
  readonly selections: SelectionChoiceRow[];
  readonly importances: FeatureImportanceScoreRow[];
}

async function readShard(path: string, experiment?: string): Promise<ShardRun> {
  const shard = await openStore(path, { readOnly: true });
  try {
    const runs = await shard.query(
      `SELECT r.id, r.config_json, r.seed, e.name FROM runs r JOIN experiments e ON e.id = r.experiment_id
       WHERE r.status = 'completed' ORDER BY r.id DESC`,
    );
    const run = runs.find((r) => experiment === undefined || r.name === experiment);
    if (!run)
      throw err(
        ErrorCode.NOT_FOUND,
        `shard store "${path}" has no completed run${experiment ? ` of "${experiment}"` : ""}`,
      );
    const runId = Number(run.id);
    const metrics = await shard.query(
      "SELECT key, step, value, context FROM metrics WHERE run_id = $1 AND key NOT LIKE 'summary.%' ORDER BY key, context, step",
      [runId],
    );
    const trials = await shard.query(
      "SELECT dataset_id, block_index, pipeline, bytes_out, enc_ns, dec_ns, round_trip_ok FROM trials WHERE run_id = $1 ORDER BY dataset_id, block_index, pipeline",
      [runId],
    );
    const selections = await shard.select("selections", { runId });
    const importances = await shard.select("featureImportances", { runId });
    return {
      path,
      runId,
      configJson: String(run.config_json),
      seed: Number(run.seed),
      metrics,
      trials,
      selections,
      importances,
    };
  } finally {
    shard.close();
  }
}

/**
 * Merges the latest completed run of each shard store into a new run of `target`.
 *
 * @example
 * ```ts
 * const store = await openStore("experiments/merged.duckdb");
 * const { summary } = await mergeShards(store, ["shard-0.duckdb", "shard-1.duckdb"]);
 * ```
 */
export async function mergeShards(target: Store, shardPaths: readonly string[]): Promise<MergeResult> {
  if (shardPaths.length === 0) throw err(ErrorCode.USAGE, "merge needs at least one shard store");
  const shards: ShardRun[] = [];
  for (const path of shardPaths) shards.push(await readShard(path));
  const configs = new Set(shards.map((s) => s.configJson));
  if (configs.size > 1) {
    throw err(
      ErrorCode.INVALID_CONFIG,
      `shards ran different experiment specs (${shardPaths.join(", ")}); merge shards of one spec`,
    );
  }
  const spec = parseExperimentSpec(JSON.parse(shards[0].configJson), `spec of shard "${shards[0].path}"`);
  const seen = new Map<number, string>();
  for (const s of shards) {
    for (const m of s.metrics) {
      if (m.key !== "seed.done") continue;
      const seed = Number(m.step);
      if (seen.has(seed) && seen.get(seed) !== s.path) {
        throw err(
          ErrorCode.INVALID_CONFIG,
          `seed ${seed} is in both "${seen.get(seed)}" and "${s.path}"; merge disjoint shards`,
        );
      }
      seen.set(seed, s.path);
    }
  }
  const run = await target.startRun({
    experiment: spec.name,
    seed: spec.seed,
    config: spec,
    name: `merge of ${shards.length} shards`,
  });
  try {
    await run.setTag("merged_from", JSON.stringify(shards.map((s) => ({ path: s.path, runId: s.runId }))));
    for (const [i, s] of shards.entries()) {
      for (const m of s.metrics) {
        // bench rows are identical in every shard: keep the first shard's
        if (i > 0 && String(m.key).startsWith("bench.")) continue;
        await run.logMetric(
          String(m.key),
          Number(m.value),
          Number(m.step),
          m.context === null ? null : String(m.context),
        );
      }
    }
    await run.appendTrials(
      shards[0].trials.map((t) => ({
        datasetId: String(t.dataset_id),
        blockIndex: Number(t.block_index),
        pipeline: String(t.pipeline),
        bytesOut: Number(t.bytes_out),
        encNs: Number(t.enc_ns),
        decNs: Number(t.dec_ns),
        roundTripOk: Boolean(t.round_trip_ok),
      })),
    );
    // per-seed rows: each seed lives in exactly one shard
    await run.appendSelections(shards.flatMap((s) => s.selections.map(({ runId: _, ...r }) => r)));
    await run.appendFeatureImportances(shards.flatMap((s) => s.importances.map(({ runId: _, ...r }) => r)));
    const summary = await summarizeRuns(target, [run.id], spec);
    await recordGenerations(target, run, summary);
    for (const [key, value] of Object.entries(summary.headline)) {
      if (Number.isFinite(value)) await run.logMetric(key, value, spec.online.rounds);
    }
    await run.finish();
    return { runId: run.id, summary };
  } catch (e) {
    await run.fail(e).catch(() => {});
    throw e;
  }
}
