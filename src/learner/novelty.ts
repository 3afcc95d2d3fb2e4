/**
 * A learned selector that knows where it has been trained: blocks unlike every training block go to a fallback
 * that measures them (sample-and-try) instead of to the learner's extrapolation.
 */
import { squaredDistance, standardisedRows } from "../bench/baselines/standardised.js";
import type { CostMatrix, Selector } from "../bench/types.js";
import { ErrorCode, err } from "../errors.js";

/** Options of {@link noveltyGuard}. */
export interface NoveltyGuardOptions {
  /** What novel blocks get, e.g. `sampleAndTrySelector(…)`; fitted with the same rows as the learner. */
  readonly fallback: Selector;
  /**
   * A block is novel when its nearest training block (standardised features) is farther than this quantile of
   * the training blocks' own nearest-neighbour distances. In (0, 1]; 1 = farther than any of them.
   */
  readonly quantile: number;
  /**
   * False when the learner is fitted elsewhere on the same rows (e.g. it comes first in the same comparison):
   * `fit` then only fits the fallback and records the rows. Default true.
   */
  readonly fitsLearner?: boolean;
  readonly name?: string;
}

/**
 * Wraps a learned selector: `fit` fits it (and the fallback) and records the training blocks' standardised
 * features; `select` gives each novel block the fallback's choice and every other block the learner's. A feature
 * constant over the training blocks counts with an sd of 1e-6, so any change of it makes a block novel. `fit`
 * compares every pair of training blocks (n² distances).
 *
 * @example
 * ```ts
 * const guarded = noveltyGuard(offlineLearnerSelector(base, 1), {
 *   fallback: sampleAndTrySelector({ pipelines, objective }),
 *   quantile: 0.97,
 * });
 * guarded.fit?.(trainFeatures, trainMatrix);
 * guarded.select(testFeatures, testBlocks);
 * guarded.novelCount(); // how many blocks the fallback chose for
 * ```
 */
export function noveltyGuard(
  learner: Selector,
  options: NoveltyGuardOptions,
): Selector & {
  /** Whether each block is novel (after `fit`). */
  readonly isNovel: (features: readonly Float32Array[]) => boolean[];
  /** Blocks given to the fallback since the last `fit`. */
  readonly novelCount: () => number;
} {
  const { fallback, quantile } = options;
  if (!(quantile > 0 && quantile <= 1)) {
    throw err(ErrorCode.INVALID_CONFIG, `novelty quantile ${quantile} must be in (0, 1], e.g. 0.97`);
  }
  let space = standardisedRows([]);
  let threshold = Number.NaN;
  let novel = 0;
  /** The squared distance from standardised `q` to the nearest training row other than `skip`. */
  const nearest = (q: Float64Array, skip = -1): number => {
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < space.rows; i++) {
      if (i !== skip) best = Math.min(best, squaredDistance(space.points, i * space.dims, q, 0, space.dims));
    }
    return best;
  };
  /** Whether some training row is within the threshold of standardised `q` (stops at the first; per row, once past it). */
  const familiar = (q: Float64Array): boolean => {
    const { rows, dims, points } = space;
    for (let i = 0; i < rows; i++) {
      let sum = 0;
      for (let d = 0; d < dims && sum <= threshold; d++) sum += (points[i * dims + d] - q[d]) ** 2;
      if (sum <= threshold) return true;
    }
    return false;
  };
  const isNovel = (features: readonly Float32Array[]): boolean[] => {
    if (Number.isNaN(threshold)) {
      throw err(
        ErrorCode.INVALID_CONFIG,
        "the novelty guard is not fitted; call fit(features, matrix) first",
      );
    }
    const q = new Float64Array(space.dims);
    return features.map((f) => {
      space.standardise(f, q, 0);
      return !familiar(q);
    });
  };
  return {
    name: options.name ?? `${learner.name} + novelty(q=${quantile})`,
    usesFeatures: true,
    isNovel,
    novelCount: () => novel,
    fit(features: readonly Float32Array[], matrix: CostMatrix) {
      if (features.length < 2) {
        throw err(
          ErrorCode.INVALID_CONFIG,
          `the novelty guard needs >= 2 training blocks, got ${features.length}`,
        );
      }
      if (options.fitsLearner ?? true) learner.fit?.(features, matrix);
      fallback.fit?.(features, matrix);
      space = standardisedRows(features, { constantSd: 1e-6 });
      const own = Array.from({ length: space.rows }, (_, i) =>
        nearest(space.points.subarray(i * space.dims, (i + 1) * space.dims), i),
      ).sort((a, b) => a - b);
      threshold = own[Math.min(own.length - 1, Math.floor(quantile * own.length))];
      novel = 0;
      // warms the check up (the first calls would otherwise pay its compilation in the selection overhead)
      isNovel(features.slice(0, 64));
    },
    select(features: readonly Float32Array[], blocks?: readonly Uint8Array[]) {
      const flags = isNovel(features);
      const novelAt = flags.flatMap((f, i) => (f ? [i] : []));
      if (novelAt.length > 0 && !blocks) {
        throw err(
          ErrorCode.INVALID_CONFIG,
          `${novelAt.length} novel block(s) need their bytes for the fallback: call select(features, blocks)`,
        );
      }
      const known = features.filter((_, i) => !flags[i]);
      const learned = known.length > 0 ? learner.select(known) : [];
      const probed =
        novelAt.length > 0
          ? fallback.select(
              novelAt.map((i) => features[i]),
              novelAt.map((i) => (blocks as readonly Uint8Array[])[i]),
            )
          : [];
      novel += novelAt.length;
      let k = 0;
      let j = 0;
      return flags.map((f) => (f ? probed[j++] : learned[k++]));
    },
    update: learner.update?.bind(learner),
  };
}
