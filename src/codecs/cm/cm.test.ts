import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { entropyEfficiency } from "../../datasets/entropy.js";
import { entropyRate, generateBytes } from "../../datasets/generate.js";
import { ErrorCode } from "../../errors.js";
import { compress, decompress, encodePipeline } from "../../pipeline/frame.js";
import { parseSpec } from "../../pipeline/spec.js";
import { fuzzFrames, picker } from "../../pipeline/test-utils/fuzz.js";
import { randomBytes, textBytes } from "../../pipeline/test-utils/inputs.js";
import { codeOf } from "../test-utils/errors.js";
import {
  expectEdgeRoundTrips,
  expectPropertyRoundTrips,
  fuzzStageDecoder,
} from "../test-utils/stage-checks.js";
import { type CmParams, cmCodec, cmDecode, cmEncode, createCmState } from "./codec.js";
import { CM_INPUTS, cmHashedOrders, cmKernel, resetCmState } from "./kernel.js";
import { SQUASH, squash, stretch } from "./logistic.js";

const defaults: CmParams = cmCodec.params.parse({});
const limits = { maxOutputBytes: 1 << 24 };
const markovConfig = {
  family: "markov",
  order: 2,
  alphabet: 16,
  concentration: 0.5,
  totalBytes: 1 << 20,
  seed: 1,
} as const;
/** A real English text from this machine's system documentation (Debian base-files). */
const GPL3 = "/usr/share/common-licenses/GPL-3";

function payloadSize(data: Uint8Array, spec: string): number {
  return encodePipeline(data, parseSpec(spec)).length;
}

/** A golden file written by an earlier format's code (`fixtures/`). */
const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));

/** The params the golden v1 and v2 frames were written with. */
const goldenParams: CmParams = { orders: 6, memory: 16, rate: 0.004 };

/** The bare payload at the end of a golden `frame`: its shortest tail that decodes (as `version`) to `original`. */
function goldenPayload(frame: Uint8Array, original: Uint8Array, version: number): Uint8Array {
  for (let length = 8; length < frame.length; length++) {
    try {
      const tail = frame.subarray(frame.length - length);
      if (Buffer.compare(cmDecode(tail, goldenParams, limits, version), original) === 0) return tail.slice();
    } catch {
      // not the payload's start yet
    }
  }
  throw new Error(`the golden frame holds no decodable cm@${version} payload`);
}

/**
 * Flips one bit of `payload` `count` times (seeded): each decodes as `version` to `length` bytes or raises a
 * coded error, within a 4 KiB limit. Returns how many raised.
 */
function mutatedDecodes(
  payload: Uint8Array,
  version: number,
  length: number,
  count: number,
  seed: number,
): number {
  const pick = picker(seed);
  let coded = 0;
  for (let i = 0; i < count; i++) {
    const m = payload.slice();
    m[pick(m.length)] ^= 1 << pick(8);
    let out: Uint8Array | undefined;
    const code = codeOf(() => {
      out = cmDecode(m, goldenParams, { maxOutputBytes: 4096 }, version);
    });
    if (out) expect(out.length).toBe(length);
    else {
      expect(code).toMatch(/^E_/);
      coded++;
    }
  }
  return coded;
}

describe("cm logistic tables", () => {
  it("squash is monotone over the whole domain and stretch inverts it", () => {
    for (let i = 1; i < 4096; i++) expect(SQUASH[i]).toBeGreaterThanOrEqual(SQUASH[i - 1]);
    expect(squash(0)).toBe(2047);
    expect(squash(5000)).toBe(4094);
    expect(squash(-5000)).toBe(1);
    for (let d = -2047; d <= 2047; d++) expect(squash(stretch(squash(d)))).toBe(squash(d));
    for (let p = 1; p < 4095; p++) expect(squash(stretch(p))).toBeGreaterThanOrEqual(p);
  });
});

