/**
 * The learner behind the bench's `Selector` interface, so it is compared with the baselines by the same code.
 */
import type { CostMatrix, Selector } from "../bench/types.js";
import { ErrorCode, err } from "../errors.js";
import { createRng, deriveSeed } from "../rng.js";
import { sampleSd } from "../stats.js";
import { type Distillation, OFFLINE_RECIPE, type OfflineRecipe } from "./config.js";
import {
  argmin,
  CostLearner,
  finiteCost,
  heldBack,
  type LearnerConfig,
  learnerConfig,
  type OfflineLoss,
  type OfflineOptions,
} from "./learner.js";

export { DEFAULT_DISTILLATION, type Distillation, OFFLINE_RECIPE, type OfflineRecipe } from "./config.js";

/**
 * A {@link Selector} backed by fresh {@link CostLearner}s: `fit` trains offline with full information, `select`
 * returns greedy choices, `update` feeds partial feedback to the online learner. With `members` > 1 it is an
 * ensemble of independently initialised networks (seeds derived from the config's) whose predicted log-costs are
 * averaged; `update` then feeds every member. With two or more candidate `losses` (listwise τs, the regression head)
 * `fit` first chooses the loss on a validation share of the training rows: one network per candidate is fitted on
 * the rest, the loss whose greedy choices cost least on the held-back rows wins, then the ensemble is fitted on all
 * rows with it. With `distil` the fitted members are then replaced by one network trained on their mean prediction
 * (at the training rows and jittered copies of them): of their shape, about 1/members of the selection time, or of
 * the narrower shape `distil.hidden` asks for.
 *
 * @example
 * ```ts
 * const selector = learnerSelector({ ...config, seed: 1 }, { epochs: 40, members: 5 });
 * const ranked = learnerSelector({ ...config, seed: 1 }, {
 *   epochs: 200, members: 5, losses: [0.01, 0.003].map((temperature) => ({ kind: "listwise", temperature, anchor: 0.1 })),
 * });
 * const cheap = learnerSelector({ ...config, seed: 1 }, { epochs: 200, members: 5, distil: { copies: 8, jitter: 0.1 } });
 * runBench(portfolio, blocks, groups, { objectives, extraSelectors: () => [selector, cheap] });
 * ```
 */
export function learnerSelector(
  config: LearnerConfig,
  options: OfflineOptions & {
    name?: string;
    members?: number;
    /** Candidate losses, chosen per fit on held-back training rows (2 or more to choose; they replace `loss`). */
    losses?: readonly OfflineLoss[];
    /** Share of the training rows held back to choose the loss (default 0.25). */
    lossValidation?: number;
    /** After the fit, replace the members by one network distilled from them (only with 2 or more members). */
    distil?: Distillation;
  },
): Selector & {
  readonly learner: () => CostLearner;
  readonly members: () => readonly CostLearner[];
  /** The loss of the last fit (the chosen one when candidates were given); undefined before the first fit. */
  readonly loss: () => OfflineLoss | undefined;
} {
  const count = options.members ?? 1;
  const distil = options.distil;
  if (distil && !(Number.isInteger(distil.copies) && distil.copies >= 1 && distil.jitter >= 0)) {
    throw err(
      ErrorCode.INVALID_CONFIG,
      `distil needs an integer copies >= 1 and a jitter >= 0 (got copies ${distil.copies}, jitter ${distil.jitter}); e.g. { copies: 8, jitter: 0.1 }`,
    );
  }
  if (distil?.hidden?.some((h) => !Number.isInteger(h) || h < 1)) {
    throw err(
      ErrorCode.INVALID_CONFIG,
      `distil.hidden [${distil.hidden}] needs integer widths >= 1 ([] for a linear student); e.g. { copies: 8, jitter: 0.1, hidden: [32] }`,
    );
  }
  const create = () =>
    Array.from({ length: count }, (_, k) =>
      CostLearner.create(k === 0 ? config : { ...config, seed: deriveSeed(config.seed, `member:${k}`) }),
    );
  let learners = create();
  let chosenLoss: OfflineLoss | undefined;
  return {
    name: options.name ?? `learner(h=${config.hidden.join("x")})`,
    usesFeatures: true,
    learner: () => learners[0],
    members: () => learners,
    loss: () => chosenLoss,
    fit(features: readonly Float32Array[], matrix: CostMatrix) {
      for (const l of learners) l.dispose();
      learners = create();
      const n = matrix.pipelines.length;
      const rows = features.map((_, i) => matrix.costs.subarray(i * n, i * n + n));
      const loss = chooseLoss(config, options, features, rows);
      for (const l of learners) l.fitOffline(features, rows, { ...options, loss });
      chosenLoss = loss;
      if (distil && learners.length > 1) {
        const student = distilled(config, options, learners, features, distil);
        for (const l of learners) l.dispose();
        learners = [student];
      }
    },
    select(features: readonly Float32Array[]) {
      if (learners.length === 1) return learners[0].greedy(features);
      return meanLogCost(learners, features).map((row) => argmin(row));
    },
    update(features: readonly Float32Array[], choices: readonly number[], costs: ArrayLike<number>) {
      for (const l of learners) l.update(features, choices, costs);
    },
  };
}

