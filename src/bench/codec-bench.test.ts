import { describe, expect, it } from "vitest";
import { compress } from "../pipeline/frame.js";
import { benchCodecs, formatCodecBenchTable } from "./codec-bench.js";
import { testBlock } from "./test-utils/blocks.js";

describe("benchCodecs", () => {
  it("puts the reference first at ratio 1 and pairs every other pipeline with it", () => {
    const data = testBlock("text", 20000, 3);
    const rows = benchCodecs(data, ["lz4", "deflate:1", "zstd:3"], { minTimeMs: 5, blockSize: 8192 });
    expect(rows.map((r) => r.pipeline)).toEqual(["deflate:1", "lz4", "zstd:3"]);
    expect(rows[0].compressVsReference).toBe(1);
    expect(rows[0].decompressVsReference).toBe(1);
    for (const r of rows) {
      expect(r.roundTripOk).toBe(true);
      expect(r.bytesIn).toBe(20000);
      expect(r.ratio).toBeCloseTo(20000 / r.bytesOut, 12);
      expect(r.compressVsReference).toBeGreaterThan(0);
      expect(Number.isFinite(r.decompressVsReference)).toBe(true);
    }
    // payload bytes of the three 8 KiB blocks, without frame headers
    const frames = [0, 8192, 16384].map((at) => compress(data.subarray(at, at + 8192), "zstd:3"));
    expect(rows[2].bytesOut).toBeLessThan(frames.reduce((n, f) => n + f.length, 0));
    expect(formatCodecBenchTable(rows)).toContain("zstd:3");
  });
});
