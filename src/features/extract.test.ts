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
