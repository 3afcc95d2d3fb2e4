import { describe, expect, it } from "vitest";
import { createRng } from "../rng.js";
import { createSamplerTables, quantizeWeights, setRow, symbolBits, TableSampler } from "./sampler.js";

describe("table sampler", () => {
  const weights = quantizeWeights([0.5, 0.2, 0.15, 0.1, 0.04, 0.01]);

  it("draws the i-th symbol as the inverse CDF of the i-th 32-bit word, whatever the guide size", () => {
    const outputs = [1, 4, 12, 16].map((guideBits) => {
      const tables = createSamplerTables(1, weights.length, guideBits);
      setRow(tables, 0, weights);
      const out = new Uint8Array(20000);
      new TableSampler(tables, createRng(9), 0, 0).fill(out);
      return out;
    });
    const rng = createRng(9);
    const cdf = [0];
    for (const w of weights) cdf.push(cdf.at(-1)! + w);
    const expected = Uint8Array.from({ length: 20000 }, () => {
      const u = rng.nextU32();
      let s = 0;
      while (u >= cdf[s + 1]) s++;
      return s;
    });
    for (const out of outputs) expect(Buffer.from(out).equals(Buffer.from(expected))).toBe(true);
  });

  it("continues the stream across fill calls and shares the rng state", () => {
    const tables = createSamplerTables(1, weights.length, 8);
    setRow(tables, 0, weights);
    const whole = new Uint8Array(1000);
    new TableSampler(tables, createRng(3), 0, 0).fill(whole);
    const rng = createRng(3);
    const sampler = new TableSampler(tables, rng, 0, 0);
    const a = new Uint8Array(333);
    const b = new Uint8Array(667);
    sampler.fill(a);
    sampler.fill(b);
    expect([...a, ...b]).toEqual([...whole]);
    // the rng advanced by exactly one word per symbol
    const ref = createRng(3);
    for (let i = 0; i < 1000; i++) ref.nextU32();
    expect(rng.nextU32()).toBe(ref.nextU32());
  });

  it("moves between rows as a Markov context", () => {
    // two symbols; row 0 always emits 1, row 1 always emits 0 → alternating stream
    const tables = createSamplerTables(2, 2, 4);
    setRow(tables, 0, [0, 2 ** 32]);
    setRow(tables, 1, [2 ** 32, 0]);
    const out = new Uint8Array(8);
    new TableSampler(tables, createRng(1), 0, 1, 1).fill(out);
    expect([...out]).toEqual([1, 0, 1, 0, 1, 0, 1, 0]);
  });

  it("validates its inputs", () => {
    expect(symbolBits(2)).toBe(1);
    expect(symbolBits(256)).toBe(8);
    expect(() => createSamplerTables(1, 0, 8)).toThrow(RangeError);
    expect(() => createSamplerTables(1, 4, 17)).toThrow(RangeError);
    const tables = createSamplerTables(1, 2, 4);
    expect(() => setRow(tables, 0, [1, 2])).toThrow(RangeError);
  });
});
