/**
 * The row schemas of the experiment store: the single source of truth for the DuckDB tables.
 * Fields are camelCase here and snake_case in SQL. JSON-valued fields hold JSON text.
 */
import { z } from "zod";
import { addedIn, blob, defineTable } from "./table.js";

const id = () => z.int32().min(1);
const name = () => z.string().min(1);
const count = () => z.int().min(0);
const json = () => z.string().min(1);
const sha256 = () => z.string().regex(/^[0-9a-f]{64}$/);

/** Lifecycle states of a run: `running` → `completed` | `failed` | `interrupted` (stale heartbeat). */
export const runStatusSchema = z.enum(["running", "completed", "failed", "interrupted"]);
/** A run's lifecycle state. */
export type RunStatus = z.infer<typeof runStatusSchema>;

/** A named group of runs. */
export const experimentRow = z.object({
  id: id(),
  name: name(),
  description: z.string().nullable(),
  createdAt: z.date(),
});

/** One run with everything needed to reproduce it. */
export const runRow = z.object({
  id: id(),
  experimentId: id(),
  name: z.string().nullable(),
  status: runStatusSchema,
  seed: z.int(),
  configJson: json(),
  configHash: sha256(),
  gitCommit: z.string().nullable(),
  gitBranch: z.string().nullable(),
  gitDirty: z.boolean().nullable(),
  nodeVersion: name(),
  platform: name(),
  cpuModel: z.string(),
  startedAt: z.date(),
  endedAt: z.date().nullable(),
  heartbeatAt: z.date(),
  error: z.string().nullable(),
  trace: z.string().nullable(),
  tfjsBackend: addedIn(2, z.string().nullable()),
});

/** One run parameter; `value` is JSON text. */
export const paramRow = z.object({ runId: id(), key: name(), value: json() });

/** One metric observation (long format). */
export const metricRow = z.object({
  runId: id(),
  key: name(),
  step: z.int().min(0),
  value: z.number(),
  ts: z.date(),
  context: z.string().nullable(),
});

/** A free-form label on a run. */
export const tagRow = z.object({ runId: id(), key: name(), value: z.string() });

/** A file a run produced. */
export const artifactRow = z.object({
  runId: id(),
  path: name(),
  sha256: sha256(),
  kind: name(),
  bytes: count(),
});

/** A dataset: a generator config and seed, or a loaded corpus. */
export const datasetRow = z.object({
  id: name(),
  family: name(),
  configJson: json(),
  seed: z.int().nullable(),
  entropyRate: z.number().min(0).max(8).nullable(),
  entropyExact: z.boolean(),
  blockSize: z.int32().min(1),
  createdAt: z.date(),
});

/** One block of a dataset. `entropy` is its true entropy rate in bits per byte where known. */
export const blockRow = z.object({
  datasetId: name(),
  blockIndex: z.int32().min(0),
  family: name(),
  task: name(),
  length: z.int32().min(0),
  entropy: z.number().min(0).max(8).nullable(),
});

/** One entry of the pipeline catalogue (`spec` is canonical). */
export const pipelineRow = z.object({
  spec: name(),
  codec: name(),
  paramsJson: json(),
  version: z.int32().min(1),
});

/** One (block, pipeline) evaluation. */
export const trialRow = z.object({
  runId: id(),
  datasetId: name(),
  blockIndex: z.int32().min(0),
  pipeline: name(),
  bytesOut: count(),
  encNs: count(),
  decNs: count(),
  roundTripOk: z.boolean(),
});

/** The feature vector of one block under one feature set. */
export const featureRow = z.object({
  featureSet: name(),
  datasetId: name(),
  blockIndex: z.int32().min(0),
  vector: z.array(z.float32()),
});

/** A saved learner model. */
export const learnerCheckpointRow = z.object({
  runId: id(),
  step: z.int().min(0),
  model: blob(),
  metricsJson: json(),
  createdAt: z.date(),
});

/** One generation of the meta loop. */
export const generationRow = z.object({
  runId: id(),
  generation: z.int32().min(0),
  learnerConfigJson: json(),
  score: z.number(),
  ts: z.date(),
});

/** One sample of process health during a run. */
export const systemMetricRow = z.object({
  runId: id(),
  ts: z.date(),
  cpuPercent: z.number().min(0),
  rssBytes: count(),
  heapBytes: count(),
  throughput: z.number().min(0).nullable(),
});

/** Whether a metric is better when lower (`min`, the default) or higher (`max`). */
export const metricGoalRow = z.object({ key: name(), goal: z.enum(["min", "max"]) });

/**
 * One held-out evaluation block of one seed: the pipeline a trained selector chose and the oracle's (VBS)
 * pipeline. The rows of the selection-against-oracle confusion matrix.
 */
export const selectionRow = z.object({
  runId: id(),
  seed: z.int(),
  /** Which selector chose, e.g. "online learner". */
  selector: name(),
  datasetId: name(),
  blockIndex: z.int32().min(0),
  selected: name(),
  oracle: name(),
});

/**
 * Permutation importance of one feature for one seed's trained selector on its held-out blocks:
 * gap closed intact minus gap closed with the feature's column shuffled, averaged over `repeats` shuffles.
 */
