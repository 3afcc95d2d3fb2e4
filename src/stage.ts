/**
 * The contract shared by every codec and transform: the two kinds of pipeline stage.
 * Codecs and transforms import this file and `errors.ts`, and nothing else of metacomp.
 */
import type { z } from "zod";
import { ErrorCode, err } from "./errors.js";

/** Limits a decoder must respect. Decoders never allocate more than `maxOutputBytes` of output. */
export interface DecodeLimits {
  /** The largest output this decode may produce, in bytes. */
  readonly maxOutputBytes: number;
}

/** A param value as written in a pipeline spec. */
export type ParamValue = number | string;

/**
 * One reversible stage of a pipeline. A `transform` keeps data the same size (or nearly) and makes it easier to
 * compress; a `codec` compresses. A pipeline is any number of transforms followed by exactly one codec.
 */
export interface Stage<P extends Record<string, ParamValue> = Record<string, ParamValue>> {
  /** Short lowercase id used in spec strings, e.g. `zstd`. */
  readonly id: string;
  /** Bumped whenever the stage's output format changes; frames keep decoding with old versions. */
  readonly version: number;
  readonly kind: "codec" | "transform";
  /** One-line description for `metacomp stages` and docs. */
  readonly summary: string;
  /** Params schema; every field has a default so that a bare id is a valid stage. */
  readonly params: z.ZodType<P>;
  /** The order in which positional spec params map onto param names: `zstd:19` → `{ level: 19 }`. */
  readonly positional: readonly (keyof P & string)[];
  encode(input: Uint8Array, params: P): Uint8Array;
  /** `version`: the stage format that wrote `input` (default: the current {@link Stage.version}). */
  decode(input: Uint8Array, params: P, limits: DecodeLimits, version?: number): Uint8Array;
}

/** A stage whose param type has been erased, as it sits in a registry. */
// biome-ignore lint/suspicious/noExplicitAny: params are validated by the stage's own schema before use.
export type AnyStage = Stage<any>;

/**
 * Declares a stage with full type inference of its params.
 *
 * @example
 * ```ts
 * const store = defineStage({ id: "store", version: 1, kind: "codec", summary: "identity",
 *   params: z.object({}), positional: [], encode: (u8) => u8.slice(), decode: (u8) => u8.slice() });
 * ```
 */
export function defineStage<P extends Record<string, ParamValue>>(stage: Stage<P>): Stage<P> {
  return stage;
}

/**
 * Throws `E_OUTPUT_LIMIT` when a decoder would produce more than the limit allows.
 *
 * @example
 * ```ts
 * checkOutputLimit("lz4", declaredLength, limits);
 * ```
 */
export function checkOutputLimit(stageId: string, outputBytes: number, limits: DecodeLimits): void {
  if (outputBytes > limits.maxOutputBytes) {
    throw err(
      ErrorCode.OUTPUT_LIMIT,
      `${stageId}: output of ${outputBytes} bytes exceeds maxOutputBytes=${limits.maxOutputBytes}; ` +
        "raise maxOutputBytes if the input is trusted",
    );
  }
}

/**
 * Wraps a third-party decoder's failure in an `E_CORRUPT` error that names the stage.
 *
 * @example
 * ```ts
 * return decodeGuard("brotli", () => brotliDecompressSync(input));
 * ```
 */
export function decodeGuard<T>(stageId: string, decode: () => T): T {
  try {
    return decode();
  } catch (e) {
    if (e instanceof Error && e.name === "MetacompError") throw e;
    const message = e instanceof Error ? e.message : String(e);
    throw err(ErrorCode.CORRUPT, `${stageId}: payload does not decode (${message}); the data is corrupt`, e);
  }
}
