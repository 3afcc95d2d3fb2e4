import { describe, expect, it } from "vitest";
import {
  extract,
  extractAll,
  FEATURE_COUNT,
  FEATURE_NAMES,
  FEATURE_SAMPLE_BYTES,
  FEATURE_SET_ID,
} from "./extract.js";

function seeded(n: number, seed: number): Uint8Array {
  let s = seed >>> 0;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (t ^ (t >>> 14)) >>> 24;
  }
  return out;
}

const f = (v: Float32Array, name: (typeof FEATURE_NAMES)[number]): number => v[FEATURE_NAMES.indexOf(name)];

const text = new TextEncoder()
  .encode(
    "It was the best of times, it was the worst of times, it was the age of wisdom, it was the age of foolishness. ".repeat(
      700,
    ),
  )
  .subarray(0, 65536);
const random = seeded(65536, 1);
const zeros = new Uint8Array(65536);
const doubles = (() => {
  const a = new Float64Array(8192);
  for (let i = 0; i < a.length; i++) a[i] = Math.sin(i / 50) * 1e3 + i * 0.001;
  return new Uint8Array(a.buffer);
})();
const ints = (() => {
  const a = new Uint32Array(16384);
  for (let i = 0; i < a.length; i++) a[i] = 1_000_000 + i * 17;
  return new Uint8Array(a.buffer);
})();

describe("extract", () => {
  it("returns the documented, fixed length with unique names", () => {
    expect(FEATURE_COUNT).toBe(24);
    expect(new Set(FEATURE_NAMES).size).toBe(FEATURE_COUNT);
    expect(FEATURE_SET_ID).toContain(String(FEATURE_COUNT));
    for (const b of [text, random, zeros, new Uint8Array(0), Uint8Array.of(7), seeded(100, 3)]) {
      const v = extract(b);
      expect(v).toBeInstanceOf(Float32Array);
      expect(v.length).toBe(FEATURE_COUNT);
      for (const x of v) expect(Number.isFinite(x)).toBe(true);
    }
  });

  it("is identical across runs, whatever was extracted in between (no scratch state leaks)", () => {
    const first = extractAll([text, random, doubles, ints, zeros]);
    const again = extractAll([zeros, ints, doubles, random, text]).reverse();
    expect(again).toEqual(first);
    for (let i = 0; i < 3; i++) expect(extract(random)).toEqual(first[1]);
  });

  it("tells text, random, zeros and numeric data apart", () => {
    const [t, r, z, d, n] = extractAll([text, random, zeros, doubles, ints]);
    expect(f(t, "printable_frac")).toBe(1);
    expect(f(t, "ascii_frac")).toBe(1);
    expect(f(t, "h0")).toBeGreaterThan(3);
    expect(f(t, "h0")).toBeLessThan(5);
    // 4-grams repeat across the sampled chunks of text (a density from a sampled probe, hence well below 1)
    expect(f(t, "match4_density")).toBeGreaterThan(0.2);
    // a 192-byte sample reads uniform bytes well below 8 bits (plug-in bias; log2 192 ≈ 7.6 is the ceiling)
    expect(f(r, "h0")).toBeGreaterThan(6);
    expect(f(r, "h0")).toBeGreaterThan(f(t, "h0") + 2);
    expect(f(r, "match4_density")).toBeLessThan(0.05);
    expect(f(r, "float64_like")).toBeLessThan(0.15);
    expect(f(z, "h0")).toBe(0);
    expect(f(z, "zero_frac")).toBe(1);
    expect(f(z, "top1_mass")).toBe(1);
    expect(f(z, "run_frac_ge4")).toBe(1);
    expect(f(z, "distinct_frac")).toBe(1 / 256);
    expect(f(d, "float64_like")).toBeGreaterThan(0.9);
    // exponent lanes of doubles stand out; 12 samples per lane leave random bytes some spread too
    expect(f(d, "lane8_spread")).toBeGreaterThan(1);
    expect(f(d, "lane8_spread")).toBeGreaterThan(f(r, "lane8_spread") + 0.5);
    expect(f(d, "delta8_h0")).toBeLessThan(f(d, "delta1_h0"));
    expect(f(n, "delta4_h0")).toBeLessThan(f(n, "h0"));
    expect(f(n, "lane4_spread")).toBeGreaterThan(1);
    expect(f(t, "log2_length")).toBeCloseTo(Math.log2(65537), 5);
  });

  it("uses the whole block when it is shorter than the sample", () => {
    const small = seeded(FEATURE_SAMPLE_BYTES - 10, 9);
    const v = extract(small);
    expect(f(v, "log2_length")).toBeCloseTo(Math.log2(small.length + 1), 5);
    // an exact check: order-0 entropy of the whole short block
    const counts = new Map<number, number>();
    for (const b of small) counts.set(b, (counts.get(b) ?? 0) + 1);
    let h = 0;
    for (const c of counts.values()) h -= (c / small.length) * Math.log2(c / small.length);
    expect(f(v, "h0")).toBeCloseTo(h, 4);
    expect(f(v, "distinct_frac")).toBeCloseTo(counts.size / 256, 6);
    // and of its stride-1 delta, the byte before the block reading as 0
    const deltas = new Map<number, number>();
    small.forEach((b, i) => {
      const d = (b - (i > 0 ? small[i - 1] : 0)) & 255;
      deltas.set(d, (deltas.get(d) ?? 0) + 1);
    });
    let hd = 0;
    for (const c of deltas.values()) hd -= (c / small.length) * Math.log2(c / small.length);
    expect(f(v, "delta1_h0")).toBeCloseTo(hd, 4);
  });

  it("counts runs exactly on a short block", () => {
    const runs = Uint8Array.from([1, 1, 1, 1, 1, 2, 3, 3, 4, 4, 4, 4]);
    const v = extract(runs);
    // runs 1×5, 2, 3×2, 4×4: 4 runs of 12 bytes; 2 + 1 bytes equal to the three before them
    expect(f(v, "run_mean_log2")).toBeCloseTo(Math.log2(12 / 4), 5);
    expect(f(v, "run_frac_ge4")).toBeCloseTo(3 / 12, 6);
    expect(f(v, "top1_mass")).toBeCloseTo(5 / 12, 6);
    expect(f(v, "top4_mass")).toBe(1);
  });

  it("gives an empty block only its length", () => {
    expect([...extract(new Uint8Array(0))]).toEqual(new Array(FEATURE_COUNT).fill(0));
  });
});

