/**
 * `repetitive`: long repeats with mutations, for LZ-style coders. A random motif of `motifBytes` bytes (fixed by
 * the seed) repeats forever; each output byte is, with probability `mutationRate`, replaced by one of the 255
 * other byte values (uniformly).
 *
 * Entropy rate (exact in the limit; the motif is a one-off cost): `h2(r) + r·log2 255` bits per byte.
 */
import { z } from "zod";
import { createRng, deriveSeed, type Rng } from "../../rng.js";
import type { FamilyModel, FamilySource } from "../family.js";

/** Parameters of the `repetitive` family. */
export const repetitiveParamsSchema = z.object({
  family: z.literal("repetitive"),
  motifBytes: z
    .number()
    .int()
    .min(1)
    .max(1 << 24)
    .default(4096)
    .describe("length of the repeated motif"),
  mutationRate: z.number().min(0).max(1).default(0.001).describe("probability that a byte is mutated"),
});

/** Parameters of the `repetitive` family (parsed). */
export type RepetitiveParams = z.output<typeof repetitiveParamsSchema>;

/**
 * Builds the `repetitive` model.
 *
 * @example
 * ```ts
 * buildRepetitive(repetitiveParamsSchema.parse({ family: "repetitive", mutationRate: 0 }), 1).entropy.bitsPerByte; // 0
 * ```
 */
export function buildRepetitive(params: RepetitiveParams, seed: number): FamilyModel {
  const r = params.mutationRate;
  const h2 = r <= 0 || r >= 1 ? 0 : -r * Math.log2(r) - (1 - r) * Math.log2(1 - r);
  const motif = new Uint8Array(params.motifBytes);
  createRng(deriveSeed(seed, "repetitive-motif")).fillBytes(motif);
  return {
    entropy: { bitsPerByte: h2 + r * Math.log2(255), exact: true },
    createSource(rng: Rng): FamilySource {
      let phase = 0;
      const logKeep = Math.log(1 - r);
      // distance (in bytes) to the next mutation: geometric on {0, 1, …}
      const nextGap = (): number =>
        r <= 0 ? Number.POSITIVE_INFINITY : r >= 1 ? 0 : Math.floor(Math.log(1 - rng.nextFloat()) / logKeep);
      let gap = nextGap();
      return {
        fill(out) {
          const m = motif.length;
          let i = 0;
          while (i < out.length) {
            const take = Math.min(out.length - i, m - phase);
            out.set(motif.subarray(phase, phase + take), i);
            let g = gap;
            while (g < take) {
              out[i + g] ^= 1 + rng.nextInt(255);
              g += 1 + nextGap();
            }
            gap = g - take;
            i += take;
            phase = (phase + take) % m;
          }
        },
      };
    },
  };
}
