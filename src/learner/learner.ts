/**
 * The cost-model learner: features → normalisation → an MLP predicting the log-cost of every pipeline (one set of
 * outputs per bootstrap head) → argmin. Trained offline from full-information rows, or online from partial feedback
 * (only the chosen pipeline's cost) through a replay buffer with periodic retraining. Every random choice is
 * derived from the seed and the round counter, so a saved and reloaded learner continues exactly.
 */
import * as tf from "@tensorflow/tfjs";
import { ErrorCode, err } from "../errors.js";
import { createRng, deriveSeed, type Rng } from "../rng.js";
import { DEFAULT_LEARNER, type LearnerConfig } from "./config.js";

export { DEFAULT_EXPLORATION, DEFAULT_LEARNER, type Exploration, type LearnerConfig } from "./config.js";

/** Feature and target normalisation: running statistics and the snapshot the model was trained with. */
export interface Normaliser {
  featCount: number;
  featMean: Float64Array;
  featM2: Float64Array;
  costCount: number;
  costMean: number;
  costM2: number;
  /** Snapshot used by the model: (x − mean) / std, and log-cost targets (y − mean) / std. */
  useMean: Float32Array;
  useStd: Float32Array;
  useCostMean: number;
  useCostStd: number;
  /** Weight of the centred (pipeline-ranking) part of the error on full-information rows; 1 = plain MSE. */
  relWeight: number;
}

function newNormaliser(f: number): Normaliser {
  return {
    featCount: 0,
    featMean: new Float64Array(f),
    featM2: new Float64Array(f),
    costCount: 0,
    costMean: 0,
    costM2: 0,
    useMean: new Float32Array(f),
    useStd: new Float32Array(f).fill(1),
    useCostMean: 0,
    useCostStd: 1,
    relWeight: 1,
  };
}

/** Replay rows: raw features, log-costs, which costs are known, which heads train on the row. */
interface Replay {
  cap: number;
  x: Float32Array;
  y: Float32Array;
  mask: Uint8Array;
  boot: Uint8Array;
  size: number;
  next: number;
  /** Per-row loss weight (offline fits only; absent = 1). */
  weight?: Float32Array;
  /** The row of each feature vector in the buffer (built on first online use, not saved). */
  rowOf?: Map<string, number>;
}

/** A feature vector's identity: its bytes. */
function contextKey(x: Float32Array): string {
  return Buffer.from(x.buffer, x.byteOffset, x.byteLength).toString("latin1");
}

/** How offline (full-information) training scores a row; online partial-feedback rows always use regression. */
export type OfflineLoss =
  /** Log-cost regression: row-mean error + `relativeWeight` × centred (ranking) error. */
  | { readonly kind: "regression" }
  /**
   * Listwise ranking head (ListNet): cross-entropy between softmax(−predicted / τ) and softmax(−log-cost / τ)
   * over the row's pipelines, τ in units of normalised log-cost, plus `anchor` × the regression loss so the
   * outputs stay on the log-cost scale (online updates and `predictLogCost` read them as log-costs).
   */
  | { readonly kind: "listwise"; readonly temperature: number; readonly anchor: number };

