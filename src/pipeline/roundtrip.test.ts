import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compress, decompress } from "./frame.js";
import { defaultRegistry } from "./registry.js";
import { bytesArbitrary, edgeInputs } from "./test-utils/inputs.js";

/** Every registered stage as a minimal pipeline: a codec alone, or a transform followed by `store`. */
const stageSpecs = defaultRegistry.list().map((s) => (s.kind === "codec" ? s.id : `${s.id}>store`));

const composed = [
  "delta:4>shuffle:4>zstd:19",
  "delta:2>zstd:1",
  "xor:8>shuffle:8>lz4",
  "delta:8>brotli:5:18",
  "shuffle:2>deflate:9",
  "xor:4>gzip:1",
  "delta:1>delta:1>store",
  "brotli:0:10",
  "deflate:0",
];

describe("round trip of every stage and composed pipelines", () => {
  const inputs = edgeInputs();
  for (const spec of [...stageSpecs, ...composed]) {
    it(`${spec} on edge-case inputs`, () => {
      for (const [name, data] of Object.entries(inputs)) {
        const back = decompress(compress(data, spec));
        expect(back.length, name).toBe(data.length);
        expect(Buffer.compare(back, data), name).toBe(0);
      }
    });
  }

  for (const spec of [...stageSpecs, composed[0], composed[2]]) {
    it(`${spec} on generated inputs (property)`, () => {
      fc.assert(
        fc.property(bytesArbitrary, (data) => Buffer.compare(decompress(compress(data, spec)), data) === 0),
        { numRuns: 25, seed: 42 },
      );
    });
  }

  it("handles every word width on lengths that are not a multiple of it", () => {
    for (const id of ["delta", "xor", "shuffle"]) {
      for (const w of [1, 2, 4, 8]) {
        for (let n = 0; n < 20; n++) {
          const data = Uint8Array.from({ length: n }, (_, i) => (i * 37 + w) & 0xff);
          const back = decompress(compress(data, `${id}:${w}>store`));
          expect(Buffer.compare(back, data), `${id}:${w} n=${n}`).toBe(0);
        }
      }
    }
  });

  it("compresses what it should: structured data shrinks, transforms help numeric data", () => {
    const ints = new Uint8Array(new Int32Array(Array.from({ length: 16384 }, (_, i) => 1000 + i * 3)).buffer);
    const plain = compress(ints, "zstd:3").length;
    const transformed = compress(ints, "delta:4>zstd:3").length;
    expect(transformed).toBeLessThan(plain / 4);
    expect(compress(inputs.text, "zstd:19").length).toBeLessThan(inputs.text.length / 2);
  });
});
