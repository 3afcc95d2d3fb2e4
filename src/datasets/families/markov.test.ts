import { describe, expect, it } from "vitest";
import { conditionalEntropy } from "../entropy.js";
import { entropyRate, generateBytes } from "../generate.js";
import { stationaryGth } from "./markov.js";

describe("markov internals", () => {
  it("GTH solves small chains exactly", () => {
    const pi = stationaryGth(Float64Array.of(0.9, 0.1, 0.5, 0.5), 2);
    expect(pi[0]).toBeCloseTo(5 / 6, 14);
    expect(pi[1]).toBeCloseTo(1 / 6, 14);
    // a periodic chain (power iteration would oscillate) still has its uniform stationary law
    const cyc = stationaryGth(Float64Array.of(0, 1, 0, 0, 0, 1, 1, 0, 0), 3);
    for (const p of cyc) expect(p).toBeCloseTo(1 / 3, 14);
  });

  it("order 3 over 16 symbols (4096 contexts, power iteration) matches its empirical rate within 1%", async () => {
    // plug-in bias here ≈ 4096·15/(2·4Mi·ln 2) ≈ 0.011 bits, 0.35% of the ≈ 3 bit rate
    const config = {
      family: "markov" as const,
      order: 3,
      alphabet: 16,
      concentration: 0.5,
      totalBytes: 4 << 20,
      seed: 1,
    };
    const rate = entropyRate(config);
    expect(rate.exact).toBe(true);
    const measured = conditionalEntropy(await generateBytes(config), 3, 16);
    expect(Math.abs(measured - rate.bitsPerByte) / rate.bitsPerByte).toBeLessThan(0.01);
  });

  it("alphabets that are not powers of two use only their own symbols", async () => {
    const bytes = await generateBytes({
      family: "markov",
      order: 2,
      alphabet: 5,
      totalBytes: 1 << 16,
      seed: 2,
    });
    expect(Math.max(...bytes)).toBe(4);
  });
});
