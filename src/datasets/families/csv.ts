/**
 * `csv`: a header line, then rows of numeric and categorical columns, each with its own distribution: a running
 * `sequence`, `normal(mean, sd)` printed with fixed decimals, `uniform` integers, `category` levels with Zipf
 * frequencies, and a `walk` (random walk with fixed decimals).
 *
 * Entropy rate: an estimate (`exact: false`) — self-information of the choices per byte over a 256 KiB sample
 * (normal values are tallied by their rounded probability).
 */
import { z } from "zod";
import { createRng, deriveSeed, type Rng } from "../../rng.js";
import { Chooser, categorical, estimateRate, zipfWeights } from "../choices.js";
import { chunkedSource, type FamilyModel, type FamilySource } from "../family.js";

const column = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("sequence"),
    name: z.string().default("id"),
    start: z.number().int().default(1),
  }),
  z.object({
    type: z.literal("normal"),
    name: z.string().default("value"),
    mean: z.number().default(0),
    sd: z.number().positive().default(1),
    decimals: z.number().int().min(0).max(10).default(2),
  }),
  z.object({
    type: z.literal("uniform"),
    name: z.string().default("count"),
    min: z.number().int().default(0),
    max: z.number().int().default(100),
  }),
  z.object({
    type: z.literal("category"),
    name: z.string().default("label"),
    levels: z.number().int().min(1).max(100000).default(10),
    zipfS: z.number().min(0).max(5).default(1),
  }),
  z.object({
    type: z.literal("walk"),
    name: z.string().default("price"),
    start: z.number().default(100),
    sd: z.number().positive().default(0.5),
    decimals: z.number().int().min(0).max(10).default(2),
  }),
]);

/** Parameters of the `csv` family. */
export const csvParamsSchema = z.object({
  family: z.literal("csv"),
  columns: z
    .array(column)
    .min(1)
    .default([
      { type: "sequence", name: "id", start: 1 },
      { type: "category", name: "city", levels: 50, zipfS: 1 },
      { type: "normal", name: "temperature", mean: 15, sd: 8, decimals: 1 },
      { type: "uniform", name: "visits", min: 0, max: 999 },
      { type: "walk", name: "price", start: 100, sd: 0.5, decimals: 2 },
    ]),
});

/** Parameters of the `csv` family (parsed). */
export type CsvParams = z.output<typeof csvParamsSchema>;

const LOG2_SQRT_2PI_E = 0.5 * Math.log2(2 * Math.PI * Math.E);

function rowWriter(params: CsvParams, c: Chooser): () => string {
  const writers = params.columns.map((col): (() => string) => {
    switch (col.type) {
      case "sequence": {
        let next = col.start;
        return () => String(next++);
      }
      case "normal":
        return () => {
          // tally the (approximate) information of a value rounded to 10^-decimals
          c.bits += LOG2_SQRT_2PI_E + Math.log2(col.sd) + col.decimals * Math.log2(10);
          return (col.mean + col.sd * c.gaussian()).toFixed(col.decimals);
        };
      case "uniform":
        return () => String(col.min + c.uniform(col.max - col.min + 1));
      case "category": {
        const dist = categorical(zipfWeights(col.levels, col.zipfS));
        return () => `${col.name}_${c.pick(dist)}`;
      }
      case "walk": {
        let x = col.start;
        return () => {
          c.bits += LOG2_SQRT_2PI_E + Math.log2(col.sd) + col.decimals * Math.log2(10);
          x += col.sd * c.gaussian();
          return x.toFixed(col.decimals);
        };
      }
      default:
        throw new Error("unreachable: unknown csv column type");
    }
  });
  return () => `${writers.map((w) => w()).join(",")}\n`;
}

/**
 * Builds the `csv` model.
 *
 * @example
 * ```ts
 * buildCsv(csvParamsSchema.parse({ family: "csv" }), 1).entropy.bitsPerByte; // an estimate
 * ```
 */
export function buildCsv(params: CsvParams, seed: number): FamilyModel {
  const header = `${params.columns.map((col) => col.name).join(",")}\n`;
  const estimator = new Chooser(createRng(deriveSeed(seed, "csv-estimate")));
  const sample = rowWriter(params, estimator);
  const bits = estimateRate(estimator, () => sample().length, 1 << 18);
  return {
    entropy: { bitsPerByte: bits, exact: false },
    createSource(rng: Rng): FamilySource {
      const next = rowWriter(params, new Chooser(rng));
      const encoder = new TextEncoder();
      let text = header;
      return chunkedSource(() => {
        while (text.length < 4096) text += next();
        const out = encoder.encode(text);
        text = "";
        return out;
      });
    },
  };
}
