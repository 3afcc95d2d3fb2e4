/**
 * metacomp's public API: curated named exports, grouped by area.
 */

// pure-TypeScript codecs (stages are also reachable through the registry)
export { huffmanCodec, huffmanDecode, huffmanEncode } from "./codecs/huffman/codec.js";
export { lz77Codec, lz77Decode, lz77Encode } from "./codecs/lz77/codec.js";
export { lzwCodec, lzwDecode, lzwEncode } from "./codecs/lzw/codec.js";
export { quantizeFrequencies, ransCodec, ransDecode, ransEncode } from "./codecs/rans/codec.js";
// datasets: seeded RNG, synthetic families, entropy maths, loaders
export type { Block, EntropyRate } from "./datasets/block.js";
export {
  parseDataConfig,
  SyntheticDataConfig,
  type SyntheticDataConfigInput,
} from "./datasets/config.js";
export {
  conditionalEntropy,
  type EmpiricalEntropy,
  EntropyAccumulator,
  empiricalEntropy,
  order0Entropy,
  shannonEntropy,
} from "./datasets/entropy.js";
export {
  datasetIdOf,
  entropyRate,
  type GenerateOptions,
  generate,
  generateBytes,
} from "./datasets/generate.js";
export { createRng, deriveSeed, type Rng } from "./datasets/rng.js";
// errors
export { ErrorCode, err, isMetacompError, MetacompError } from "./errors.js";
// learner: backend, cost model, online bandit, meta level, metrics, save/load
export { type BackendInfo, type BackendName, currentBackend, initBackend } from "./learner/backend.js";
export {
  folderIOHandler,
  learnerFromBytes,
  learnerToBytes,
  loadLearner,
  memoryIOHandler,
  saveLearner,
} from "./learner/io.js";
export {
  CostLearner,
  DEFAULT_LEARNER,
  type Exploration,
  type LearnerConfig,
  learnerConfig,
} from "./learner/learner.js";
export {
  type EvolutionResult,
  evolveHyperparameters,
  type GenerationRow,
  type Genome,
  learnerFromPrior,
  pretrainPrior,
  type TransferResult,
  transferSequence,
} from "./learner/meta.js";
export {
  curveArea,
  type ImprovementRate,
  improvementRate,
  type LearningCurve,
  type MetaImprovementRate,
  metaImprovementRate,
  type RoundWindow,
  roundsToFraction,
} from "./learner/metrics/curve.js";
export {
  heldOutGapClosed,
  type OnlineResult,
  type OnlineTask,
  type Recorder,
  runOnline,
} from "./learner/online.js";
export { learnerSelector } from "./learner/selector.js";
export {
  type CompressOptions,
  compress,
  DEFAULT_MAX_OUTPUT_BYTES,
  type DecompressOptions,
  decodePipeline,
  decompress,
  encodePipeline,
  FRAME_MAGIC,
  FRAME_VERSION,
  type FrameHeader,
  readFrameHeader,
} from "./pipeline/frame.js";
// pipeline: registry, specs, frames
export { createRegistry, defaultRegistry, type StageRegistry } from "./pipeline/registry.js";
export {
  canonicalSpec,
  formatSpec,
  type Pipeline,
  type PipelineStage,
  parseSpec,
  pipelineSpecSchema,
} from "./pipeline/spec.js";
export { BUILTIN_STAGES } from "./pipeline/stages.js";
// stage contract
export type { AnyStage, DecodeLimits, ParamValue, Stage } from "./stage.js";
export { checkOutputLimit, decodeGuard, defineStage } from "./stage.js";
// pure-TypeScript transforms
export { bwtDecode, bwtEncode, bwtTransform } from "./transforms/bwt/transform.js";
export { mtfTransform } from "./transforms/mtf/transform.js";
export { rleTransform } from "./transforms/rle/transform.js";
