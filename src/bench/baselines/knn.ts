/**
 * The non-neural learned baseline: k nearest neighbours on standardised features, trained on full-information
 * trials. For a query block it averages the neighbours' relative costs (cost / oracle cost of that block) per
 * pipeline and picks the lowest.
 */
import { ErrorCode, err } from "../../errors.js";
import type { CostMatrix, Selector } from "../types.js";
import { type StandardisedRows, squaredDistance, standardisedRows } from "./standardised.js";

/** Options of {@link knnSelector}. */
export interface KnnOptions {
  /** Neighbours consulted. Default 5. */
  readonly k?: number;
  /** Relative costs are capped here, so a failed (Infinity) trial counts as very bad but finite. Default 100. */
  readonly maxRelativeCost?: number;
}

/**
 * A kNN selector. Call `fit(features, matrix)` with the training blocks' features and cost matrix first.
 *
 * @example
 * ```ts
 * const knn = knnSelector({ k: 5 });
 * knn.fit?.(trainFeatures, trainMatrix);
 * knn.select(testFeatures);
 * ```
 */
export function knnSelector(opts: KnnOptions = {}): Selector {
  const k = opts.k ?? 5;
  const cap = opts.maxRelativeCost ?? 100;
  if (!Number.isInteger(k) || k < 1) throw err(ErrorCode.INVALID_CONFIG, `kNN needs k ≥ 1, got ${k}`);
  let space: StandardisedRows = standardisedRows([]);
  let pipelineCount = 0;
  let relCosts = new Float64Array(0);

  return {
    name: `knn(k=${k})`,
    usesFeatures: true,
    fit(features, matrix: CostMatrix) {
      if (features.length !== matrix.blockCount || features.length === 0) {
        throw err(
          ErrorCode.INVALID_CONFIG,
          `kNN fit got ${features.length} feature rows for ${matrix.blockCount} cost rows; give one per block`,
        );
      }
      space = standardisedRows(features);
      pipelineCount = matrix.pipelines.length;
      const rows = space.rows;
      relCosts = new Float64Array(rows * pipelineCount);
      for (let i = 0; i < rows; i++) {
        let best = Number.POSITIVE_INFINITY;
        for (let p = 0; p < pipelineCount; p++) best = Math.min(best, matrix.costs[i * pipelineCount + p]);
        for (let p = 0; p < pipelineCount; p++) {
          const c = matrix.costs[i * pipelineCount + p];
          const rel = best > 0 && Number.isFinite(best) ? c / best : Number.isFinite(c) ? 1 + c - best : cap;
          relCosts[i * pipelineCount + p] = Math.min(cap, rel);
        }
      }
    },
    select(features) {
      const { rows, dims, points } = space;
      if (rows === 0)
        throw err(ErrorCode.INVALID_CONFIG, "kNN selector is not fitted; call fit(features, matrix) first");
      const q = new Float64Array(dims);
      const nearest = new Int32Array(Math.min(k, rows));
      const nearestDist = new Float64Array(nearest.length);
      const totals = new Float64Array(pipelineCount);
      return features.map((f) => {
        space.standardise(f, q, 0);
        nearestDist.fill(Number.POSITIVE_INFINITY);
        for (let i = 0; i < rows; i++) {
          const dist = squaredDistance(points, i * dims, q, 0, dims);
          // insertion into the sorted k-best list (ties keep the earlier row: deterministic)
          let at = nearest.length;
          while (at > 0 && dist < nearestDist[at - 1]) at--;
          if (at === nearest.length) continue;
          for (let j = nearest.length - 1; j > at; j--) {
            nearest[j] = nearest[j - 1];
            nearestDist[j] = nearestDist[j - 1];
          }
          nearest[at] = i;
          nearestDist[at] = dist;
        }
        totals.fill(0);
        for (const i of nearest)
          for (let p = 0; p < pipelineCount; p++) totals[p] += relCosts[i * pipelineCount + p];
        let best = 0;
        for (let p = 1; p < pipelineCount; p++) if (totals[p] < totals[best]) best = p;
        return best;
      });
    },
  };
}
