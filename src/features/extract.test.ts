import { describe, expect, it } from "vitest";
import {
  checkSampleBytes,
  extract,
  extractAll,
  FEATURE_COUNT,
  FEATURE_NAMES,
  FEATURE_SAMPLE_BYTES,
  FEATURE_SET_ID,
  featureSetId,
  MAX_FEATURE_SAMPLE_BYTES,
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
    // a 160-byte sample reads uniform bytes well below 8 bits (plug-in bias; log2 160 ≈ 7.3 is the ceiling)
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
    // exponent lanes of doubles stand out; 20 samples per lane leave random bytes some spread too
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

// Golden vectors: float32 bit patterns (hex) pinned from the feature code at basic-v4-24x160, so that a speed-up
// of extract() cannot change a single output bit. Regenerate only when the feature set (FEATURE_SET_ID) changes.
const GOLDEN: Record<string, string> = {
  text: "4180000c 406fb7e9 3fc42e86 3eb1f12b 3da00000 3e59999a 3f000000 3f800000 3f800000 0 3d3b9ca6 0 409b63de 40a370b7 4097a3f3 409fb612 4093170a 40984650 3f09999a 3ef9999a 0 0 3d9e5f80 3dc46ed7",
  random:
    "4180000c 40d60b7c 3f0edad0 0 3ee20000 3ccccccd 3da66666 3ecccccd 3f01999a 3bcccccd 0 0 40d671e2 40d4cabc 40d757c8 40d6cabc 40da7f6f 40d62495 0 0 3e800000 3d4ccccd 3d6d91b6 3ed7c886",
  zeros:
    "4180000c 0 0 0 3b800000 3f800000 3f800000 0 3f800000 3f800000 40ea4d3c 3f800000 0 0 0 0 0 0 3f7ccccd 3f7ccccd 0 0 0 0",
  doubles:
    "4180000c 40cdbc18 3f4e22b9 3c4ccccd 3eda0000 3da66666 3e39999a 3ef33333 3f11999a 3bcccccd 0 0 40dab1a2 40da3222 40d6feef 40c7adc9 40d4bf2f 40c9cf53 0 0 3f333333 3f800000 3f30fb28 3ffa134e",
  ints: "4180000c 408761b8 3fa95a1e 3f8b9f9b 3df80000 3e800000 3ed33333 3ea33333 3f580000 3e800000 3c143211 0 40af66f2 40be992d 3f7011f2 3f86a3c5 3fdb88b1 3fdf5cbb 0 0 0 0 3fdc4719 3fc1ae80",
  len0: "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0",
  len1: "3f800000 0 0 0 3b800000 3f800000 3f800000 0 3f800000 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0",
  len7: "40400000 4033abb4 0 0 3ce00000 3e124925 3f124925 3e124925 3e924925 0 0 0 4033abb4 4033abb4 4033abb4 4033abb4 4033abb4 4033abb4 0 0 0 0 3f400000 0",
  len100:
    "40d51012 40c71426 3ece27b3 0 3ea00000 3cf5c28f 3de147ae 3e99999a 3ecccccd 3c23d70a 0 0 40c7cdab 40c7f5d4 40ca8530 40c97b59 40c899ab 40c8d782 0 0 3e75c28f 0 3e4e164f 3ea22811",
  len159:
    "40ea4d3c 406ab2a5 3fc49532 3ed91eb5 3da00000 3e5af7f3 3f0a7725 3f800000 3f800000 0 3c959a9f 0 409ab26f 40a3afd5 409c8014 40a5db9a 4096bc11 409bf586 3eefcc27 3eb577e6 3cd20d21 0 3d903377 3dc6785f",
  len160:
    "40ea96df 40cd1cae 3f598470 0 3ee20000 3e000000 3e400000 3ef9999a 3f200000 0 0 0 40d98bfc 40dd9989 40d53122 40c626d9 40d33122 40c7bb56 0 0 3f200000 3f800000 3f464d4f 402f04cd",
  len161:
    "40eae00d 40d8f162 3eb0e8d4 3d737343 3ef00000 3c99999a 3d99999a 3eb00000 3ef66666 3bcccccd 3c143211 0 40d61909 40dabf2f 40d83222 40d658c9 40d3e4d5 40d2f162 3d4ccccd 3d4ccccd 3e000000 0 3e7ff116 3f3b7369",
  len4096:
    "41400171 406b1608 3fa81909 3fa7b4a3 3dd80000 3e800000 3f19999a 3ea66666 3f580000 3e800000 0 0 4092a709 409a6aeb 3f7011f2 3f835674 3fdcbde5 3fdb6f7d 0 0 0 0 3fc52d10 3faa9477",
  "len200k-mixed":
    "418ce09a 40d03edd 3f0632ea 3d1d3a4f 3ed80000 3d4ccccd 3e19999a 3f04cccd 3f1ccccd 3d4ccccd 3d842dae 3d000000 40d29cd4 40d41837 40d0d47e 40d2d32c 40d166a8 40d69889 3d800000 3d19999a 3e333333 0 3d13e556 3e8a54b1",
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
  len159: text.subarray(3, 162),
  len160: doubles.subarray(8, 168),
  len161: seeded(161, 11),
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
    expect(FEATURE_SET_ID).toBe("basic-v4-24x160");
    expect(featureSetId(640)).toBe("basic-v4-24x640");
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
    expect(h.toString(16)).toBe("50ffca84");
  });
});

describe("extract with a wider sample", () => {
  it("reads more of the block: uniform bytes come closer to 8 bits, and short blocks are read whole", () => {
    const random = seeded(65536, 11);
    const narrow = f(extract(random), "h0");
    const wide = f(extract(random, 640), "h0");
    // the plug-in estimate's ceiling is log2 of the sample: 7.32 bits for 160 bytes, 9.32 for 640 (8 caps it)
    expect(narrow).toBeLessThan(Math.log2(160));
    expect(wide).toBeGreaterThan(narrow + 0.5);
    expect(wide).toBeLessThanOrEqual(8);
    // a block shorter than the wide sample is read whole, so its exact entropy comes out
    const short = seeded(500, 12);
    const counts = new Map<number, number>();
    for (const b of short) counts.set(b, (counts.get(b) ?? 0) + 1);
    let h = 0;
    for (const c of counts.values()) h -= (c / short.length) * Math.log2(c / short.length);
    expect(f(extract(short, 640), "h0")).toBeCloseTo(h, 4);
    expect(f(extract(short), "h0")).not.toBeCloseTo(h, 2);
    expect(extractAll([random, short], 640).map((v) => f(v, "h0"))).toEqual([
      wide,
      f(extract(short, 640), "h0"),
    ]);
  });

  it("refuses a sample size that is not 5 chunks of whole words, naming the valid ones", () => {
    for (const bad of [0, 100, 164, MAX_FEATURE_SAMPLE_BYTES + 40, 1.5]) {
      expect(() => extract(seeded(4096, 1), bad)).toThrow(
        expect.objectContaining({
          code: "E_INVALID_CONFIG",
          message: expect.stringMatching(/multiple of 40/),
        }),
      );
    }
    expect(() => checkSampleBytes(MAX_FEATURE_SAMPLE_BYTES)).not.toThrow();
  });
});