/** Options of {@link CostLearner.fitOffline}. */
export interface OfflineOptions {
  readonly epochs: number;
  /** Weight of the ranking part of the error (see {@link Normaliser.relWeight}); "auto" = 1 / its variance. */
  readonly relativeWeight?: number | "auto";
  /** Default regression. */
  readonly loss?: OfflineLoss;
  /**
   * "stakes" weights each row by its best cost over the mean best cost: gap closed sums costs, so a block's
   * share of it grows with its cost level. Default "uniform".
   */
  readonly rowWeight?: "uniform" | "stakes";
  /**
   * Early stopping: this share of the rows (seeded) is held back; after each epoch the summed cost of the
   * greedy choices on them is measured and the best epoch's weights are kept. 0 (default) = off.
   */
  readonly validationFraction?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

const LOG_COST_FLOOR = 1e-12;
/** Forward passes over at most this many rows reuse the learner's scratch buffers. */
const SCRATCH_ROWS = 64;

/**
 * One dense layer over `rows` inputs of `width` values: out = act(input · kernel + bias), summed in float64 in `acc`.
 * Kept apart from the buffer choices around it, so that V8 sees the same types on every call: a function that
 * deoptimises too often is left unoptimised, and single-row selection then took 50 µs instead of 3.
 */
function dense(
  input: Float32Array,
  width: number,
  rows: number,
  kernel: Float32Array,
  bias: Float32Array,
  units: number,
  relu: boolean,
  acc: Float64Array,
  out: Float32Array,
): void {
  for (let i = 0; i < rows; i++) {
    acc.set(bias);
    // input-major: the kernel is read row by row, in memory order (sums still run over j in order)
    for (let j = 0; j < width; j++) {
      const v = input[i * width + j];
      if (v === 0) continue;
      const row = j * units;
      for (let u = 0; u < units; u++) acc[u] += v * kernel[row + u];
    }
    for (let u = 0; u < units; u++) out[i * units + u] = relu && acc[u] < 0 ? 0 : acc[u];
  }
}

/**
 * Validates a learner config and fills defaults.
 *
 * @example
 * ```ts
 * const config = learnerConfig({ featureCount: 24, pipelines: ["zstd:3", "lz4"], seed: 1, heads: 4 });
 * ```
 */
export function learnerConfig(
  partial: Partial<LearnerConfig> & Pick<LearnerConfig, "featureCount" | "pipelines" | "seed">,
): LearnerConfig {
  // a single head trains on every row unless told otherwise
  const heads = partial.heads ?? DEFAULT_LEARNER.heads;
  const c: LearnerConfig = {
    ...DEFAULT_LEARNER,
    bootstrapP: heads > 1 ? DEFAULT_LEARNER.bootstrapP : 1,
    ...partial,
  };
  const bad = (what: string) => err(ErrorCode.INVALID_CONFIG, `learner config: ${what}`);
  if (!Number.isInteger(c.featureCount) || c.featureCount < 1)
    throw bad(`featureCount ${c.featureCount} must be >= 1`);
  if (c.pipelines.length < 2) throw bad(`needs >= 2 pipelines to choose from, got ${c.pipelines.length}`);
  if (!Number.isSafeInteger(c.seed)) throw bad(`seed ${c.seed} must be a safe integer`);
  if (c.hidden.some((h) => !Number.isInteger(h) || h < 1))
    throw bad(`hidden widths [${c.hidden}] must be >= 1`);
  for (const k of ["heads", "replaySize", "retrainEvery", "trainSteps", "batchSize"] as const) {
    if (!Number.isInteger(c[k]) || c[k] < 1) throw bad(`${k} ${c[k]} must be an integer >= 1`);
  }
  if (!(c.learningRate > 0)) throw bad(`learningRate ${c.learningRate} must be > 0`);
  if (!(c.bootstrapP > 0 && c.bootstrapP <= 1)) throw bad(`bootstrapP ${c.bootstrapP} must be in (0, 1]`);
  if (c.exploration.kind === "thompson" && c.heads < 2) throw bad("Thompson sampling needs heads >= 2");
  if (c.riskAversion !== undefined && !(c.riskAversion >= 0))
    throw bad(`riskAversion ${c.riskAversion} must be >= 0`);
  const contenders = c.exploration.kind === "epsilon" ? (c.exploration.contenders ?? 0) : 0;
  if (!Number.isInteger(contenders) || contenders < 0)
    throw bad(`exploration.contenders ${contenders} must be an integer >= 0`);
  if (c.relativeWeight !== undefined && c.relativeWeight !== "auto" && !(c.relativeWeight > 0))
    throw bad(`relativeWeight ${c.relativeWeight} must be > 0 or "auto"`);
  return c;
}

function buildModel(c: LearnerConfig): tf.LayersModel {
  const model = tf.sequential();
  c.hidden.forEach((units, i) => {
    model.add(
      tf.layers.dense({
        units,
        activation: "relu",
        inputShape: i === 0 ? [c.featureCount] : undefined,
        kernelInitializer: tf.initializers.glorotUniform({ seed: deriveSeed(c.seed, `init:${i}`) % 2 ** 31 }),
      }),
    );
  });
  model.add(
    tf.layers.dense({
      units: c.heads * c.pipelines.length,
      inputShape: c.hidden.length === 0 ? [c.featureCount] : undefined,
      kernelInitializer: tf.initializers.glorotUniform({ seed: deriveSeed(c.seed, "init:out") % 2 ** 31 }),
    }),
  );
  model.compile({ optimizer: tf.train.adam(c.learningRate), loss: "meanSquaredError" });
  return model;
}

/**
 * The index of the smallest of `n` values starting at `from` (the first one on ties), relative to `from`.
 *
 * @example
 * ```ts
 * argmin([3, 1, 1]); // 1
 * ```
 */
export function argmin(row: ArrayLike<number>, from = 0, n = row.length): number {
  let best = 0;
  for (let p = 1; p < n; p++) if (row[from + p] < row[from + best]) best = p;
  return best;
}

/** The cost learner. Create with {@link CostLearner.create}; free with {@link CostLearner.dispose}. */
export class CostLearner {
  readonly config: LearnerConfig;
  model: tf.LayersModel;
  readonly norm: Normaliser;
  private replay: Replay;
  /** Online rounds observed so far. */
  round = 0;
  /** Retrainings done so far (the random stream of each is derived from this counter). */
  trainings = 0;
  /** The loss of the last minibatch step. */
  lastLoss = Number.NaN;
  /** The loss of full-information rows during an offline fit (regression otherwise). */
  private loss: OfflineLoss = { kind: "regression" };

