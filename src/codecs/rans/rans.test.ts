import { describe, expect, it } from "vitest";
import { entropyEfficiency } from "../../datasets/entropy.js";
import { entropyRate, generateBytes } from "../../datasets/generate.js";
import { ErrorCode } from "../../errors.js";
import { fuzzFrames } from "../../pipeline/test-utils/fuzz.js";
import { textBytes } from "../../pipeline/test-utils/inputs.js";
import { codeOf } from "../test-utils/errors.js";
import {
  expectEdgeRoundTrips,
  expectPropertyRoundTrips,
  fuzzStageDecoder,
} from "../test-utils/stage-checks.js";
import { quantizeFrequencies, ransDecode, ransEncode } from "./codec.js";

describe("rans", () => {
  it("quantises counts to exactly 2^scale with every present symbol >= 1", () => {
    const counts = new Uint32Array(256);
    counts[0] = 1_000_000;
    for (let s = 1; s < 256; s++) counts[s] = s % 3 === 0 ? 1 : 0;
    const total = counts.reduce((a, b) => a + b, 0);
    for (const scale of [8, 12, 16]) {
      const freq = quantizeFrequencies(counts, total, scale);
      expect(freq.reduce((a, b) => a + b, 0)).toBe(2 ** scale);
      for (let s = 0; s < 256; s++) expect(freq[s] > 0).toBe(counts[s] > 0);
    }
  });

  it("round-trips edge inputs through frames", () => expectEdgeRoundTrips("rans"));
  it("round-trips arbitrary inputs (property)", () => expectPropertyRoundTrips("rans"));
  it("round-trips at the lowest and highest precision", () => {
    const text = textBytes(30_000, 4);
    for (const scale of [8, 16])
      expect(Buffer.compare(ransDecode(ransEncode(text, scale), 1 << 20), text)).toBe(0);
  });

  it("reaches entropy efficiency >= 0.99 on 1 MiB of i.i.d. Zipf(1.0) over 256 symbols", async () => {
    const config = {
      family: "iid",
      alphabet: 256,
      distribution: { kind: "zipf", s: 1.0 },
      totalBytes: 1 << 20,
      seed: 1,
    } as const;
    const data = await generateBytes(config);
    const h = entropyRate(config).bitsPerByte;
    const efficiency = entropyEfficiency(data.length, h, ransEncode(data, 15).length);
    expect(efficiency).toBeGreaterThanOrEqual(0.99);
    expect(efficiency).toBeLessThanOrEqual(1.001);
  });

  it("throws coded errors on truncated, corrupt and oversized payloads", () => {
    const packed = ransEncode(textBytes(5000, 3), 15);
    expect(codeOf(() => ransDecode(packed.subarray(0, 2), 1 << 20))).toBe(ErrorCode.TRUNCATED);
    expect(codeOf(() => ransDecode(packed.subarray(0, 30), 1 << 20))).toBe(ErrorCode.TRUNCATED);
    expect(codeOf(() => ransDecode(packed.subarray(0, 60), 1 << 20))).toBe(ErrorCode.TRUNCATED);
    expect(codeOf(() => ransDecode(packed.subarray(0, packed.length - 9), 1 << 20))).toBe(
      ErrorCode.TRUNCATED,
    );
    expect(codeOf(() => ransDecode(packed, 4999))).toBe(ErrorCode.OUTPUT_LIMIT);
    const badScale = packed.slice();
    badScale[4] = 20;
    expect(codeOf(() => ransDecode(badScale, 1 << 20))).toBe(ErrorCode.CORRUPT);
    const extra = new Uint8Array(packed.length + 1);
    extra.set(packed);
    expect(codeOf(() => ransDecode(extra, 1 << 20))).toBe(ErrorCode.CORRUPT);
    // a frequency table that does not sum to 2^scale
    const lone = ransEncode(new Uint8Array(10).fill(7), 15);
    const short = lone.slice();
    short[short.length - 5] = 3;
    expect(codeOf(() => ransDecode(short, 1 << 20))).toBe(ErrorCode.CORRUPT);
    // a final state that is not the start state
    const flipped = packed.slice();
    flipped[flipped.length - 1] ^= 0x55;
    expect(codeOf(() => ransDecode(flipped, 1 << 20))).toMatch(/E_CORRUPT|E_TRUNCATED/);
  });

  it("survives 10,000 mutated frames with exact output or coded errors", () => {
    const outcome = fuzzFrames("rans", 10_000, 302);
    expect(outcome.failures).toEqual([]);
    expect(outcome.decodedExactly + outcome.codedErrors).toBe(10_000);
    expect(outcome.codedErrors).toBeGreaterThan(5_000);
  });

  it("decoder survives mutated bare payloads", () => {
    expect(fuzzStageDecoder("rans", 3000)).toBeGreaterThan(1000);
  });
});
