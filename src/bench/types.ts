/**
 * Plain data passed from the bench stage to the learner, the store and the plots.
 */

/** One (block, pipeline) evaluation. Times are medians over repeats, in nanoseconds. */
export interface Trial {
  /** Position of the block in the evaluated list. */
  readonly blockIndex: number;
  /** Canonical pipeline spec. */
  readonly pipeline: string;
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly encNs: number;
  readonly decNs: number;
  readonly roundTripOk: boolean;
  /** Why the trial failed, when `roundTripOk` is false. */
  readonly error?: string;
}

/**
 * The cost of every pipeline on every block under one objective: row-major, `costs[b * pipelines.length + p]`.
 * Lower is better. A failed trial costs `Infinity`.
 */
export interface CostMatrix {
  readonly pipelines: readonly string[];
  readonly blockCount: number;
  readonly costs: Float64Array;
}

/**
 * The one interface every pipeline selector implements: the baselines here and the learner. Selectors return
 * pipeline indices into the portfolio they were built with.
 *
 * - Offline, full-information training: `fit(features, matrix)` sees the cost of every pipeline on every
 *   training block (row `i` of the matrix belongs to `features[i]`).
 * - Online, partial feedback: `update(features, choices, costs)` sees only the cost of the pipeline it chose
 *   for each block (a bandit round).
 */
export interface Selector {
  /** A short label for tables and the store, e.g. `knn(k=5)`. */
  readonly name: string;
  /**
   * True when `select` reads the feature vectors (their extraction time then counts as selection overhead).
   * Defaults to true when absent.
   */
  readonly usesFeatures?: boolean;
  /** One pipeline index per block. `blocks` (the raw bytes) is given to selectors that probe the data. */
  select(features: readonly Float32Array[], blocks?: readonly Uint8Array[]): number[];
  /** Full-information training on the cost matrix of the training blocks. */
  fit?(features: readonly Float32Array[], matrix: CostMatrix): void;
  /** Partial feedback: the observed cost of each chosen pipeline only. */
  update?(features: readonly Float32Array[], choices: readonly number[], costs: ArrayLike<number>): void;
}
