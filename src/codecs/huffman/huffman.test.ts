import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { entropyEfficiency, order0Entropy } from "../../datasets/entropy.js";
import { entropyRate, generateBytes } from "../../datasets/generate.js";
import { ErrorCode, isMetacompError } from "../../errors.js";
import { compress, decompress, readFrameHeader } from "../../pipeline/frame.js";
import { parseSpec } from "../../pipeline/spec.js";
import { fuzzFrames, picker } from "../../pipeline/test-utils/fuzz.js";
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
  CHUNK_BYTES,
  CHUNK_PAYLOAD_MAX,
  FAST_TABLE_BITS,
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

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return isMetacompError(e) ? e.code : `uncoded: ${e}`;
  }
  return "none";
}

/**
 * n = 4 bytes of two symbols coded with length 2 each (half the code space unassigned), then all-ones bits:
 * pattern 11 has no code. Format 1: the bits follow the table; format 2: four 1-byte streams of one symbol each.
 */
function incompleteCodePayload(version: 1 | 2): Uint8Array {
  const w = new BitWriter(new Uint8Array(64));
  w.writeLong(4, 32);
  for (let s = 0; s < 256; s++) w.write(s < 2 ? 1 : 0, 1);
  w.write(1, 4);
  w.write(1, 4);
  if (version === 1) w.write(0xff, 8);
  else for (const byte of [1, 1, 1, 1, 1, 1, 1, 0xff, 0xff, 0xff, 0xff]) w.write(byte, 8);
  return w.out.subarray(0, w.finish());
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
    const lengths = new Uint8Array(256);
    lengths.set([2, 2, 2, 3, 3]);
    expect(buildByteDecoder(lengths)).toBe(true);
    lengths[5] = 16;
    expect(buildByteDecoder(lengths)).toBe(false);
    lengths.fill(0).set([1, 1, 1]);
    expect(buildByteDecoder(lengths)).toBe(false);
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
    expect(codeOf(() => huffmanDecode(packed.subarray(0, 3), 1 << 20))).toBe(ErrorCode.TRUNCATED);
    expect(codeOf(() => huffmanDecode(packed.subarray(0, packed.length - 40), 1 << 20))).toBe(
      ErrorCode.TRUNCATED,
    );
    expect(codeOf(() => huffmanDecode(packed.subarray(0, 20), 1 << 20))).toBe(ErrorCode.TRUNCATED);
    expect(codeOf(() => huffmanDecode(packed, 4999))).toBe(ErrorCode.OUTPUT_LIMIT);
    // a table with no symbols for a non-empty output
    expect(codeOf(() => huffmanDecode(Uint8Array.of(5, 0, 0, 0, ...new Uint8Array(40)), 1 << 20))).toBe(
      ErrorCode.CORRUPT,
    );
    // three symbols of length 1: over-subscribed
    const bad = new BitWriter(new Uint8Array(64));
    bad.writeLong(10, 32);
    for (let s = 0; s < 256; s++) bad.write(s < 3 ? 1 : 0, 1);
    for (let s = 0; s < 3; s++) bad.write(0, 4);
    expect(codeOf(() => huffmanDecode(bad.out.subarray(0, bad.finish()), 1 << 20))).toBe(ErrorCode.CORRUPT);
    // an incomplete code (two symbols of length 2) hits an unassigned pattern, in both layouts
    expect(codeOf(() => huffmanDecode(incompleteCodePayload(1), 1 << 20, 1))).toBe(ErrorCode.CORRUPT);
    expect(codeOf(() => huffmanDecode(incompleteCodePayload(2), 1 << 20))).toBe(ErrorCode.CORRUPT);
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

  it("v1 frames carry the bare id; the current encoder writes different bytes", () => {
    const frame = fixture("v1-text.mcf");
    expect(readFrameHeader(frame).spec).toBe("huffman");
    expect(Buffer.compare(compress(fixture("v1-text.bin"), "huffman"), frame)).not.toBe(0);
  });

  it("decodes 1,500 mutated v1 payloads exactly or with coded errors", () => {
    const payloads = (["text", "skewed", "odd"] as const).map((name) => {
      const frame = fixture(`v1-${name}.mcf`);
      return frame.slice(readFrameHeader(frame).payloadOffset);
    });
    for (const [k, name] of (["text", "skewed", "odd"] as const).entries()) {
      expect(Buffer.compare(huffmanDecode(payloads[k], 1 << 20, 1), fixture(`v1-${name}.bin`))).toBe(0);
    }
    expect(fuzzPayloads(payloads, 1500, 43, 1)).toBeGreaterThan(700);
  });
});

