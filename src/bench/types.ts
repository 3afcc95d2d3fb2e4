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
