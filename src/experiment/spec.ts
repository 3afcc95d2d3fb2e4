/**
 * `ExperimentSpec`: one JSON file (or a notebook object) that defines an experiment end to end — datasets,
 * portfolio, objective, split, learner, online and meta budgets, seeds. It composes each stage's own schema.
 */
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { objectiveSchema, parseObjective } from "../bench/objectives.js";
import { SyntheticDataConfig } from "../datasets/config.js";
import { ErrorCode, err } from "../errors.js";
import { checkSampleBytes, FEATURE_SAMPLE_BYTES } from "../features/extract.js";
import { DEFAULT_LEARNER, OFFLINE_RECIPE } from "../learner/config.js";

const name = z.string().regex(/^[A-Za-z0-9._-]+$/, "use letters, digits, '.', '_' or '-'");

/** A synthetic dataset entry: a datasets config; its `task` labels every block (default: the entry's name). */
const syntheticEntry = z.object({ name, synthetic: z.unknown() }).strict();

/** A folder or glob of the user's files, cut into blocks and labelled by guessed family. */
const filesEntry = z.object({ name, files: z.string().min(1) }).strict();

/** A feature sample size, checked by the features' own rule (a multiple of 40 up to 1,280). */
const featureBytes = z
  .number()
  .int()
  .superRefine((bytes, ctx) => {
    try {
      checkSampleBytes(bytes);
    } catch (e) {
      ctx.addIssue({ code: "custom", message: (e as Error).message });
    }
  });

const L = DEFAULT_LEARNER;
const O = OFFLINE_RECIPE;
const exploration = L.exploration.kind === "epsilon" ? L.exploration : undefined;
/** The learner's settings; every default is the library's {@link DEFAULT_LEARNER} or {@link OFFLINE_RECIPE}. */
const learnerSection = z
  .object({
    hidden: z
      .array(z.number().int().min(1).max(1024))
      .max(4)
      .default([...L.hidden]),
    learningRate: z.number().positive().max(1).default(L.learningRate),
    epsilon: z
      .number()
      .min(0)
      .max(1)
      .default(exploration?.epsilon ?? 0.2),
    epsilonHalfLife: z
      .number()
      .int()
      .positive()
      .default(exploration?.halfLife ?? 500),
    /** On a repeated block, try its best-predicted pipelines not yet observed among this many (0 = greedy). */
    contenders: z
      .number()
      .int()
      .min(0)
      .default(exploration?.contenders ?? 0),
    /** Bootstrapped heads; their mean makes the greedy choice. */
    heads: z.number().int().min(1).max(32).default(L.heads),
    replaySize: z.number().int().min(16).default(L.replaySize),
    retrainEvery: z.number().int().min(1).default(L.retrainEvery),
    trainSteps: z.number().int().min(1).default(L.trainSteps),
    batchSize: z.number().int().min(1).default(L.batchSize),
    // the offline (full-information) learner; defaults are the library's OFFLINE_RECIPE
    offlineEpochs: z.number().int().min(1).default(O.epochs),
    offlineHidden: z
      .array(z.number().int().min(1).max(1024))
      .max(4)
      .default([...O.hidden]),
    offlineLearningRate: z.number().positive().max(1).default(O.learningRate),
    offlineMembers: z.number().int().min(1).max(32).default(O.members),
    offlineLoss: z.enum(["listwise", "regression", "validated"]).default(O.loss),
    offlineEarlyStopping: z.number().min(0).lt(1).default(O.earlyStopping),
    /** Distil the offline ensemble into one network (DEFAULT_DISTILLATION): ~1/members of the selection time. */
    offlineDistil: z.boolean().default(O.distil !== undefined),
    /** The distilled network's hidden widths ([] = linear; default: `offlineHidden`): narrower selects faster. */
    offlineStudent: z.array(z.number().int().min(1).max(1024)).max(4).optional(),
    /**
     * Also report the offline learner behind a novelty guard: blocks farther from every training block than this
     * quantile of the training blocks' own nearest-neighbour distances go to sample-and-try (e.g. 0.97). Under
     * objectives that time the pipelines, sample-and-try takes their speeds on the training blocks instead of timing
     * its 1% samples; on bench:learner's `transfer:100` the guard still closed less than the learner alone.
     */
    offlineNovelty: z.number().gt(0).max(1).optional(),
  })
  .strict();

