/**
 * Runs selectors on a split and measures them: gap closed (per group and overall, via the oracle report) and
 * selection overhead = (feature time, if the selector reads features, + its select time) / encode time of the
 * pipeline it chose, summed over held-out blocks.
 */
import { ErrorCode, err } from "../errors.js";
import { type OracleReport, oracleReport, type Split } from "./oracle.js";
import type { CostMatrix, Selector, Trial } from "./types.js";

/** The rows of a cost matrix for some blocks, renumbered 0…n−1. */
export function subMatrix(m: CostMatrix, blocks: readonly number[]): CostMatrix {
  const n = m.pipelines.length;
  const costs = new Float64Array(blocks.length * n);
  blocks.forEach((b, i) => {
    costs.set(m.costs.subarray(b * n, (b + 1) * n), i * n);
  });
  return { pipelines: m.pipelines, blockCount: blocks.length, costs };
}

/** Inputs of {@link compareSelectors}. */
export interface CompareInput {
  readonly matrix: CostMatrix;
  /** The trials behind the matrix (their encNs gives the encode time of each choice). */
  readonly trials: readonly Trial[];
  /** Feature vectors, one per block of the matrix. */
  readonly features: readonly Float32Array[];
  /** Feature extraction time per block, ns. */
  readonly featureNs: ArrayLike<number>;
  /** Block bytes, for selectors that probe the data (sample-and-try). */
  readonly blocks?: readonly Uint8Array[];
  /** Group label (family or task) per block. */
  readonly groups: readonly string[];
  readonly split: Split;
  readonly selectors: readonly Selector[];
}

/** Selection overhead of one selector: summed overhead time / summed encode time of its choices. */
export interface Overhead {
  readonly overall: number;
  readonly byGroup: Readonly<Record<string, number>>;
  /** Mean selection time per block (features if used + select), ns. */
  readonly meanNsPerBlock: number;
}

/** What {@link compareSelectors} returns. */
export interface CompareResult {
  readonly report: OracleReport;
  readonly overhead: Readonly<Record<string, Overhead>>;
  /** Each selector's choices, in `split.test` order. */
  readonly choices: Readonly<Record<string, readonly number[]>>;
}

/**
 * Fits each selector that can be fitted on the training blocks (full information), then asks it for one
 * pipeline per held-out block, block by block, timing each call.
 *
 * @example
 * ```ts
 * const { report, overhead } = compareSelectors({ matrix, trials, features, featureNs, blocks, groups, split,
 *   selectors: [randomSelector(n, 1), knnSelector()] });
 * ```
 */
export function compareSelectors(input: CompareInput): CompareResult {
  const { matrix, split } = input;
  const n = matrix.pipelines.length;
  if (input.features.length !== matrix.blockCount) {
    throw err(
      ErrorCode.INVALID_CONFIG,
      `got ${input.features.length} feature rows for ${matrix.blockCount} blocks`,
    );
  }
  const index = new Map(matrix.pipelines.map((p, i) => [p, i]));
  const encNs = new Float64Array(matrix.blockCount * n);
  for (const t of input.trials) {
    const p = index.get(t.pipeline);
    if (p !== undefined && t.blockIndex < matrix.blockCount) encNs[t.blockIndex * n + p] = t.encNs;
  }
  const trainFeatures = split.train.map((b) => input.features[b]);
  const trainMatrix = subMatrix(matrix, split.train);
  const choices: Record<string, number[]> = {};
  const overhead: Record<string, Overhead> = {};
  for (const selector of input.selectors) {
    if (choices[selector.name])
      throw err(ErrorCode.INVALID_CONFIG, `two selectors are named "${selector.name}"`);
    selector.fit?.(trainFeatures, trainMatrix);
    const usesFeatures = selector.usesFeatures ?? true;
    const picked: number[] = [];
    const spentByGroup = new Map<string, [spent: number, enc: number]>();
    let spentTotal = 0;
    let encTotal = 0;
    for (const b of split.test) {
      const t0 = process.hrtime.bigint();
      const [choice] = selector.select([input.features[b]], input.blocks ? [input.blocks[b]] : undefined);
      const selectNs = Number(process.hrtime.bigint() - t0);
      if (!Number.isInteger(choice) || choice < 0 || choice >= n) {
        throw err(
          ErrorCode.INTERNAL,
          `selector "${selector.name}" chose ${choice}, not a pipeline index 0–${n - 1}`,
        );
      }
      picked.push(choice);
      const spent = selectNs + (usesFeatures ? Number(input.featureNs[b]) : 0);
      const enc = encNs[b * n + choice];
      spentTotal += spent;
      encTotal += enc;
      const g = spentByGroup.get(input.groups[b]) ?? [0, 0];
      spentByGroup.set(input.groups[b], [g[0] + spent, g[1] + enc]);
    }
    choices[selector.name] = picked;
    overhead[selector.name] = {
      overall: spentTotal / encTotal,
      byGroup: Object.fromEntries([...spentByGroup].map(([g, [s, e]]) => [g, s / e])),
      meanNsPerBlock: spentTotal / Math.max(1, split.test.length),
    };
  }
  return { report: oracleReport(matrix, split, input.groups, choices), overhead, choices };
}
