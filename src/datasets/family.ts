/**
 * The shape every generator family implements: a zod schema of its parameters and a `build` step that turns
 * parameters and a seed into a model (its entropy rate, and a factory for byte sources).
 */

import type { Rng } from "../rng.js";
import type { EntropyRate } from "./block.js";

/** An endless, stateful byte stream; each `fill` continues where the last one stopped. */
export interface FamilySource {
  /** Writes the next `out.length` bytes of the stream into `out`. */
  fill(out: Uint8Array): void;
}

/** A built family: its entropy rate and a source factory. Building is deterministic in the seed. */
export interface FamilyModel {
  readonly entropy: EntropyRate;
  /** A new source drawing its randomness from `rng`. */
  createSource(rng: Rng): FamilySource;
}

/**
 * Turns a chunk producer (records, lines, images, …) into a {@link FamilySource} that cuts the chunk stream at
 * any byte boundary. Memory: one pending chunk.
 *
 * @example
 * ```ts
 * const source = chunkedSource(() => encoder.encode(nextLine()));
 * source.fill(new Uint8Array(65536));
 * ```
 */
export function chunkedSource(nextChunk: () => Uint8Array): FamilySource {
  let pending = new Uint8Array(0);
  let at = 0;
  return {
    fill(out) {
      let o = 0;
      while (o < out.length) {
        if (at >= pending.length) {
          pending = nextChunk();
          at = 0;
          continue;
        }
        const take = Math.min(out.length - o, pending.length - at);
        out.set(pending.subarray(at, at + take), o);
        o += take;
        at += take;
      }
    },
  };
}