/** Bytes whose Fibonacci-skewed counts force codes of up to 15 bits when the length limit allows them. */
function skewedBytes(length: number, seed: number): Uint8Array {
  const weights: number[] = [];
  let a = 1;
  let b = 1;
  for (let s = 0; s < 24; s++) {
    weights.push(a);
    [a, b] = [b, a + b];
  }
  const total = weights.reduce((x, y) => x + y, 0);
  const pick = picker(seed);
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    let r = pick(total);
    let s = 0;
    while (r >= weights[s]) r -= weights[s++];
    out[i] = 97 + s;
  }
  return out;
}

/** Byte offset where format 2's first stream size starts (the code table is 288 + 4·present bits). */
function sizesOffset(payload: Uint8Array): number {
  let present = 0;
  for (let i = 4; i < 36; i++) for (let bit = 0; bit < 8; bit++) present += (payload[i] >>> bit) & 1;
  return Math.ceil((288 + 4 * present) / 8);
}

/** The seven varints heading a format-2 chunk at byte `at`: three symbol counts, four byte sizes. */
function chunkHeader(payload: Uint8Array, at: number): { at: number; value: number }[] {
  const fields: { at: number; value: number }[] = [];
  for (let f = 0; f < 7; f++) {
    const start = at;
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = payload[at++];
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) break;
    }
    fields.push({ at: start, value });
  }
  return fields;
}

/** Mutates bare payloads `count` times: every decode must return `n` bytes or throw a coded error. */
function fuzzPayloads(payloads: Uint8Array[], count: number, seed: number, version: 1 | 2): number {
  const pick = picker(seed);
  let coded = 0;
  for (let i = 0; i < count; i++) {
    let m = payloads[i % payloads.length].slice();
    const kind = pick(4);
    const at = pick(m.length);
    if (kind === 0) m[at] ^= 1 << pick(8);
    else if (kind === 1) m[at] = pick(256);
    else if (kind === 2) m = m.subarray(0, at);
    else for (let k = 0; k < 4 && at + k < m.length; k++) m[at + k] = pick(256);
    const declared = m.length >= 4 ? new DataView(m.buffer, m.byteOffset).getUint32(0, true) : 0;
    try {
      const out = huffmanDecode(m, 1 << 20, version);
      expect(out.length).toBe(declared);
    } catch (e) {
      if (!isMetacompError(e)) throw new Error(`mutation #${i} (kind ${kind} at ${at}) threw uncoded: ${e}`);
      coded++;
    }
  }
  return coded;
}