  protected constructor(config: LearnerConfig, model: tf.LayersModel, norm: Normaliser) {
    this.config = config;
    this.model = model;
    this.norm = norm;
    const f = config.featureCount;
    const p = config.pipelines.length;
    const cap = config.replaySize;
    this.replay = {
      cap,
      x: new Float32Array(cap * f),
      y: new Float32Array(cap * p),
      mask: new Uint8Array(cap * p),
      boot: new Uint8Array(cap * config.heads),
      size: 0,
      next: 0,
    };
  }

  /**
   * A fresh learner with seeded initial weights.
   *
   * @example
   * ```ts
   * await initBackend();
   * const learner = CostLearner.create(learnerConfig({ featureCount: FEATURE_COUNT, pipelines, seed: 7 }));
   * ```
   */
  static create(config: LearnerConfig): CostLearner {
    return new CostLearner(config, buildModel(config), newNormaliser(config.featureCount));
  }

  /** @internal used by load and clone */
  static fromParts(config: LearnerConfig, model: tf.LayersModel, norm: Normaliser): CostLearner {
    return new CostLearner(config, model, norm);
  }

  /** Replay rows currently held. */
  get replayRows(): number {
    return this.replay.size;
  }

  /** @internal the replay buffer, for save/load. */
  get replayState(): Replay {
    return this.replay;
  }

  /** @internal */
  set replayState(r: Replay) {
    this.replay = r;
  }

  private checkFeatures(features: readonly Float32Array[]): void {
    for (const x of features) {
      if (x.length !== this.config.featureCount) {
        throw err(
          ErrorCode.INVALID_CONFIG,
          `feature vector has ${x.length} values, the learner expects ${this.config.featureCount}; extract with the same feature set`,
        );
      }
    }
  }

  private normalisedBatch(
    features: readonly Float32Array[],
    out = new Float32Array(features.length * this.config.featureCount),
  ): Float32Array {
    const f = this.config.featureCount;
    const { useMean, useStd } = this.norm;
    features.forEach((x, i) => {
      for (let j = 0; j < f; j++) {
        const v = (x[j] - useMean[j]) / useStd[j];
        out[i * f + j] = v > 10 ? 10 : v < -10 ? -10 : Number.isFinite(v) ? v : 0;
      }
    });
    return out;
  }

  /**
   * Normalised predicted log-cost for every head and pipeline: `out[(i * heads + h) * pipelines + p]`.
   *
   * @example
   * ```ts
   * const raw = learner.predictHeads([features]);
   * ```
   */
  predictHeads(features: readonly Float32Array[]): Float32Array {
    return this.forward(features, false);
  }

  /**
   * The forward pass. The MLP is tiny: in plain JS over cached weights it costs microseconds, a tfjs call ~0.1–1 ms.
   * Batches of up to SCRATCH_ROWS rows reuse scratch buffers (a fresh typed array costs ≈ 0.5 µs, several times a
   * small network's arithmetic); with `reuse` the result is one of them too, valid until the next call.
   */
  private forward(features: readonly Float32Array[], reuse: boolean): Float32Array {
    this.checkFeatures(features);
    const rows = features.length;
    if (rows === 0) return new Float32Array(0);
    const layers = this.denseWeights();
    const scratch = rows <= SCRATCH_ROWS ? this.scratchBuffers(layers) : undefined;
    let input = this.normalisedBatch(features, scratch?.x);
    let width = this.config.featureCount;
    for (let li = 0; li < layers.length; li++) {
      const { kernel, bias, units } = layers[li];
      const relu = li < layers.length - 1;
      const out = scratch && (relu || reuse) ? scratch.out[li] : new Float32Array(rows * units);
      dense(input, width, rows, kernel, bias, units, relu, scratch?.acc ?? new Float64Array(units), out);
      input = out;
      width = units;
    }
    return input;
  }

  private denseCache: { kernel: Float32Array; bias: Float32Array; units: number }[] | undefined;
  private scratch: { x: Float32Array; out: Float32Array[]; acc: Float64Array; row: Float32Array } | undefined;

  /** The forward pass's scratch for SCRATCH_ROWS rows, allocated on first use (its sizes follow the layers'). */
  private scratchBuffers(layers: readonly { units: number }[]) {
    this.scratch ??= {
      x: new Float32Array(SCRATCH_ROWS * this.config.featureCount),
      out: layers.map(({ units }) => new Float32Array(SCRATCH_ROWS * units)),
      acc: new Float64Array(Math.max(...layers.map(({ units }) => units))),
      row: new Float32Array(this.config.pipelines.length),
    };
    return this.scratch;
  }

