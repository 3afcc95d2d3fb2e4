import { deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { ErrorCode } from "../../errors.js";
import { fuzzFrames } from "../../pipeline/test-utils/fuzz.js";
import { randomBytes, textBytes } from "../../pipeline/test-utils/inputs.js";
import { BitWriter, writeCodeLengths } from "../huffman/kernel.js";
import { codeOf } from "../test-utils/errors.js";
import {
  expectEdgeRoundTrips,
  expectPropertyRoundTrips,
  fuzzStageDecoder,
} from "../test-utils/stage-checks.js";
import { lz77Decode, lz77Encode } from "./codec.js";
import { BUCKET_BASE, BUCKET_EXTRA, bucketOf, DISTANCE_BUCKETS, LITLEN_SYMBOLS } from "./kernel.js";

describe("lz77", () => {
  it("buckets cover every value exactly once", () => {
    for (let v = 0; v < 1 << 22; v += 1 + (v >>> 6)) {
      const b = bucketOf(v);
      expect(v >= BUCKET_BASE[b] && v - BUCKET_BASE[b] < 2 ** BUCKET_EXTRA[b]).toBe(true);
    }
    expect(bucketOf((1 << 22) - 1)).toBe(DISTANCE_BUCKETS - 1);
  });

  it("round-trips edge inputs through frames", () => expectEdgeRoundTrips("lz77"));
  it("round-trips arbitrary inputs (property)", () => expectPropertyRoundTrips("lz77"));
  it("round-trips at every level and small windows, across token blocks", () => {
    const input = textBytes(150_000, 8);
    for (const [level, window] of [
      [1, 10],
      [5, 12],
      [9, 22],
    ]) {
      expect(Buffer.compare(lz77Decode(lz77Encode(input, level, window), 1 << 20), input)).toBe(0);
    }
    expectPropertyRoundTrips("lz77:1:10", 30);
  });

  it("compresses text about as well as deflate at the same level", () => {
    const text = textBytes(200_000, 7);
    const ours = lz77Encode(text, 6, 15).length;
    expect(ours / deflateRawSync(text, { level: 6 }).length).toBeLessThan(1.1);
    // long matches (up to 65538 bytes) make repetition nearly free
    const repeated = new Uint8Array(500_000);
    const unit = randomBytes(1000, 2);
    for (let i = 0; i < repeated.length; i += 1000) repeated.set(unit.subarray(0, repeated.length - i), i);
    expect(lz77Encode(repeated, 6, 20).length).toBeLessThan(1500);
  });

  it("throws coded errors on truncated, corrupt and oversized payloads", () => {
    const packed = lz77Encode(textBytes(5000, 3), 6, 20);
    expect(codeOf(() => lz77Decode(packed.subarray(0, 3), 1 << 20))).toBe(ErrorCode.TRUNCATED);
    expect(codeOf(() => lz77Decode(packed.subarray(0, 30), 1 << 20))).toBe(ErrorCode.TRUNCATED);
    expect(codeOf(() => lz77Decode(packed.subarray(0, packed.length - 30), 1 << 20))).toBe(
      ErrorCode.TRUNCATED,
    );
    expect(codeOf(() => lz77Decode(packed, 4999))).toBe(ErrorCode.OUTPUT_LIMIT);
    const block = (n: number, tokens: number, lit: Uint8Array, dist: Uint8Array) => {
      const w = new BitWriter(new Uint8Array(256));
      w.writeLong(n, 32);
      w.write(tokens - 1, 16);
      writeCodeLengths(w, lit, LITLEN_SYMBOLS);
      writeCodeLengths(w, dist, DISTANCE_BUCKETS);
      return w;
    };
    const lit = new Uint8Array(LITLEN_SYMBOLS);
    const dist = new Uint8Array(DISTANCE_BUCKETS);
    // over-subscribed literal lengths
    lit[65] = 1;
    lit[66] = 1;
    lit[67] = 1;
    const over = block(3, 3, lit, dist);
    expect(codeOf(() => lz77Decode(over.out.subarray(0, over.finish()), 1 << 20))).toBe(ErrorCode.CORRUPT);
    // a match (symbol 256: length 3) before any output, with distance bucket 0 (distance 1)
    lit.fill(0);
    lit[65] = 1;
    lit[256] = 1;
    dist[0] = 1;
    const early = block(3, 1, lit, dist);
    early.write(1, 1);
    early.write(0, 1);
    expect(codeOf(() => lz77Decode(early.out.subarray(0, early.finish()), 1 << 20))).toBe(ErrorCode.CORRUPT);
    // a match with no distance code table
    dist.fill(0);
    const nodist = block(4, 2, lit, dist);
    nodist.write(0, 1);
    nodist.write(1, 1);
    expect(codeOf(() => lz77Decode(nodist.out.subarray(0, nodist.finish()), 1 << 20))).toBe(
      ErrorCode.CORRUPT,
    );
    // more tokens than declared output
    const extra = block(1, 2, lit, dist);
    extra.write(0, 2);
    expect(codeOf(() => lz77Decode(extra.out.subarray(0, extra.finish()), 1 << 20))).toBe(ErrorCode.CORRUPT);
    // an incomplete literal code meets its unassigned pattern
    lit.fill(0);
    lit[65] = 2;
    const gap = block(1, 1, lit, dist);
    gap.write(3, 2);
    expect(codeOf(() => lz77Decode(gap.out.subarray(0, gap.finish()), 1 << 20))).toBe(ErrorCode.CORRUPT);
  });

  it("survives 10,000 mutated frames with exact output or coded errors", () => {
    const outcome = fuzzFrames("lz77", 10_000, 303);
    expect(outcome.failures).toEqual([]);
    expect(outcome.decodedExactly + outcome.codedErrors).toBe(10_000);
    expect(outcome.codedErrors).toBeGreaterThan(5_000);
  });

  it("decoder survives mutated bare payloads", () => {
    expect(fuzzStageDecoder("lz77", 3000)).toBeGreaterThan(1000);
  });
});
