/** A seeded mutation fuzzer for frames: every mutated frame must decode exactly or fail with a MetacompError. */
import { isMetacompError } from "../../errors.js";
import { createRng } from "../../rng.js";
import { compress, decompress } from "../frame.js";
import { randomBytes, textBytes } from "./inputs.js";

/** What happened to the mutated frames of one spec. */
export interface FuzzOutcome {
  readonly spec: string;
  readonly mutations: number;
  readonly decodedExactly: number;
  readonly codedErrors: number;
  /** Descriptions of mutations that crashed uncoded or returned wrong bytes: must stay empty. */
  readonly failures: string[];
}

/** Mutation choices for the fuzzers: uniform integers in [0, n), deterministic per seed. */
export function picker(seed: number): (n: number) => number {
  const rng = createRng(seed);
  return (n) => rng.nextInt(n);
}

/**
 * Mutates frames of `spec` (bit flips, byte overwrites, truncation, insertion, deletion) `count` times.
 * Inputs are small so that 10,000 mutations per codec stay fast.
 */
export function fuzzFrames(spec: string, count: number, seed = 7, maxOutputBytes = 1 << 16): FuzzOutcome {
  const pick = picker(seed);
  const originals = [
    textBytes(300, seed),
    randomBytes(200, seed),
    new Uint8Array(257).fill(3),
    textBytes(40, seed + 1),
  ];
  const frames = originals.map((o) => compress(o, spec));
  let decodedExactly = 0;
  let codedErrors = 0;
  const failures: string[] = [];
  for (let i = 0; i < count; i++) {
    const which = i % frames.length;
    const original = originals[which];
    let m: Uint8Array = frames[which].slice();
    const kind = pick(5);
    const at = pick(Math.max(1, m.length));
    if (kind === 0) m[at] ^= 1 << pick(8);
    else if (kind === 1) m[at] = pick(256);
    else if (kind === 2) m = m.subarray(0, at);
    else if (kind === 3) {
      const grown = new Uint8Array(m.length + 1);
      grown.set(m.subarray(0, at));
      grown[at] = pick(256);
      grown.set(m.subarray(at), at + 1);
      m = grown;
    } else {
      const shrunk = new Uint8Array(Math.max(0, m.length - 1));
      shrunk.set(m.subarray(0, at));
      shrunk.set(m.subarray(at + 1), at);
      m = shrunk;
    }
    try {
      const out = decompress(m, { maxOutputBytes });
      if (Buffer.compare(out, original) === 0) decodedExactly++;
      else failures.push(`#${i} kind ${kind} at ${at}: decoded to wrong bytes`);
    } catch (e) {
      if (isMetacompError(e)) codedErrors++;
      else
        failures.push(`#${i} kind ${kind} at ${at}: uncoded ${(e as Error)?.name}: ${(e as Error)?.message}`);
    }
  }
  return { spec, mutations: count, decodedExactly, codedErrors, failures: failures.slice(0, 10) };
}
