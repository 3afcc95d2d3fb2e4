/**
 * Objectives: what a choice costs (DESIGN.md §3). `size`: bytes out. `transfer(MBps)`: encode seconds +
 * bytes / bandwidth + decode seconds. `weighted(α, β)`: bytes + α·encNs + β·decNs. A failed trial costs Infinity.
 */
import { z } from "zod";
import { ErrorCode, err } from "../errors.js";
import type { CostMatrix, Trial } from "./types.js";

/** A zod schema of an objective; parse strings with {@link parseObjective}. */
export const objectiveSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("size") }).strict(),
  z
    .object({
      kind: z.literal("transfer"),
      /** Link bandwidth in MB/s (10^6 bytes per second). */
      mbps: z.number().positive(),
    })
    .strict(),
  z
    .object({
      kind: z.literal("weighted"),
      /** Bytes charged per nanosecond of encoding. */
      alpha: z.number().nonnegative(),
      /** Bytes charged per nanosecond of decoding. */
      beta: z.number().nonnegative(),
    })
    .strict(),
]);

/** An objective. */
export type Objective = z.infer<typeof objectiveSchema>;

/** The measurements an objective reads. */
export type TrialMeasure = Pick<Trial, "bytesOut" | "encNs" | "decNs" | "roundTripOk">;

/**
 * Parses `size`, `transfer:MBps` or `weighted:alpha:beta` (or an objective object).
 *
 * @example
 * ```ts
 * parseObjective("transfer:100"); // { kind: "transfer", mbps: 100 }
 * ```
 */
export function parseObjective(input: string | Objective): Objective {
  if (typeof input !== "string") {
    const parsed = objectiveSchema.safeParse(input);
    if (!parsed.success) {
      throw err(ErrorCode.INVALID_CONFIG, `bad objective: ${z.prettifyError(parsed.error)}`);
    }
    return parsed.data;
  }
  const [kind, ...args] = input.trim().split(":");
  const nums = args.map(Number);
  const bad = (): never => {
    throw err(
      ErrorCode.INVALID_CONFIG,
      `bad objective "${input}"; write size, transfer:<MBps> (e.g. transfer:100) or weighted:<alpha>:<beta>`,
    );
  };
  if (nums.some((x) => !Number.isFinite(x))) bad();
  let candidate: unknown;
  if (kind === "size" && args.length === 0) candidate = { kind };
  else if (kind === "transfer" && args.length === 1) candidate = { kind, mbps: nums[0] };
  else if (kind === "weighted" && args.length === 2) candidate = { kind, alpha: nums[0], beta: nums[1] };
  else bad();
  const parsed = objectiveSchema.safeParse(candidate);
  if (!parsed.success) bad();
  return parsed.data as Objective;
}

/**
 * Writes an objective back in its string form.
 *
 * @example
 * ```ts
 * formatObjective({ kind: "weighted", alpha: 0.5, beta: 0 }); // "weighted:0.5:0"
 * ```
 */
export function formatObjective(o: Objective): string {
  if (o.kind === "size") return "size";
  if (o.kind === "transfer") return `transfer:${o.mbps}`;
  return `weighted:${o.alpha}:${o.beta}`;
}

/**
 * True when the objective depends on measured times (so times must be measured with care).
 *
 * @example
 * ```ts
 * objectiveUsesTime(parseObjective("size")); // false
 * ```
 */
export function objectiveUsesTime(o: Objective): boolean {
  return o.kind === "transfer" || (o.kind === "weighted" && (o.alpha > 0 || o.beta > 0));
}

/**
 * The cost of one trial under an objective: bytes for `size` and `weighted`, seconds for `transfer`.
 * A trial whose round trip failed costs Infinity.
 *
 * @example
 * ```ts
 * trialCost({ bytesOut: 1e6, encNs: 2e6, decNs: 1e6, roundTripOk: true }, { kind: "transfer", mbps: 100 });
 * // 0.002 + 0.01 + 0.001 = 0.013 s
 * ```
 */
export function trialCost(t: TrialMeasure, o: Objective): number {
  if (!t.roundTripOk) return Number.POSITIVE_INFINITY;
  switch (o.kind) {
    case "size":
      return t.bytesOut;
    case "transfer":
      return (t.encNs + t.decNs) / 1e9 + t.bytesOut / (o.mbps * 1e6);
    case "weighted":
      return t.bytesOut + o.alpha * t.encNs + o.beta * t.decNs;
  }
}

/**
 * Builds the cost matrix of `blockCount` blocks × `pipelines` from trials. Every (block, pipeline) must have
 * exactly one trial; trials of pipelines outside the list are an error.
 *
 * @example
 * ```ts
 * const m = costMatrix(result.trials, blocks.length, portfolio.pipelines, parseObjective("size"));
 * vbsCost(m);
 * ```
 */
export function costMatrix(
  trials: readonly Trial[],
  blockCount: number,
  pipelines: readonly string[],
  objective: Objective,
): CostMatrix {
  const index = new Map(pipelines.map((p, i) => [p, i]));
  const n = pipelines.length;
  const costs = new Float64Array(blockCount * n).fill(Number.NaN);
  for (const t of trials) {
    const p = index.get(t.pipeline);
    if (p === undefined) {
      throw err(ErrorCode.INVALID_CONFIG, `trial of pipeline "${t.pipeline}" is not in the portfolio given`);
    }
    if (!Number.isInteger(t.blockIndex) || t.blockIndex < 0 || t.blockIndex >= blockCount) {
      throw err(ErrorCode.INVALID_CONFIG, `trial block ${t.blockIndex} is outside 0–${blockCount - 1}`);
    }
    const at = t.blockIndex * n + p;
    if (!Number.isNaN(costs[at])) {
      throw err(ErrorCode.INVALID_CONFIG, `two trials for block ${t.blockIndex} and "${t.pipeline}"`);
    }
    costs[at] = trialCost(t, objective);
  }
  const missing = costs.findIndex(Number.isNaN);
  if (missing >= 0) {
    throw err(
      ErrorCode.INVALID_CONFIG,
      `no trial for block ${Math.floor(missing / n)} and "${pipelines[missing % n]}"; evaluate the whole portfolio`,
    );
  }
  return { pipelines: [...pipelines], blockCount, costs };
}
