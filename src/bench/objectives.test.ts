import { describe, expect, it } from "vitest";
import { isMetacompError } from "../errors.js";
import { costMatrix, formatObjective, objectiveUsesTime, parseObjective, trialCost } from "./objectives.js";
import type { Trial } from "./types.js";

const trial = (
  blockIndex: number,
  pipeline: string,
  bytesOut: number,
  encNs: number,
  decNs: number,
  ok = true,
): Trial => ({
  blockIndex,
  pipeline,
  bytesIn: 1000,
  bytesOut,
  encNs,
  decNs,
  roundTripOk: ok,
});

describe("objectives", () => {
  it("parses and formats the three forms", () => {
    expect(parseObjective("size")).toEqual({ kind: "size" });
    expect(parseObjective("transfer:100")).toEqual({ kind: "transfer", mbps: 100 });
    expect(parseObjective("weighted:0.5:2")).toEqual({ kind: "weighted", alpha: 0.5, beta: 2 });
    expect(parseObjective({ kind: "transfer", mbps: 5 })).toEqual({ kind: "transfer", mbps: 5 });
    for (const s of ["size", "transfer:100", "weighted:0.5:2"])
      expect(formatObjective(parseObjective(s))).toBe(s);
    for (const bad of [
      "speed",
      "transfer",
      "transfer:0",
      "transfer:x",
      "weighted:1",
      "weighted:-1:0",
      "size:3",
    ]) {
      expect(() => parseObjective(bad), bad).toThrow(/bad objective/);
    }
    expect(() => parseObjective({ kind: "transfer", mbps: -1 } as never)).toThrow(/bad objective/);
    expect(objectiveUsesTime(parseObjective("size"))).toBe(false);
    expect(objectiveUsesTime(parseObjective("weighted:0:0"))).toBe(false);
    expect(objectiveUsesTime(parseObjective("weighted:0:1"))).toBe(true);
    expect(objectiveUsesTime(parseObjective("transfer:1"))).toBe(true);
  });

  it("computes size, transfer and weighted costs by hand", () => {
    const t = trial(0, "a", 1_000_000, 2_000_000, 1_000_000);
    expect(trialCost(t, { kind: "size" })).toBe(1_000_000);
    // 2 ms encode + 1 MB at 100 MB/s (10 ms) + 1 ms decode
    expect(trialCost(t, { kind: "transfer", mbps: 100 })).toBeCloseTo(0.013, 12);
    expect(trialCost(t, { kind: "transfer", mbps: 1 })).toBeCloseTo(1.003, 12);
    expect(trialCost(t, { kind: "weighted", alpha: 0.5, beta: 2 })).toBe(1_000_000 + 1_000_000 + 2_000_000);
    const failed = trial(0, "a", 10, 1, 1, false);
    for (const o of ["size", "transfer:100", "weighted:1:1"])
      expect(trialCost(failed, parseObjective(o))).toBe(Infinity);
  });

  it("builds a row-major cost matrix and rejects missing, duplicate and foreign trials", () => {
    const trials = [
      trial(1, "b", 30, 0, 0),
      trial(0, "a", 10, 0, 0),
      trial(0, "b", 20, 0, 0),
      trial(1, "a", 5, 0, 0, false),
    ];
    const m = costMatrix(trials, 2, ["a", "b"], { kind: "size" });
    expect([...m.costs]).toEqual([10, 20, Infinity, 30]);
    expect(m.pipelines).toEqual(["a", "b"]);
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return isMetacompError(e) ? e.message : "other";
      }
      return "no error";
    };
    expect(code(() => costMatrix(trials.slice(1), 2, ["a", "b"], { kind: "size" }))).toMatch(
      /no trial for block 1 and "b"/,
    );
    expect(code(() => costMatrix([...trials, trials[0]], 2, ["a", "b"], { kind: "size" }))).toMatch(
      /two trials/,
    );
    expect(code(() => costMatrix(trials, 2, ["a"], { kind: "size" }))).toMatch(/not in the portfolio/);
    expect(code(() => costMatrix(trials, 1, ["a", "b"], { kind: "size" }))).toMatch(/outside/);
  });
});