  /** Weights as plain arrays, read once after each change (kernel is [inputs, units], row-major). */
  private denseWeights(): { kernel: Float32Array; bias: Float32Array; units: number }[] {
    if (!this.denseCache) {
      const w = this.model.getWeights();
      const layers: { kernel: Float32Array; bias: Float32Array; units: number }[] = [];
      for (let i = 0; i < w.length; i += 2) {
        layers.push({
          kernel: w[i].dataSync() as Float32Array,
          bias: w[i + 1].dataSync() as Float32Array,
          units: w[i].shape[1] as number,
        });
      }
      this.denseCache = layers;
    }
    return this.denseCache;
  }

  /**
   * Call after changing the model's weights from outside (e.g. `model.setWeights`), so predictions use them.
   *
   * @example
   * ```ts
   * learner.model.setWeights(prior.model.getWeights());
   * learner.weightsChanged();
   * ```
   */
  weightsChanged(): void {
    this.denseCache = undefined;
    this.scratch = undefined;
  }

  /**
   * The same prediction through tfjs (`model.predict`), to check the plain-JS forward pass against.
   *
   * @example
   * ```ts
   * learner.predictHeadsTf([features]);
   * ```
   */
  predictHeadsTf(features: readonly Float32Array[]): Float32Array {
    this.checkFeatures(features);
    const x = this.normalisedBatch(features);
    return tf
      .tidy(() => {
        const out = this.model.predict(
          tf.tensor2d(x, [features.length, this.config.featureCount]),
        ) as tf.Tensor;
        return out.dataSync() as Float32Array;
      })
      .slice();
  }

  /**
   * Predicted log-cost per pipeline (mean over heads, in natural-log cost units).
   *
   * @example
   * ```ts
   * learner.predictLogCost([features])[0]; // Float32Array of one log-cost per pipeline
   * ```
   */
  predictLogCost(features: readonly Float32Array[]): Float32Array[] {
    const raw = this.forward(features, true);
    return features.map((_, i) => this.logCostRow(raw, i, new Float32Array(this.config.pipelines.length)));
  }

  /** Block i's log-cost per pipeline (mean over heads) from the forward pass's output, written into `row`. */
  private logCostRow(raw: Float32Array, i: number, row: Float32Array): Float32Array {
    const { heads } = this.config;
    const n = row.length;
    row.fill(0);
    for (let h = 0; h < heads; h++) for (let p = 0; p < n; p++) row[p] += raw[(i * heads + h) * n + p];
    for (let p = 0; p < n; p++) row[p] = (row[p] / heads) * this.norm.useCostStd + this.norm.useCostMean;
    return row;
  }

  /**
   * The greedy choice per block: the pipeline with the lowest predicted cost. No exploration, no randomness.
   *
   * @example
   * ```ts
   * const choices = learner.greedy(heldOutFeatures);
   * ```
   */
  greedy(features: readonly Float32Array[]): number[] {
    const kappa = this.config.riskAversion ?? 0;
    const { heads } = this.config;
    const raw = this.forward(features, true);
    const row = this.scratch?.row ?? new Float32Array(this.config.pipelines.length);
    if (kappa === 0 || heads < 2) return features.map((_, i) => argmin(this.logCostRow(raw, i, row)));
    const n = row.length;
    return features.map((_, i) => {
      for (let p = 0; p < n; p++) {
        let sum = 0;
        let sq = 0;
        for (let h = 0; h < heads; h++) {
          const v = raw[(i * heads + h) * n + p];
          sum += v;
          sq += v * v;
        }
        const mean = sum / heads;
        row[p] = mean + kappa * Math.sqrt(Math.max(0, sq / heads - mean * mean));
      }
      return argmin(row);
    });
  }

  /** The current exploration probability ε (epsilon policy only). */
  epsilonAt(round: number): number {
    const e = this.config.exploration;
    if (e.kind !== "epsilon") return 0;
    const decayed = e.halfLife ? e.epsilon * 0.5 ** (round / e.halfLife) : e.epsilon;
    // the floor never lifts ε above its starting value
    return Math.max(Math.min(e.min ?? 0, e.epsilon), decayed);
  }

