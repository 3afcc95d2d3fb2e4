/**
 * Save and load a learner — model weights, optimiser state, feature/target normalisation, replay buffer and round
 * counters — to bytes (for the store's checkpoint BLOBs) or to a folder. Both go through custom tfjs IOHandlers,
 * because tfjs's `file://` handler needs tfjs-node, which does not install here.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { ErrorCode, err } from "../errors.js";
import { CostLearner, type LearnerConfig, type Normaliser } from "./learner.js";

const MAGIC = "MCLEARN1";
const FORMAT_VERSION = 1;

/**
 * An IOHandler that keeps model artifacts in memory: `save` captures them, `load` returns them.
 *
 * @example
 * ```ts
 * const handler = memoryIOHandler();
 * await model.save(handler, { includeOptimizer: true });
 * const copy = await tf.loadLayersModel(handler);
 * ```
 */
export function memoryIOHandler(initial?: tf.io.ModelArtifacts): tf.io.IOHandler & {
  artifacts?: tf.io.ModelArtifacts;
} {
  const handler: tf.io.IOHandler & { artifacts?: tf.io.ModelArtifacts } = {
    artifacts: initial,
    async save(artifacts) {
      handler.artifacts = artifacts;
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load() {
      if (!handler.artifacts)
        throw err(ErrorCode.NOT_FOUND, "no model saved in this memory handler yet; save first");
      return handler.artifacts;
    },
  };
  return handler;
}

function joinWeights(data: tf.io.WeightData | undefined): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  return new Uint8Array(tf.io.CompositeArrayBuffer.join(data));
}

/**
 * An IOHandler that saves to and loads from a folder: `model.json` (topology, weight manifest, training config)
 * and `weights.bin`. Works on every backend.
 *
 * @example
 * ```ts
 * await model.save(folderIOHandler("runs/7/model"), { includeOptimizer: true });
 * const model = await tf.loadLayersModel(folderIOHandler("runs/7/model"));
 * ```
 */
export function folderIOHandler(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts) {
      await mkdir(dir, { recursive: true });
      const weights = joinWeights(artifacts.weightData);
      const json = {
        modelTopology: artifacts.modelTopology,
        trainingConfig: artifacts.trainingConfig,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest: [{ paths: ["weights.bin"], weights: artifacts.weightSpecs ?? [] }],
      };
      await writeFile(path.join(dir, "model.json"), JSON.stringify(json));
      await writeFile(path.join(dir, "weights.bin"), weights);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load() {
      let json: { weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] } & Record<string, unknown>;
      let weights: Buffer;
      try {
        json = JSON.parse(await readFile(path.join(dir, "model.json"), "utf8"));
        weights = await readFile(path.join(dir, "weights.bin"));
      } catch (e) {
        throw err(
          ErrorCode.IO,
          `cannot read a saved model from ${dir} (model.json + weights.bin): ${(e as Error).message}`,
          e,
        );
      }
      return {
        modelTopology: json.modelTopology as tf.io.ModelArtifacts["modelTopology"],
        trainingConfig: json.trainingConfig as tf.io.TrainingConfig,
        weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
        weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
      };
    },
  };
}

/** Everything but the model, as JSON plus the replay arrays. */
interface LearnerState {
  format: string;
  version: number;
  config: LearnerConfig;
  round: number;
  trainings: number;
  norm: Record<string, number | number[]>;
  replay: { cap: number; size: number; next: number };
}

function stateOf(learner: CostLearner): { state: LearnerState; sections: Uint8Array[] } {
  const n = learner.norm;
  const r = learner.replayState;
  const state: LearnerState = {
    format: "metacomp-learner",
    version: FORMAT_VERSION,
    config: learner.config,
    round: learner.round,
    trainings: learner.trainings,
    norm: {
      featCount: n.featCount,
      featMean: Array.from(n.featMean),
      featM2: Array.from(n.featM2),
      costCount: n.costCount,
      costMean: n.costMean,
      costM2: n.costM2,
      useMean: Array.from(n.useMean),
      useStd: Array.from(n.useStd),
      useCostMean: n.useCostMean,
      useCostStd: n.useCostStd,
      relWeight: n.relWeight,
    },
    replay: { cap: r.cap, size: r.size, next: r.next },
  };
  const bytes = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  return { state, sections: [bytes(r.x), bytes(r.y), r.mask, r.boot] };
}

