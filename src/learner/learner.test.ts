import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "./backend.js";
import { learnerFromBytes, learnerToBytes, loadLearner, saveLearner } from "./io.js";
import { argmin, CostLearner, type LearnerConfig, learnerConfig } from "./learner.js";
import { heldOutGapClosed, type OnlineTask, runOnline } from "./online.js";
import { syntheticTask } from "./test-utils/synthetic.js";

const task: OnlineTask = syntheticTask({ family: 1, blocks: 500, seed: 3 });
const rowsOf = (t: OnlineTask, blocks: readonly number[]) => {
  const n = t.costs.pipelines.length;
  return blocks.map((b) => t.costs.costs.subarray(b * n, b * n + n));
};
const cfg = (over: Partial<LearnerConfig> = {}) =>
  learnerConfig({
    featureCount: 8,
    pipelines: task.costs.pipelines,
    seed: 11,
    hidden: [16],
    learningRate: 0.01,
    trainSteps: 25,
    ...over,
  });

function offlineLosses(epochs: number): number[] {
  const l = CostLearner.create(cfg());
  const losses = l.fitOffline(
    task.train.map((b) => task.features[b]),
    rowsOf(task, task.train),
    { epochs },
  );
  l.dispose();
  return losses;
}

describe("backends", () => {
  it("wasm and cpu training give matching losses on a small problem", async () => {
    const wasm = await initBackend("wasm");
    expect(wasm.name).toBe("wasm");
    const a = offlineLosses(6);
    const cpu = await initBackend("cpu");
    expect(cpu.name).toBe("cpu");
    const b = offlineLosses(6);
    expect(a[5]).toBeLessThan(a[0] * 0.5); // it really trains
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]) / b[i]).toBeLessThan(1e-3);
  });
  it("auto skips the aliased tfjs-node and records why", async () => {
    const info = await initBackend("auto");
    expect(["tensorflow", "wasm"]).toContain(info.name);
    if (info.name !== "tensorflow") expect(info.skipped[0].name).toBe("tensorflow");
    if (info.name !== "tensorflow")
      await expect(initBackend("tensorflow")).rejects.toThrow(/no TensorFlow.js backend/);
  });
});

