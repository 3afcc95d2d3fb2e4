/**
 * `mixture`: the drifting stream the online learner faces. The stream is a sequence of segments; each segment is
 * a run of whole blocks from one component (a family with its own parameters and task label). Segment lengths are
 * geometric with mean `meanSegmentBlocks`; the next component is drawn by weight (`schedule: "random"`) or taken
 * in turn (`"cycle"`). Each component keeps its own stream state across its segments.
 *
 * Entropy rate: the weight-averaged component rate (an estimate, `exact: false`: it ignores the few bits per
 * segment spent on switching). Each block carries its own component's entropy.
 */
import { z } from "zod";
import { familyParamsSchema } from "./index.js";

/** One component of a mixture. */
export const mixtureComponentSchema = z.object({
  task: z
    .string()
    .min(1)
    .optional()
    .describe("task label of this component's blocks; default: `<family>-<index>`"),
  weight: z.number().positive().default(1).describe("relative share of segments (random schedule)"),
  source: familyParamsSchema,
});

/** Parameters of the `mixture` family. */
export const mixtureParamsSchema = z.object({
  family: z.literal("mixture"),
  components: z.array(mixtureComponentSchema).min(1),
  meanSegmentBlocks: z
    .number()
    .min(1)
    .max(1e9)
    .default(16)
    .describe("mean blocks per segment (geometric, >= 1)"),
  schedule: z.enum(["random", "cycle"]).default("random"),
});

/** Parameters of the `mixture` family (parsed). */
export type MixtureParams = z.output<typeof mixtureParamsSchema>;
