import { describe, expect, it } from "vitest";
import { defaultRegistry } from "../pipeline/registry.js";
import { canonicalSpec } from "../pipeline/spec.js";
import {
  defaultPortfolio,
  namedPortfolio,
  parsePortfolio,
  portfolioSchema,
  quickPortfolio,
} from "./portfolio.js";
import { registry as brokenRegistry } from "./test-utils/broken-registry.js";

describe("portfolios", () => {
  it("builds a deterministic default of 40–60 canonical, unique pipelines from the registered stages", () => {
    const p = defaultPortfolio();
    expect(p.pipelines.length).toBeGreaterThanOrEqual(40);
    expect(p.pipelines.length).toBeLessThanOrEqual(60);
    expect(new Set(p.pipelines).size).toBe(p.pipelines.length);
    for (const spec of p.pipelines) expect(canonicalSpec(spec)).toBe(spec);
    expect(defaultPortfolio()).toEqual(p);
    for (const must of ["lz4", "zstd:19", "shuffle:8>zstd:3", "delta:4>lz4", "xor:8>brotli:5:22"]) {
      expect(p.pipelines).toContain(must);
    }
    const ids = new Set(defaultRegistry.list().map((s) => s.id));
    if (ids.has("bwt") && ids.has("mtf") && ids.has("rle") && ids.has("huffman")) {
      expect(p.pipelines.some((s) => s.startsWith("bwt") && s.includes("huffman"))).toBe(true);
    }
    expect(parsePortfolio(p)).toEqual(p);
  });

  it("builds a quick portfolio of 8–12 pipelines and names both", () => {
    const q = quickPortfolio();
    expect(q.pipelines.length).toBeGreaterThanOrEqual(8);
    expect(q.pipelines.length).toBeLessThanOrEqual(12);
    expect(namedPortfolio("quick")).toEqual(q);
    expect(namedPortfolio("default").name).toBe("default");
    expect(() => namedPortfolio("huge")).toThrow(/unknown portfolio "huge"/);
  });

  it("validates and canonicalises user portfolios", () => {
    expect(parsePortfolio({ name: "mine", pipelines: ["zstd:19", "delta:4>zstd"] }).pipelines).toEqual([
      "zstd:19",
      "delta:4>zstd:3",
    ]);
    expect(() => parsePortfolio({ name: "dup", pipelines: ["zstd", "zstd:3"] })).toThrow(
      /same pipeline "zstd:3"/,
    );
    expect(() => parsePortfolio({ name: "bad", pipelines: ["nope:1"] })).toThrow(/unknown stage "nope"/);
    expect(() => parsePortfolio({ name: "empty", pipelines: [] })).toThrow(/bad portfolio/);
    expect(portfolioSchema.safeParse({ name: "x", pipelines: ["zstd:3", "lz4"] }).success).toBe(true);
    expect(portfolioSchema.safeParse({ name: "x", pipelines: ["delta:4"] }).success).toBe(false);
    expect(parsePortfolio({ name: "t", pipelines: ["liar"] }, brokenRegistry).pipelines).toEqual(["liar"]);
  });
});
