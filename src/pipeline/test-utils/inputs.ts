/** Deterministic test inputs shared by codec, transform and pipeline tests. */
import fc from "fast-check";
import { createRng } from "../../rng.js";

/** Uniform random bytes from a seed. */
export function randomBytes(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  createRng(seed).fillBytes(out);
  return out;
}

const WORDS =
  "the of and to in is that for it as with was on be by this are from at or an which compression entropy block".split(
    " ",
  );

/** English-like text from a seed. */
export function textBytes(length: number, seed = 1): Uint8Array {
  const rng = createRng(seed);
  const next = () => rng.nextFloat();
  let s = "";
  while (s.length < length) {
    s += WORDS[(next() * next() * WORDS.length) | 0];
    s += next() < 0.08 ? ".\n" : " ";
  }
  return new TextEncoder().encode(s.slice(0, length));
}

/** The named edge-case and typical inputs every round-trip test covers. */
export function edgeInputs(): Record<string, Uint8Array> {
  return {
    empty: new Uint8Array(0),
    oneByte: Uint8Array.of(0x41),
    allEqual: new Uint8Array(4099).fill(7),
    random: randomBytes(10_007, 2),
    text: textBytes(20_001, 3),
    oddLength: randomBytes(13, 4),
    oneMiB: textBytes(1 << 20, 5),
  };
}

/** fast-check arbitrary of byte arrays mixing random, repetitive and text-like content. */
export const bytesArbitrary: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 3000 }),
  fc
    .tuple(fc.uint8Array({ minLength: 1, maxLength: 16 }), fc.integer({ min: 1, max: 400 }))
    .map(([unit, reps]) => {
      const out = new Uint8Array(unit.length * reps);
      for (let i = 0; i < reps; i++) out.set(unit, i * unit.length);
      return out;
    }),
  fc.tuple(fc.integer({ min: 0, max: 5000 }), fc.integer()).map(([n, seed]) => textBytes(n, seed)),
);
