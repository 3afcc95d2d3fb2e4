/**
 * `SyntheticDataConfig`: the zod schema of a synthetic dataset — a family with its parameters, plus the total
 * size, block size, seed, and optional name and task label. A discriminated union on `family`.
 */
import { z } from "zod";
import { ErrorCode, err } from "../errors.js";
import { FAMILY_PARAMS } from "./families/index.js";
import { mixtureParamsSchema } from "./families/mixture.js";

/** Fields every synthetic dataset config has, whatever its family. */
export const commonConfigShape = {
  totalBytes: z.number().int().positive().describe("bytes to generate in total"),
  blockBytes: z
    .number()
    .int()
    .positive()
    .max(1 << 30)
    .default(65536)
    .describe("bytes per block (the last block may be shorter)"),
  seed: z.number().int().refine(Number.isSafeInteger, "seed must be a safe integer").default(0),
  name: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/, "use letters, digits, '.', '_' or '-'")
    .optional()
    .describe("dataset id; default: family plus a hash of the config"),
  task: z.string().min(1).optional().describe("task label of every block; default: the family"),
};

/** The schema of a synthetic dataset config. */
export const SyntheticDataConfig = z.discriminatedUnion("family", [
  FAMILY_PARAMS.iid.extend(commonConfigShape),
  FAMILY_PARAMS.markov.safeExtend(commonConfigShape),
  FAMILY_PARAMS.text.extend(commonConfigShape),
  FAMILY_PARAMS["json-logs"].extend(commonConfigShape),
  FAMILY_PARAMS.csv.extend(commonConfigShape),
  FAMILY_PARAMS.timeseries.extend(commonConfigShape),
  FAMILY_PARAMS.image.safeExtend(commonConfigShape),
  FAMILY_PARAMS.sparse.extend(commonConfigShape),
  FAMILY_PARAMS.repetitive.extend(commonConfigShape),
  FAMILY_PARAMS.random.extend(commonConfigShape),
  mixtureParamsSchema.extend(commonConfigShape),
]);

/** A parsed (defaults filled) synthetic dataset config. */
export type SyntheticDataConfig = z.output<typeof SyntheticDataConfig>;
/** A synthetic dataset config as written by a user (defaults optional). */
export type SyntheticDataConfigInput = z.input<typeof SyntheticDataConfig>;

/**
 * Validates a config; on failure throws `E_INVALID_CONFIG` whose message holds zod's prettified issues with
 * their paths (e.g. `✖ Too small: expected number to be >=2\n  → at alphabet`).
 *
 * @example
 * ```ts
 * const config = parseDataConfig({ family: "iid", alphabet: 16, totalBytes: 1 << 20, seed: 1 });
 * config.blockBytes; // 65536
 * ```
 */
export function parseDataConfig(input: unknown): SyntheticDataConfig {
  const parsed = SyntheticDataConfig.safeParse(input);
  if (!parsed.success) {
    throw err(
      ErrorCode.INVALID_CONFIG,
      `invalid dataset config:\n${z.prettifyError(parsed.error)}\nfix the fields named after "→ at"`,
      parsed.error,
    );
  }
  return parsed.data;
}