  /**
   * Choices for the next rounds, one per feature vector, with the configured exploration. Deterministic given
   * the seed and the round counter (a batch of k vectors stands for rounds `round … round + k − 1`).
   *
   * @example
   * ```ts
   * const choices = learner.select(batchFeatures);
   * learner.update(batchFeatures, choices, observedCosts);
   * ```
   */
  select(features: readonly Float32Array[]): number[] {
    const { heads, pipelines, exploration } = this.config;
    const n = pipelines.length;
    const rng = createRng(deriveSeed(this.config.seed, `select:${this.round}`));
    if (exploration.kind === "thompson") {
      const raw = this.predictHeads(features);
      return features.map((_, i) => argmin(raw, (i * heads + rng.nextInt(heads)) * n, n));
    }
    const rows = this.predictLogCost(features);
    return rows.map((row, i) => {
      if (exploration.kind === "epsilon") {
        const u = rng.nextFloat();
        const pick = rng.nextInt(n);
        if (u < this.epsilonAt(this.round + i)) return pick;
        return this.untriedContender(features[i], row, exploration.contenders ?? 0) ?? argmin(row);
      }
      if (exploration.kind === "softmax")
        return softmaxDraw(row, exploration.temperature * this.norm.useCostStd, rng);
      return argmin(row);
    });
  }

  /** The best-predicted of the `k` best pipelines not yet observed on this block, if it was seen before. */
  private untriedContender(x: Float32Array, row: Float32Array, k: number): number | undefined {
    if (k === 0) return undefined;
    const at = this.rowIndex().get(contextKey(x));
    if (at === undefined) return undefined;
    const n = this.config.pipelines.length;
    const best = Array.from(row.keys()).sort((a, b) => row[a] - row[b] || a - b);
    return best.slice(0, k).find((p) => !this.replay.mask[at * n + p]);
  }

  private rowIndex(): Map<string, number> {
    const r = this.replay;
    if (!r.rowOf) {
      const f = this.config.featureCount;
      r.rowOf = new Map();
      for (let i = 0; i < r.size; i++) r.rowOf.set(contextKey(r.x.subarray(i * f, (i + 1) * f)), i);
    }
    return r.rowOf;
  }

  private pushRow(x: Float32Array, logCosts: ArrayLike<number>, known: ArrayLike<number>, rng: Rng): void {
    const { featureCount: f, heads, bootstrapP } = this.config;
    const n = this.config.pipelines.length;
    const r = this.replay;
    const at = r.next;
    if (r.rowOf) {
      const evicted = r.size === r.cap ? contextKey(r.x.subarray(at * f, (at + 1) * f)) : undefined;
      if (evicted !== undefined && r.rowOf.get(evicted) === at) r.rowOf.delete(evicted);
      r.rowOf.set(contextKey(x), at);
    }
    r.x.set(x, at * f);
    for (let p = 0; p < n; p++) {
      r.y[at * n + p] = logCosts[p];
      r.mask[at * n + p] = known[p];
    }
    for (let h = 0; h < heads; h++)
      r.boot[at * heads + h] = bootstrapP >= 1 || rng.nextFloat() < bootstrapP ? 1 : 0;
    r.next = (at + 1) % r.cap;
    r.size = Math.min(r.size + 1, r.cap);
    this.observeStats(x, logCosts, known);
  }

  private observeStats(x: Float32Array, logCosts: ArrayLike<number>, known: ArrayLike<number>): void {
    const s = this.norm;
    s.featCount++;
    for (let j = 0; j < x.length; j++) {
      const d = x[j] - s.featMean[j];
      s.featMean[j] += d / s.featCount;
      s.featM2[j] += d * (x[j] - s.featMean[j]);
    }
    for (let p = 0; p < logCosts.length; p++) {
      if (!known[p]) continue;
      s.costCount++;
      const d = logCosts[p] - s.costMean;
      s.costMean += d / s.costCount;
      s.costM2 += d * (logCosts[p] - s.costMean);
    }
  }

  private snapshotNormaliser(): void {
    const s = this.norm;
    if (s.featCount >= 2) {
      for (let j = 0; j < s.featMean.length; j++) {
        s.useMean[j] = s.featMean[j];
        s.useStd[j] = Math.max(1e-6, Math.sqrt(s.featM2[j] / (s.featCount - 1)));
      }
    }
    if (s.costCount >= 2) {
      s.useCostMean = s.costMean;
      s.useCostStd = Math.max(1e-6, Math.sqrt(s.costM2 / (s.costCount - 1)));
    }
  }

