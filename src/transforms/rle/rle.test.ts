import { describe, expect, it } from "vitest";
import { codeOf } from "../../codecs/test-utils/errors.js";
import {
  expectEdgeRoundTrips,
  expectPropertyRoundTrips,
  fuzzStageDecoder,
} from "../../codecs/test-utils/stage-checks.js";
import { ErrorCode } from "../../errors.js";
import { fuzzFrames } from "../../pipeline/test-utils/fuzz.js";
import { randomBytes } from "../../pipeline/test-utils/inputs.js";
import { rleTransform } from "./transform.js";

const limits = { maxOutputBytes: 1 << 20 };
const body = (u8: Uint8Array) => Array.from(u8.subarray(4));

describe("rle", () => {
  it("codes zero runs with bijective base-2 RUNA/RUNB digits and shifts other bytes", () => {
    const zero = { mode: "zero" } as const;
    // runs 1, 2, 3, 4 → A, B, AA, BA; literal 5 → 6; 254 → 255 0; 255 → 255 1
    const input = Uint8Array.of(0, 5, 0, 0, 5, 0, 0, 0, 5, 0, 0, 0, 0, 254, 255);
    expect(body(rleTransform.encode(input, zero))).toEqual([0, 6, 1, 6, 0, 0, 6, 1, 0, 255, 0, 255, 1]);
    expect(rleTransform.decode(rleTransform.encode(input, zero), zero, limits)).toEqual(input);
    // a run of a million zeros costs ~20 digits
    expect(rleTransform.encode(new Uint8Array(1 << 20), zero).length).toBeLessThan(30);
  });

  it("codes byte runs as four bytes and a count", () => {
    const byte = { mode: "byte" } as const;
    const input = Uint8Array.of(7, 7, 7, 7, 7, 7, 1, 2, 2, 2, 2);
    expect(body(rleTransform.encode(input, byte))).toEqual([7, 7, 7, 7, 2, 1, 2, 2, 2, 2, 0]);
    expect(rleTransform.decode(rleTransform.encode(input, byte), byte, limits)).toEqual(input);
  });

  it("keeps output within 2n + 64 bytes", () => {
    const worst = new Uint8Array(1000).fill(255);
    expect(rleTransform.encode(worst, { mode: "zero" }).length).toBeLessThanOrEqual(2 * 1000 + 64);
    const fours = new Uint8Array(1000).map((_, i) => (i >> 2) & 1);
    expect(rleTransform.encode(fours, { mode: "byte" }).length).toBeLessThanOrEqual(2 * 1000 + 64);
  });

  it("round-trips edge and arbitrary inputs through frames in both modes", () => {
    expectEdgeRoundTrips("rle>store");
    expectEdgeRoundTrips("rle:byte>store");
    expectPropertyRoundTrips("rle>store");
    expectPropertyRoundTrips("rle:byte>store");
    expectPropertyRoundTrips("mtf>rle>huffman", 40);
  });

  it("throws coded errors on bad streams", () => {
    const zero = { mode: "zero" } as const;
    const byte = { mode: "byte" } as const;
    const stream = (n: number, ...bytes: number[]) => {
      const out = new Uint8Array(4 + bytes.length);
      new DataView(out.buffer).setUint32(0, n, true);
      out.set(bytes, 4);
      return out;
    };
    expect(codeOf(() => rleTransform.decode(Uint8Array.of(1, 0), zero, limits))).toBe(ErrorCode.TRUNCATED);
    expect(codeOf(() => rleTransform.decode(stream(5, 6), zero, limits))).toBe(ErrorCode.TRUNCATED);
    expect(codeOf(() => rleTransform.decode(stream(1, 255), zero, limits))).toBe(ErrorCode.TRUNCATED);
    expect(codeOf(() => rleTransform.decode(stream(1, 255, 2), zero, limits))).toBe(ErrorCode.CORRUPT);
    expect(codeOf(() => rleTransform.decode(stream(2, 1, 1), zero, limits))).toBe(ErrorCode.CORRUPT);
    expect(codeOf(() => rleTransform.decode(stream(1, 6, 6), zero, limits))).toBe(ErrorCode.CORRUPT);
    expect(codeOf(() => rleTransform.decode(stream(10, 0), zero, { maxOutputBytes: 9 }))).toBe(
      ErrorCode.OUTPUT_LIMIT,
    );
    // a run of 40 RUNB digits would be astronomically long: rejected at once
    expect(codeOf(() => rleTransform.decode(stream(100, ...new Array(40).fill(1)), zero, limits))).toBe(
      ErrorCode.CORRUPT,
    );
    expect(codeOf(() => rleTransform.decode(stream(4, 3, 3, 3, 3), byte, limits))).toBe(ErrorCode.TRUNCATED);
    expect(codeOf(() => rleTransform.decode(stream(9, 3, 3, 3, 3, 252), byte, limits))).toBe(
      ErrorCode.CORRUPT,
    );
    expect(codeOf(() => rleTransform.decode(stream(5, 3, 3, 3, 3, 2), byte, limits))).toBe(ErrorCode.CORRUPT);
    expect(codeOf(() => rleTransform.decode(stream(1, 3, 3), byte, limits))).toBe(ErrorCode.CORRUPT);
    expect(rleTransform.decode(stream(3, 9, 0, 9), byte, limits)).toEqual(Uint8Array.of(9, 0, 9));
    expect(rleTransform.encode(randomBytes(10, 1), byte).length).toBe(14);
  });

  it("survives 10,000 mutated frames per mode with exact output or coded errors", () => {
    for (const [spec, seed] of [
      ["rle>store", 308],
      ["rle:byte>store", 309],
    ] as const) {
      const outcome = fuzzFrames(spec, 10_000, seed);
      expect(outcome.failures).toEqual([]);
      expect(outcome.decodedExactly + outcome.codedErrors).toBe(10_000);
      expect(outcome.codedErrors).toBeGreaterThan(5_000);
    }
  });

  it("decoder survives mutated bare payloads", () => {
    expect(fuzzStageDecoder("rle", 3000)).toBeGreaterThan(500);
  });
});
