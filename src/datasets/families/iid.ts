/**
 * `iid`: independent, identically distributed symbols 0…alphabet−1 (one byte each), drawn uniform, Zipf(s) or
 * geometric(p). Entropy exact: the Shannon entropy of the exactly sampled (2^-32-quantized) distribution.
 */
import { z } from "zod";
import type { Rng } from "../../rng.js";
import { shannonEntropy } from "../entropy.js";
import type { FamilyModel, FamilySource } from "../family.js";
import { createSamplerTables, quantizeWeights, setRow, TableSampler } from "../sampler.js";

/** The distribution of an `iid` source's symbols. */
export const iidDistributionSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("uniform") }),
  z.object({
    kind: z.literal("zipf"),
    s: z.number().min(0).max(20).describe("Zipf exponent: p(rank r) ∝ r^-s"),
  }),
  z.object({
    kind: z.literal("geometric"),
    p: z.number().gt(0).lt(1).describe("success probability: p(i) ∝ (1−p)^i, truncated to the alphabet"),
  }),
]);

/** Parameters of the `iid` family. */
export const iidParamsSchema = z.object({
  family: z.literal("iid"),
  alphabet: z
    .number()
    .int()
    .min(2)
    .max(256)
    .default(256)
    .describe("number of distinct symbols (bytes 0…n−1)"),
  distribution: iidDistributionSchema.default({ kind: "uniform" }),
});

/** Parameters of the `iid` family (parsed). */
export type IidParams = z.output<typeof iidParamsSchema>;

/**
 * The probability of each symbol 0…alphabet−1 before quantization.
 *
 * @example
 * ```ts
 * iidProbabilities({ family: "iid", alphabet: 4, distribution: { kind: "uniform" } }); // [0.25, 0.25, 0.25, 0.25]
 * ```
 */
export function iidProbabilities(params: IidParams): Float64Array {
  const n = params.alphabet;
  const w = new Float64Array(n);
  const d = params.distribution;
  for (let i = 0; i < n; i++) {
    if (d.kind === "uniform") w[i] = 1;
    else if (d.kind === "zipf") w[i] = (i + 1) ** -d.s;
    else w[i] = (1 - d.p) ** i * d.p;
  }
  let sum = 0;
  for (const x of w) sum += x;
  for (let i = 0; i < n; i++) w[i] /= sum;
  return w;
}

/**
 * Builds the `iid` model: an alias table built once, and an exact entropy.
 *
 * @example
 * ```ts
 * const model = buildIid(iidParamsSchema.parse({ family: "iid", alphabet: 16 }));
 * model.entropy; // { bitsPerByte: 4, exact: true }
 * ```
 */
export function buildIid(params: IidParams): FamilyModel {
  const weights = quantizeWeights(iidProbabilities(params));
  const tables = createSamplerTables(1, params.alphabet, 16);
  setRow(tables, 0, weights);
  return {
    entropy: { bitsPerByte: shannonEntropy(weights), exact: true },
    createSource(rng: Rng): FamilySource {
      return new TableSampler(tables, rng, 0, 0);
    },
  };
}