// Golden vectors: float32 bit patterns (hex) pinned from the feature code at basic-v4-24x192, so that a speed-up
// of extract() cannot change a single output bit. Regenerate only when the feature set (FEATURE_SET_ID) changes.
const GOLDEN: Record<string, string> = {
  text: "4180000c 406216c7 3fa57bde 3eb9959b 3d800000 3e6aaaab 3f0aaaab 3f800000 3f800000 0 0 0 40931836 4099d7e1 409044ad 40967101 408b8e4f 408b48a4 3f22aaab 3f1d5555 0 0 3cbb926f 3db04598",
  random:
    "4180000c 40de6103 3f0ab803 3d000000 3f070000 3caaaaab 3d8aaaab 3ed2aaab 3f080000 3baaaaab 0 0 40dc4c18 40dbb658 40e00bae 40e10bae 40dfa16e 40e08138 0 0 3e955555 0 3dc378a3 3db58ab8",
  zeros:
    "4180000c 0 0 0 3b800000 3f800000 3f800000 0 3f800000 3f800000 40f2b803 3f800000 0 0 0 0 0 0 3f7d5555 3f7d5555 0 0 0 0",
  doubles:
    "4180000c 40cf0d91 3f50a591 3e52b803 3eee0000 3dcaaaab 3e455555 3ed2aaab 3f015555 0 0 0 40dd27a0 40e06103 40ddf0d5 40c70da2 40d4973d 40c79817 0 0 3f155555 3f800000 3f18e17d 4000a633",
  ints: "4180000c 4094fe07 3fb441b0 3f577ac2 3e700000 3e800000 3edaaaab 3e100000 3f340000 3e800000 0 0 40baeae7 40be2d86 3f6bbcbf 3f7faa23 3feb8e0c 3fea5d2e 0 0 0 0 3fe63656 3fe3e602",
  len0: "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0",
  len1: "3f800000 0 0 0 3b800000 3f800000 3f800000 0 3f800000 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0",
  len7: "40400000 4033abb4 0 0 3ce00000 3e124925 3f124925 3e124925 3e924925 0 0 0 4033abb4 4033abb4 4033abb4 4033abb4 4033abb4 4033abb4 0 0 0 0 3f400000 0",
  len100:
    "40d51012 40c71426 3ece27b3 0 3ea00000 3cf5c28f 3de147ae 3e99999a 3ecccccd 3c23d70a 0 0 40c7cdab 40c7f5d4 40ca8530 40c97b59 40c899ab 40c8d782 0 0 3e75c28f 0 3e4e164f 3ea22811",
  len191:
    "40f2b803 406a7603 3fc4a498 3ed9fef0 3da00000 3e612c3b 3f075f2a 3f800000 3f800000 0 3c78d065 0 409ad59f 40a309c2 409b8ba1 40a5ebc5 40972a55 409c2b96 3f0ed231 3ee7bf54 3cae4c41 0 3d3fc23d 3d8b65d6",
  len192:
    "40f2f568 40d28ad8 3f6c1405 0 3f020000 3e000000 3e355555 3f000000 3f1eaaab 0 0 0 40ddc700 40e12be3 40db2a38 40c98088 40d955b8 40cba338 0 0 3f200000 3f800000 3f414d68 4035d278",
  len193:
    "40f3327c 40de8ad8 3ee4215e 3d901ab1 3f090000 3caaaaab 3d8aaaab 3ebaaaab 3f000000 3c2aaaab 3bf6dd07 0 40dc8138 40df27a0 40dccb43 40dc91e0 40d821b2 40dabff8 3d2aaaab 3d2aaaab 3e155555 0 3e4da295 3eda62ef",
  len4096:
    "41400171 40853ce6 3fad73b9 3fb6a6f8 3e6c0000 3e800000 3f155555 3e9d5555 3f540000 3e800000 0 0 40ab3a4f 40c6ac28 3f6bbcbf 3f7faa23 3fe8e361 3fec8703 0 0 0 0 3fc739c2 3fc3bd9f",
  "len200k-mixed":
    "418ce09a 40b6b8de 3f459b81 3d5afabe 3ebc0000 3e2aaaab 3ea2aaab 3f16aaab 3f46aaab 3e2aaaab 3e8ff70e 3e2aaaab 40bc829c 40c37d3f 40bbf750 40bdfb2c 40b7cccc 40b93f2a 3e355555 3e355555 3daaaaab 0 3d95fe28 3e8c8604",
};
const goldenBlocks: Record<string, Uint8Array> = {
  text,
  random,
  zeros,
  doubles,
  ints,
  len0: new Uint8Array(0),
  len1: Uint8Array.of(7),
  len7: seeded(7, 5),
  len100: seeded(100, 3),
  len191: text.subarray(3, 194),
  len192: doubles.subarray(8, 200),
  len193: seeded(193, 11),
  len4096: ints.subarray(4, 4100),
  "len200k-mixed": (() => {
    const a = seeded(200003, 7);
    a.set(text.subarray(0, 60000), 70000);
    a.fill(0, 150000, 170000);
    return a;
  })(),
};
const bitsHex = (v: Float32Array): string =>
  Array.from(new Uint32Array(v.buffer, v.byteOffset, v.length), (x) => x.toString(16)).join(" ");

