/**
 * The CI regression gate: runs a fixed small experiment, then compares its deterministic metrics (sizes per
 * pipeline, the oracle, gap closed, improvement and meta-improvement rates) with a committed baseline within
 * tolerances, and its speeds only as ratios against a reference pipeline measured in the same run.
 */
import { readFile, writeFile } from "node:fs/promises";
import { z } from "zod";
import { benchCodecs } from "../bench/codec-bench.js";
import { ErrorCode, err } from "../errors.js";
import { openStore } from "../store/store.js";
import { experimentBlocks, runExperiment } from "./run.js";
import { loadExperimentSpec } from "./spec.js";

/** Whether a metric is better when higher, lower, or must stay put. */
const direction = z.enum(["higher", "lower", "equal"]);

const baselineSchema = z
  .object({
    spec: z.string().min(1),
    /** Speed ratios are measured against this pipeline in the same run. */
    reference: z.string().default("deflate:1"),
    speedPipelines: z.array(z.string()).default(["lz4", "zstd:3"]),
    metrics: z.record(
      z.string(),
      z
        .object({
          value: z.number(),
          direction,
          tolerance: z.number().nonnegative(),
          relative: z.boolean().default(false),
        })
        .strict(),
    ),
  })
  .strict();

/** A committed regression baseline. */
export type RegressionBaseline = z.output<typeof baselineSchema>;

/** One compared metric. */
export interface RegressionRow {
  readonly key: string;
  readonly baseline: number;
  readonly current: number;
  readonly allowed: string;
  readonly ok: boolean;
}

/** Default direction and tolerance of a metric by its key, used when a baseline is (re)written. */
function ruleFor(key: string): {
  direction: "higher" | "lower" | "equal";
  tolerance: number;
  relative: boolean;
} {
  if (key.startsWith("bytes.")) return { direction: "lower", tolerance: 0, relative: true };
  if (key.startsWith("oracle.")) return { direction: "lower", tolerance: 0, relative: true };
  if (key.startsWith("speed.")) return { direction: "higher", tolerance: 0.75, relative: true };
  if (key.endsWith("_rate")) return { direction: "higher", tolerance: 0.25, relative: false };
  return { direction: "higher", tolerance: 0.05, relative: false };
}

/**
 * Runs the gate's experiment in memory and returns its current metrics.
 *
 * @example
 * ```ts
 * const metrics = await measureRegressionMetrics("experiments/ci.json");
 * metrics["summary.final_gap_closed"];
 * ```
 */
export async function measureRegressionMetrics(
  specPath: string,
  opts: { reference?: string; speedPipelines?: readonly string[]; log?: (line: string) => void } = {},
): Promise<Record<string, number>> {
  const spec = await loadExperimentSpec(specPath);
  const store = await openStore(":memory:");
  try {
    const summary = await runExperiment(spec, { store, log: opts.log });
    const metrics: Record<string, number> = {};
    for (const [pipeline, bytes] of Object.entries(summary.pipelineBytes))
      metrics[`bytes.${pipeline}`] = bytes;
    const vbs = await store.query(
      "SELECT sum(best) AS vbs FROM (SELECT dataset_id, block_index, min(bytes_out) AS best FROM trials WHERE run_id = $1 GROUP BY 1, 2)",
      [summary.runIds[0]],
    );
    metrics["oracle.vbs_bytes"] = Number(vbs[0].vbs);
    for (const key of [
      "summary.final_gap_closed",
      "summary.improvement_rate",
      "summary.meta_improvement_rate",
      "summary.self_tuning_rate",
    ]) {
      if (summary.headline[key] !== undefined) metrics[key] = summary.headline[key];
    }
    for (const [key, value] of Object.entries(summary.headline)) {
      if (key.startsWith("summary.gap_closed.")) metrics[key] = value;
    }
    const sample = (await experimentBlocks(spec)).blocks.slice(0, 16).map((b) => b.bytes);
    const rows = benchCodecs(Buffer.concat(sample), opts.speedPipelines ?? ["lz4", "zstd:3"], {
      reference: opts.reference ?? "deflate:1",
      blockSize: spec.blockBytes,
      minTimeMs: 200,
    });
    for (const r of rows.slice(1)) metrics[`speed.${r.pipeline}`] = r.compressVsReference;
    return metrics;
  } finally {
    store.close();
  }
}

