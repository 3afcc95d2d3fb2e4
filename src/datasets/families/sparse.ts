/**
 * `sparse`: mostly zeros, with runs. The stream alternates a run of zeros (length ≥ 1, geometric with mean
 * `zeroRunMean`) and a run of non-zero bytes (length ≥ 1, geometric with mean `dataRunMean`, values uniform in
 * 1…255).
 *
 * Entropy rate (exact, by the renewal-reward theorem; the stream decodes back to the run lengths and values):
 * `(H(geom zero run) + H(geom data run) + dataRunMean·log2 255) / (zeroRunMean + dataRunMean)`.
 */
import { z } from "zod";
import type { Rng } from "../../rng.js";
import { geometricEntropy } from "../entropy.js";
import type { FamilyModel, FamilySource } from "../family.js";

/** Parameters of the `sparse` family. */
export const sparseParamsSchema = z.object({
  family: z.literal("sparse"),
  zeroRunMean: z.number().min(1).max(1e9).default(64).describe("mean length of a run of zeros (>= 1)"),
  dataRunMean: z
    .number()
    .min(1)
    .max(1e9)
    .default(4)
    .describe("mean length of a run of non-zero bytes (>= 1)"),
});

/** Parameters of the `sparse` family (parsed). */
export type SparseParams = z.output<typeof sparseParamsSchema>;

/** A geometric length on {1, 2, …} with the given mean, by inversion. */
function geometricLength(rng: Rng, mean: number): number {
  if (mean <= 1) return 1;
  const p = 1 / mean;
  const u = 1 - rng.nextFloat(); // (0, 1]
  return 1 + Math.floor(Math.log(u) / Math.log(1 - p));
}

/**
 * Builds the `sparse` model.
 *
 * @example
 * ```ts
 * buildSparse(sparseParamsSchema.parse({ family: "sparse" })).entropy.exact; // true
 * ```
 */
export function buildSparse(params: SparseParams): FamilyModel {
  const { zeroRunMean, dataRunMean } = params;
  const bits =
    (geometricEntropy(1 / zeroRunMean) + geometricEntropy(1 / dataRunMean) + dataRunMean * Math.log2(255)) /
    (zeroRunMean + dataRunMean);
  return {
    entropy: { bitsPerByte: bits, exact: true },
    createSource(rng: Rng): FamilySource {
      let inZeros = true;
      let left = geometricLength(rng, zeroRunMean);
      return {
        fill(out) {
          let i = 0;
          while (i < out.length) {
            if (left === 0) {
              inZeros = !inZeros;
              left = geometricLength(rng, inZeros ? zeroRunMean : dataRunMean);
            }
            const take = Math.min(left, out.length - i);
            if (inZeros) out.fill(0, i, i + take);
            else for (let k = 0; k < take; k++) out[i + k] = 1 + rng.nextInt(255);
            i += take;
            left -= take;
          }
        },
      };
    },
  };
}