/** What a caller loading a learner expects of it. */
export interface LoadExpectation {
  /**
   * The feature set the caller will feed it (`featureSetId(sampleBytes)`): a learner that records another one, or
   * none, is refused, because vectors of the same length from another sample would be read without complaint.
   */
  readonly featureSet?: string;
}

/** Refuses, before any model is built, a state this version cannot read or the caller cannot feed. */
function checkState(state: LearnerState, expect: LoadExpectation): void {
  if (state.format !== "metacomp-learner" || state.version !== FORMAT_VERSION) {
    throw err(
      ErrorCode.UNSUPPORTED_VERSION,
      `learner state ${state.format} v${state.version} is not readable; expected v${FORMAT_VERSION}`,
    );
  }
  const saved = state.config.featureSet;
  if (expect.featureSet === undefined || saved === expect.featureSet) return;
  throw err(
    ErrorCode.INVALID_CONFIG,
    saved === undefined
      ? `this saved learner does not record its feature set, so it cannot be checked against ${expect.featureSet}; load it without { featureSet } if you know what it was trained on`
      : `this saved learner was trained on feature set ${saved}, not ${expect.featureSet}; extract its inputs with the sample size that id names`,
  );
}

function restore(model: tf.LayersModel, state: LearnerState, sections: Uint8Array[]): CostLearner {
  const s = state.norm as Record<string, number & number[]>;
  const norm: Normaliser = {
    featCount: s.featCount,
    featMean: Float64Array.from(s.featMean),
    featM2: Float64Array.from(s.featM2),
    costCount: s.costCount,
    costMean: s.costMean,
    costM2: s.costM2,
    useMean: Float32Array.from(s.useMean),
    useStd: Float32Array.from(s.useStd),
    useCostMean: s.useCostMean,
    useCostStd: s.useCostStd,
    relWeight: s.relWeight ?? 1,
  };
  const learner = CostLearner.fromParts(state.config, model, norm);
  learner.round = state.round;
  learner.trainings = state.trainings;
  const copy = (u: Uint8Array) => new Uint8Array(u).buffer; // Buffer#slice would share memory
  learner.replayState = {
    ...state.replay,
    x: new Float32Array(copy(sections[0])),
    y: new Float32Array(copy(sections[1])),
    mask: new Uint8Array(sections[2]),
    boot: new Uint8Array(sections[3]),
  };
  return learner;
}

/** Packs a JSON header and binary sections: magic, u32 header length, header, then per section u32 length + bytes. */
function pack(header: unknown, sections: Uint8Array[]): Uint8Array {
  const head = new TextEncoder().encode(JSON.stringify(header));
  const total = 8 + 4 + head.length + sections.reduce((a, s) => a + 4 + s.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode(MAGIC), 0);
  view.setUint32(8, head.length, true);
  out.set(head, 12);
  let at = 12 + head.length;
  for (const s of sections) {
    view.setUint32(at, s.length, true);
    out.set(s, at + 4);
    at += 4 + s.length;
  }
  return out;
}

function unpack(bytes: Uint8Array): { header: unknown; sections: Uint8Array[] } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) {
    throw err(
      ErrorCode.BAD_MAGIC,
      "these bytes are not a saved metacomp learner (bad magic); pass learnerToBytes output",
    );
  }
  const headLen = view.getUint32(8, true);
  if (12 + headLen > bytes.length) throw err(ErrorCode.TRUNCATED, "saved learner is truncated in its header");
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headLen)));
  const sections: Uint8Array[] = [];
  let at = 12 + headLen;
  while (at < bytes.length) {
    if (at + 4 > bytes.length)
      throw err(ErrorCode.TRUNCATED, "saved learner is truncated in a section length");
    const len = view.getUint32(at, true);
    if (at + 4 + len > bytes.length)
      throw err(ErrorCode.TRUNCATED, "saved learner is truncated in a section");
    sections.push(bytes.subarray(at + 4, at + 4 + len));
    at += 4 + len;
  }
  return { header, sections };
}

