import { describe, expect, it } from "vitest";
import { readVarint, writeVarint } from "./varint.js";

const fail = (why: string) => new Error(why);

describe("varint", () => {
  it("round-trips values up to 2^53 − 1 and writes 300 as ac 02", () => {
    const out = new Uint8Array(8);
    expect(writeVarint(out, 0, 300)).toBe(2);
    expect(Array.from(out.subarray(0, 2))).toEqual([0xac, 0x02]);
    for (const n of [0, 1, 127, 128, 2 ** 32 - 1, 2 ** 32, Number.MAX_SAFE_INTEGER]) {
      const at = writeVarint(out, 0, n);
      expect(readVarint(out, 0, 8, fail)).toEqual([n, at]);
    }
  });

  it("reports a varint cut short and one longer than allowed", () => {
    expect(() => readVarint(Uint8Array.of(0x80, 0x80), 0, 8, fail)).toThrow("truncated");
    expect(() => readVarint(Uint8Array.of(0x80, 0x80, 0x80, 0x01), 0, 3, fail)).toThrow("too long");
    expect(readVarint(Uint8Array.of(0xff, 0x80, 0x01), 0, 3, fail)).toEqual([16511, 3]);
  });
});