/**
 * Compares current metrics with a baseline: a regression is a move in the wrong direction beyond the tolerance.
 *
 * @example
 * ```ts
 * const rows = compareWithBaseline(baseline, current);
 * rows.filter((r) => !r.ok); // the regressions
 * ```
 */
export function compareWithBaseline(
  baseline: RegressionBaseline,
  current: Record<string, number>,
): RegressionRow[] {
  return Object.entries(baseline.metrics).map(([key, rule]) => {
    const now = current[key];
    const slack = rule.relative ? rule.tolerance * Math.abs(rule.value) : rule.tolerance;
    let ok: boolean;
    let allowed: string;
    if (now === undefined || !Number.isFinite(now)) {
      ok = false;
      allowed = "a finite value";
    } else if (rule.direction === "higher") {
      ok = now >= rule.value - slack;
      allowed = `>= ${(rule.value - slack).toPrecision(6)}`;
    } else if (rule.direction === "lower") {
      ok = now <= rule.value + slack;
      allowed = `<= ${(rule.value + slack).toPrecision(6)}`;
    } else {
      ok = Math.abs(now - rule.value) <= slack;
      allowed = `${rule.value.toPrecision(6)} ± ${slack.toPrecision(3)}`;
    }
    return { key, baseline: rule.value, current: now ?? Number.NaN, allowed, ok };
  });
}

/**
 * Reads and validates a baseline file.
 *
 * @example
 * ```ts
 * const baseline = await loadBaseline("experiments/baselines/ci.json");
 * ```
 */
export async function loadBaseline(path: string): Promise<RegressionBaseline> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, "utf8"));
  } catch (e) {
    throw err(
      ErrorCode.IO,
      `cannot read baseline "${path}": ${(e as Error).message}; write one with --update`,
      e,
    );
  }
  const parsed = baselineSchema.safeParse(json);
  if (!parsed.success)
    throw err(ErrorCode.INVALID_CONFIG, `invalid baseline "${path}":\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/**
 * Writes a baseline from current metrics, keeping the spec and speed settings.
 *
 * @example
 * ```ts
 * await writeBaseline("experiments/baselines/ci.json", "experiments/ci.json", metrics);
 * ```
 */
export async function writeBaseline(
  path: string,
  specPath: string,
  current: Record<string, number>,
): Promise<void> {
  const metrics = Object.fromEntries(
    Object.entries(current)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, value]) => [key, { value, ...ruleFor(key) }]),
  );
  const baseline: RegressionBaseline = {
    spec: specPath,
    reference: "deflate:1",
    speedPipelines: ["lz4", "zstd:3"],
    metrics,
  };
  await writeFile(path, `${JSON.stringify(baseline, null, 2)}\n`);
}

/**
 * Formats the comparison as a diff table, regressions marked.
 *
 * @example
 * ```ts
 * process.stdout.write(formatRegressionTable(rows));
 * ```
 */
export function formatRegressionTable(rows: readonly RegressionRow[]): string {
  const cells = rows.map((r) => [
    r.ok ? "ok" : "REGRESSED",
    r.key,
    r.baseline.toPrecision(6),
    r.current.toPrecision(6),
    r.allowed,
  ]);
  const header = ["status", "metric", "baseline", "current", "allowed"];
  const widths = header.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c].length)));
  const line = (row: string[]) => row.map((cell, c) => cell.padEnd(widths[c])).join("  ");
  return `${[line(header), ...cells.map(line)].join("\n")}\n`;
}
