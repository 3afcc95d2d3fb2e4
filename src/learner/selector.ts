/**
 * The learner behind the bench's `Selector` interface, so it is compared with the baselines by the same code.
 */
import type { CostMatrix, Selector } from "../bench/types.js";
import { CostLearner, type LearnerConfig, type OfflineOptions } from "./learner.js";

/**
 * A {@link Selector} backed by a fresh {@link CostLearner}: `fit` trains offline with full information,
 * `select` returns greedy choices, `update` feeds partial feedback to the online learner.
 *
 * @example
 * ```ts
 * const selector = learnerSelector({ ...config, seed: 1 }, { epochs: 40 });
 * runBench(portfolio, blocks, groups, { objectives, extraSelectors: () => [selector] });
 * ```
 */
export function learnerSelector(
  config: LearnerConfig,
  options: OfflineOptions & { name?: string },
): Selector & { readonly learner: () => CostLearner } {
  let learner = CostLearner.create(config);
  return {
    name: options.name ?? `learner(h=${config.hidden.join("x")})`,
    usesFeatures: true,
    learner: () => learner,
    fit(features: readonly Float32Array[], matrix: CostMatrix) {
      learner.dispose();
      learner = CostLearner.create(config);
      const n = matrix.pipelines.length;
      learner.fitOffline(
        features,
        features.map((_, i) => matrix.costs.subarray(i * n, i * n + n)),
        options,
      );
    },
    select(features: readonly Float32Array[]) {
      return learner.greedy(features);
    },
    update(features: readonly Float32Array[], choices: readonly number[], costs: readonly number[]) {
      learner.update(features, choices, costs);
    },
  };
}