describe("cm model layout", () => {
  it("models order 1, two hashed orders chosen by the max order, a word and a match model", () => {
    expect(CM_INPUTS).toBe(5);
    expect(cmHashedOrders(1)).toEqual([1, 1]);
    expect(cmHashedOrders(2)).toEqual([2, 2]);
    expect(cmHashedOrders(3)).toEqual([2, 3]);
    expect(cmHashedOrders(4)).toEqual([2, 4]);
    expect(cmHashedOrders(8)).toEqual([2, 8]);
  });

  it("codes differently for different max orders (the orders param reaches the model)", () => {
    const text = new Uint8Array(readFileSync(GPL3)).subarray(0, 20_000);
    const sizes = [2, 4, 6].map((orders) => cmEncode(text, { ...defaults, orders }).length);
    expect(new Set(sizes).size).toBe(3);
  });

  it("sizes tables from the params and shrinks them for small inputs", () => {
    const small = createCmState(defaults, 300);
    const big = createCmState({ ...defaults, memory: 16 }, 1 << 20);
    expect(small.hashBits).toBeLessThan(defaults.memory);
    expect(big.hashBits).toBe(16);
    expect(big.counters.length).toBe(65536 + 64);
    expect(big.hashed.length).toBe((1 << 16) + (1 << 12) * 33);
    expect(small.hashed.length).toBeLessThan(big.hashed.length);
  });

  it("starts every APM context as the same identity map, at every table size", () => {
    for (const n of [0, 300, 5000, 70_000]) {
      const state = createCmState(defaults, n);
      const apm = state.hashed.subarray(2 ** state.hashBits);
      expect(apm.length).toBe(2 ** state.apmBits * 33);
      const row = Array.from(apm.subarray(0, 33));
      expect(row[16]).toBe(squash(0) * 16);
      for (let k = 0; k < apm.length; k += 33) expect(Array.from(apm.subarray(k, k + 33))).toEqual(row);
    }
  });

  it("rejects params out of range with the param's name", () => {
    expect(codeOf(() => parseSpec("cm:0"))).toBe(ErrorCode.INVALID_SPEC);
    expect(() => parseSpec("cm:6:30")).toThrow(/memory/);
    expect(() => parseSpec("cm:6:22:0")).toThrow(/rate/);
    expect(parseSpec("cm").spec).toBe(`cm@3:${defaults.orders}:${defaults.memory}:${defaults.rate}`);
  });
});

describe("cm round trips", () => {
  it("round-trips edge inputs through frames (empty, 1 byte, all equal, random, text, odd, 1 MiB)", () =>
    expectEdgeRoundTrips("cm"));
  it("round-trips arbitrary inputs (property)", () => expectPropertyRoundTrips("cm", 40));
  it("round-trips at the smallest and largest settings", () => {
    expectPropertyRoundTrips("cm:1:12:0.05", 15);
    expectPropertyRoundTrips("cm:8:14:0.0005", 15);
  });
  it("round-trips behind bwt and mtf (bwt>mtf>cm)", () => {
    const text = textBytes(50_000, 9);
    for (const input of [text, randomBytes(3001, 2), new Uint8Array(0), Uint8Array.of(9)]) {
      expect(Buffer.compare(decompress(compress(input, "bwt>mtf>cm")), input)).toBe(0);
    }
    expect(compress(text, "bwt>mtf>cm").length).toBeLessThan(text.length / 3);
  });
  it("is deterministic", () => {
    const text = textBytes(10_000, 2);
    expect(Buffer.compare(cmEncode(text, defaults), cmEncode(text, defaults))).toBe(0);
  });
  it("codes the same bytes with a reused state after resetCmState", () => {
    const text = textBytes(5000, 3);
    const state = createCmState(defaults, text.length);
    const first = new Uint8Array(8000);
    const second = new Uint8Array(8000);
    const end = cmKernel(text, 0, first, 0, text.length, state, false);
    resetCmState(state);
    expect(cmKernel(text, 0, second, 0, text.length, state, false)).toBe(end);
    expect(Buffer.compare(first.subarray(0, end), second.subarray(0, end))).toBe(0);
    expect(end).toBeLessThan(text.length / 2);
  });
});

describe("cm compression", () => {
  it("reaches entropy efficiency >= 0.97 on 1 MiB of an order-2 Markov source over 16 symbols", async () => {
    const data = await generateBytes(markovConfig);
    const h = entropyRate(markovConfig).bitsPerByte;
    const cm = payloadSize(data, "cm");
    const efficiency = entropyEfficiency(data.length, h, cm);
    expect(efficiency).toBeGreaterThanOrEqual(0.97);
    expect(efficiency).toBeLessThanOrEqual(1.01);
    // and it beats the strongest native settings on the same data
    expect(cm).toBeLessThan(payloadSize(data, "brotli:11:22"));
    expect(cm).toBeLessThan(payloadSize(data, "zstd:19"));
  });

  it("compresses English text smaller than brotli:11 and zstd:19", () => {
    const text = new Uint8Array(readFileSync(GPL3));
    const cm = payloadSize(text, "cm");
    expect(cm).toBeLessThan(payloadSize(text, "brotli:11:22"));
    expect(cm).toBeLessThan(payloadSize(text, "zstd:19"));
  });
});