/**
 * Serialises a learner (model, Adam state, normalisation, replay buffer, counters) to bytes, e.g. for the
 * store's checkpoints table.
 *
 * @example
 * ```ts
 * const blob = await learnerToBytes(learner);
 * const resumed = await learnerFromBytes(blob);
 * ```
 */
export async function learnerToBytes(learner: CostLearner): Promise<Uint8Array> {
  const handler = memoryIOHandler();
  await learner.model.save(handler, { includeOptimizer: true });
  const a = handler.artifacts as tf.io.ModelArtifacts;
  const { state, sections } = stateOf(learner);
  const header = {
    state,
    modelTopology: a.modelTopology,
    trainingConfig: a.trainingConfig,
    weightSpecs: a.weightSpecs,
  };
  return pack(header, [joinWeights(a.weightData), ...sections]);
}

/**
 * Restores a learner saved by {@link learnerToBytes}; it continues exactly where the original stopped. With
 * `{ featureSet }` it refuses a learner trained on another feature set.
 *
 * @example
 * ```ts
 * const learner = await learnerFromBytes(checkpointBlob, { featureSet: featureSetId(640) });
 * ```
 */
export async function learnerFromBytes(
  bytes: Uint8Array,
  expect: LoadExpectation = {},
): Promise<CostLearner> {
  const { header, sections } = unpack(bytes);
  const h = header as {
    state: LearnerState;
    modelTopology: tf.io.ModelArtifacts["modelTopology"];
    trainingConfig: tf.io.TrainingConfig;
    weightSpecs: tf.io.WeightsManifestEntry[];
  };
  if (sections.length !== 5)
    throw err(ErrorCode.CORRUPT, `saved learner has ${sections.length} sections, expected 5`);
  checkState(h.state, expect);
  const weightData = new Uint8Array(sections[0]).buffer;
  const model = await tf.loadLayersModel(
    memoryIOHandler({
      modelTopology: h.modelTopology,
      trainingConfig: h.trainingConfig,
      weightSpecs: h.weightSpecs,
      weightData,
    }),
  );
  return restore(model, h.state, sections.slice(1));
}

/**
 * Saves a learner to a folder: `model.json` + `weights.bin` (with optimiser state) and `learner.bin`
 * (normalisation, replay buffer, counters).
 *
 * @example
 * ```ts
 * await saveLearner(learner, "experiments/runs/12/checkpoint-2000");
 * ```
 */
export async function saveLearner(learner: CostLearner, dir: string): Promise<void> {
  await learner.model.save(folderIOHandler(dir), { includeOptimizer: true });
  const { state, sections } = stateOf(learner);
  await writeFile(path.join(dir, "learner.bin"), pack({ state }, sections));
}

/**
 * Loads a learner saved by {@link saveLearner}. With `{ featureSet }` it refuses a learner trained on another
 * feature set.
 *
 * @example
 * ```ts
 * const learner = await loadLearner("experiments/runs/12/checkpoint-2000", { featureSet: FEATURE_SET_ID });
 * ```
 */
export async function loadLearner(dir: string, expect: LoadExpectation = {}): Promise<CostLearner> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path.join(dir, "learner.bin"));
  } catch (e) {
    throw err(ErrorCode.IO, `cannot read ${path.join(dir, "learner.bin")}: ${(e as Error).message}`, e);
  }
  const { header, sections } = unpack(bytes);
  const { state } = header as { state: LearnerState };
  checkState(state, expect);
  return restore(await tf.loadLayersModel(folderIOHandler(dir)), state, sections);
}
