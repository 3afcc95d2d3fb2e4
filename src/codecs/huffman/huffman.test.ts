import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { entropyEfficiency, order0Entropy } from "../../datasets/entropy.js";
import { entropyRate, generateBytes } from "../../datasets/generate.js";
import { ErrorCode, isMetacompError } from "../../errors.js";
import { decompress } from "../../pipeline/frame.js";
import { fuzzFrames } from "../../pipeline/test-utils/fuzz.js";
import { randomBytes, textBytes } from "../../pipeline/test-utils/inputs.js";
import {
  expectEdgeRoundTrips,
  expectPropertyRoundTrips,
  fuzzStageDecoder,
} from "../test-utils/stage-checks.js";
import { huffmanDecode, huffmanEncode } from "./codec.js";
import {
  BitReader,
  BitWriter,
  buildByteDecoder,
  buildCodeLengths,
  buildDecodeTable,
  buildEncodeTable,
  createByteDecoder,
} from "./kernel.js";

function kraft(lengths: Uint8Array): number {
  let sum = 0;
  for (const l of lengths) if (l > 0) sum += 2 ** -l;
  return sum;
}

function codeCost(freqs: Uint32Array, lengths: Uint8Array): number {
  let bits = 0;
  for (let s = 0; s < freqs.length; s++) bits += freqs[s] * lengths[s];
  return bits;
}

describe("huffman kernel", () => {
  it("builds optimal lengths for a textbook example", () => {
    // frequencies 45, 13, 12, 16, 9, 5 (CLRS): optimal lengths 1, 3, 3, 3, 4, 4
    const lengths = new Uint8Array(6);
    buildCodeLengths(Uint32Array.of(45, 13, 12, 16, 9, 5), 6, 15, lengths);
    expect(Array.from(lengths)).toEqual([1, 3, 3, 3, 4, 4]);
  });

  it("limits Fibonacci-skewed codes to 15 bits with a complete prefix code", () => {
    const freqs = new Uint32Array(40);
    let a = 1;
    let b = 1;
    for (let s = 0; s < 40; s++) {
      freqs[s] = a;
      [a, b] = [b, a + b];
    }
    const unlimited = new Uint8Array(40);
    buildCodeLengths(freqs, 40, 40, unlimited);
    expect(Math.max(...unlimited)).toBeGreaterThan(15);
    const lengths = new Uint8Array(40);
    buildCodeLengths(freqs, 40, 15, lengths);
    expect(Math.max(...lengths)).toBe(15);
    expect(kraft(lengths)).toBe(1);
    // the limit costs little against the unconstrained optimum
    expect(codeCost(freqs, lengths) / codeCost(freqs, unlimited)).toBeLessThan(1.01);
  });

  it("gives a lone symbol length 1 and absent symbols 0", () => {
    const lengths = new Uint8Array(4);
    const freqs = Uint32Array.of(0, 9, 0, 0);
    buildCodeLengths(freqs, 4, 15, lengths);
    expect(Array.from(lengths)).toEqual([0, 1, 0, 0]);
    buildCodeLengths(new Uint32Array(4), 4, 15, lengths);
    expect(Array.from(lengths)).toEqual([0, 0, 0, 0]);
  });

  it("decode tables invert encode tables and reject over-subscribed lengths", () => {
    const lengths = Uint8Array.of(2, 2, 2, 3, 3);
    const enc = new Uint32Array(5);
    buildEncodeTable(lengths, 5, enc);
    const table = new Uint16Array(1 << 15);
    const bits = buildDecodeTable(lengths, 5, table);
    expect(bits).toBe(3);
    for (let s = 0; s < 5; s++) {
      const e = table[enc[s] >>> 4];
      expect(e >>> 4).toBe(s);
      expect(e & 15).toBe(lengths[s]);
    }
    expect(buildDecodeTable(Uint8Array.of(1, 1, 1), 3, table)).toBe(-1);
    expect(buildDecodeTable(new Uint8Array(3), 3, table)).toBe(0);
  });

  it("byte decoder tables reject lengths over 15 and over-subscribed codes", () => {
    const dec = createByteDecoder();
    const lengths = new Uint8Array(256);
    lengths.set([2, 2, 2, 3, 3]);
    expect(buildByteDecoder(lengths, dec)).toBe(true);
    lengths[5] = 16;
    expect(buildByteDecoder(lengths, dec)).toBe(false);
    lengths.fill(0).set([1, 1, 1]);
    expect(buildByteDecoder(lengths, dec)).toBe(false);
  });

  it("round-trips codes up to 15 bits in the fast loop, the long-code path and the tail", () => {
    // Fibonacci-skewed counts force 15-bit codes; rare symbols sit early, in the middle and in the last bytes
    const parts: number[] = [];
    let a = 1;
    let b = 1;
    for (let s = 0; s < 30; s++) {
      for (let i = 0; i < Math.min(a, 20000); i++) parts.push(29 - s);
      [a, b] = [b, a + b];
    }
    const bytes = Uint8Array.from(parts);
    let x = 7;
    for (let i = bytes.length - 1; i > 0; i--) {
      x = (x * 1103515245 + 12345) >>> 0;
      const j = x % (i + 1);
      [bytes[i], bytes[j]] = [bytes[j], bytes[i]];
    }
    bytes[bytes.length - 1] = 0;
    bytes[bytes.length - 3] = 1;
    const packed = huffmanEncode(bytes);
    expect(Buffer.compare(huffmanDecode(packed, bytes.length), bytes)).toBe(0);
    for (const cut of [1, 2, 5]) {
      expect(() => huffmanDecode(packed.subarray(0, packed.length - cut), bytes.length)).toThrow(
        expect.objectContaining({ code: ErrorCode.TRUNCATED }),
      );
    }
  });

  it("bit writer and reader agree on mixed widths", () => {
    const w = new BitWriter(new Uint8Array(4));
    const values: [number, number][] = [];
    for (let i = 0; i < 500; i++) values.push([(i * 2654435761) >>> (32 - ((i % 32) + 1)), (i % 32) + 1]);
    for (const [v, n] of values) {
      w.ensure(8);
      w.writeLong(v, n);
    }
    const end = w.finish();
    const r = new BitReader(w.out.subarray(0, end), 0);
    for (const [v, n] of values) expect(r.readLong(n)).toBe(v);
    expect(r.overran()).toBe(false);
    r.read(16);
    expect(r.overran()).toBe(true);
  });
});

