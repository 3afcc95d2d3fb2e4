/**
 * Splits and the oracle report: VBS per block, SBS on the training split, gap closed on the held-out split,
 * per group (family or task) and overall. Built on the exact definitions in `metrics/gap.ts`.
 */
import { ErrorCode, err } from "../errors.js";
import { createRng, shuffled } from "../rng.js";
import { gapClosed, sbsIndex, selectionCost, vbsCost } from "./metrics/gap.js";
import type { CostMatrix } from "./types.js";

/** Block indices for training (SBS, fitting) and for held-out evaluation. */
export interface Split {
  readonly train: readonly number[];
  readonly test: readonly number[];
}

/**
 * A seeded random split of blocks: `testFraction` of them held out (at least one block each side when
 * there are two or more blocks). Indices come back sorted.
 *
 * @example
 * ```ts
 * splitByBlock(100, { testFraction: 0.3, seed: 1 }).test.length; // 30
 * ```
 */
export function splitByBlock(blockCount: number, opts: { testFraction?: number; seed?: number } = {}): Split {
  const fraction = opts.testFraction ?? 0.3;
  if (!(fraction > 0 && fraction < 1)) {
    throw err(ErrorCode.INVALID_CONFIG, `testFraction ${fraction} must be between 0 and 1 (exclusive)`);
  }
  if (blockCount < 2)
    throw err(ErrorCode.INVALID_CONFIG, `a split needs at least 2 blocks, got ${blockCount}`);
  const order = shuffled(
    Array.from({ length: blockCount }, (_, i) => i),
    createRng(opts.seed ?? 0),
  );
  const testCount = Math.min(blockCount - 1, Math.max(1, Math.round(blockCount * fraction)));
  const sort = (xs: number[]) => xs.sort((a, b) => a - b);
  return { test: sort(order.slice(0, testCount)), train: sort(order.slice(testCount)) };
}

/**
 * A split by group: every block of a held-out group (family or task) goes to the test side, so the selector
 * is judged on data it never trained on. Give `heldOut` groups, or `heldOutCount` to draw them with `seed`.
 *
 * @example
 * ```ts
 * splitByGroup(blocks.map((b) => b.family), { heldOut: ["floats"] });
 * ```
 */
export function splitByGroup(
  groups: readonly string[],
  opts: { heldOut?: readonly string[]; heldOutCount?: number; seed?: number } = {},
): Split & { readonly heldOut: readonly string[] } {
  const distinct = [...new Set(groups)].sort();
  let heldOut = opts.heldOut ? [...opts.heldOut] : undefined;
  if (!heldOut) {
    const count = opts.heldOutCount ?? 1;
    heldOut = shuffled(distinct, createRng(opts.seed ?? 0))
      .slice(0, count)
      .sort();
  }
  for (const g of heldOut) {
    if (!distinct.includes(g)) {
      throw err(
        ErrorCode.INVALID_CONFIG,
        `held-out group "${g}" has no blocks; groups are: ${distinct.join(", ")}`,
      );
    }
  }
  if (heldOut.length === 0 || heldOut.length >= distinct.length) {
    throw err(
      ErrorCode.INVALID_CONFIG,
      `hold out between 1 and ${distinct.length - 1} of the ${distinct.length} groups (got ${heldOut.length})`,
    );
  }
  const held = new Set(heldOut);
  const train: number[] = [];
  const test: number[] = [];
  groups.forEach((g, i) => {
    (held.has(g) ? test : train).push(i);
  });
  return { train, test, heldOut };
}

/** Costs and gap closed of one group of held-out blocks. */
export interface GroupReport {
  readonly group: string;
  readonly blocks: number;
  /** Summed cost of the SBS (picked on the training split) on these blocks. */
  readonly sbsCost: number;
  /** Summed oracle cost on these blocks. */
  readonly vbsCost: number;
  /** Per selector: summed cost and gap closed (undefined when SBS = VBS; −Infinity when it chose a failure). */
  readonly selectors: Readonly<
    Record<string, { readonly cost: number; readonly gapClosed: number | undefined }>
  >;
}

/** The oracle report of one split. */
export interface OracleReport {
  /** The SBS pipeline, chosen on the training blocks. */
  readonly sbs: string;
  readonly sbsIndex: number;
  readonly overall: GroupReport;
  /** One report per group present in the test split, sorted by name. */
  readonly groups: readonly GroupReport[];
}

function groupReport(
  m: CostMatrix,
  group: string,
  blocks: readonly number[],
  sbs: number,
  choicesByBlock: ReadonlyMap<string, ReadonlyMap<number, number>>,
): GroupReport {
  const sbsCost = selectionCost(
    m,
    blocks.map(() => sbs),
    blocks,
  );
  const oracle = vbsCost(m, blocks);
  const selectors: Record<string, { cost: number; gapClosed: number | undefined }> = {};
  for (const [name, byBlock] of choicesByBlock) {
    const cost = selectionCost(
      m,
      blocks.map((b) => byBlock.get(b) as number),
      blocks,
    );
    let gap: number | undefined;
    if (!Number.isFinite(cost)) gap = Number.NEGATIVE_INFINITY;
    else if (!Number.isFinite(sbsCost)) gap = undefined;
    else gap = gapClosed({ sbs: sbsCost, vbs: oracle, selector: cost });
    selectors[name] = { cost, gapClosed: gap };
  }
  return { group, blocks: blocks.length, sbsCost, vbsCost: oracle, selectors };
}

/**
 * The oracle report: SBS picked on `split.train`; SBS, VBS and each selector's summed cost and gap closed on
 * `split.test`, overall and per group. `choices[name][i]` is the selector's pipeline for block `split.test[i]`.
 *
 * @example
 * ```ts
 * const r = oracleReport(matrix, split, blocks.map((b) => b.family), { knn: knnChoices });
 * r.overall.selectors.knn.gapClosed; // e.g. 0.62
 * ```
 */
export function oracleReport(
  m: CostMatrix,
  split: Split,
  groups: readonly string[],
  choices: Readonly<Record<string, readonly number[]>>,
): OracleReport {
  if (groups.length !== m.blockCount) {
    throw err(ErrorCode.INVALID_CONFIG, `got ${groups.length} group labels for ${m.blockCount} blocks`);
  }
  const sbs = sbsIndex(m, split.train);
  const byBlock = new Map<string, Map<number, number>>();
  for (const [name, list] of Object.entries(choices)) {
    if (list.length !== split.test.length) {
      throw err(
        ErrorCode.INVALID_CONFIG,
        `selector "${name}" made ${list.length} choices for ${split.test.length} held-out blocks`,
      );
    }
    byBlock.set(name, new Map(split.test.map((b, i) => [b, list[i]])));
  }
  const members = new Map<string, number[]>();
  for (const b of split.test) {
    const g = groups[b];
    const list = members.get(g);
    if (list) list.push(b);
    else members.set(g, [b]);
  }
  return {
    sbs: m.pipelines[sbs],
    sbsIndex: sbs,
    overall: groupReport(m, "overall", split.test, sbs, byBlock),
    groups: [...members.keys()]
      .sort()
      .map((g) => groupReport(m, g, members.get(g) as number[], sbs, byBlock)),
  };
}
