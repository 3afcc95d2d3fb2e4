/** The fixed baselines: one pipeline chosen for every block. */
import { ErrorCode, err } from "../../errors.js";
import type { Selector } from "../types.js";

/**
 * A selector that always picks pipeline `index`.
 *
 * @example
 * ```ts
 * fixedSelector(3, portfolio.pipelines).select(features); // [3, 3, …]
 * ```
 */
export function fixedSelector(index: number, pipelines: readonly string[]): Selector {
  if (!Number.isInteger(index) || index < 0 || index >= pipelines.length) {
    throw err(ErrorCode.INVALID_CONFIG, `fixed pipeline index ${index} is outside 0–${pipelines.length - 1}`);
  }
  return {
    name: `fixed:${pipelines[index]}`,
    usesFeatures: false,
    select: (features) => features.map(() => index),
  };
}

/**
 * One fixed selector per pipeline of the portfolio.
 *
 * @example
 * ```ts
 * fixedSelectors(["lz4", "zstd:3"]).map((s) => s.name); // ["fixed:lz4", "fixed:zstd:3"]
 * ```
 */
export function fixedSelectors(pipelines: readonly string[]): Selector[] {
  return pipelines.map((_, i) => fixedSelector(i, pipelines));
}