describe("huffman codec", () => {
  it("round-trips edge inputs through frames", () => expectEdgeRoundTrips("huffman"));
  it("round-trips arbitrary inputs (property)", () => expectPropertyRoundTrips("huffman"));

  it("codes a lone repeated symbol in no payload bits", () => {
    expect(huffmanEncode(new Uint8Array(100_000).fill(5)).length).toBeLessThan(50);
  });

  it("compresses English-like text near its order-0 entropy", () => {
    const text = textBytes(200_000, 9);
    const efficiency = entropyEfficiency(text.length, order0Entropy(text), huffmanEncode(text).length);
    expect(efficiency).toBeGreaterThan(0.97);
  });

  it("reaches entropy efficiency >= 0.97 on 1 MiB of i.i.d. Zipf(1.0) over 256 symbols", async () => {
    const config = {
      family: "iid",
      alphabet: 256,
      distribution: { kind: "zipf", s: 1.0 },
      totalBytes: 1 << 20,
      seed: 1,
    } as const;
    const data = await generateBytes(config);
    const h = entropyRate(config).bitsPerByte;
    const efficiency = entropyEfficiency(data.length, h, huffmanEncode(data).length);
    expect(efficiency).toBeGreaterThanOrEqual(0.97);
    expect(efficiency).toBeLessThanOrEqual(1.001);
  });

  it("throws coded errors on truncated, corrupt and oversized payloads", () => {
    const packed = huffmanEncode(textBytes(5000, 3));
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return isMetacompError(e) ? e.code : "uncoded";
      }
      return "none";
    };
    expect(code(() => huffmanDecode(packed.subarray(0, 3), 1 << 20))).toBe(ErrorCode.TRUNCATED);
    expect(code(() => huffmanDecode(packed.subarray(0, packed.length - 40), 1 << 20))).toBe(
      ErrorCode.TRUNCATED,
    );
    expect(code(() => huffmanDecode(packed.subarray(0, 20), 1 << 20))).toBe(ErrorCode.TRUNCATED);
    expect(code(() => huffmanDecode(packed, 4999))).toBe(ErrorCode.OUTPUT_LIMIT);
    // a table with no symbols for a non-empty output
    expect(code(() => huffmanDecode(Uint8Array.of(5, 0, 0, 0, ...new Uint8Array(40)), 1 << 20))).toBe(
      ErrorCode.CORRUPT,
    );
    // three symbols of length 1: over-subscribed
    const bad = new BitWriter(new Uint8Array(64));
    bad.writeLong(10, 32);
    for (let s = 0; s < 256; s++) bad.write(s < 3 ? 1 : 0, 1);
    for (let s = 0; s < 3; s++) bad.write(0, 4);
    expect(code(() => huffmanDecode(bad.out.subarray(0, bad.finish()), 1 << 20))).toBe(ErrorCode.CORRUPT);
    // an incomplete code (one symbol of length 2 plus another) hits an unassigned pattern
    const gap = new BitWriter(new Uint8Array(64));
    gap.writeLong(4, 32);
    for (let s = 0; s < 256; s++) gap.write(s < 2 ? 1 : 0, 1);
    gap.write(1, 4);
    gap.write(1, 4);
    gap.write(0xff, 8);
    expect(code(() => huffmanDecode(gap.out.subarray(0, gap.finish()), 1 << 20))).toBe(ErrorCode.CORRUPT);
    expect(huffmanDecode(huffmanEncode(randomBytes(3, 1)), 3).length).toBe(3);
  });

  it("survives 10,000 mutated frames with exact output or coded errors", () => {
    const outcome = fuzzFrames("huffman", 10_000, 301);
    expect(outcome.failures).toEqual([]);
    expect(outcome.decodedExactly + outcome.codedErrors).toBe(10_000);
    expect(outcome.codedErrors).toBeGreaterThan(5_000);
  });

  it("decoder survives mutated bare payloads", () => {
    expect(fuzzStageDecoder("huffman", 3000)).toBeGreaterThan(1000);
  });
});

describe("huffman format version 1 (golden frames written by the single-stream version-1 code)", () => {
  const fixture = (name: string) =>
    new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
  const cases = ["text", "skewed", "odd", "lone", "chain"] as const;

  it.each(cases)("decodes the v1 %s frame to its exact input", (name) => {
    expect(Buffer.compare(decompress(fixture(`v1-${name}.mcf`)), fixture(`v1-${name}.bin`))).toBe(0);
  });
});
