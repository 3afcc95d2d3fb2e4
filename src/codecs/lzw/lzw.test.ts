import { describe, expect, it } from "vitest";
import { ErrorCode } from "../../errors.js";
import { fuzzFrames } from "../../pipeline/test-utils/fuzz.js";
import { randomBytes, textBytes } from "../../pipeline/test-utils/inputs.js";
import { BitWriter } from "../huffman/kernel.js";
import { codeOf } from "../test-utils/errors.js";
import {
  expectEdgeRoundTrips,
  expectPropertyRoundTrips,
  fuzzStageDecoder,
} from "../test-utils/stage-checks.js";
import { lzwDecode, lzwEncode } from "./codec.js";

describe("lzw", () => {
  it("round-trips edge inputs through frames", () => expectEdgeRoundTrips("lzw"));
  it("round-trips arbitrary inputs (property)", () => expectPropertyRoundTrips("lzw"));
  it("round-trips across many dictionary resets at 9 bits", () => {
    for (const input of [textBytes(100_000, 5), randomBytes(20_000, 5), new Uint8Array(200_000).fill(1)]) {
      expect(Buffer.compare(lzwDecode(lzwEncode(input, 9), 1 << 20), input)).toBe(0);
    }
    expectPropertyRoundTrips("lzw:9", 30);
  });

  it("compresses the classic example and repetitive text", () => {
    const text = textBytes(100_000, 6);
    expect(lzwEncode(text, 16).length).toBeLessThan(text.length / 2.5);
  });

  it("throws coded errors on truncated, corrupt and oversized payloads", () => {
    const packed = lzwEncode(textBytes(5000, 3), 12);
    expect(codeOf(() => lzwDecode(packed.subarray(0, 4), 1 << 20))).toBe(ErrorCode.TRUNCATED);
    expect(codeOf(() => lzwDecode(packed.subarray(0, packed.length - 30), 1 << 20))).toBe(
      ErrorCode.TRUNCATED,
    );
    expect(codeOf(() => lzwDecode(packed, 4999))).toBe(ErrorCode.OUTPUT_LIMIT);
    const header = (n: number, bits: number) => {
      const w = new BitWriter(new Uint8Array(64));
      w.writeLong(n, 32);
      w.write(bits - 9, 4);
      return w;
    };
    const wide = header(5, 17);
    expect(codeOf(() => lzwDecode(wide.out.subarray(0, wide.finish()), 1 << 20))).toBe(ErrorCode.CORRUPT);
    // first code after a reset must be a byte
    const phrase = header(5, 12);
    phrase.write(300, 9);
    expect(codeOf(() => lzwDecode(phrase.out.subarray(0, phrase.finish()), 1 << 20))).toBe(ErrorCode.CORRUPT);
    // a code beyond the next free one
    const ahead = header(5, 12);
    ahead.write(65, 9);
    ahead.write(400, 9);
    expect(codeOf(() => lzwDecode(ahead.out.subarray(0, ahead.finish()), 1 << 20))).toBe(ErrorCode.CORRUPT);
    // CLEAR then a byte, and a phrase longer than the output
    const over = header(2, 12);
    over.write(256, 9);
    over.write(65, 9);
    over.write(257, 9);
    expect(codeOf(() => lzwDecode(over.out.subarray(0, over.finish()), 1 << 20))).toBe(ErrorCode.CORRUPT);
  });

  it("survives 10,000 mutated frames with exact output or coded errors", () => {
    const outcome = fuzzFrames("lzw", 10_000, 304);
    expect(outcome.failures).toEqual([]);
    expect(outcome.decodedExactly + outcome.codedErrors).toBe(10_000);
    expect(outcome.codedErrors).toBeGreaterThan(5_000);
  });

  it("decoder survives mutated bare payloads", () => {
    expect(fuzzStageDecoder("lzw", 3000)).toBeGreaterThan(500);
  });
});
