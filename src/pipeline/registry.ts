import { ErrorCode, err } from "../errors.js";
import type { AnyStage } from "../stage.js";
import { BUILTIN_STAGES } from "./stages.js";

/** A lookup table of stages by id. */
export interface StageRegistry {
  /** The stage with this id, or undefined. */
  get(id: string): AnyStage | undefined;
  /** All stages, in registration order. */
  list(): readonly AnyStage[];
}

const ID_PATTERN = /^[a-z][a-z0-9_-]*$/;

/**
 * Builds a registry from an explicit list of stages. A duplicate or malformed id is an error.
 *
 * @example
 * ```ts
 * const registry = createRegistry([...BUILTIN_STAGES, myCodec]);
 * compress(bytes, "mycodec:3", { registry });
 * ```
 */
export function createRegistry(stages: readonly AnyStage[]): StageRegistry {
  const byId = new Map<string, AnyStage>();
  for (const stage of stages) {
    if (!ID_PATTERN.test(stage.id)) {
      throw err(ErrorCode.INVALID_SPEC, `stage id "${stage.id}" must match ${ID_PATTERN}; rename the stage`);
    }
    if (byId.has(stage.id)) {
      throw err(
        ErrorCode.DUPLICATE_ID,
        `stage id "${stage.id}" is registered twice; give one of them a new id`,
      );
    }
    byId.set(stage.id, stage);
  }
  const list = [...byId.values()];
  return { get: (id) => byId.get(id), list: () => list };
}

/**
 * The registry of every built-in stage.
 *
 * @example
 * ```ts
 * defaultRegistry.list().map((s) => `${s.id}: ${s.summary}`);
 * ```
 */
export const defaultRegistry: StageRegistry = createRegistry(BUILTIN_STAGES);
