/**
 * The learner behind the bench's `Selector` interface, so it is compared with the baselines by the same code.
 */
import type { CostMatrix, Selector } from "../bench/types.js";
import { deriveSeed } from "../rng.js";
import { OFFLINE_RECIPE, type OfflineRecipe } from "./config.js";
import {
  CostLearner,
  finiteCost,
  heldBack,
  type LearnerConfig,
  learnerConfig,
  type OfflineOptions,
} from "./learner.js";

export { OFFLINE_RECIPE, type OfflineRecipe } from "./config.js";

/**
 * A {@link Selector} backed by fresh {@link CostLearner}s: `fit` trains offline with full information, `select`
 * returns greedy choices, `update` feeds partial feedback to the online learner. With `members` > 1 it is an
 * ensemble of independently initialised networks (seeds derived from the config's) whose predicted log-costs are
 * averaged; `update` then feeds every member. With `temperatures` (listwise loss only) `fit` first chooses τ on a
 * validation share of the training rows: one network per candidate is fitted on the rest, the τ whose greedy
 * choices cost least on the held-back rows wins, then the ensemble is fitted on all rows with it.
 *
 * @example
 * ```ts
 * const selector = learnerSelector({ ...config, seed: 1 }, { epochs: 40, members: 5 });
 * const ranked = learnerSelector({ ...config, seed: 1 }, {
 *   epochs: 200, members: 5, loss: { kind: "listwise", temperature: 0.01, anchor: 0.1 }, temperatures: [0.01, 0.003],
 * });
 * runBench(portfolio, blocks, groups, { objectives, extraSelectors: () => [selector] });
 * ```
 */
export function learnerSelector(
  config: LearnerConfig,
  options: OfflineOptions & {
    name?: string;
    members?: number;
    /** Candidate τ of the listwise loss, chosen per fit on held-back training rows (2 or more to choose). */
    temperatures?: readonly number[];
    /** Share of the training rows held back to choose τ (default 0.25). */
    temperatureValidation?: number;
  },
): Selector & {
  readonly learner: () => CostLearner;
  readonly members: () => readonly CostLearner[];
  /** The listwise τ of the last fit (chosen when candidates were given); undefined for regression. */
  readonly temperature: () => number | undefined;
} {
  const count = options.members ?? 1;
  const create = () =>
    Array.from({ length: count }, (_, k) =>
      CostLearner.create(k === 0 ? config : { ...config, seed: deriveSeed(config.seed, `member:${k}`) }),
    );
  let learners = create();
  let temperature: number | undefined;
  return {
    name: options.name ?? `learner(h=${config.hidden.join("x")})`,
    usesFeatures: true,
    learner: () => learners[0],
    members: () => learners,
    temperature: () => temperature,
    fit(features: readonly Float32Array[], matrix: CostMatrix) {
      for (const l of learners) l.dispose();
      learners = create();
      const n = matrix.pipelines.length;
      const rows = features.map((_, i) => matrix.costs.subarray(i * n, i * n + n));
      const loss = chooseTemperature(config, options, features, rows);
      temperature = loss?.kind === "listwise" ? loss.temperature : undefined;
      for (const l of learners) l.fitOffline(features, rows, { ...options, loss });
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

/** The offline loss with τ chosen on held-back training rows when candidates are given (see learnerSelector). */
function chooseTemperature(
  config: LearnerConfig,
  options: OfflineOptions & { temperatures?: readonly number[]; temperatureValidation?: number },
  features: readonly Float32Array[],
  rows: readonly Float64Array[],
): OfflineOptions["loss"] {
  const loss = options.loss;
  const candidates = options.temperatures ?? [];
  if (loss?.kind !== "listwise" || candidates.length < 2 || features.length < 4) return loss;
  const held = heldBack(
    features.map((_, i) => i),
    options.temperatureValidation ?? 0.25,
    deriveSeed(config.seed, "temperature"),
  );
  const heldSet = new Set(held);
  const fit = features.flatMap((_, i) => (heldSet.has(i) ? [] : [i]));
  let best = loss;
  let bestCost = Number.POSITIVE_INFINITY;
  for (const temperature of candidates) {
    const candidate = { ...loss, temperature };
    const l = CostLearner.create(config);
    l.fitOffline(
      fit.map((i) => features[i]),
      fit.map((i) => rows[i]),
      { ...options, loss: candidate },
    );
    const choices = l.greedy(held.map((i) => features[i]));
    l.dispose();
    const cost = held.reduce((a, i, k) => a + finiteCost(rows[i][choices[k]], rows[i]), 0);
    if (cost < bestCost) {
      bestCost = cost;
      best = candidate;
    }
  }
  return best;
}

/**
 * The offline learner of a recipe: the online config's features and pipelines with the recipe's network, fitted
 * with its loss (listwise: anchor 0.1, τ validated per fit).
 *
 * @example
 * ```ts
 * const offline = offlineLearnerSelector(baseConfig, 1, { members: 3 });
 * runBench(portfolio, blocks, groups, { objectives, extraSelectors: () => [offline] });
 * ```
 */
export function offlineLearnerSelector(
  base: Omit<LearnerConfig, "seed">,
  seed: number,
  recipe: Partial<OfflineRecipe> = {},
  name = "learner (offline)",
): ReturnType<typeof learnerSelector> {
  const r = { ...OFFLINE_RECIPE, ...recipe };
  const listwise = r.loss === "listwise";
  return learnerSelector(offlineConfig(base, seed, r), {
    epochs: r.epochs,
    name,
    members: r.members,
    loss: listwise
      ? { kind: "listwise", temperature: r.temperatures[0] ?? 0.001, anchor: 0.1 }
      : { kind: "regression" },
    temperatures: listwise ? r.temperatures : undefined,
    relativeWeight: r.relativeWeight ?? (listwise ? "auto" : undefined),
    validationFraction: r.earlyStopping,
  });
}

/**
 * The network config of an offline recipe: the online config's features and pipelines with the recipe's widths
 * and learning rate, one head, no bootstrap, no risk aversion.
 *
 * @example
 * ```ts
 * const config = offlineConfig(base, 1, OFFLINE_RECIPE); // config.hidden = [128, 128]
 * ```
 */
export function offlineConfig(
  base: Omit<LearnerConfig, "seed">,
  seed: number,
  recipe: Pick<OfflineRecipe, "hidden" | "learningRate">,
): LearnerConfig {
  return learnerConfig({
    ...base,
    seed,
    hidden: recipe.hidden,
    learningRate: recipe.learningRate,
    heads: 1,
    bootstrapP: 1,
    riskAversion: 0,
  });
}
