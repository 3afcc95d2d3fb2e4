import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { codeOf } from "../../codecs/test-utils/errors.js";
import {
  expectEdgeRoundTrips,
  expectPropertyRoundTrips,
  fuzzStageDecoder,
} from "../../codecs/test-utils/stage-checks.js";
import { ErrorCode } from "../../errors.js";
import { fuzzFrames } from "../../pipeline/test-utils/fuzz.js";
import { textBytes } from "../../pipeline/test-utils/inputs.js";
import { sais } from "./kernel.js";
import { bwtDecode, bwtEncode } from "./transform.js";

function naiveSuffixArray(s: Int32Array): number[] {
  const idx = Array.from({ length: s.length }, (_, i) => i);
  return idx.sort((a, b) => {
    for (;;) {
      if (a === s.length) return -1;
      if (b === s.length) return 1;
      if (s[a] !== s[b]) return s[a] - s[b];
      a++;
      b++;
    }
  });
}

function suffixArrayOf(bytes: Uint8Array, alphabet: number): number[] {
  const n = bytes.length + 1;
  const s = new Int32Array(n);
  for (let i = 0; i < bytes.length; i++) s[i] = (bytes[i] % alphabet) + 1;
  const sa = new Int32Array(n);
  sais(s, sa, n, alphabet, new Int32Array(2 * n + 2 * alphabet + 8));
  expect(Array.from(sa)).toEqual(naiveSuffixArray(s));
  return Array.from(sa);
}

describe("bwt", () => {
  it("SA-IS matches a naive suffix sort (property, small alphabets force deep recursion)", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 400 }),
        fc.integer({ min: 1, max: 256 }),
        (bytes, k) => {
          suffixArrayOf(bytes, k);
        },
      ),
      { numRuns: 300, seed: 5 },
    );
    suffixArrayOf(new Uint8Array(1000).fill(0), 1);
  });

  it("transforms banana like the textbook", () => {
    const out = bwtEncode(new TextEncoder().encode("banana"), 1024);
    const view = new DataView(out.buffer);
    expect(view.getUint32(0, true)).toBe(6);
    // rows: $banana a$banan ana$ban anana$b banana$ na$bana nana$ba → last column a n n b $ a a
    expect(view.getUint32(8, true)).toBe(4);
    expect(new TextDecoder().decode(out.subarray(12))).toBe("annbaa");
    expect(new TextDecoder().decode(bwtDecode(out, 6))).toBe("banana");
  });

  it("round-trips edge inputs through frames", () => expectEdgeRoundTrips("bwt>store"));
  it("round-trips arbitrary inputs with tiny and default blocks (property)", () => {
    expectPropertyRoundTrips("bwt>store");
    expectPropertyRoundTrips("bwt:1>store", 30);
  });
  it("round-trips the bzip2-like chains", () => {
    expectEdgeRoundTrips("bwt>mtf>rle>huffman");
    expectEdgeRoundTrips("bwt>mtf>rle>rans");
    expectPropertyRoundTrips("bwt:1>mtf>rle>huffman", 40);
    expectPropertyRoundTrips("bwt>mtf>rle>rans", 40);
  });

  it("makes text much more compressible for order-0 coders", () => {
    const text = textBytes(100_000, 2);
    const plain = bwtEncode(text, 1 << 20);
    let repeats = 0;
    for (let i = 13; i < plain.length; i++) if (plain[i] === plain[i - 1]) repeats++;
    expect(repeats / text.length).toBeGreaterThan(0.6);
  });

  it("throws coded errors on bad headers", () => {
    const packed = bwtEncode(textBytes(3000, 1), 1024);
    expect(codeOf(() => bwtDecode(packed.subarray(0, 7), 1 << 20))).toBe(ErrorCode.TRUNCATED);
    expect(codeOf(() => bwtDecode(packed.subarray(0, packed.length - 1), 1 << 20))).toBe(ErrorCode.TRUNCATED);
    expect(codeOf(() => bwtDecode(Uint8Array.of(...packed, 0), 1 << 20))).toBe(ErrorCode.CORRUPT);
    expect(codeOf(() => bwtDecode(packed, 2999))).toBe(ErrorCode.OUTPUT_LIMIT);
    const zeroBlock = packed.slice();
    zeroBlock.fill(0, 4, 8);
    expect(codeOf(() => bwtDecode(zeroBlock, 1 << 20))).toBe(ErrorCode.CORRUPT);
    const badPrimary = packed.slice();
    new DataView(badPrimary.buffer).setUint32(8, 1025, true);
    expect(codeOf(() => bwtDecode(badPrimary, 1 << 20))).toBe(ErrorCode.CORRUPT);
  });

  it("survives 10,000 mutated frames with exact output or coded errors", () => {
    for (const [spec, seed] of [
      ["bwt:1>store", 305],
      ["bwt>mtf>rle>huffman", 306],
    ] as const) {
      const outcome = fuzzFrames(spec, 10_000, seed);
      expect(outcome.failures).toEqual([]);
      expect(outcome.decodedExactly + outcome.codedErrors).toBe(10_000);
      expect(outcome.codedErrors).toBeGreaterThan(5_000);
    }
  });

  it("decoder survives mutated bare payloads", () => {
    expect(fuzzStageDecoder("bwt", 3000)).toBeGreaterThan(500);
  });
});
