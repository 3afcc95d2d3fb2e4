import { describe, expect, it } from "vitest";
import { fuzzFrames } from "./test-utils/fuzz.js";

// Native codecs and the numeric transforms; the pure-TypeScript codecs fuzz themselves beside their code.
const specs = [
  "store",
  "deflate:6",
  "gzip:6",
  "brotli:5",
  "zstd:3",
  "lz4",
  "delta:4>store",
  "xor:8>store",
  "shuffle:4>store",
];

describe("seeded mutation fuzz: 10,000 mutated frames per codec", () => {
  for (const [k, spec] of specs.entries()) {
    it(spec, () => {
      const outcome = fuzzFrames(spec, 10_000, 1000 + k);
      expect(outcome.failures).toEqual([]);
      expect(outcome.decodedExactly + outcome.codedErrors).toBe(10_000);
      expect(outcome.codedErrors).toBeGreaterThan(5_000);
    });
  }
});