describe("cm corrupt input", () => {
  const payload = cmEncode(textBytes(4000, 5), defaults);

  it("throws coded errors for truncated, extended, oversized and malformed payloads", () => {
    expect(codeOf(() => cmDecode(new Uint8Array(0), defaults, limits))).toBe(ErrorCode.TRUNCATED);
    expect(codeOf(() => cmDecode(Uint8Array.of(0x80), defaults, limits))).toBe(ErrorCode.TRUNCATED);
    expect(codeOf(() => cmDecode(new Uint8Array(9).fill(0xff), defaults, limits))).toBe(ErrorCode.CORRUPT);
    expect(codeOf(() => cmDecode(Uint8Array.of(0, 0), defaults, limits))).toBe(ErrorCode.CORRUPT);
    expect(codeOf(() => cmDecode(Uint8Array.of(5, 1, 2), defaults, limits))).toBe(ErrorCode.CORRUPT);
    expect(codeOf(() => cmDecode(payload.subarray(0, payload.length - 5), defaults, limits))).toBe(
      ErrorCode.CORRUPT,
    );
    const extended = new Uint8Array(payload.length + 2);
    extended.set(payload);
    expect(codeOf(() => cmDecode(extended, defaults, limits))).toBe(ErrorCode.CORRUPT);
    expect(codeOf(() => cmDecode(payload, defaults, { maxOutputBytes: 3999 }))).toBe(ErrorCode.OUTPUT_LIMIT);
    expect(
      Buffer.compare(cmDecode(cmEncode(new Uint8Array(0), defaults), defaults, limits), new Uint8Array(0)),
    ).toBe(0);
  });

  it("survives 10,000 mutated frames with exact output or coded errors", () => {
    const outcome = fuzzFrames("cm", 10_000, 303);
    expect(outcome.failures).toEqual([]);
    expect(outcome.decodedExactly + outcome.codedErrors).toBe(10_000);
    expect(outcome.codedErrors).toBeGreaterThan(5_000);
  });

  it("decodes 2,000 mutated bare payloads within the limit or with coded errors", () => {
    expect(fuzzStageDecoder("cm", 2000, 31)).toBeGreaterThan(1000);
  });
});

describe("cm format version 1 (frames written before the format-2 kernel)", () => {
  const cases = ["text", "noisy", "chain"] as const;

  it.each(cases)("decodes the v1 %s frame written by the version-1 code to its exact input", (name) => {
    const frame = fixture(`v1-${name}.mcf`);
    const original = fixture(`v1-${name}.bin`);
    expect(Buffer.compare(decompress(frame), original)).toBe(0);
  });

  it("v1 frames carry the bare id; the current encoder writes cm@3 and different bytes", () => {
    const frame = fixture("v1-text.mcf");
    expect(Buffer.from(frame).includes(Buffer.from("cm@1"))).toBe(false);
    expect(Buffer.compare(compress(fixture("v1-text.bin"), "cm"), frame)).not.toBe(0);
    expect(Buffer.from(compress(fixture("v1-text.bin"), "cm")).includes(Buffer.from("cm@3"))).toBe(true);
  });

  it("decodes 400 mutated v1 payloads exactly or with coded errors, within the limit", () => {
    const original = fixture("v1-noisy.bin");
    const payload = goldenPayload(fixture("v1-noisy.mcf"), original, 1);
    expect(mutatedDecodes(payload, 1, original.length, 400, 77)).toBeGreaterThan(40);
  });

  it("reads a bare id as version 1 in a frame and as the current version in a user's spec", () => {
    expect(parseSpec("cm").stages[0].version).toBe(3);
    expect(parseSpec("cm", undefined, { bareVersion: "first" }).stages[0].version).toBe(1);
    expect(parseSpec("cm@1:4").spec).toBe("cm:4:22:0.002");
    expect(codeOf(() => compress(fixture("v1-text.bin"), "cm@1"))).toBe(ErrorCode.UNSUPPORTED_VERSION);
  });
});

describe("cm format version 2 (frames written before the format-3 kernel)", () => {
  const cases = ["text", "noisy", "chain"] as const;

  it.each(cases)("decodes the v2 %s frame written by the version-2 code to its exact input", (name) => {
    const frame = fixture(`v2-${name}.mcf`);
    expect(Buffer.from(frame).includes(Buffer.from("cm@2"))).toBe(true);
    expect(Buffer.compare(decompress(frame), fixture(`v2-${name}.bin`))).toBe(0);
  });

  it("the current encoder writes cm@3 and different bytes; cm@2 no longer encodes", () => {
    const current = compress(fixture("v2-text.bin"), "cm");
    expect(Buffer.compare(current, fixture("v2-text.mcf"))).not.toBe(0);
    expect(Buffer.from(current).includes(Buffer.from("cm@3"))).toBe(true);
    expect(codeOf(() => compress(fixture("v2-text.bin"), "cm@2"))).toBe(ErrorCode.UNSUPPORTED_VERSION);
  });

  it("decodes 300 mutated v2 payloads exactly or with coded errors, within the limit", () => {
    const original = fixture("v2-noisy.bin");
    const payload = goldenPayload(fixture("v2-noisy.mcf"), original, 2);
    expect(Buffer.compare(payload, cmEncode(original, goldenParams))).not.toBe(0);
    expect(mutatedDecodes(payload, 2, original.length, 300, 78)).toBeGreaterThan(30);
  });
});
