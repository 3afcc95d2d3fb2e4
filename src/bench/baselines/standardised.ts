/**
 * Feature vectors standardised by the training rows' mean and standard deviation: the space where kNN finds
 * neighbours and the novelty guard measures how far a block is from everything it trained on.
 */

/** Training rows standardised per feature, flat (`rows × dims`), with the transform to standardise more rows. */
export interface StandardisedRows {
  readonly rows: number;
  readonly dims: number;
  /** Row i's standardised features at `[i × dims, (i + 1) × dims)`. */
  readonly points: Float64Array;
  /** Writes `f` standardised into `out` from index `at`. */
  standardise(f: Float32Array, out: Float64Array, at: number): void;
}

/**
 * Standardises the rows by each feature's mean and (population) standard deviation. A feature whose sd is at most
 * 1e-6 (constant in these rows) gets scale 0 (ignored), or 1 / `constantSd` when that is given: then any change of
 * a feature the rows never varied weighs heavily.
 *
 * @example
 * ```ts
 * const space = standardisedRows(trainFeatures);
 * const q = new Float64Array(space.dims);
 * space.standardise(query, q, 0);
 * squaredDistance(space.points, 0, q, 0, space.dims); // to row 0
 * ```
 */
export function standardisedRows(
  features: readonly Float32Array[],
  options: { constantSd?: number } = {},
): StandardisedRows {
  const rows = features.length;
  const dims = rows > 0 ? features[0].length : 0;
  const mean = new Float64Array(dims);
  const scale = new Float64Array(dims);
  for (const f of features) for (let d = 0; d < dims; d++) mean[d] += f[d] / rows;
  for (const f of features) for (let d = 0; d < dims; d++) scale[d] += (f[d] - mean[d]) ** 2 / rows;
  for (let d = 0; d < dims; d++) {
    const sd = Math.sqrt(scale[d]);
    scale[d] = sd > 1e-6 ? 1 / sd : options.constantSd ? 1 / options.constantSd : 0;
  }
  const standardise = (f: Float32Array, out: Float64Array, at: number): void => {
    for (let d = 0; d < dims; d++) out[at + d] = (f[d] - mean[d]) * scale[d];
  };
  const points = new Float64Array(rows * dims);
  features.forEach((f, i) => {
    standardise(f, points, i * dims);
  });
  return { rows, dims, points, standardise };
}

/**
 * The squared Euclidean distance between `dims` values of `a` from `ai` and of `b` from `bi`.
 *
 * @example
 * ```ts
 * squaredDistance(Float64Array.of(0, 0), 0, Float64Array.of(3, 4), 0, 2); // 25
 * ```
 */
export function squaredDistance(
  a: Float64Array,
  ai: number,
  b: Float64Array,
  bi: number,
  dims: number,
): number {
  let sum = 0;
  for (let d = 0; d < dims; d++) sum += (a[ai + d] - b[bi + d]) ** 2;
  return sum;
}