  /**
   * Online update with partial feedback: `costs[i]` is the observed cost of pipeline `choices[i]` on the block
   * with `features[i]`. Rows go to the replay buffer, one per distinct feature vector: a block seen again adds
   * its new observation to its row (a pipeline observed again moves halfway to the new cost), so the
   * row's costs are compared with each other and the block's cost level cancels. Every `retrainEvery` rounds
   * the model retrains. A non-finite cost (failed pipeline) is recorded as twice the worst cost seen so far.
   *
   * @example
   * ```ts
   * learner.update([x], [3], [bytesOut]);
   * ```
   */
  update(features: readonly Float32Array[], choices: readonly number[], costs: ArrayLike<number>): void {
    this.checkFeatures(features);
    const n = this.config.pipelines.length;
    if (choices.length !== features.length || costs.length !== features.length) {
      throw err(
        ErrorCode.INVALID_CONFIG,
        `update got ${features.length} feature vectors, ${choices.length} choices and ${costs.length} costs; give one of each per round`,
      );
    }
    const rng = createRng(deriveSeed(this.config.seed, `boot:${this.round}`));
    const y = new Float32Array(n);
    const known = new Uint8Array(n);
    features.forEach((x, i) => {
      const p = choices[i];
      if (!Number.isInteger(p) || p < 0 || p >= n) {
        throw err(ErrorCode.INVALID_CONFIG, `choice ${p} is not a pipeline index (0–${n - 1})`);
      }
      y.fill(0);
      known.fill(0);
      y[p] = this.logCost(costs[i]);
      known[p] = 1;
      const row = this.rowIndex().get(contextKey(x));
      if (row === undefined) this.pushRow(x, y, known, rng);
      else {
        const at = row * n + p;
        this.replay.y[at] = this.replay.mask[at] ? (this.replay.y[at] + y[p]) / 2 : y[p];
        this.replay.mask[at] = 1;
        this.observeStats(x, y, known);
      }
      this.round++;
      if (this.round % this.config.retrainEvery === 0) this.retrain();
    });
  }

  private logCost(c: number): number {
    if (Number.isFinite(c)) return Math.log(Math.max(c, LOG_COST_FLOOR));
    const s = this.norm;
    const worst = s.costCount > 1 ? s.costMean + 3 * Math.sqrt(s.costM2 / (s.costCount - 1)) : 0;
    return worst + Math.LN2;
  }

  /**
   * Adds full-information rows (every pipeline's cost known; non-finite costs are left out) to the replay
   * buffer without training. Use {@link CostLearner.fitOffline} to train on a full data set.
   *
   * @example
   * ```ts
   * learner.observeFull(features, rows); // rows[i][p] = cost of pipeline p on block i
   * ```
   */
  observeFull(features: readonly Float32Array[], costRows: readonly ArrayLike<number>[]): void {
    this.checkFeatures(features);
    const rng = createRng(deriveSeed(this.config.seed, `full:${this.norm.featCount}`));
    features.forEach((x, i) => {
      const row = costRows[i];
      const y = Array.from(row, (c) => (Number.isFinite(c) ? Math.log(Math.max(c, LOG_COST_FLOOR)) : 0));
      const known = Array.from(row, (c) => (Number.isFinite(c) ? 1 : 0));
      this.pushRow(x, y, known, rng);
    });
  }

  /**
   * Offline training from full information: the normaliser is fitted to these rows, then `epochs` passes over
   * them in minibatches, shuffled with the seeded RNG. Returns the mean loss of each epoch.
   *
   * @example
   * ```ts
   * const losses = learner.fitOffline(trainFeatures, trainCostRows, { epochs: 60 });
   * ```
   */
  fitOffline(
    features: readonly Float32Array[],
    costRows: readonly ArrayLike<number>[],
    options: OfflineOptions,
  ): number[] {
    if (features.length !== costRows.length || features.length === 0) {
      throw err(
        ErrorCode.INVALID_CONFIG,
        `fitOffline needs one cost row per feature vector (got ${features.length}/${costRows.length})`,
      );
    }
    const vf = options.validationFraction ?? 0;
    if (!(vf >= 0 && vf < 1))
      throw err(ErrorCode.INVALID_CONFIG, `validationFraction ${vf} must be in [0, 1)`);
    const all = Array.from(features, (_, i) => i);
    const held = vf > 0 && features.length >= 4 ? heldBack(all, vf, this.config.seed) : [];
    const heldSet = new Set(held);
    const fit = all.filter((i) => !heldSet.has(i));
    const saved = this.replay;
    const cap = fit.length;
    const f = this.config.featureCount;
    const n = this.config.pipelines.length;
    // a replay buffer sized to the data set, so offline and online training share one code path
    this.replay = {
      cap,
      x: new Float32Array(cap * f),
      y: new Float32Array(cap * n),
      mask: new Uint8Array(cap * n),
      boot: new Uint8Array(cap * this.config.heads),
      size: 0,
      next: 0,
    };
    this.loss = options.loss ?? { kind: "regression" };
    try {
      this.observeFull(
        fit.map((i) => features[i]),
        fit.map((i) => costRows[i]),
      );
      this.snapshotNormaliser();
      if (options.relativeWeight !== undefined)
        this.norm.relWeight = this.autoRelWeight(options.relativeWeight);
      if (options.rowWeight === "stakes") this.replay.weight = stakesWeights(fit.map((i) => costRows[i]));
      const losses: number[] = [];
      let bestCost = Number.POSITIVE_INFINITY;
      let bestWeights: Float32Array[] | undefined;
      const heldCost = () => {
        const choices = this.greedy(held.map((i) => features[i]));
        return held.reduce((a, i, k) => a + finiteCost(costRows[i][choices[k]], costRows[i]), 0);
      };
      for (let e = 0; e < options.epochs; e++) {
        const rng = createRng(deriveSeed(this.config.seed, `epoch:${this.trainings}`));
        this.trainings++;
        const order = shuffled(cap, rng);
        let sum = 0;
        let steps = 0;
        for (let at = 0; at < cap; at += this.config.batchSize) {
          sum += this.trainStep(order.subarray(at, Math.min(cap, at + this.config.batchSize)));
          steps++;
        }
        losses.push(sum / steps);
        if (held.length > 0) {
          const c = heldCost();
          if (c < bestCost) {
            bestCost = c;
            bestWeights = this.denseWeights().flatMap((l) => [l.kernel.slice(), l.bias.slice()]);
          }
        }
        options.onProgress?.(e + 1, options.epochs);
      }
      if (bestWeights) this.setDenseWeights(bestWeights);
      return losses;
    } finally {
      this.replay = saved;
      this.loss = { kind: "regression" };
    }
  }