/** The members' mean predicted log-cost per block (the ensemble's prediction). */
function meanLogCost(members: readonly CostLearner[], features: readonly Float32Array[]): Float64Array[] {
  const mean = features.map(() => new Float64Array(members[0].config.pipelines.length));
  for (const l of members) {
    l.predictLogCost(features).forEach((row, i) => {
      for (let p = 0; p < row.length; p++) mean[i][p] += row[p] / members.length;
    });
  }
  return mean;
}

/**
 * One network (the members' shape unless `hidden` says otherwise), fitted to the ensemble's mean predicted log-cost
 * at the training rows and at `copies − 1` jittered copies of each (Gaussian, `jitter` × each feature's sd over the
 * rows): the ensemble's choices at a single network's inference cost. Regression head with `relativeWeight` "auto",
 * so the pipelines' order weighs more than the rows' cost level.
 */
function distilled(
  config: LearnerConfig,
  options: OfflineOptions,
  members: readonly CostLearner[],
  features: readonly Float32Array[],
  { copies, jitter, hidden }: Distillation,
): CostLearner {
  const sd = Array.from({ length: config.featureCount }, (_, j) => sampleSd(features.map((x) => x[j])));
  const rng = createRng(deriveSeed(config.seed, "distil"));
  const inputs = [...features];
  for (let c = 1; c < copies; c++) {
    for (const x of features)
      inputs.push(Float32Array.from(x, (v, j) => v + jitter * sd[j] * rng.nextGaussian()));
  }
  const targets = meanLogCost(members, inputs).map((row) => row.map(Math.exp));
  const student = CostLearner.create(
    learnerConfig({ ...config, hidden: hidden ?? config.hidden, seed: deriveSeed(config.seed, "student") }),
  );
  student.fitOffline(inputs, targets, { ...options, loss: { kind: "regression" }, relativeWeight: "auto" });
  return student;
}

/** The offline loss: `options.loss` (default regression), or the candidate chosen on held-back training rows. */
function chooseLoss(
  config: LearnerConfig,
  options: OfflineOptions & { losses?: readonly OfflineLoss[]; lossValidation?: number },
  features: readonly Float32Array[],
  rows: readonly Float64Array[],
): OfflineLoss {
  const candidates = options.losses ?? [];
  if (candidates.length === 0) return options.loss ?? { kind: "regression" };
  if (candidates.length === 1 || features.length < 4) return candidates[0];
  const held = heldBack(
    features.map((_, i) => i),
    options.lossValidation ?? 0.25,
    // the label from when only τ was chosen: the same rows are held back, so earlier τ choices reproduce
    deriveSeed(config.seed, "temperature"),
  );
  const heldSet = new Set(held);
  const fit = features.flatMap((_, i) => (heldSet.has(i) ? [] : [i]));
  let best = candidates[0];
  let bestCost = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
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
 * An offline loss as people read it.
 *
 * @example
 * ```ts
 * formatLoss({ kind: "listwise", temperature: 0.001, anchor: 0.1 }); // "listwise τ 0.001"
 * formatLoss({ kind: "regression" }); // "regression"
 * ```
 */
export function formatLoss(loss: OfflineLoss): string {
  return loss.kind === "listwise" ? `listwise τ ${loss.temperature}` : loss.kind;
}

/**
 * The offline learner of a recipe: the online config's features and pipelines with the recipe's network, fitted
 * with its loss (listwise: anchor 0.1, τ validated per fit; "validated": the loss too, among those τs and regression).
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
  const listwise = r.temperatures.map(
    (temperature): OfflineLoss => ({ kind: "listwise", temperature, anchor: 0.1 }),
  );
  const losses: OfflineLoss[] =
    r.loss === "regression"
      ? [{ kind: "regression" }]
      : r.loss === "listwise"
        ? listwise
        : [...listwise, { kind: "regression" }];
  return learnerSelector(offlineConfig(base, seed, r), {
    epochs: r.epochs,
    name,
    members: r.members,
    distil: r.distil,
    losses,
    relativeWeight: r.relativeWeight ?? (r.loss === "regression" ? undefined : "auto"),
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