describe("huffman format 2: chunks of four interleaved streams", () => {
  const roundTrip = (bytes: Uint8Array, maxLength?: number) =>
    Buffer.compare(huffmanDecode(huffmanEncode(bytes, maxLength), bytes.length), bytes) === 0;

  it("round-trips every length around the stream and chunk boundaries", () => {
    const lengths = [1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 63, 64, 65, 4095, 4096, 4097];
    for (const n of lengths) {
      expect(roundTrip(textBytes(n, n)), `text n=${n}`).toBe(true);
      expect(roundTrip(randomBytes(n, n)), `random n=${n}`).toBe(true);
    }
    for (const n of [CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 1, 2 * CHUNK_BYTES + 5]) {
      expect(roundTrip(textBytes(n, 7)), `text n=${n}`).toBe(true);
    }
  });

  it("limits codes to the fast table unless 15-bit codes save over 1.5%, and decodes long codes stream by stream", () => {
    const costs = (bytes: Uint8Array) => {
      const freqs = new Uint32Array(256);
      for (const x of bytes) freqs[x]++;
      return [FAST_TABLE_BITS, 15].map((limit) => {
        const lengths = new Uint8Array(256);
        buildCodeLengths(freqs, 256, limit, lengths);
        return { bits: codeCost(freqs, lengths), longest: Math.max(...lengths) };
      });
    };
    // a mild skew: 15-bit codes exist but save little, so the default stays within the fast table
    const mild = skewedBytes(200_003, 5);
    const [mild11, mild15] = costs(mild);
    expect(mild15.longest).toBeGreaterThan(FAST_TABLE_BITS);
    expect(mild11.bits / mild15.bits).toBeLessThan(1.015);
    expect(Buffer.compare(huffmanEncode(mild), huffmanEncode(mild, FAST_TABLE_BITS))).toBe(0);
    expect(roundTrip(mild)).toBe(true);
    expect(roundTrip(mild, 15)).toBe(true);
    expect(roundTrip(skewedBytes(CHUNK_BYTES + 999, 6), 15)).toBe(true);
    // a few frequent symbols and 252 singletons (like BWT + MTF output): the 11-bit limit costs over 1.5% there,
    // so the default writes 15-bit codes
    const parts: number[] = [];
    for (const [symbol, count] of [
      [0, 55_000],
      [1, 30_000],
      [2, 10_000],
      [3, 4_000],
    ])
      for (let i = 0; i < count; i++) parts.push(symbol);
    for (let symbol = 4; symbol < 256; symbol++) parts.push(symbol);
    const steep = Uint8Array.from(parts);
    const pick = picker(8);
    for (let i = steep.length - 1; i > 0; i--) {
      const j = pick(i + 1);
      [steep[i], steep[j]] = [steep[j], steep[i]];
    }
    const [steep11, steep15] = costs(steep);
    expect(steep11.bits / steep15.bits).toBeGreaterThan(1.015);
    expect(Buffer.compare(huffmanEncode(steep), huffmanEncode(steep, 15))).toBe(0);
    expect(roundTrip(steep)).toBe(true);
  });

  it("balances the four streams by bits, not symbols", () => {
    const packed = huffmanEncode(textBytes(60_000, 12));
    const fields = chunkHeader(packed, sizesOffset(packed));
    const sizes = fields.slice(3).map((f) => f.value);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(8);
    const symbols = fields.slice(0, 3).map((f) => f.value);
    expect(symbols.reduce((a, b) => a + b, 0)).toBeLessThan(60_000);
  });

  it("rejects stream sizes and counts that point past the end, overflow a chunk or disagree with the streams", () => {
    const packed = huffmanEncode(textBytes(5000, 11));
    const at = sizesOffset(packed);
    const fields = chunkHeader(packed, at);
    const decode = (m: Uint8Array) => codeOf(() => huffmanDecode(m, 1 << 20));
    const edit = (field: number, delta: number) => {
      const m = packed.slice();
      m[fields[field].at] += delta;
      return m;
    };
    // the last stream one byte larger: the chunk runs past the payload's end
    expect(decode(edit(6, 1))).toBe(ErrorCode.TRUNCATED);
    // stream 0 one byte longer and stream 1 one byte shorter: the total fits, the streams do not
    const shifted = edit(3, 1);
    shifted[fields[4].at] -= 1;
    expect(decode(shifted)).toBe(ErrorCode.CORRUPT);
    // a symbol moved from stream 0 to stream 1: stream 0 ends early or codes past its end
    const moved = edit(0, -1);
    moved[fields[1].at] += 1;
    expect(decode(moved)).toBe(ErrorCode.CORRUPT);
    // counts that add up to more than the chunk
    const head = packed.subarray(0, at);
    expect(decode(Uint8Array.of(...head, 0x80, 0x80, 0x01, 0, 0, 0, 0, 0, 0))).toBe(ErrorCode.CORRUPT);
    // a varint longer than 5 bytes, and a chunk declaring more than a chunk can hold
    expect(decode(Uint8Array.of(...head, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01))).toBe(ErrorCode.CORRUPT);
    expect(CHUNK_PAYLOAD_MAX).toBeLessThan(2 ** 28);
    expect(decode(Uint8Array.of(...head, 1, 1, 1, 0x80, 0x80, 0x80, 0x80, 0x01, 0, 0, 0))).toBe(
      ErrorCode.CORRUPT,
    );
    // the payload ends inside the header, and trailing bytes after the last chunk
    expect(decode(packed.subarray(0, at + 1))).toBe(ErrorCode.TRUNCATED);
    expect(decode(Uint8Array.of(...packed, 0))).toBe(ErrorCode.CORRUPT);
  });

  it("decodes 1,500 mutated payloads (one and two chunks, long codes) exactly or with coded errors", () => {
    const payloads = [
      huffmanEncode(textBytes(3000, 1)),
      huffmanEncode(skewedBytes(2000, 2), 15),
      huffmanEncode(randomBytes(7, 3)),
    ];
    expect(fuzzPayloads(payloads, 1200, 41, 2)).toBeGreaterThan(600);
    const twoChunks = [huffmanEncode(textBytes(CHUNK_BYTES + 4000, 4))];
    expect(fuzzPayloads(twoChunks, 300, 42, 2)).toBeGreaterThan(100);
  });

  it("writes huffman@2 frames and refuses to encode version 1", () => {
    const frame = compress(textBytes(1000, 2), "huffman");
    expect(Buffer.from(frame).includes(Buffer.from("huffman@2"))).toBe(true);
    expect(parseSpec("huffman").stages[0].version).toBe(2);
    expect(codeOf(() => compress(textBytes(10, 2), "huffman@1"))).toBe(ErrorCode.UNSUPPORTED_VERSION);
  });
});
