import { describe, expect, it } from "vitest";
import { extract, FEATURE_COUNT } from "../features/extract.js";
import { sampleAndTryOnTrials } from "./baselines/sample-and-try.js";
import { parseObjective } from "./objectives.js";
import { formatCost, formatObjectiveReport } from "./report.js";
import { extractTimed, runBench } from "./run.js";
import { testBlock } from "./test-utils/blocks.js";

describe("runBench", () => {
  it("builds extra selectors per objective with the evaluation's trials and split", async () => {
    const blocks = Array.from({ length: 8 }, (_, i) => testBlock(i % 2 ? "text" : "random", 4096, i));
    const pipelines = ["store", "zstd:3"];
    const seen: { objective: string; trials: number; train: readonly number[] }[] = [];
    const r = await runBench({ name: "t", pipelines }, blocks, blocks.map(String), {
      objectives: [parseObjective("transfer:100")],
      workers: 1,
      repeats: 1,
      seed: 1,
      extraSelectors: (objective, names, { trials, split }) => {
        seen.push({ objective: objective.kind, trials: trials.length, train: split.train });
        return [
          { ...sampleAndTryOnTrials({ pipelines: names, objective }, trials, split.train), name: "extra" },
        ];
      },
    });
    expect(seen).toEqual([{ objective: "transfer", trials: 16, train: r.split.train }]);
    expect(Object.keys(r.results[0].overhead)).toContain("extra");
  });

  it("reads the features from the feature sample it is given, and refuses a bad one before evaluating", async () => {
    const blocks = Array.from({ length: 4 }, (_, i) => testBlock(i % 2 ? "text" : "doubles", 4096, i));
    const opts = { objectives: [parseObjective("size")], workers: 1, repeats: 1, featureBytes: 640 };
    const r = await runBench({ name: "t", pipelines: ["store", "lz4"] }, blocks, ["a", "b", "a", "b"], opts);
    expect(r.features.map((f) => Array.from(f))).toEqual(blocks.map((b) => Array.from(extract(b, 640))));
    expect(r.features.map((f) => Array.from(f))).not.toEqual(blocks.map((b) => Array.from(extract(b))));
    let evaluated = false;
    const bad = runBench({ name: "t", pipelines: ["store", "lz4"] }, blocks, ["a", "b", "a", "b"], {
      ...opts,
      featureBytes: 100,
      onProgress: () => {
        evaluated = true;
      },
    });
    await expect(bad).rejects.toMatchObject({ code: "E_INVALID_CONFIG", message: /multiple of 40/ });
    expect(evaluated).toBe(false);
  });

  it("evaluates once and compares the baselines under several objectives, per group", async () => {
    const kinds = ["text", "random", "doubles", "ints"] as const;
    const blocks = Array.from({ length: 16 }, (_, i) => testBlock(kinds[i % 4], 4096, i));
    const groups = blocks.map((_, i) => kinds[i % 4]);
    const portfolio = {
      name: "t",
      pipelines: ["store", "lz4", "zstd:3", "shuffle:8>zstd:3", "delta:4>zstd:3"],
    };
    const r = await runBench(portfolio, blocks, groups, {
      objectives: [parseObjective("size"), parseObjective("transfer:100")],
      workers: 1,
      repeats: 1,
      split: "group",
      heldOut: ["ints"],
      seed: 2,
    });
    expect(r.evaluation.trials.length).toBe(16 * 5);
    expect(r.features.every((f) => f.length === FEATURE_COUNT)).toBe(true);
    expect(r.featureNs.every((ns) => ns > 0)).toBe(true);
    expect(r.split.test).toEqual([3, 7, 11, 15]);
    expect(r.results.map((x) => x.objective)).toEqual(["size", "transfer:100"]);
    for (const res of r.results) {
      // with time in the objective, sample-and-try also runs on the training blocks' measured speeds
      expect(Object.keys(res.overhead)).toEqual([
        "fixed:zstd:3",
        "random(seed=2)",
        "sample-and-try(1%×10)",
        "knn(k=5)",
        ...(res.objective === "size" ? [] : ["sample-and-try(1%×10, measured speeds)"]),
      ]);
      expect(res.report.groups.map((g) => g.group)).toEqual(["ints"]);
      expect(res.report.overall.vbsCost).toBeLessThanOrEqual(res.report.overall.sbsCost);
      const text = formatObjectiveReport(res, r.split.train.length);
      expect(text).toContain(
        `== objective ${res.objective} · SBS ${res.report.sbs} (picked on 12 training blocks)`,
      );
      for (const name of Object.keys(res.overhead)) expect(text).toContain(name);
      expect(text.split("\n").find((l) => l.startsWith("ints"))).toContain(
        formatCost(res.report.groups[0].sbsCost),
      );
    }
    expect(formatCost(1234)).toBe("1234");
    expect(formatCost(0.0123456)).toBe("0.01235");
    expect(formatCost(Infinity)).toBe("Infinity");
  });
});

describe("extractTimed", () => {
  it("returns each block's features with the median time of its repeats", () => {
    const blocks = [testBlock("text", 4096, 1), testBlock("doubles", 4096, 2), new Uint8Array(0)];
    const { features, featureNs } = extractTimed(blocks, 3);
    expect(features.map((f) => Array.from(f))).toEqual(blocks.map((b) => Array.from(extract(b))));
    expect(featureNs).toHaveLength(3);
    expect(Array.from(featureNs).every((ns) => ns > 0 && Number.isFinite(ns))).toBe(true);
  });
});