/** The experiment spec schema. Every field but `name` and `datasets` has a default. */
export const experimentSpecSchema = z
  .object({
    name,
    description: z.string().default(""),
    /** Base seed: every random choice derives from it. */
    seed: z.number().int().default(1),
    /** How many learner seeds (the CIs need at least 5 for the claims). */
    seeds: z.number().int().min(1).max(1000).default(5),
    blockBytes: z
      .number()
      .int()
      .min(256)
      .max(1 << 24)
      .default(16384),
    datasets: z.array(z.union([syntheticEntry, filesEntry])).min(1),
    portfolio: z.union([z.enum(["default", "quick"]), z.array(z.string()).min(2)]).default("quick"),
    objective: z.union([z.string(), objectiveSchema]).default("size"),
    bench: z
      .object({
        repeats: z.number().int().min(1).max(50).default(3),
        workers: z.number().int().min(1).max(64).default(2),
        testFraction: z.number().gt(0).lt(1).default(0.3),
        /** Bytes of each block's feature sample: wider tells the learner more, at a proportional cost. */
        featureBytes: featureBytes.default(FEATURE_SAMPLE_BYTES),
      })
      .strict()
      .default({ repeats: 3, workers: 2, testFraction: 0.3, featureBytes: FEATURE_SAMPLE_BYTES }),
    learner: learnerSection.default(learnerSection.parse({})),
    online: z
      .object({
        rounds: z.number().int().min(1).default(2000),
        checkpointEvery: z.number().int().min(1).default(100),
      })
      .strict()
      .default({ rounds: 2000, checkpointEvery: 100 }),
    meta: z
      .object({
        enabled: z.boolean().default(true),
        /** Dataset names held out of meta-training: the meta-improvement rate is measured on these only. */
        heldOut: z.array(name).min(1),
        rounds: z.number().int().min(1).default(600),
        checkpointEvery: z.number().int().min(1).default(100),
        priorEpochs: z.number().int().min(1).default(15),
        /**
         * Self-tuning (meta level b): a population-based search over the online learner's hyperparameters, scored
         * on the meta-training datasets and measured on the held-out ones. Omit to skip it.
         */
        evolution: z
          .object({
            population: z.number().int().min(2).default(4),
            generations: z.number().int().min(2).default(4),
            rounds: z.number().int().min(1).default(300),
            checkpointEvery: z.number().int().min(1).default(50),
            /**
             * Epochs of a prior that every scored learner starts from, pretrained with the genome's config on the
             * other meta-training datasets (needs two or more with a defined gap). Omit: learners start fresh.
             */
            priorEpochs: z.number().int().min(1).optional(),
            /** Runs of each generation's best on the held-out datasets, averaged (omit: 1). */
            testRuns: z.number().int().min(1).optional(),
          })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((spec, ctx) => {
    const names = spec.datasets.map((d) => d.name);
    names.forEach((n, i) => {
      if (names.indexOf(n) !== i)
        ctx.addIssue({
          code: "custom",
          path: ["datasets", i, "name"],
          message: `duplicate dataset name "${n}"`,
        });
    });
    spec.meta?.heldOut.forEach((n, i) => {
      if (!names.includes(n)) {
        ctx.addIssue({
          code: "custom",
          path: ["meta", "heldOut", i],
          message: `"${n}" is not a dataset name (${names.join(", ")})`,
        });
      }
    });
    if (spec.meta && spec.meta.heldOut.length >= names.length) {
      ctx.addIssue({
        code: "custom",
        path: ["meta", "heldOut"],
        message: "hold out fewer datasets than there are: meta-training needs at least one",
      });
    }
    spec.datasets.forEach((d, i) => {
      if ("synthetic" in d) {
        const parsed = SyntheticDataConfig.safeParse({ totalBytes: 1, ...(d.synthetic as object) });
        if (!parsed.success) {
          for (const issue of parsed.error.issues) {
            ctx.addIssue({
              code: "custom",
              path: ["datasets", i, "synthetic", ...issue.path.map(String)],
              message: issue.message,
            });
          }
        }
      }
    });
    if (spec.learner.offlineStudent && !spec.learner.offlineDistil) {
      ctx.addIssue({
        code: "custom",
        path: ["learner", "offlineStudent"],
        message: 'a student is what distillation trains: add "offlineDistil": true, or drop offlineStudent',
      });
    }
    try {
      if (typeof spec.objective === "string") parseObjective(spec.objective);
    } catch (e) {
      ctx.addIssue({ code: "custom", path: ["objective"], message: (e as Error).message });
    }
  });

/** A validated experiment spec, defaults filled. */
export type ExperimentSpec = z.output<typeof experimentSpecSchema>;
/** An experiment spec as written (defaults optional). */
export type ExperimentSpecInput = z.input<typeof experimentSpecSchema>;

/**
 * Validates a spec object. Errors are `E_INVALID_CONFIG` with zod's prettified issues, each naming its path.
 *
 * @example
 * ```ts
 * const spec = parseExperimentSpec({ name: "demo", datasets: [{ name: "t", synthetic: { family: "text", totalBytes: 1 << 20 } }] });
 * ```
 */
export function parseExperimentSpec(input: unknown, source = "experiment spec"): ExperimentSpec {
  const parsed = experimentSpecSchema.safeParse(input);
  if (!parsed.success) {
    throw err(
      ErrorCode.INVALID_CONFIG,
      `invalid ${source}:\n${z.prettifyError(parsed.error)}\nfix the fields named after "→ at"`,
      parsed.error,
    );
  }
  return parsed.data;
}

/**
 * Reads and validates an experiment spec from a JSON file.
 *
 * @example
 * ```ts
 * const spec = await loadExperimentSpec("experiments/quick.json");
 * ```
 */
export async function loadExperimentSpec(path: string): Promise<ExperimentSpec> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw err(ErrorCode.IO, `cannot read experiment spec "${path}": ${(e as Error).message}`, e);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw err(
      ErrorCode.INVALID_CONFIG,
      `experiment spec "${path}" is not valid JSON: ${(e as Error).message}`,
      e,
    );
  }
  return parseExperimentSpec(json, `experiment spec "${path}"`);
}
