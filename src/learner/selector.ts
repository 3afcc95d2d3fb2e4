/**
 * The learner behind the bench's `Selector` interface, so it is compared with the baselines by the same code.
 */
import type { CostMatrix, Selector } from "../bench/types.js";
import { deriveSeed } from "../rng.js";
import { CostLearner, type LearnerConfig, type OfflineOptions } from "./learner.js";

/**
 * A {@link Selector} backed by fresh {@link CostLearner}s: `fit` trains offline with full information, `select`
 * returns greedy choices, `update` feeds partial feedback to the online learner. With `members` > 1 it is an
 * ensemble of independently initialised networks (seeds derived from the config's) whose predicted log-costs are
 * averaged; `update` then feeds every member.
 *
 * @example
 * ```ts
 * const selector = learnerSelector({ ...config, seed: 1 }, { epochs: 40, members: 5 });
 * runBench(portfolio, blocks, groups, { objectives, extraSelectors: () => [selector] });
 * ```
 */
export function learnerSelector(
  config: LearnerConfig,
  options: OfflineOptions & { name?: string; members?: number },
): Selector & { readonly learner: () => CostLearner; readonly members: () => readonly CostLearner[] } {
  const count = options.members ?? 1;
  const create = () =>
    Array.from({ length: count }, (_, k) =>
      CostLearner.create(k === 0 ? config : { ...config, seed: deriveSeed(config.seed, `member:${k}`) }),
    );
  let learners = create();
  return {
    name: options.name ?? `learner(h=${config.hidden.join("x")})`,
    usesFeatures: true,
    learner: () => learners[0],
    members: () => learners,
    fit(features: readonly Float32Array[], matrix: CostMatrix) {
      for (const l of learners) l.dispose();
      learners = create();
      const n = matrix.pipelines.length;
      const rows = features.map((_, i) => matrix.costs.subarray(i * n, i * n + n));
      for (const l of learners) l.fitOffline(features, rows, options);
    },
    select(features: readonly Float32Array[]) {
      if (learners.length === 1) return learners[0].greedy(features);
      const n = config.pipelines.length;
      const sum = features.map(() => new Float64Array(n));
      for (const l of learners) {
        l.predictLogCost(features).forEach((row, i) => {
          for (let p = 0; p < n; p++) sum[i][p] += row[p];
        });
      }
      return sum.map((row) => {
        let best = 0;
        for (let p = 1; p < n; p++) if (row[p] < row[best]) best = p;
        return best;
      });
    },
    update(features: readonly Float32Array[], choices: readonly number[], costs: ArrayLike<number>) {
      for (const l of learners) l.update(features, choices, costs);
    },
  };
}
