/**
 * The oracle metrics of DESIGN.md §3: VBS (per-block best), SBS (single best on training blocks) and gap closed.
 */
import { ErrorCode, err } from "../../errors.js";
import type { CostMatrix } from "../types.js";

function allBlocks(m: CostMatrix): number[] {
  return Array.from({ length: m.blockCount }, (_, b) => b);
}

function checkBlocks(m: CostMatrix, blocks: readonly number[]): void {
  for (const b of blocks) {
    if (!Number.isInteger(b) || b < 0 || b >= m.blockCount) {
      throw err(
        ErrorCode.INVALID_CONFIG,
        `block index ${b} is outside the cost matrix (0–${m.blockCount - 1})`,
      );
    }
  }
}

/**
 * The oracle's choice per block: the index of the cheapest pipeline (first one on ties).
 *
 * @example
 * ```ts
 * vbsChoices({ pipelines: ["a", "b"], blockCount: 2, costs: Float64Array.of(1, 2, 4, 3) }); // [0, 1]
 * ```
 */
export function vbsChoices(m: CostMatrix, blocks: readonly number[] = allBlocks(m)): number[] {
  checkBlocks(m, blocks);
  const n = m.pipelines.length;
  return blocks.map((b) => {
    let best = 0;
    for (let p = 1; p < n; p++) if (m.costs[b * n + p] < m.costs[b * n + best]) best = p;
    return best;
  });
}

/**
 * The summed cost of one choice per block.
 *
 * @example
 * ```ts
 * selectionCost(matrix, [0, 1], [0, 1]); // cost of pipeline 0 on block 0 plus pipeline 1 on block 1
 * ```
 */
export function selectionCost(
  m: CostMatrix,
  choices: ArrayLike<number>,
  blocks: readonly number[] = allBlocks(m),
): number {
  checkBlocks(m, blocks);
  if (choices.length !== blocks.length) {
    throw err(
      ErrorCode.INVALID_CONFIG,
      `got ${choices.length} choices for ${blocks.length} blocks; give one per block`,
    );
  }
  const n = m.pipelines.length;
  let total = 0;
  for (let i = 0; i < blocks.length; i++) {
    const p = choices[i];
    if (!Number.isInteger(p) || p < 0 || p >= n) {
      throw err(
        ErrorCode.INVALID_CONFIG,
        `choice ${p} for block ${blocks[i]} is not a pipeline index (0–${n - 1})`,
      );
    }
    total += m.costs[blocks[i] * n + p];
  }
  return total;
}

/**
 * The summed oracle (VBS) cost over the given blocks.
 *
 * @example
 * ```ts
 * vbsCost(matrix, heldOutBlocks);
 * ```
 */
export function vbsCost(m: CostMatrix, blocks: readonly number[] = allBlocks(m)): number {
  return selectionCost(m, vbsChoices(m, blocks), blocks);
}

/**
 * The single best pipeline (SBS): the lowest total cost over the training blocks (first one on ties).
 *
 * @example
 * ```ts
 * const sbs = sbsIndex(matrix, trainBlocks);
 * matrix.pipelines[sbs]; // e.g. "zstd:19"
 * ```
 */
export function sbsIndex(m: CostMatrix, trainBlocks: readonly number[] = allBlocks(m)): number {
  checkBlocks(m, trainBlocks);
  if (trainBlocks.length === 0) throw err(ErrorCode.INVALID_CONFIG, "SBS needs at least one training block");
  const n = m.pipelines.length;
  const totals = new Float64Array(n);
  for (const b of trainBlocks) for (let p = 0; p < n; p++) totals[p] += m.costs[b * n + p];
  let best = 0;
  for (let p = 1; p < n; p++) if (totals[p] < totals[best]) best = p;
  return best;
}

/** Summed costs on the held-out blocks, the inputs of {@link gapClosed}. */
export interface GapCosts {
  readonly sbs: number;
  readonly vbs: number;
  readonly selector: number;
}

/**
 * Gap closed, `(cost(SBS) − cost(selector)) / (cost(SBS) − cost(VBS))`: 1 = oracle, 0 = no better than SBS,
 * negative = worse. Undefined when SBS already equals VBS (nothing to close) — never a division by zero.
 *
 * @example
 * ```ts
 * gapClosed({ sbs: 100, vbs: 80, selector: 85 }); // 0.75
 * gapClosed({ sbs: 80, vbs: 80, selector: 80 }); // undefined
 * ```
 */
export function gapClosed({ sbs, vbs, selector }: GapCosts): number | undefined {
  if (![sbs, vbs, selector].every(Number.isFinite)) {
    throw err(
      ErrorCode.INVALID_CONFIG,
      `gap closed needs finite costs, got sbs=${sbs} vbs=${vbs} selector=${selector}`,
    );
  }
  if (vbs > sbs)
    throw err(ErrorCode.INVALID_CONFIG, `VBS cost ${vbs} exceeds SBS cost ${sbs}; the oracle must be best`);
  const gap = sbs - vbs;
  if (gap <= Number.EPSILON * Math.max(1, Math.abs(sbs))) return undefined;
  return (sbs - selector) / gap;
}

/**
 * Gap closed of a selector's choices on held-out blocks, with the SBS picked on the training blocks.
 *
 * @example
 * ```ts
 * gapClosedOf(matrix, choicesOnTest, { train: [0, 1, 2], test: [3, 4] });
 * ```
 */
export function gapClosedOf(
  m: CostMatrix,
  choices: ArrayLike<number>,
  split: { readonly train: readonly number[]; readonly test: readonly number[] },
): number | undefined {
  const sbs = sbsIndex(m, split.train);
  return gapClosed({
    sbs: selectionCost(
      m,
      split.test.map(() => sbs),
      split.test,
    ),
    vbs: vbsCost(m, split.test),
    selector: selectionCost(m, choices, split.test),
  });
}