describe("CostLearner", () => {
  beforeAll(async () => {
    await initBackend("wasm");
  });
  afterAll(() => undefined);

  it("validates its config", () => {
    expect(() => cfg({ heads: 1, exploration: { kind: "thompson" } })).toThrow(/heads >= 2/);
    expect(() => learnerConfig({ featureCount: 0, pipelines: ["a", "b"], seed: 1 })).toThrow(/featureCount/);
    expect(() => learnerConfig({ featureCount: 2, pipelines: ["a"], seed: 1 })).toThrow(/2 pipelines/);
    expect(() => cfg({ learningRate: 0 })).toThrow(/learningRate/);
    expect(() => cfg({ replaySize: 0 })).toThrow(/replaySize/);
    const l = CostLearner.create(cfg());
    expect(() => l.greedy([new Float32Array(3)])).toThrow(/expects 8/);
    expect(() => l.update([task.features[0]], [9], [1])).toThrow(/not a pipeline/);
    expect(() => l.update([task.features[0]], [0, 1], [1])).toThrow(/one of each/);
    l.dispose();
  });

  it("fills bootstrapP from the head count, and ε decays to its floor but never starts below it", () => {
    expect(learnerConfig({ featureCount: 2, pipelines: ["a", "b"], seed: 1, heads: 1 }).bootstrapP).toBe(1);
    expect(learnerConfig({ featureCount: 2, pipelines: ["a", "b"], seed: 1, heads: 3 }).bootstrapP).toBe(0.7);
    const decaying = CostLearner.create(
      cfg({ exploration: { kind: "epsilon", epsilon: 0.2, halfLife: 10, min: 0.02 } }),
    );
    expect([0, 10, 1000].map((r) => decaying.epsilonAt(r))).toEqual([0.2, 0.1, 0.02]);
    decaying.dispose();
    // a floor above the starting ε is capped at ε instead of raising exploration
    const small = CostLearner.create(
      cfg({ exploration: { kind: "epsilon", epsilon: 0.01, halfLife: 10, min: 0.02 } }),
    );
    expect([0, 1000].map((r) => small.epsilonAt(r))).toEqual([0.01, 0.01]);
    small.dispose();
  });

  it("offline training from full information closes most of the gap on held-out blocks", () => {
    const l = CostLearner.create(cfg());
    l.fitOffline(
      task.train.map((b) => task.features[b]),
      rowsOf(task, task.train),
      { epochs: 30 },
    );
    expect(heldOutGapClosed(l, task)).toBeGreaterThan(0.8);
    l.dispose();
  });

  it("offline options: listwise ranking head with bootstrap heads, stakes weights, early stopping", () => {
    const xs = task.train.map((b) => task.features[b]);
    const rows = rowsOf(task, task.train);
    const fitWith = (over: Partial<LearnerConfig>, options: Parameters<CostLearner["fitOffline"]>[2]) => {
      const l = CostLearner.create(cfg(over));
      const losses = l.fitOffline(xs, rows, options);
      const gap = heldOutGapClosed(l, task);
      const choices = l.greedy(task.test.map((b) => task.features[b]));
      l.dispose();
      return { losses, gap, choices };
    };
    const listwise = { kind: "listwise", temperature: 0.05, anchor: 0.1 } as const;
    const ranked = fitWith({ heads: 3, bootstrapP: 0.7 }, { epochs: 30, loss: listwise });
    expect(ranked.gap).toBeGreaterThan(0.8);
    expect(ranked.losses[29]).toBeLessThan(ranked.losses[0]);
    // the same seed gives the same fit; stakes weighting changes the loss it minimises
    expect(fitWith({ heads: 3, bootstrapP: 0.7 }, { epochs: 30, loss: listwise }).choices).toEqual(
      ranked.choices,
    );
    const stakes = fitWith({}, { epochs: 3, rowWeight: "stakes" });
    expect(stakes.losses).not.toEqual(fitWith({}, { epochs: 3 }).losses);
    // early stopping keeps the best epoch on the held-back rows: a long run cannot end worse than its best
    const stopped = fitWith({}, { epochs: 30, validationFraction: 0.2 });
    expect(stopped.gap).toBeGreaterThan(0.7);
    expect(() => fitWith({}, { epochs: 1, validationFraction: 1 })).toThrow(/validationFraction/);
  });

  it("risk-averse greedy: κ = 0 is the mean argmin; κ > 0 is the argmin of mean + κ·sd over heads", () => {
    const l = CostLearner.create(cfg({ heads: 4, bootstrapP: 0.5, exploration: { kind: "thompson" } }));
    runOnline(l, task, { rounds: 200, checkpointEvery: 200 });
    const xs = task.test.map((b) => task.features[b]);
    const meanChoices = l.greedy(xs);
    const averse = CostLearner.fromParts({ ...l.config, riskAversion: 2 }, l.model, l.norm);
    const raw = l.predictHeads(xs);
    const n = l.config.pipelines.length;
    const score = (i: number, p: number) => {
      const v = [0, 1, 2, 3].map((h) => raw[(i * 4 + h) * n + p]);
      const m = v.reduce((a, b) => a + b, 0) / 4;
      return m + 2 * Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / 4);
    };
    averse.greedy(xs).forEach((p, i) => {
      const best = Math.min(...Array.from({ length: n }, (_, q) => score(i, q)));
      expect(score(i, p)).toBeLessThan(best + 1e-4);
    });
    expect(CostLearner.fromParts({ ...l.config, riskAversion: 0 }, l.model, l.norm).greedy(xs)).toEqual(
      meanChoices,
    );
    expect(() => cfg({ riskAversion: -1 })).toThrow(/riskAversion/);
    l.dispose();
  });

  it("online with partial feedback improves its held-out gap closed (ε-greedy, softmax, Thompson)", () => {
    for (const exploration of [
      { kind: "epsilon", epsilon: 0.2, halfLife: 400, min: 0.02 },
      { kind: "softmax", temperature: 0.3 },
      { kind: "thompson" },
    ] as const) {
      const thompson = exploration.kind === "thompson";
      const l = CostLearner.create(
        cfg({ exploration, heads: thompson ? 3 : 1, bootstrapP: thompson ? 0.6 : 1 }),
      );
      const { curve, choices } = runOnline(l, task, { rounds: 800, checkpointEvery: 200 });
      expect(curve.rounds).toEqual([0, 200, 400, 600, 800]);
      expect(choices).toHaveLength(800);
      expect(curve.gapClosed[4]).toBeGreaterThan(0.6);
      expect(curve.gapClosed[4]).toBeGreaterThan(curve.gapClosed[0]);
      l.dispose();
    }
  });

  it("keeps one replay row per block, so a repeated block's costs are compared within its row", () => {
    const l = CostLearner.create(cfg({ retrainEvery: 1000, replaySize: 16 }));
    const n = task.costs.pipelines.length;
    const [a, b] = [task.features[0], task.features[1]];
    l.update([a, b, a, a], [0, 0, 2, 0], [100, 50, 80, 110]);
    expect(l.replayRows).toBe(2);
    const r = l.replayState;
    expect(Array.from(r.mask.subarray(0, n))).toEqual(
      Array.from({ length: n }, (_, p) => (p === 0 || p === 2 ? 1 : 0)),
    );
    expect(r.y[0]).toBeCloseTo((Math.log(100) + Math.log(110)) / 2, 5);
    expect(r.y[2]).toBeCloseTo(Math.log(80), 5);
    // once 16 other blocks have pushed it out, block a starts a new row
    const others = task.train.slice(2, 18).map((k) => task.features[k]);
    l.update(
      others,
      others.map(() => 1),
      others.map(() => 60),
    );
    l.update([a], [3], [90]);
    expect(l.replayRows).toBe(16);
    const row = Array.from({ length: 16 }, (_, i) => i).find(
      (i) => r.x[i * 8] === a[0] && r.x[i * 8 + 1] === a[1],
    );
    expect(row).toBeDefined();
    expect(Array.from(r.mask.subarray((row ?? 0) * n, (row ?? 0) * n + n)).reduce((s, v) => s + v, 0)).toBe(
      1,
    );
    l.dispose();
  });

  it("tries a repeated block's untried contenders, then goes greedy", () => {
    const l = CostLearner.create(
      cfg({ retrainEvery: 1000, exploration: { kind: "epsilon", epsilon: 0, contenders: 2 } }),
    );
    const x = task.features[0];
    const predicted = l.predictLogCost([x])[0];
    const [best, second] = Array.from(predicted.keys()).sort((p, q) => predicted[p] - predicted[q]);
    expect(l.select([x])).toEqual([best]); // a block never seen: greedy
    l.update([x], [best], [100]);
    expect(l.select([x])).toEqual([second]);
    l.update([x], [second], [90]);
    expect(l.select([x])).toEqual([best]); // both contenders tried
    l.dispose();
    expect(() => cfg({ exploration: { kind: "epsilon", epsilon: 0.1, contenders: -1 } })).toThrow(
      /contenders/,
    );
    expect(() => cfg({ relativeWeight: 0 })).toThrow(/relativeWeight/);
  });

  it("is deterministic: same seed, same backend → same choices and curve", () => {
    const run = () => {
      const l = CostLearner.create(cfg({ exploration: { kind: "softmax", temperature: 0.5 } }));
      const r = runOnline(l, task, { rounds: 300, checkpointEvery: 100 });
      l.dispose();
      return r;
    };
    const a = run();
    const b = run();
    expect(b.choices).toEqual(a.choices);
    expect(b.curve).toEqual(a.curve);
    const other = CostLearner.create({ ...cfg(), seed: 12 });
    expect(runOnline(other, task, { rounds: 300, checkpointEvery: 100 }).choices).not.toEqual(a.choices);
    other.dispose();
  });

  it("a resumed run (bytes or folder) continues the same curve", async () => {
    const straight = CostLearner.create(cfg());
    const first = runOnline(straight, task, { rounds: 250, checkpointEvery: 50 });
    const blob = await learnerToBytes(straight);
    const dir = await mkdtemp(path.join(tmpdir(), "metacomp-learner-"));
    await saveLearner(straight, dir);
    const rest = runOnline(straight, task, { rounds: 250, checkpointEvery: 50 });
    for (const resumed of [await learnerFromBytes(blob), await loadLearner(dir)]) {
      expect(resumed.round).toBe(250);
      const again = runOnline(resumed, task, { rounds: 250, checkpointEvery: 50 });
      expect(again.choices).toEqual(rest.choices);
      expect(again.curve).toEqual(rest.curve);
      resumed.dispose();
    }
    expect(first.curve.rounds.at(-1)).toBe(250);
    straight.dispose();
    await expect(learnerFromBytes(new Uint8Array(20))).rejects.toThrow(/bad magic/);
    await expect(learnerFromBytes(blob.subarray(0, 100))).rejects.toThrow(/truncated/);
    await expect(loadLearner(path.join(dir, "missing"))).rejects.toThrow(/cannot read/);
    await rm(dir, { recursive: true });
  });

  it("a saved learner records its feature set, and loading it for another one is refused", async () => {
    const trained = CostLearner.create(cfg({ featureSet: "basic-v4-8x640" }));
    runOnline(trained, task, { rounds: 60, checkpointEvery: 60 });
    const blob = await learnerToBytes(trained);
    const dir = await mkdtemp(path.join(tmpdir(), "metacomp-learner-"));
    await saveLearner(trained, dir);
    const tensors = tf.memory().numTensors;
    for (const load of [
      (wanted?: { featureSet: string }) => learnerFromBytes(blob, wanted),
      (wanted?: { featureSet: string }) => loadLearner(dir, wanted),
    ]) {
      const same = await load({ featureSet: "basic-v4-8x640" });
      expect(same.config.featureSet).toBe("basic-v4-8x640");
      expect(same.round).toBe(60);
      same.dispose();
      await expect(load({ featureSet: "basic-v4-8x160" })).rejects.toMatchObject({
        code: "E_INVALID_CONFIG",
        message: expect.stringMatching(/trained on feature set basic-v4-8x640, not basic-v4-8x160/),
      });
    }
    // refused before any model is built: nothing leaks
    expect(tf.memory().numTensors).toBe(tensors);
    trained.dispose();
    // a learner that records none cannot be checked, only loaded as it is
    const unrecorded = CostLearner.create(cfg());
    const old = await learnerToBytes(unrecorded);
    unrecorded.dispose();
    await expect(learnerFromBytes(old, { featureSet: "basic-v4-8x160" })).rejects.toThrow(
      /does not record its feature set/,
    );
    const loaded = await learnerFromBytes(old);
    expect(loaded.config.featureSet).toBeUndefined();
    loaded.dispose();
    await rm(dir, { recursive: true });
  });

  it("the plain-JS forward pass matches tfjs predict, before and after training", () => {
    const l = CostLearner.create(cfg({ hidden: [16, 8], heads: 2, exploration: { kind: "thompson" } }));
    const xs = task.test.map((b) => task.features[b]);
    const check = () => {
      const js = l.predictHeads(xs);
      const ref = l.predictHeadsTf(xs);
      expect(js.length).toBe(ref.length);
      for (let i = 0; i < js.length; i++)
        expect(Math.abs(js[i] - ref[i])).toBeLessThan(1e-4 * (1 + Math.abs(ref[i])));
    };
    check();
    runOnline(l, task, { rounds: 100, checkpointEvery: 100 });
    check();
    l.dispose();
  });

  it("small batches (scratch buffers) predict and choose exactly as large ones, and never alias results", () => {
    const l = CostLearner.create(cfg({ hidden: [16, 8], heads: 3, riskAversion: 0 }));
    runOnline(l, task, { rounds: 100, checkpointEvery: 100 });
    const xs = task.test.map((b) => task.features[b]);
    expect(xs.length).toBeGreaterThan(64); // the large batch allocates its buffers
    const n = task.costs.pipelines.length;
    const wide = l.predictHeads(xs);
    const first = l.predictHeads([xs[0]]);
    const kept = first.slice();
    xs.forEach((x, i) => {
      expect(l.predictHeads([x])).toEqual(wide.subarray(i * 3 * n, (i + 1) * 3 * n));
    });
    expect(first).toEqual(kept); // later calls did not overwrite an earlier result
    const rows = l.predictLogCost(xs);
    expect(xs.map((x) => l.greedy([x])[0])).toEqual(l.greedy(xs));
    expect(l.greedy(xs)).toEqual(rows.map((r) => argmin(r)));
    const pair = l.predictLogCost(xs.slice(0, 2));
    expect(pair[0]).not.toBe(pair[1]);
    expect(pair).toEqual(rows.slice(0, 2));
    // new weights reach the next small batch
    runOnline(l, task, { rounds: 100, checkpointEvery: 100 });
    expect(l.predictHeads([xs[0]])).not.toEqual(kept);
    expect(l.predictHeads([xs[0]])).toEqual(l.predictHeads(xs).subarray(0, 3 * n));
    l.dispose();
    // risk-averse greedy choices read the same scratch
    const averse = CostLearner.create(cfg({ hidden: [16, 8], heads: 3, riskAversion: 1 }));
    runOnline(averse, task, { rounds: 100, checkpointEvery: 100 });
    expect(xs.map((x) => averse.greedy([x])[0])).toEqual(averse.greedy(xs));
    averse.dispose();
  });

  it("leaks no tensors across 1,000 rounds", () => {
    const l = CostLearner.create(
      cfg({ retrainEvery: 100, trainSteps: 5, heads: 2, exploration: { kind: "thompson" } }),
    );
    runOnline(l, task, { rounds: 100, checkpointEvery: 100 }); // creates Adam state once
    const before = tf.memory().numTensors;
    runOnline(l, task, { rounds: 1000, checkpointEvery: 250 });
    expect(tf.memory().numTensors).toBe(before);
    l.dispose();
  });
});
