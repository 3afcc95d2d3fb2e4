import { describe, expect, it } from "vitest";
import { createRng, createRngFromState, deriveSeed, splitMix64 } from "./rng.js";

describe("rng", () => {
  it("matches the SplitMix64 reference vector (seed 1234567)", () => {
    let state = 1234567n;
    const outs: bigint[] = [];
    for (let i = 0; i < 5; i++) {
      const [out, next] = splitMix64(state);
      outs.push(out);
      state = next;
    }
    expect(outs).toEqual([
      6457827717110365317n,
      3203168211198807973n,
      9817491932198370423n,
      4593380528125082431n,
      16408922859458223821n,
    ]);
  });

  it("matches the xoshiro128** reference outputs from state [1, 2, 3, 4]", () => {
    const rng = createRngFromState([1, 2, 3, 4]);
    expect(Array.from({ length: 6 }, () => rng.nextU32())).toEqual([
      11520, 0, 5927040, 70819200, 2031721883, 1637235492,
    ]);
  });

  it("fillU32 and fillBytes continue the same stream as nextU32", () => {
    const a = createRng(7);
    const b = createRng(7);
    const words = new Uint32Array(1001);
    b.fillU32(words);
    expect(Array.from(words)).toEqual(Array.from({ length: 1001 }, () => a.nextU32()));
    const bytes = new Uint8Array(11);
    b.fillBytes(bytes);
    const w = [a.nextU32(), a.nextU32(), a.nextU32()];
    const expected = w.flatMap((x) => [x & 255, (x >>> 8) & 255, (x >>> 16) & 255, x >>> 24]).slice(0, 11);
    expect(Array.from(bytes)).toEqual(expected);
    const odd = new Uint8Array(16).subarray(1, 10);
    createRng(3).fillBytes(odd);
    const c = createRng(3);
    const ws = [c.nextU32(), c.nextU32(), c.nextU32()];
    expect(Array.from(odd)).toEqual(
      ws.flatMap((x) => [x & 255, (x >>> 8) & 255, (x >>> 16) & 255, x >>> 24]).slice(0, 9),
    );
  });

  it("is deterministic per seed and differs across seeds", () => {
    const seq = (seed: number) => {
      const rng = createRng(seed);
      return Array.from({ length: 8 }, () => rng.nextU32());
    };
    expect(seq(1)).toEqual(seq(1));
    expect(seq(1)).not.toEqual(seq(2));
    expect(seq(-1)).not.toEqual(seq(1));
    expect(deriveSeed(1, "a")).not.toBe(deriveSeed(1, "b"));
    expect(deriveSeed(1, "a")).toBe(deriveSeed(1, "a"));
    expect(Number.isSafeInteger(deriveSeed(2 ** 52, "x"))).toBe(true);
  });

  it("nextInt is in range and roughly uniform; nextFloat in [0, 1)", () => {
    const rng = createRng(11);
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 60000; i++) counts[rng.nextInt(6)]++;
    for (const c of counts) expect(Math.abs(c - 10000)).toBeLessThan(500);
    for (let i = 0; i < 1000; i++) {
      const f = rng.nextFloat();
      expect(f >= 0 && f < 1).toBe(true);
    }
    expect(rng.nextInt(1)).toBe(0);
    expect(() => rng.nextInt(0)).toThrow(RangeError);
    expect(() => createRng(0.5)).toThrow(RangeError);
    expect(() => createRngFromState([1, 2, 3])).toThrow(RangeError);
  });

  it("nextGaussian has mean 0 and variance 1", () => {
    const rng = createRng(5);
    let s = 0;
    let s2 = 0;
    const n = 100000;
    for (let i = 0; i < n; i++) {
      const x = rng.nextGaussian();
      s += x;
      s2 += x * x;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.02);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.02);
  });

  it("replaces an all-zero state", () => {
    expect(createRngFromState([0, 0, 0, 0]).nextU32()).toBe(11520);
  });
});
