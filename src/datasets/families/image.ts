/**
 * `image`: 8-bit greyscale images, row-major, `width × height` bytes each, one after another. Each image is a
 * smooth field (a sum of a few random low-frequency plane waves around mid-grey) plus discrete Gaussian noise,
 * clipped to 0…255.
 *
 * Entropy rate: an estimate (`exact: false`): the noise entropy per pixel (the field has a handful of random
 * parameters per image; clipping removes a little).
 */
import { z } from "zod";
import type { Rng } from "../../rng.js";
import { chunkedSource, type FamilyModel, type FamilySource } from "../family.js";
import { discreteGaussian } from "../noise.js";

/** Parameters of the `image` family. */
export const imageParamsSchema = z
  .object({
    family: z.literal("image"),
    width: z.number().int().min(1).max(16384).default(256),
    height: z.number().int().min(1).max(16384).default(256),
    components: z.number().int().min(0).max(64).default(6).describe("plane waves in the smooth field"),
    noiseSd: z.number().min(0).max(40).default(3).describe("noise standard deviation (grey levels)"),
  })
  .refine((p) => p.width * p.height <= 1 << 26, {
    message: "width × height must be at most 2^26",
    path: ["width"],
  });

/** Parameters of the `image` family (parsed). */
export type ImageParams = z.output<typeof imageParamsSchema>;

/**
 * Builds the `image` model.
 *
 * @example
 * ```ts
 * buildImage(imageParamsSchema.parse({ family: "image", width: 64, height: 64 })).entropy.exact; // false
 * ```
 */
export function buildImage(params: ImageParams): FamilyModel {
  const { width: W, height: H, components: K } = params;
  const noise = discreteGaussian(params.noiseSd);
  return {
    entropy: { bitsPerByte: noise.entropyBits, exact: false },
    createSource(rng: Rng): FamilySource {
      const noiseSource = noise.createSource(rng);
      const pixels = new Uint8Array(W * H);
      const draws = new Uint8Array(W * H);
      const field = new Float64Array(W * H);
      const sx = new Float64Array(W);
      const cx = new Float64Array(W);
      return chunkedSource(() => {
        field.fill(128);
        for (let k = 0; k < K; k++) {
          const amp = (90 / Math.max(1, K)) * (0.5 + rng.nextFloat());
          const fx = (2 * Math.PI * (rng.nextFloat() * 4 - 2)) / W;
          const fy = (2 * Math.PI * (rng.nextFloat() * 4 - 2)) / H;
          const phase = 2 * Math.PI * rng.nextFloat();
          for (let x = 0; x < W; x++) {
            sx[x] = Math.sin(fx * x + phase);
            cx[x] = Math.cos(fx * x + phase);
          }
          for (let y = 0; y < H; y++) {
            const sy = amp * Math.sin(fy * y);
            const cy = amp * Math.cos(fy * y);
            const row = y * W;
            for (let x = 0; x < W; x++) field[row + x] += sx[x] * cy + cx[x] * sy;
          }
        }
        noiseSource.fill(draws);
        const off = noise.halfWidth;
        for (let i = 0; i < pixels.length; i++) {
          const v = Math.round(field[i]) + draws[i] - off;
          pixels[i] = Math.min(255, Math.max(0, v));
        }
        return pixels;
      });
    },
  };
}
