import { describe, expect, it } from "vitest";
import { createRng } from "../rng.js";
import {
  conditionalEntropy,
  EntropyAccumulator,
  empiricalEntropy,
  entropyEfficiency,
  geometricEntropy,
  order0Entropy,
  shannonEntropy,
} from "./entropy.js";
import { quantizeWeights } from "./sampler.js";

describe("entropy maths", () => {
  it("entropyEfficiency is (n·H/8) / bytesOut", () => {
    expect(entropyEfficiency(1000, 8, 1000)).toBe(1);
    expect(entropyEfficiency(1 << 20, 3, 400_000)).toBeCloseTo(0.98304, 5);
    expect(entropyEfficiency(800, 2, 400)).toBe(0.5);
  });

  it("shannonEntropy of known distributions", () => {
    expect(shannonEntropy([1, 1])).toBe(1);
    expect(shannonEntropy([1, 1, 1, 1, 0])).toBe(2);
    expect(shannonEntropy([5])).toBe(0);
    expect(shannonEntropy([0, 0])).toBe(0);
    expect(shannonEntropy([0.25, 0.75])).toBeCloseTo(0.811278, 6);
  });

  it("geometricEntropy(p) = h2(p)/p", () => {
    expect(geometricEntropy(0.5)).toBeCloseTo(2, 12);
    expect(geometricEntropy(1)).toBe(0);
    const p = 0.1;
    let h = 0;
    for (let k = 0; k < 2000; k++) {
      const q = p * (1 - p) ** k;
      if (q > 0) h -= q * Math.log2(q);
    }
    expect(geometricEntropy(p)).toBeCloseTo(h, 9);
  });

  it("empirical orders on constructed sequences", () => {
    const alternating = Uint8Array.from({ length: 10000 }, (_, i) => (i % 2 ? 65 : 66));
    const e = empiricalEntropy(alternating);
    expect(e.order0).toBeCloseTo(1, 6);
    expect(e.order1).toBeCloseTo(0, 6);
    expect(e.order2).toBeCloseTo(0, 6);
    const period3 = Uint8Array.from({ length: 9000 }, (_, i) => [1, 1, 2][i % 3]);
    const p3 = empiricalEntropy(period3);
    expect(p3.order1).toBeGreaterThan(0.6); // after a 1, next is 1 or 2
    expect(p3.order2).toBeCloseTo(0, 6);
    expect(empiricalEntropy(new Uint8Array(0))).toEqual({ bytes: 0, order0: 0, order1: 0, order2: 0 });
    expect(empiricalEntropy(alternating, 1).order2).toBeUndefined();
  });

  it("the accumulator carries contexts across blocks", () => {
    const rng = createRng(1);
    const bytes = new Uint8Array(100_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = rng.nextInt(7) * (i % 3);
    const whole = empiricalEntropy(bytes);
    for (const order of [1, 2] as const) {
      const acc = new EntropyAccumulator(order);
      for (const cut of [0, 1, 2, 3, 5000, 77777, 100_000].map((c, i, a) => bytes.subarray(c, a[i + 1])))
        acc.add(cut);
      const parts = acc.result();
      expect(parts.bytes).toBe(100_000);
      expect(parts.order0).toBeCloseTo(whole.order0, 10);
      expect(parts.order1).toBeCloseTo(whole.order1, 10);
      if (order === 2) expect(parts.order2).toBeCloseTo(whole.order2!, 10);
    }
  });

  it("order0Entropy and conditionalEntropy agree with empiricalEntropy", () => {
    const rng = createRng(2);
    const bytes = Uint8Array.from({ length: 50_000 }, () => rng.nextInt(16));
    const e = empiricalEntropy(bytes);
    expect(order0Entropy(bytes)).toBeCloseTo(e.order0, 10);
    expect(conditionalEntropy(bytes, 0, 16)).toBeCloseTo(e.order0, 10);
    expect(conditionalEntropy(bytes, 1, 16)).toBeCloseTo(e.order1, 10);
    expect(conditionalEntropy(bytes, 2, 16)).toBeCloseTo(e.order2!, 10);
    expect(() => conditionalEntropy(bytes, 4, 256)).toThrow(RangeError);
  });

  it("quantizeWeights sums to 2^32 and keeps floors", () => {
    const q = quantizeWeights([1e-30, 1, 2, 0], 1, false);
    expect(q.reduce((a, b) => a + b)).toBe(2 ** 32);
    expect(q[0]).toBeGreaterThanOrEqual(1);
    expect(q[3]).toBe(0);
    expect(quantizeWeights([0, 1], 1, true)[0]).toBe(1);
    expect(() => quantizeWeights([0, 0])).toThrow(RangeError);
    expect(() => quantizeWeights([-1, 2])).toThrow(RangeError);
  });
});
