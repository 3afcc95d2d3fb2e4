/** The random baseline: a seeded uniform choice per block. */
import { ErrorCode, err } from "../../errors.js";
import { createRng } from "../../rng.js";
import type { Selector } from "../types.js";

/**
 * A selector that picks a uniformly random pipeline per block, from a seeded stream (the same seed and call
 * sequence give the same choices).
 *
 * @example
 * ```ts
 * randomSelector(portfolio.pipelines.length, 7).select(features);
 * ```
 */
export function randomSelector(pipelineCount: number, seed = 0): Selector {
  if (!Number.isInteger(pipelineCount) || pipelineCount < 1) {
    throw err(ErrorCode.INVALID_CONFIG, `random selector needs at least one pipeline, got ${pipelineCount}`);
  }
  const rng = createRng(seed);
  return {
    name: `random(seed=${seed})`,
    usesFeatures: false,
    select: (features) => features.map(() => rng.nextInt(pipelineCount)),
  };
}
