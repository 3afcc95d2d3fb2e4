import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createRegistry } from "../pipeline/registry.js";
import { parseSpec } from "../pipeline/spec.js";
import { BUILTIN_STAGES } from "../pipeline/stages.js";
import { defineStage } from "../stage.js";
import { evaluate } from "./evaluate.js";
import { vbsChoices } from "./metrics/gap.js";
import { costMatrix, parseObjective } from "./objectives.js";
import { quickPortfolio } from "./portfolio.js";
import { testBlock } from "./test-utils/blocks.js";
import { registry as brokenRegistry } from "./test-utils/broken-registry.js";
import { evaluateBlock } from "./trial.js";
import type { Trial } from "./types.js";

const kinds = ["text", "random", "zeros", "doubles", "ints"] as const;
const blocks = kinds.map((k, i) => testBlock(k, 16384, i + 1));
const sizes = (trials: readonly Trial[]) => trials.map((t) => `${t.blockIndex}:${t.pipeline}:${t.bytesOut}`);

describe("evaluate", () => {
  it("round-trips every trial in process, streams batches and progress, and is deterministic in sizes", async () => {
    const portfolio = quickPortfolio();
    const batches: number[] = [];
    const progress: number[] = [];
    const a = await evaluate(portfolio, blocks, {
      workers: 1,
      repeats: 1,
      warmup: 0,
      onTrials: async (batch) => {
        batches.push(batch.length);
      },
      onProgress: (done, total) => {
        progress.push(done);
        expect(total).toBe(blocks.length);
      },
    });
    expect(a.workers).toBe(1);
    expect(a.trials.length).toBe(blocks.length * portfolio.pipelines.length);
    expect(a.trials.every((t) => t.roundTripOk && t.encNs > 0 && t.decNs > 0)).toBe(true);
    expect(batches).toEqual(blocks.map(() => portfolio.pipelines.length));
    expect(progress).toEqual([1, 2, 3, 4, 5]);
    // trials are ordered by block, then pipeline
    expect(a.trials.map((t) => t.blockIndex)).toEqual(
      a.trials.map((t) => t.blockIndex).sort((x, y) => x - y),
    );
    // size objective: identical sizes and oracle on a second run
    const b = await evaluate(portfolio, blocks, { workers: 1, repeats: 2, budgetNs: 1 });
    expect(b.trials.every((t) => t.roundTripOk && t.encNs > 0)).toBe(true);
    expect(sizes(b.trials)).toEqual(sizes(a.trials));
    const size = parseObjective("size");
    const ma = costMatrix(a.trials, blocks.length, a.pipelines, size);
    const mb = costMatrix(b.trials, blocks.length, b.pipelines, size);
    expect([...mb.costs]).toEqual([...ma.costs]);
    expect(vbsChoices(mb)).toEqual(vbsChoices(ma));
    // zeros compress far better than random bytes
    const best = (bi: number) =>
      Math.min(...a.trials.filter((t) => t.blockIndex === bi).map((t) => t.bytesOut));
    expect(best(2)).toBeLessThan(200);
    expect(best(1)).toBeGreaterThan(16000);
  });

  it("gives the same sizes on a pool of 2 worker threads, and with the caller running blocks, as in process", async () => {
    const portfolio = { name: "t", pipelines: ["lz4", "zstd:3", "shuffle:8>zstd:3", "brotli:5"] };
    const seen: number[] = [];
    const one = await evaluate(portfolio, blocks, { workers: 1, repeats: 1 });
    expect(one.blocksPerThread).toEqual([blocks.length]);
    const two = await evaluate(portfolio, blocks, {
      workers: 2,
      callerRuns: false,
      repeats: 1,
      onTrials: (batch) => {
        seen.push(batch[0].blockIndex);
      },
    });
    expect(two.workers).toBe(2);
    expect(two.startupNs).toBeGreaterThan(0);
    expect(two.startupNs).toBeLessThan(two.wallNs);
    // the worker threads did every block
    expect(two.blocksPerThread[0]).toBe(0);
    expect(two.blocksPerThread.reduce((a, b) => a + b, 0)).toBe(blocks.length);
    expect(sizes(two.trials)).toEqual(sizes(one.trials));
    expect(two.trials.every((t) => t.roundTripOk)).toBe(true);
    expect(seen.sort()).toEqual([0, 1, 2, 3, 4]);
    // default: the calling thread claims blocks beside one worker thread
    const progress: number[] = [];
    const shared = await evaluate(portfolio, blocks, {
      workers: 2,
      repeats: 1,
      onProgress: (done) => progress.push(done),
    });
    expect(shared.blocksPerThread.length).toBe(2);
    expect(shared.blocksPerThread[0]).toBeGreaterThan(0);
    expect(shared.blocksPerThread[0] + shared.blocksPerThread[1]).toBe(blocks.length);
    expect(shared.startupNs).toBeLessThanOrEqual(shared.wallNs);
    expect(progress).toEqual([1, 2, 3, 4, 5]);
    expect(sizes(shared.trials)).toEqual(sizes(one.trials));
  });

  it("marks a silently corrupting and a throwing pipeline as failed, in process and in workers", async () => {
    const pipelines = ["zstd:3", "liar", "delta:2>thrower"];
    const local = await evaluate(pipelines, blocks.slice(0, 2), {
      workers: 1,
      registry: brokenRegistry,
      repeats: 1,
    });
    const pooled = await evaluate(pipelines, blocks.slice(0, 2), {
      workers: 2,
      callerRuns: false,
      registryModule: new URL("./test-utils/broken-registry.ts", import.meta.url),
      repeats: 1,
    });
    for (const r of [local, pooled]) {
      expect(r.trials.length).toBe(6);
      for (const t of r.trials) {
        expect(t.roundTripOk).toBe(t.pipeline === "zstd:3");
        if (!t.roundTripOk) expect(t.error).toMatch(/differ|always fails/);
      }
      const m = costMatrix(r.trials, 2, r.pipelines, parseObjective("size"));
      expect(m.costs[1]).toBe(Infinity);
      expect(m.costs[2]).toBe(Infinity);
      expect(vbsChoices(m)).toEqual([0, 0]);
    }
  });

  it("passes on an onTrials failure (e.g. the store) instead of losing it", async () => {
    for (const [workers, callerRuns] of [
      [1, true],
      [2, true],
      [2, false],
    ] as const) {
      await expect(
        evaluate(["lz4"], blocks, {
          workers,
          callerRuns,
          onTrials: () => {
            throw new Error("store is full");
          },
        }),
      ).rejects.toThrow(/store is full/);
    }
  });

  it("interleaves the runs of a block's pipelines, and times each within its own budget", () => {
    const calls: string[] = [];
    const traced = (id: string) =>
      defineStage({
        id,
        version: 1,
        kind: "codec",
        summary: "test codec that records its encodes",
        params: z.object({}).strict(),
        positional: [],
        encode: (input) => {
          calls.push(id);
          return input.slice();
        },
        decode: (input) => input.slice(),
      });
    const registry = createRegistry([...BUILTIN_STAGES, traced("a"), traced("b")]);
    const pipelines = ["a", "b"].map((s) => parseSpec(s, registry));
    const trials = evaluateBlock(blocks[0], 0, pipelines, { warmup: 1, repeats: 3 });
    expect(calls).toEqual(["a", "b", "a", "b", "a", "b", "a", "b"]);
    expect(trials.every((t) => t.roundTripOk && t.encNs > 0)).toBe(true);
    // a 1 ns budget: each pipeline stops after its first timed run, the other still gets its own
    calls.length = 0;
    evaluateBlock(blocks[0], 0, pipelines, { warmup: 1, repeats: 3, budgetNs: 1 });
    expect(calls).toEqual(["a", "b"]);
  });

  it("rejects an empty portfolio and a registry object with workers", async () => {
    await expect(evaluate([], blocks)).rejects.toThrow(/portfolio is empty/);
    await expect(evaluate(["liar"], blocks, { workers: 2, registry: brokenRegistry })).rejects.toThrow(
      /registryModule/,
    );
  });
});
