/**
 * The learner's configuration as plain data (no TensorFlow.js import, so specs and the CLI can read the defaults).
 */

/** How the online learner explores. */
export type Exploration =
  | {
      readonly kind: "epsilon";
      /** Probability of a uniformly random pipeline at round 0. */
      readonly epsilon: number;
      /** ε halves every `halfLife` rounds (omit for a constant ε). */
      readonly halfLife?: number;
      readonly min?: number;
      /**
       * On a block seen before, instead of the greedy choice: the best-predicted of the `contenders` best
       * pipelines not yet observed on it (0 or omitted = greedy). Repeats then compare a block's likely winners.
       */
      readonly contenders?: number;
    }
  | { readonly kind: "softmax" /** in units of normalised log-cost */; readonly temperature: number }
  | { readonly kind: "thompson" }
  | { readonly kind: "greedy" };

/**
 * The default exploration: ε 0.1 halving every 250 rounds down to 0.02, with contender tries on repeated blocks.
 *
 * @example
 * ```ts
 * const exploration = { ...DEFAULT_EXPLORATION, epsilon: 0.05 };
 * ```
 */
export const DEFAULT_EXPLORATION = {
  kind: "epsilon",
  epsilon: 0.1,
  halfLife: 250,
  min: 0.02,
  contenders: 3,
} as const satisfies Exploration;

/** Everything that defines a learner; plain data, stored with runs and checkpoints. */
export interface LearnerConfig {
  readonly featureCount: number;
  /**
   * The feature set its inputs come from (`featureSetId(sampleBytes)`); saved with the learner, so that loading
   * it with `{ featureSet }` refuses another one. Unset = not recorded.
   */
  readonly featureSet?: string;
  readonly pipelines: readonly string[];
  readonly seed: number;
  /** Hidden layer widths (ReLU). */
  readonly hidden: readonly number[];
  /** Bootstrap heads; Thompson sampling draws one per round, greedy choices use their mean. */
  readonly heads: number;
  readonly learningRate: number;
  readonly exploration: Exploration;
  /** Replay buffer capacity (rows); the oldest rows are overwritten. */
  readonly replaySize: number;
  /** Retrain after every this many observed rounds. */
  readonly retrainEvery: number;
  /** Minibatch steps per retraining. */
  readonly trainSteps: number;
  readonly batchSize: number;
  /** Probability that a row trains a given head (bootstrap); 1 for a single head. */
  readonly bootstrapP: number;
  /**
   * Risk aversion of greedy choices with several heads: argmin of mean + riskAversion × standard deviation of
   * the heads' predicted log-costs, so a pipeline the heads disagree on (little data) is not chosen blindly.
   * 0 (default) = the mean alone.
   */
  readonly riskAversion?: number;
  /**
   * Weight of the centred (pipeline-ranking) part of the retraining error on rows where several pipelines were
   * observed on one block; "auto" = 1 / its variance. Omitted = 1 (plain MSE).
   */
  readonly relativeWeight?: number | "auto";
}

/**
 * The defaults of every learner (and of experiment specs' `learner` section): two hidden layers of 128, five
 * bootstrapped heads whose mean makes the greedy choice, ε-greedy exploration that on a repeated block tries its
 * likely winners not yet observed, and a ranking-weighted retraining loss. On bench:learner (symbols, size, 10
 * seeds) this lifted the online curve's final gap closed from −0.03 (64×64, one head, uniform ε) to 0.81; 64×64
 * with the same exploration reached 0.76.
 *
 * @example
 * ```ts
 * learnerConfig({ ...DEFAULT_LEARNER, featureCount: 24, pipelines, seed: 1, hidden: [32] });
 * ```
 */
export const DEFAULT_LEARNER: Omit<LearnerConfig, "featureCount" | "pipelines" | "seed"> = {
  hidden: [128, 128],
  heads: 5,
  learningRate: 0.003,
  exploration: DEFAULT_EXPLORATION,
  replaySize: 4096,
  retrainEvery: 50,
  trainSteps: 50,
  batchSize: 64,
  bootstrapP: 0.7,
  relativeWeight: "auto",
};

/** How the offline (full-information) learner is built and fitted; see `offlineLearnerSelector`. */
export interface OfflineRecipe {
  readonly hidden: readonly number[];
  readonly learningRate: number;
  /** Independently initialised networks whose predicted log-costs are averaged. */
  readonly members: number;
  /**
   * "listwise": ranking head, τ chosen on held-back rows among `temperatures`; "regression": plain log-cost MSE;
   * "validated": the loss itself chosen on held-back rows, among those listwise τs and the regression head.
   */
  readonly loss: "listwise" | "regression" | "validated";
  readonly temperatures: readonly number[];
  /** Most epochs; with `earlyStopping` each network keeps its best epoch's weights. */
  readonly epochs: number;
  /** Share of a network's rows held back to pick its best epoch by the cost of its choices there (0 = off). */
  readonly earlyStopping: number;
  /**
   * Weight of the centred (pipeline-ranking) part of the regression error; "auto" = 1 / its variance. Default:
   * "auto" with the listwise loss, 1 (plain MSE) with the regression loss.
   */
  readonly relativeWeight?: number | "auto";
  /** Replace the fitted ensemble by one network distilled from it (1/members of the inference time); unset = off. */
  readonly distil?: Distillation;
}

/** How an ensemble is distilled into one network (see `learnerSelector`'s `distil`). */
export interface Distillation {
  /** Inputs per training row: the row itself and `copies − 1` jittered copies (≥ 1). */
  readonly copies: number;
  /** Jitter, in units of each feature's standard deviation over the training rows. */
  readonly jitter: number;
  /** The student's hidden widths ([] = linear); omitted = the members' own. A narrower student selects faster. */
  readonly hidden?: readonly number[];
}

/** The distillation an experiment's `offlineDistil: true` asks for (measured in docs/learner-measurements.md). */
export const DEFAULT_DISTILLATION: Distillation = { copies: 8, jitter: 0.1 };

/**
 * The offline recipe experiments use unless their spec says otherwise: five independently initialised 128×128
 * networks whose predicted log-costs are averaged, the loss chosen per fit on held-back training rows among three
 * listwise τs and the regression head (neither wins on every mixture and objective), at most 200 epochs with early
 * stopping on 20% of each network's rows. At bench:learner's defaults (symbols, 128 blocks per family, 640-byte
 * features, seeds 1–5) it closes 0.936 [0.927, 0.945] on held-out blocks under `size` and 0.905 [0.871, 0.939] under
 * `transfer:100`. The alternatives measured against it (fixed epochs, widths, losses, ensemble sizes, distillation
 * and narrower students, feature samples, block counts) are in docs/learner-measurements.md.
 *
 * @example
 * ```ts
 * offlineLearnerSelector(base, 1, { ...OFFLINE_RECIPE, members: 3 });
 * ```
 */
export const OFFLINE_RECIPE: OfflineRecipe = {
  hidden: [128, 128],
  learningRate: 0.003,
  members: 5,
  loss: "validated",
  temperatures: [0.003, 0.001, 0.0003],
  epochs: 200,
  earlyStopping: 0.2,
};