  /** Sets every layer's kernel and bias from plain arrays (the order of `model.getWeights()`). */
  private setDenseWeights(values: readonly Float32Array[]): void {
    const current = this.model.getWeights();
    const tensors = values.map((v, i) => tf.tensor(v, current[i].shape));
    this.model.setWeights(tensors);
    for (const t of tensors) t.dispose();
    this.denseCache = undefined;
  }

  /** "auto": the inverse variance of the centred normalised log-costs in the replay rows, clamped to [1, 1e4]. */
  private autoRelWeight(w: number | "auto"): number {
    if (w !== "auto") return w;
    const r = this.replay;
    const n = this.config.pipelines.length;
    let sum = 0;
    let count = 0;
    for (let i = 0; i < r.size; i++) {
      let mean = 0;
      let k = 0;
      for (let p = 0; p < n; p++) {
        if (r.mask[i * n + p]) {
          mean += r.y[i * n + p];
          k++;
        }
      }
      if (k < 2) continue;
      mean /= k;
      for (let p = 0; p < n; p++) {
        if (r.mask[i * n + p]) {
          sum += ((r.y[i * n + p] - mean) / this.norm.useCostStd) ** 2;
          count++;
        }
      }
    }
    const variance = count > 0 ? sum / count : 1;
    return Math.min(1e4, Math.max(1, 1 / Math.max(variance, 1e-12)));
  }

  /**
   * Retrains on the replay buffer now: snapshot the normaliser, then `trainSteps` minibatches drawn uniformly
   * with the seeded RNG. Called automatically by {@link CostLearner.update}.
   *
   * @example
   * ```ts
   * learner.retrain();
   * ```
   */
  retrain(): void {
    if (this.replay.size === 0) return;
    this.snapshotNormaliser();
    if (this.config.relativeWeight !== undefined)
      this.norm.relWeight = this.autoRelWeight(this.config.relativeWeight);
    const rng = createRng(deriveSeed(this.config.seed, `train:${this.trainings}`));
    this.trainings++;
    const b = Math.min(this.config.batchSize, this.replay.size);
    const idx = new Int32Array(b);
    for (let s = 0; s < this.config.trainSteps; s++) {
      for (let i = 0; i < b; i++) idx[i] = rng.nextInt(this.replay.size);
      this.trainStep(idx);
    }
  }