export const featureImportanceRow = z.object({
  runId: id(),
  seed: z.int(),
  selector: name(),
  feature: name(),
  /** Drop in gap closed (fraction); > 0 means the selector relies on the feature. */
  importance: z.number(),
  /** Gap closed with every feature intact. */
  baselineGapClosed: z.number(),
  repeats: z.int32().min(1),
});

/** One applied migration. */
export const schemaVersionRow = z.object({
  version: z.int32().min(1),
  description: name(),
  appliedAt: z.date(),
});
/** An applied-migration row. */
export type SchemaVersionRow = z.infer<typeof schemaVersionRow>;

/**
 * The tables of the store, in creation order. Only `runs → experiments` is a FOREIGN KEY: DuckDB refuses
 * UPDATEs of a checkpointed row that other tables reference, and a run's status and heartbeat must change,
 * so `run_id` columns are kept consistent by the API instead.
 */
export const TABLES = {
  schemaVersion: defineTable({
    name: "schema_version",
    row: schemaVersionRow,
    primaryKey: ["version"],
    since: 1,
    appendOnly: true,
  }),
  experiments: defineTable({
    name: "experiments",
    row: experimentRow,
    primaryKey: ["id"],
    unique: [["name"]],
    since: 1,
    appendOnly: true,
  }),
  runs: defineTable({
    name: "runs",
    row: runRow,
    primaryKey: ["id"],
    references: { experimentId: { table: "experiments", field: "id" } },
    since: 1,
    appendOnly: false,
  }),
  params: defineTable({
    name: "params",
    row: paramRow,
    primaryKey: ["runId", "key"],
    since: 1,
    appendOnly: true,
  }),
  metrics: defineTable({
    name: "metrics",
    row: metricRow,
    since: 1,
    appendOnly: true,
  }),
  tags: defineTable({
    name: "tags",
    row: tagRow,
    primaryKey: ["runId", "key"],
    since: 1,
    appendOnly: true,
  }),
  artifacts: defineTable({
    name: "artifacts",
    row: artifactRow,
    primaryKey: ["runId", "path"],
    since: 1,
    appendOnly: true,
  }),
  datasets: defineTable({
    name: "datasets",
    row: datasetRow,
    primaryKey: ["id"],
    since: 1,
    appendOnly: true,
  }),
  blocks: defineTable({
    name: "blocks",
    row: blockRow,
    primaryKey: ["datasetId", "blockIndex"],
    since: 1,
    appendOnly: true,
  }),
  pipelines: defineTable({
    name: "pipelines",
    row: pipelineRow,
    primaryKey: ["spec"],
    since: 1,
    appendOnly: true,
  }),
  trials: defineTable({ name: "trials", row: trialRow, since: 1, appendOnly: true }),
  features: defineTable({
    name: "features",
    row: featureRow,
    primaryKey: ["featureSet", "datasetId", "blockIndex"],
    since: 1,
    appendOnly: true,
  }),
  learnerCheckpoints: defineTable({
    name: "learner_checkpoints",
    row: learnerCheckpointRow,
    primaryKey: ["runId", "step"],
    since: 1,
    appendOnly: true,
  }),
  generations: defineTable({
    name: "generations",
    row: generationRow,
    primaryKey: ["runId", "generation"],
    since: 1,
    appendOnly: true,
  }),
  systemMetrics: defineTable({
    name: "system_metrics",
    row: systemMetricRow,
    since: 2,
    appendOnly: true,
  }),
  metricGoals: defineTable({
    name: "metric_goals",
    row: metricGoalRow,
    primaryKey: ["key"],
    since: 2,
    appendOnly: false,
  }),
  selections: defineTable({
    name: "selections",
    row: selectionRow,
    primaryKey: ["runId", "seed", "selector", "datasetId", "blockIndex"],
    since: 3,
    appendOnly: true,
  }),
  featureImportances: defineTable({
    name: "feature_importances",
    row: featureImportanceRow,
    primaryKey: ["runId", "seed", "selector", "feature"],
    since: 3,
    appendOnly: true,
  }),
} as const;

/** The store's table names by their key in {@link TABLES}. */
export type TableKey = keyof typeof TABLES;
/** The row type of a table. */
export type RowOf<K extends TableKey> = z.infer<(typeof TABLES)[K]["row"]>;

/** Stored row types. */
export type ExperimentRow = z.infer<typeof experimentRow>;
export type RunRow = z.infer<typeof runRow>;
export type ParamRow = z.infer<typeof paramRow>;
export type MetricRow = z.infer<typeof metricRow>;
export type TagRow = z.infer<typeof tagRow>;
export type ArtifactRow = z.infer<typeof artifactRow>;
export type DatasetRow = z.infer<typeof datasetRow>;
export type BlockRow = z.infer<typeof blockRow>;
export type PipelineRow = z.infer<typeof pipelineRow>;
export type TrialRow = z.infer<typeof trialRow>;
export type FeatureRow = z.infer<typeof featureRow>;
export type LearnerCheckpointRow = z.infer<typeof learnerCheckpointRow>;
export type GenerationRow = z.infer<typeof generationRow>;
export type SystemMetricRow = z.infer<typeof systemMetricRow>;
export type MetricGoalRow = z.infer<typeof metricGoalRow>;
export type SelectionChoiceRow = z.infer<typeof selectionRow>;
export type FeatureImportanceScoreRow = z.infer<typeof featureImportanceRow>;