describe("extract golden vectors (bit-identical)", () => {
  it("returns exactly the pinned float32 bits for varied blocks and lengths", () => {
    expect(FEATURE_SET_ID).toBe("basic-v4-24x192");
    expect(Object.keys(goldenBlocks)).toEqual(Object.keys(GOLDEN));
    for (const [name, block] of Object.entries(goldenBlocks))
      expect([name, bitsHex(extract(block))]).toEqual([name, GOLDEN[name]]);
  });

  it("hashes to the pinned value over 600 blocks of many lengths and alphabets", () => {
    // FNV-1a over every output's float32 bits; lengths 0…419 then up to 70 000, alphabets of 1…256 symbols
    let h = 0x811c9dc5;
    for (let j = 0; j < 600; j++) {
      const n = j < 420 ? j : 420 + ((j * 7919) % 70000);
      const b = seeded(n, j + 1);
      const alphabet = 1 << (j % 9);
      for (let i = 0; i < n; i++) b[i] = alphabet === 256 ? b[i] : (b[i] % alphabet) * (j % 3 === 0 ? 1 : 37);
      const v = extract(b);
      for (const x of new Uint32Array(v.buffer, v.byteOffset, v.length))
        h = Math.imul(h ^ x, 0x01000193) >>> 0;
    }
    expect(h.toString(16)).toBe("30662912");
  });
});