  /** One masked-MSE Adam step on replay rows `idx`; returns the loss. */
  private trainStep(idx: Int32Array): number {
    const { featureCount: f, heads } = this.config;
    const n = this.config.pipelines.length;
    const b = idx.length;
    const r = this.replay;
    const x = new Float32Array(b * f);
    const y = new Float32Array(b * n);
    const w = new Float32Array(b * heads * n);
    const rowW = new Float32Array(b);
    const { useMean, useStd, useCostMean, useCostStd } = this.norm;
    for (let i = 0; i < b; i++) {
      const row = idx[i];
      rowW[i] = r.weight ? r.weight[row] : 1;
      for (let j = 0; j < f; j++) {
        const v = (r.x[row * f + j] - useMean[j]) / useStd[j];
        x[i * f + j] = v > 10 ? 10 : v < -10 ? -10 : Number.isFinite(v) ? v : 0;
      }
      for (let p = 0; p < n; p++) y[i * n + p] = (r.y[row * n + p] - useCostMean) / useCostStd;
      for (let h = 0; h < heads; h++) {
        if (!r.boot[row * heads + h]) continue;
        for (let p = 0; p < n; p++) w[(i * heads + h) * n + p] = r.mask[row * n + p];
      }
    }
    const optimizer = this.model.optimizer;
    const relWeight = this.norm.relWeight;
    const loss = this.loss;
    const lossTensor = tf.tidy(() => {
      const xs = tf.tensor2d(x, [b, f]);
      const ys = tf.tensor3d(y, [b, 1, n]);
      const ws = tf.tensor3d(w, [b, heads, n]);
      const rw = tf.tensor3d(rowW, [b, 1, 1]);
      const count = ws.sum(2, true);
      const has = count.greater(0).toFloat();
      const safe = tf.maximum(count, 1);
      const rows = tf.maximum(has.mul(rw).sum(), 1e-9);
      return optimizer.minimize(() => {
        const pred = (this.model.apply(xs, { training: true }) as tf.Tensor).reshape([b, heads, n]);
        // error split into its row mean (shared by all pipelines: irrelevant to the argmin) and the centred part
        // (what ranks pipelines). relWeight = 1 is plain MSE; a partial-feedback row has no centred part.
        const diff = pred.sub(ys);
        const mean = diff.mul(ws).sum(2, true).div(safe);
        const centred = diff.sub(mean).mul(ws);
        let perRow = mean.square().mul(has).add(centred.square().sum(2, true).div(safe).mul(relWeight));
        if (loss.kind === "listwise") {
          // masked log-softmax of −cost / τ: unknown pipelines get −1e9 logits (their weight is 0 anyway)
          const off = ws.sub(1).mul(1e9);
          const logq = tf.logSoftmax(ys.neg().div(loss.temperature).add(off), 2);
          const logp = tf.logSoftmax(pred.neg().div(loss.temperature).add(off), 2);
          const ce = logq.exp().mul(ws).mul(logq.sub(logp)).sum(2, true);
          perRow = ce.mul(has).add(perRow.mul(loss.anchor));
        }
        return perRow.mul(rw).sum().div(rows) as tf.Scalar;
      }, true) as tf.Scalar;
    });
    this.denseCache = undefined;
    this.lastLoss = lossTensor.dataSync()[0];
    lossTensor.dispose();
    return this.lastLoss;
  }

  /**
   * Frees the model's tensors (weights and optimiser state).
   *
   * @example
   * ```ts
   * learner.dispose();
   * ```
   */
  dispose(): void {
    this.model.optimizer?.dispose();
    this.model.dispose();
  }
}

/**
 * A seeded share of the indices (at least one, at most all but one), sorted: the rows held back for validation.
 *
 * @example
 * ```ts
 * heldBack([0, 1, 2, 3, 4], 0.2, 7); // one index, the same for seed 7 every time
 * ```
 */
export function heldBack(all: readonly number[], fraction: number, seed: number): number[] {
  const order = shuffled(all.length, createRng(deriveSeed(seed, "validation")));
  const k = Math.min(all.length - 1, Math.max(1, Math.round(all.length * fraction)));
  return Array.from(order.subarray(0, k), (i) => all[i]).sort((a, b) => a - b);
}

/**
 * A choice's cost, with a failed (non-finite) one counted as twice the row's worst finite cost.
 *
 * @example
 * ```ts
 * finiteCost(Number.POSITIVE_INFINITY, [3, 5, Number.POSITIVE_INFINITY]); // 10
 * ```
 */
export function finiteCost(c: number, row: ArrayLike<number>): number {
  if (Number.isFinite(c)) return c;
  let worst = 0;
  for (let p = 0; p < row.length; p++) if (Number.isFinite(row[p])) worst = Math.max(worst, row[p]);
  return 2 * worst;
}

/** Row weights proportional to each row's best finite cost, normalised to mean 1. */
function stakesWeights(rows: readonly ArrayLike<number>[]): Float32Array {
  const best = rows.map((row) => {
    let m = Number.POSITIVE_INFINITY;
    for (let p = 0; p < row.length; p++) if (Number.isFinite(row[p])) m = Math.min(m, row[p]);
    return Number.isFinite(m) ? m : 0;
  });
  const mean = best.reduce((a, v) => a + v, 0) / Math.max(1, best.length);
  return Float32Array.from(best, (v) => (mean > 0 ? v / mean : 1));
}

/** A permutation of 0…n−1 (Fisher–Yates with the seeded RNG). */
function shuffled(n: number, rng: Rng): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

function softmaxDraw(logCost: Float32Array, temperature: number, rng: Rng): number {
  const best = logCost[argmin(logCost)];
  const t = Math.max(temperature, 1e-9);
  const weights = Array.from(logCost, (v) => Math.exp(-(v - best) / t));
  let u = rng.nextFloat() * weights.reduce((a, b) => a + b, 0);
  for (let p = 0; p < weights.length; p++) {
    u -= weights[p];
    if (u < 0) return p;
  }
  return weights.length - 1;
}
