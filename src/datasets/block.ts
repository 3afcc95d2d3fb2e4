/**
 * The unit of selection: a run of bytes with its dataset, family, task and, where known, the true entropy rate of
 * the source that produced it (DESIGN.md §3).
 */
export interface Block {
  /** The dataset's id (its configured name, or a stable id derived from its config). */
  datasetId: string;
  /** The generating family (`iid`, `markov`, …) or, for loaded files, the guessed one (`text`, `json`, …). */
  family: string;
  /** The task label; for a mixture, the component's task; otherwise the dataset's task (default: the family). */
  task: string;
  /** The block's position in its dataset, from 0. */
  index: number;
  /** The block's bytes (default 64 KiB; the last block may be shorter). */
  bytes: Uint8Array;
  /** The source's entropy rate in bits per byte, where known or estimated. */
  entropyBitsPerByte?: number;
  /** True when `entropyBitsPerByte` is exact (analytic), false when it is an estimate or unknown. */
  entropyIsExact: boolean;
}

/** An entropy rate in bits per byte and whether it is exact (analytic) or an estimate. */
export interface EntropyRate {
  bitsPerByte: number;
  exact: boolean;
}
