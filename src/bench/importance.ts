/**
 * Permutation feature importance of a trained selector: how much gap closed on the held-out blocks drops when
 * one feature's column is shuffled across those blocks (Breiman's permutation importance, with gap closed as
 * the score). It needs only a `choose` function, so it works for any selector without knowing its internals.
 */
import { ErrorCode, err } from "../errors.js";
import { createRng, deriveSeed, shuffled } from "../rng.js";
import { gapClosedOf } from "./metrics/gap.js";
import type { CostMatrix } from "./types.js";

/** Inputs of {@link permutationImportance}. */
export interface PermutationImportanceInput {
  /** The trained selector: one pipeline index (into `matrix.pipelines`) per feature vector. */
  readonly choose: (features: readonly Float32Array[]) => ArrayLike<number>;
  /** One feature vector per block of `matrix` (all the same length). */
  readonly features: readonly Float32Array[];
  /** Full cost rows of every block. */
  readonly matrix: CostMatrix;
  /** SBS comes from `train`; the selector is scored, and features permuted, on `test`. */
  readonly split: { readonly train: readonly number[]; readonly test: readonly number[] };
  /** Seeds the shuffles (each feature draws from its own derived stream). */
  readonly seed: number;
  /** Shuffles per feature, averaged (default 5). */
  readonly repeats?: number;
  /** Names of the feature columns (default `f0`, `f1`, …). */
  readonly featureNames?: readonly string[];
}

/** The importance of one feature. */
export interface FeatureImportance {
  readonly feature: string;
  /** Column index in the feature vectors. */
  readonly index: number;
  /** Mean over repeats of gap closed intact minus gap closed with this column shuffled. */
  readonly importance: number;
  /** That drop for each repeat. */
  readonly drops: readonly number[];
}

/** What {@link permutationImportance} returns. */
export interface PermutationImportance {
  /** Gap closed of the selector on the held-out blocks, every feature intact. */
  readonly baselineGapClosed: number;
  /** The selector's intact choices on `split.test`, in its order. */
  readonly choices: readonly number[];
  readonly repeats: number;
  /** One entry per feature column, in column order. */
  readonly importances: readonly FeatureImportance[];
}

/**
 * Permutation importance of every feature column for the selector `choose` on the held-out blocks, with
 * importance = gap closed intact − gap closed with the column shuffled among the held-out blocks, averaged over
 * `repeats` seeded shuffles. Undefined when gap closed is undefined there (SBS already equals VBS).
 *
 * @example
 * ```ts
 * const result = permutationImportance({
 *   choose: (f) => learner.greedy(f),
 *   features, matrix, split: { train, test }, seed: 7, featureNames: FEATURE_NAMES,
 * });
 * result?.importances.toSorted((a, b) => b.importance - a.importance)[0].feature; // the feature it relies on most
 * ```
 */
export function permutationImportance(input: PermutationImportanceInput): PermutationImportance | undefined {
  const { choose, features, matrix, split } = input;
  const repeats = input.repeats ?? 5;
  if (!Number.isInteger(repeats) || repeats < 1) {
    throw err(ErrorCode.INVALID_CONFIG, `permutation repeats must be an integer >= 1, got ${repeats}`);
  }
  if (features.length !== matrix.blockCount) {
    throw err(
      ErrorCode.INVALID_CONFIG,
      `got ${features.length} feature vectors for ${matrix.blockCount} blocks; give one per block of the matrix`,
    );
  }
  if (split.test.length === 0)
    throw err(ErrorCode.INVALID_CONFIG, "permutation importance needs held-out blocks");
  const width = features[split.test[0]]?.length ?? 0;
  const names = input.featureNames ?? Array.from({ length: width }, (_, j) => `f${j}`);
  if (names.length !== width) {
    throw err(
      ErrorCode.INVALID_CONFIG,
      `got ${names.length} feature names for vectors of length ${width}; give one name per column`,
    );
  }
  const heldOut = split.test.map((b) => features[b]);
  if (heldOut.some((f) => f.length !== width)) {
    throw err(
      ErrorCode.INVALID_CONFIG,
      `feature vectors of the held-out blocks differ in length; expected ${width}`,
    );
  }
  const score = (vectors: readonly Float32Array[]) => {
    const choices = Array.from(choose(vectors));
    return { choices, gap: gapClosedOf(matrix, choices, split) };
  };
  const intact = score(heldOut);
  if (intact.gap === undefined) return undefined;
  const baseline = intact.gap;
  const positions = heldOut.map((_, i) => i);
  const importances = names.map((feature, j) => {
    const rng = createRng(deriveSeed(input.seed, `permute:${j}`));
    const drops: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const order = shuffled(positions, rng);
      const permuted = heldOut.map((f, i) => {
        const copy = f.slice();
        copy[j] = heldOut[order[i]][j];
        return copy;
      });
      drops.push(baseline - (score(permuted).gap as number));
    }
    return { feature, index: j, importance: drops.reduce((a, b) => a + b, 0) / repeats, drops };
  });
  return { baselineGapClosed: baseline, choices: intact.choices, repeats, importances };
}
