/**
 * `random`: incompressible uniform bytes straight from the generator. Entropy exactly 8 bits per byte.
 */
import { z } from "zod";
import type { Rng } from "../../rng.js";
import type { FamilyModel } from "../family.js";

/** Parameters of the `random` family (none besides the family). */
export const randomParamsSchema = z.object({ family: z.literal("random") });

/** Parameters of the `random` family (parsed). */
export type RandomParams = z.output<typeof randomParamsSchema>;

/**
 * Builds the `random` model.
 *
 * @example
 * ```ts
 * buildRandom().entropy; // { bitsPerByte: 8, exact: true }
 * ```
 */
export function buildRandom(): FamilyModel {
  return {
    entropy: { bitsPerByte: 8, exact: true },
    createSource: (rng: Rng) => ({ fill: (out) => rng.fillBytes(out) }),
  };
}
