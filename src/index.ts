/**
 * metacomp's public API: curated named exports, grouped by area.
 */

// bench: portfolios, objectives, exhaustive evaluation, oracle (VBS/SBS/gap closed), baselines, reports
export { fixedSelector, fixedSelectors } from "./bench/baselines/fixed.js";
export { type KnnOptions, knnSelector } from "./bench/baselines/knn.js";
export { randomSelector } from "./bench/baselines/random.js";
export {
  blockSample,
  type PipelineSpeed,
  pipelineSpeeds,
  type SampleAndTryOptions,
  sampleAndTryOnTrials,
  sampleAndTrySelector,
} from "./bench/baselines/sample-and-try.js";
export {
  benchCodecs,
  type CodecBenchOptions,
  type CodecBenchRow,
  defaultBenchPipelines,
  formatCodecBenchTable,
} from "./bench/codec-bench.js";
export {
  type CompareInput,
  type CompareResult,
  compareSelectors,
  type Overhead,
  subMatrix,
} from "./bench/compare.js";
export { type EvaluateOptions, type EvaluateResult, evaluate } from "./bench/evaluate.js";
export {
  type FeatureImportance,
  type PermutationImportance,
  type PermutationImportanceInput,
  permutationImportance,
} from "./bench/importance.js";
export { gapClosed, gapClosedOf, sbsIndex, selectionCost, vbsChoices, vbsCost } from "./bench/metrics/gap.js";
export {
  costMatrix,
  formatObjective,
  type Objective,
  objectiveSchema,
  objectiveUsesTime,
  parseObjective,
  trialCost,
} from "./bench/objectives.js";
export {
  type GroupReport,
  type OracleReport,
  oracleReport,
  type Split,
  splitByBlock,
  splitByGroup,
} from "./bench/oracle.js";
export {
  defaultPortfolio,
  namedPortfolio,
  type Portfolio,
  parsePortfolio,
  portfolioSchema,
  quickPortfolio,
} from "./bench/portfolio.js";
export { formatObjectiveReport } from "./bench/report.js";
export {
  type BenchOptions,
  type BenchResult,
  defaultBaselines,
  type ObjectiveResult,
  runBench,
} from "./bench/run.js";
export { evaluateBlock, type TimingOptions } from "./bench/trial.js";
export type { CostMatrix, Selector, Trial } from "./bench/types.js";
export { canonicalJson } from "./canonical-json.js";
// pure-TypeScript codecs (stages are also reachable through the registry)
export { type CmParams, cmCodec, cmDecode, cmEncode, cmParamsSchema } from "./codecs/cm/codec.js";
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
  entropyEfficiency,
  order0Entropy,
  shannonEntropy,
} from "./datasets/entropy.js";
export { type FamilyId, type FamilyParams, familyParamsSchema } from "./datasets/families/index.js";
export { expandPaths, guessFamily, type LoadFilesOptions, loadFiles } from "./datasets/files.js";
export {
  datasetIdOf,
  entropyRate,
  type GenerateOptions,
  generate,
  generateBytes,
} from "./datasets/generate.js";
export {
  type DatasetIoOptions,
  DatasetManifest,
  type LoadOptions,
  load,
  materialize,
  readManifest,
  sha256File,
} from "./datasets/materialize.js";
// errors
export { ErrorCode, err, isMetacompError, MetacompError } from "./errors.js";
// experiment: the runner (spec → datasets → bench → learner → meta → store → summary) and its figure rows
export {
  metaImprovementRows,
  type SummaryMetaRows,
  selfTuningRows,
  summaryCurveRows,
} from "./experiment/figure-rows.js";
export { notebookParamEnvName, notebookParams } from "./experiment/notebook-params.js";
export { type RunExperimentOptions, runExperiment } from "./experiment/run.js";
export {
  type ExperimentSpec,
  type ExperimentSpecInput,
  experimentSpecSchema,
  loadExperimentSpec,
  parseExperimentSpec,
} from "./experiment/spec.js";
export {
  type ExperimentSummary,
  type SeedCurve,
  type SequenceSummary,
  summarizeRuns,
} from "./experiment/summary.js";
// features: cheap named block features
export {
  extract,
  extractAll,
  FEATURE_COUNT,
  FEATURE_NAMES,
  FEATURE_SAMPLE_BYTES,
  FEATURE_SET_ID,
  featureSetId,
  MAX_FEATURE_SAMPLE_BYTES,
} from "./features/extract.js";
// learner: backend, cost model, online bandit, meta level, metrics, save/load
export { type BackendInfo, type BackendName, currentBackend, initBackend } from "./learner/backend.js";
export {
  folderIOHandler,
  type LoadExpectation,
  learnerFromBytes,
  learnerToBytes,
  loadLearner,
  memoryIOHandler,
  saveLearner,
} from "./learner/io.js";
export {
  CostLearner,
  DEFAULT_EXPLORATION,
  DEFAULT_LEARNER,
  type Exploration,
  type LearnerConfig,
  learnerConfig,
} from "./learner/learner.js";
export {
  type EvolutionOptions,
  type EvolutionResult,
  evolveForSeed,
  evolveHyperparameters,
  type GenerationRow,
  type Genome,
  type GenomeSpread,
  genomeSpread,
  learnerFromPrior,
  pretrainPrior,
  type SeedEvolution,
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
export { type NoveltyGuardOptions, noveltyGuard } from "./learner/novelty.js";
export {
  type ExplorationReference,
  explorationReference,
  hasDefinedGap,
  heldOutGapClosed,
  type OnlineResult,
  type OnlineTask,
  type Recorder,
  runOnline,
} from "./learner/online.js";
export {
  DEFAULT_DISTILLATION,
  type Distillation,
  formatLoss,
  learnerSelector,
  OFFLINE_RECIPE,
  type OfflineRecipe,
  offlineConfig,
  offlineLearnerSelector,
} from "./learner/selector.js";
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
  type ParseSpecOptions,
  type Pipeline,
  type PipelineStage,
  parseSpec,
  pipelineSpecSchema,
} from "./pipeline/spec.js";
export { BUILTIN_STAGES } from "./pipeline/stages.js";
// plot: figure builders (rows → plotly JSON) and renderers (tslab inline, HTML report, PNG/SVG via Chromium)
export type { PlotlyFigure, PlotlyLayout, PlotlyTrace } from "./plot/figure.js";
export { type ConfusionOptions, confusionFigure, type SelectionRow } from "./plot/figures/confusion.js";
export { type EntropyEfficiencyRow, entropyEfficiencyFigure } from "./plot/figures/entropy-efficiency.js";
export { type FeatureImportanceRow, featureImportanceFigure } from "./plot/figures/feature-importance.js";
export { type GapClosedOptions, type GapClosedRow, gapClosedFigure } from "./plot/figures/gap-closed.js";
export { type LearningCurveRow, learningCurveFigure } from "./plot/figures/learning-curve.js";
export {
  type MetaImprovementOptions,
  type MetaImprovementRateRow,
  type MetaImprovementRow,
  metaImprovementFigure,
} from "./plot/figures/meta-improvement.js";
export {
  type MetricCurveOptions,
  type MetricCurveRow,
  metricCurveFigure,
} from "./plot/figures/metric-curve.js";
export { type ParetoOptions, type ParetoRow, paretoFigure, paretoFront } from "./plot/figures/pareto.js";
export {
  PORTFOLIO_METRICS,
  type PortfolioMetric,
  type PortfolioRow,
  portfolioHeatmapFigure,
} from "./plot/figures/portfolio.js";
export {
  type SystemMetricPoint,
  type SystemSample,
  systemMetricPoints,
  systemMetricsFigure,
} from "./plot/figures/system-metrics.js";
export { plotlyBundle, plotlyScriptTag } from "./plot/render/bundle.js";
export {
  type Report,
  type ReportSection,
  type ReportTable,
  renderHtmlReport,
  writeHtmlReport,
} from "./plot/render/html.js";
export {
  CHROMIUM_ARGS,
  type ChromiumSession,
  chromiumAvailable,
  chromiumPath,
  type FigureRenderer,
  type ImageOptions,
  launchChromium,
  openFigureRenderer,
  writeFigureImage,
} from "./plot/render/image.js";
export {
  createLiveFigure,
  displayFigure,
  type LiveFigure,
  type LiveFigureOptions,
  showPlotly,
} from "./plot/render/tslab.js";
export { type BandCI, bandCI } from "./plot/stats.js";
export { createRng, createRngFromState, deriveSeed, type Rng, shuffled } from "./rng.js";
// schema + store: the experiment store in DuckDB (runs, metrics, trials, checkpoints, comparisons, Parquet)
export {
  type ArtifactRow,
  type BlockRow,
  type DatasetRow,
  type ExperimentRow,
  type FeatureImportanceScoreRow,
  type FeatureRow,
  type GenerationRow as StoredGenerationRow,
  type LearnerCheckpointRow,
  type MetricRow,
  type ParamRow,
  type PipelineRow,
  type RowOf,
  type RunRow,
  type RunStatus,
  runStatusSchema,
  type SelectionChoiceRow,
  type SystemMetricRow,
  TABLES,
  type TableKey,
  type TagRow,
  type TrialRow,
} from "./schema/rows.js";
// stage contract
export type { AnyStage, DecodeLimits, ParamValue, Stage } from "./stage.js";
export { checkOutputLimit, decodeGuard, defineStage } from "./stage.js";
export { type MeanCI, mean, meanCI95, median, olsSlope, pearson, sampleSd, tQuantile975 } from "./stats.js";
export { sha256Hex } from "./store/capture.js";
export { toDataFrame } from "./store/dataframe.js";
export { SCHEMA_VERSION } from "./store/migrations.js";
export { RunHandle } from "./store/run.js";
export {
  DEFAULT_STORE_PATH,
  type MetricSummaryRow,
  type OpenStoreOptions,
  openStore,
  type ParamDiff,
  type RunComparison,
  type StartRunOptions,
  Store,
} from "./store/store.js";
// pure-TypeScript transforms
export { bwtDecode, bwtEncode, bwtTransform } from "./transforms/bwt/transform.js";
export { mtfTransform } from "./transforms/mtf/transform.js";
export { rleTransform } from "./transforms/rle/transform.js";
