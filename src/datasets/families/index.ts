/**
 * The table of non-mixture families: their parameter schemas (one discriminated union) and one `buildFamily`
 * dispatch. Adding a family = one file in this folder plus one line in each list below.
 */
import { z } from "zod";
import type { FamilyModel } from "../family.js";
import { buildCsv, csvParamsSchema } from "./csv.js";
import { buildIid, iidParamsSchema } from "./iid.js";
import { buildImage, imageParamsSchema } from "./image.js";
import { buildJsonLogs, jsonLogsParamsSchema } from "./json-logs.js";
import { buildMarkov, markovParamsSchema } from "./markov.js";
import { buildRandom, randomParamsSchema } from "./random.js";
import { buildRepetitive, repetitiveParamsSchema } from "./repetitive.js";
import { buildSparse, sparseParamsSchema } from "./sparse.js";
import { buildText, textParamsSchema } from "./text.js";
import { buildTimeseries, timeseriesParamsSchema } from "./timeseries.js";

/** Parameter schemas of every non-mixture family, keyed by family id. */
export const FAMILY_PARAMS = {
  iid: iidParamsSchema,
  markov: markovParamsSchema,
  text: textParamsSchema,
  "json-logs": jsonLogsParamsSchema,
  csv: csvParamsSchema,
  timeseries: timeseriesParamsSchema,
  image: imageParamsSchema,
  sparse: sparseParamsSchema,
  repetitive: repetitiveParamsSchema,
  random: randomParamsSchema,
} as const;

/** The id of a non-mixture family. */
export type FamilyId = keyof typeof FAMILY_PARAMS;

/** Parameters of any non-mixture family: a discriminated union on `family`. */
export const familyParamsSchema = z.discriminatedUnion("family", [
  iidParamsSchema,
  markovParamsSchema,
  textParamsSchema,
  jsonLogsParamsSchema,
  csvParamsSchema,
  timeseriesParamsSchema,
  imageParamsSchema,
  sparseParamsSchema,
  repetitiveParamsSchema,
  randomParamsSchema,
]);

/** Parameters of any non-mixture family (parsed). */
export type FamilyParams = z.output<typeof familyParamsSchema>;

/**
 * Builds the model of one non-mixture family from its parsed parameters and seed (deterministic).
 *
 * @example
 * ```ts
 * buildFamily({ family: "random" }, 1).entropy; // { bitsPerByte: 8, exact: true }
 * ```
 */
export function buildFamily(params: FamilyParams, seed: number): FamilyModel {
  switch (params.family) {
    case "iid":
      return buildIid(params);
    case "markov":
      return buildMarkov(params, seed);
    case "text":
      return buildText(params, seed);
    case "json-logs":
      return buildJsonLogs(params, seed);
    case "csv":
      return buildCsv(params, seed);
    case "timeseries":
      return buildTimeseries(params, seed);
    case "image":
      return buildImage(params);
    case "sparse":
      return buildSparse(params);
    case "repetitive":
      return buildRepetitive(params, seed);
    case "random":
      return buildRandom();
  }
}
