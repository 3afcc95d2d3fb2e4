/** Shared checks for the pure-TypeScript codecs and transforms: round trips and stage-level decoder fuzzing. */
import fc from "fast-check";
import { expect } from "vitest";
import { isMetacompError } from "../../errors.js";
import { compress, decompress } from "../../pipeline/frame.js";
import { defaultRegistry } from "../../pipeline/registry.js";
import { picker } from "../../pipeline/test-utils/fuzz.js";
import { bytesArbitrary, edgeInputs, randomBytes, textBytes } from "../../pipeline/test-utils/inputs.js";
import type { AnyStage } from "../../stage.js";

/** Asserts that `spec` round-trips every edge input (empty, 1 byte, all equal, random, text, odd, 1 MiB). */
export function expectEdgeRoundTrips(spec: string): void {
  for (const [name, input] of Object.entries(edgeInputs())) {
    const back = decompress(compress(input, spec));
    expect(Buffer.compare(back, input), `${spec} on ${name}`).toBe(0);
  }
}

/** Property: `spec` round-trips arbitrary random, repetitive and text-like byte arrays. */
export function expectPropertyRoundTrips(spec: string, numRuns = 60): void {
  fc.assert(
    fc.property(bytesArbitrary, (input) => Buffer.compare(decompress(compress(input, spec)), input) === 0),
    { numRuns, seed: 42 },
  );
}

/**
 * Mutates a stage's own payloads (no frame around them) and decodes them directly: every decode must return bytes
 * within the limit or throw a MetacompError, never an uncoded error. Returns how many mutations threw coded errors.
 */
export function fuzzStageDecoder(stageId: string, count: number, seed = 11): number {
  const stage = defaultRegistry.get(stageId) as AnyStage;
  const params = stage.params.parse({});
  const originals = [
    textBytes(300, seed),
    randomBytes(120, seed),
    new Uint8Array(200).fill(0),
    Uint8Array.of(1),
  ];
  const payloads = originals.map((o) => stage.encode(o, params) as Uint8Array);
  const pick = picker(seed);
  const maxOutputBytes = 1 << 12;
  let coded = 0;
  for (let i = 0; i < count; i++) {
    let m = payloads[i % payloads.length].slice();
    const kind = pick(4);
    const at = pick(Math.max(1, m.length));
    if (kind === 0) m[at] ^= 1 << pick(8);
    else if (kind === 1) m[at] = pick(256);
    else if (kind === 2) m = m.subarray(0, at);
    else for (let k = 0; k < 4 && at + k < m.length; k++) m[at + k] = pick(256);
    try {
      const out = stage.decode(m, params, { maxOutputBytes });
      expect(out.length).toBeLessThanOrEqual(maxOutputBytes);
    } catch (e) {
      if (!isMetacompError(e))
        throw new Error(`${stageId} mutation #${i} (kind ${kind} at ${at}) threw uncoded: ${e}`);
      coded++;
    }
  }
  return coded;
}
