import { beforeAll, describe, expect, it } from "vitest";
import { subMatrix } from "../bench/compare.js";
import { gapClosedOf } from "../bench/metrics/gap.js";
import { createRng } from "../rng.js";
import { initBackend } from "./backend.js";
import { CostLearner, DEFAULT_LEARNER, learnerConfig } from "./learner.js";
import {
  evolveForSeed,
  evolveHyperparameters,
  genomeConfig,
  genomeSpread,
  learnerFromPrior,
  pretrainPrior,
  randomGenome,
  transferSequence,
} from "./meta.js";
import { curveArea } from "./metrics/curve.js";
import { hasDefinedGap, heldOutGapClosed, type OnlineTask } from "./online.js";
import { type Distillation, learnerSelector, offlineLearnerSelector } from "./selector.js";
import { syntheticTask } from "./test-utils/synthetic.js";

const fam = (f: number) => syntheticTask({ family: f, blocks: 200, seed: 9 });
// one small head: these tests check the meta level's mechanics, which 16 units fit in few epochs
const base = {
  ...DEFAULT_LEARNER,
  hidden: [16],
  heads: 1,
  bootstrapP: 1,
  featureCount: 8,
  pipelines: fam(0).costs.pipelines,
  trainSteps: 15,
};

beforeAll(async () => {
  await initBackend("wasm");
});

describe("meta level", () => {
  it("a prior pretrained on other families starts a new family far above a fresh learner", () => {
    const prior = pretrainPrior([fam(0), fam(1), fam(2)], learnerConfig({ ...base, seed: 1 }), {
      epochs: 20,
    });
    const held = fam(5);
    const warm = learnerFromPrior(prior, learnerConfig({ ...base, seed: 2 }));
    const cold = CostLearner.create(learnerConfig({ ...base, seed: 2 }));
    expect(heldOutGapClosed(warm, held)).toBeGreaterThan(heldOutGapClosed(cold, held) + 0.5);
    expect(() => learnerFromPrior(prior, learnerConfig({ ...base, seed: 2, hidden: [8] }))).toThrow(
      /same shape/,
    );
    expect(() => pretrainPrior([], learnerConfig({ ...base, seed: 1 }), { epochs: 1 })).toThrow(
      /at least one/,
    );
    for (const l of [prior, warm, cold]) l.dispose();
  });

  it("transfer sequence: area rises with the number of meta-training families; the ablation does not", () => {
    const r = transferSequence([fam(0), fam(1), fam(2)], [fam(6)], base, {
      seeds: [1, 2],
      rounds: 150,
      checkpointEvery: 50,
      epochs: 15,
    });
    expect(r.curves).toHaveLength(2);
    expect(r.curves[0]).toHaveLength(4);
    expect(r.curves[0][0].rounds).toEqual([0, 50, 100, 150]);
    expect(r.orders[0]).toHaveLength(3);
    // step 0 has no prior: identical learners in both arms
    expect(r.curves[0][0]).toEqual(r.ablation[0][0]);
    expect(r.rate.mean).toBeGreaterThan(r.ablationRate.mean);
    expect(r.finalAreaGain.mean).toBeGreaterThan(0);
    expect(() =>
      transferSequence([fam(0)], [fam(0)], base, {
        seeds: [1, 2],
        rounds: 50,
        checkpointEvery: 50,
        epochs: 1,
      }),
    ).toThrow(/disjoint/);
  });

  it("evolution records every member, scores the best on test tasks and is seeded", () => {
    const run = () =>
      evolveHyperparameters([fam(1)], [fam(6)], base, {
        seeds: [1, 2],
        population: 2,
        generations: 2,
        rounds: 100,
        checkpointEvery: 50,
      });
    const a = run();
    expect(a.rows).toHaveLength(2 * 2 * 2);
    expect(a.rows.filter((r) => r.testArea !== undefined)).toHaveLength(4);
    expect(a.testCurves[0]).toHaveLength(2);
    expect(a.best).toHaveLength(2);
    expect(run().rows).toEqual(a.rows);
    // the last-generation gain pairs each seed's evolved and random test areas
    const gains = a.testCurves.map((c, s) => curveArea(c[1]) - curveArea(a.ablationCurves[s][1]));
    expect(a.finalAreaGain.mean).toBeCloseTo((gains[0] + gains[1]) / 2, 12);
    // one seed on its own (how the experiment runner calls it) is the same search, and reports its progress
    const ticks: number[] = [];
    const one = evolveForSeed([fam(1)], [fam(6)], base, 2, {
      population: 2,
      generations: 2,
      rounds: 100,
      checkpointEvery: 50,
      onProgress: (done, total) => ticks.push(done / total),
    });
    expect(one.rows).toEqual(a.rows.filter((r) => r.seed === 2));
    expect(one.testCurves).toEqual(a.testCurves[1]);
    expect(ticks).toEqual([0.25, 0.5, 0.75, 1]);
    expect(() =>
      evolveHyperparameters([fam(1)], [fam(6)], base, {
        seeds: [1],
        population: 1,
        generations: 2,
        rounds: 50,
        checkpointEvery: 50,
      }),
    ).toThrow(/population >= 2/);
    const g = randomGenome(createRng(3));
    const c = genomeConfig(base, g, 4);
    expect(c.hidden).toEqual([g.width]);
    expect(c.trainSteps).toBe(g.trainSteps);
    expect(Number.isInteger(g.trainSteps) && g.trainSteps >= 5 && g.trainSteps <= 100).toBe(true);
    expect(g.learningRate).toBeGreaterThanOrEqual(1e-3);
  });

  it("evolution averages several test runs of each generation's best, which never inform selection", () => {
    const options = { population: 2, generations: 2, rounds: 100, checkpointEvery: 50 };
    const one = evolveForSeed([fam(1)], [fam(6)], base, 5, options);
    const three = evolveForSeed([fam(1)], [fam(6)], base, 5, { ...options, testRuns: 3 });
    const selection = (e: typeof one) => e.rows.map(({ testArea: _, ...r }) => r);
    expect(selection(three)).toEqual(selection(one));
    expect(three.best).toEqual(one.best);
    // run 0 is the single run's seed; the other runs add their own, so the averaged curve differs
    expect(three.testCurves).not.toEqual(one.testCurves);
    const bestAreas = three.rows.filter((r) => r.testArea !== undefined).map((r) => r.testArea);
    expect(bestAreas).toEqual(three.testCurves.map(curveArea));
    expect(() => evolveForSeed([fam(1)], [fam(6)], base, 5, { ...options, testRuns: 0 })).toThrow(
      /testRuns must be an integer >= 1 \(got 0\)/,
    );
  });

  it("genome spread runs each random genome several times and compares their spread with one run's noise", () => {
    const options = { genomes: 3, runs: 2, seed: 4, rounds: 100, checkpointEvery: 50 };
    const s = genomeSpread([fam(1)], [fam(6)], base, options);
    expect(s.genomes).toEqual(
      s.genomes.map(() => expect.objectContaining({ learningRate: expect.any(Number) })),
    );
    expect(s.validation.map((runs) => runs.length)).toEqual([2, 2, 2]);
    expect(s.test.map((runs) => runs.length)).toEqual([2, 2, 2]);
    // each genome's runs differ (own seeds), and the summary is computed from exactly these areas
    expect(s.test.every(([a, b]) => a !== b)).toBe(true);
    const half = (xs: readonly number[]) => (xs[0] - xs[1]) ** 2 / 2;
    expect(s.testWithin).toBeCloseTo(s.test.reduce((a, runs) => a + half(runs), 0) / 3, 9);
    const means = s.test.map(([a, b]) => (a + b) / 2);
    const grand = (means[0] + means[1] + means[2]) / 3;
    expect(s.testBetween).toBeCloseTo(means.reduce((a, m) => a + (m - grand) ** 2, 0) / 2, 9);
    expect(Math.abs(s.correlation)).toBeLessThanOrEqual(1);
    expect(genomeSpread([fam(1)], [fam(6)], base, options)).toEqual(s);
    expect(() => genomeSpread([fam(1)], [fam(6)], base, { ...options, runs: 1 })).toThrow(
      /genomes >= 2 and runs >= 2 \(got 3, 1\)/,
    );
  });

  it("evolution with a prior starts each scored learner from the other validation tasks' prior", () => {
    const options = { population: 2, generations: 2, rounds: 100, checkpointEvery: 50 };
    const validation = [fam(0), fam(1)];
    const fresh = evolveForSeed(validation, [fam(6)], base, 3, options);
    const warm = evolveForSeed(validation, [fam(6)], base, 3, { ...options, priorEpochs: 8 });
    expect(evolveForSeed(validation, [fam(6)], base, 3, { ...options, priorEpochs: 8 }).rows).toEqual(
      warm.rows,
    );
    // the same genomes are drawn in generation 0; every one scores higher on validation from a prior
    const gen0 = (rows: typeof warm.rows) => rows.filter((r) => r.generation === 0);
    expect(gen0(warm.rows).map((r) => r.genome)).toEqual(gen0(fresh.rows).map((r) => r.genome));
    gen0(warm.rows).forEach((r, i) => {
      expect(r.validationArea).toBeGreaterThan(gen0(fresh.rows)[i].validationArea);
    });
    const testAreas = (e: typeof warm) => [...e.testCurves, ...e.ablationCurves].map(curveArea);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(testAreas(warm))).toBeGreaterThan(mean(testAreas(fresh)));
    expect(() => evolveForSeed([fam(1)], [fam(6)], base, 3, { ...options, priorEpochs: 8 })).toThrow(
      /priorEpochs >= 1 and >= 2 validation tasks/,
    );
    expect(() => evolveForSeed(validation, [fam(6)], base, 3, { ...options, priorEpochs: 0 })).toThrow(
      /got 0 epochs, 2 task/,
    );
  });

  it("refuses held-out, validation and test tasks whose gap closed is undefined, naming them", () => {
    const t = fam(1);
    const n = t.costs.pipelines.length;
    const costs = Float64Array.from(t.costs.costs);
    // pipeline 0 is the cheapest on every block: SBS = VBS, so no learner can be scored on this task
    for (let b = 0; b < t.costs.blockCount; b++)
      costs[b * n] = 0.5 * Math.min(...costs.subarray(b * n, b * n + n));
    const flat: OnlineTask = { ...t, name: "flat", costs: { ...t.costs, costs } };
    expect(hasDefinedGap(flat)).toBe(false);
    expect(hasDefinedGap(t)).toBe(true);
    const run = { rounds: 50, checkpointEvery: 50 };
    expect(() => transferSequence([fam(0)], [fam(6), flat], base, { ...run, seeds: [1], epochs: 1 })).toThrow(
      /undefined on held-out task\(s\) flat/,
    );
    expect(() =>
      evolveHyperparameters([flat], [fam(6)], base, { ...run, seeds: [1], population: 2, generations: 2 }),
    ).toThrow(/undefined on validation task\(s\) flat/);
    expect(() =>
      evolveHyperparameters([fam(6)], [flat], base, { ...run, seeds: [1], population: 2, generations: 2 }),
    ).toThrow(/undefined on test task\(s\) flat/);
  });

  it("the Selector adapter fits offline and selects greedily", () => {
    const t = fam(3);
    const n = t.costs.pipelines.length;
    const matrix = subMatrix(t.costs, t.train);
    const trainXs = t.train.map((b) => t.features[b]);
    /** A selector with seed 1, fitted on the task's training rows. */
    const fitted = (options: Parameters<typeof learnerSelector>[1]) => {
      const selector = learnerSelector(learnerConfig({ ...base, seed: 1 }), options);
      selector.fit?.(trainXs, matrix);
      return selector;
    };
    const s = fitted({ epochs: 20 });
    expect(heldOutGapClosed(s.learner(), t)).toBeGreaterThan(0.5);
    const picks = s.select([t.features[t.test[0]]]);
    expect(picks).toEqual(s.learner().greedy([t.features[t.test[0]]]));
    s.update?.([t.features[0]], [0], [t.costs.costs[0]]);
    expect(s.learner().round).toBe(1);
    s.learner().dispose();
    // an ensemble of independently initialised members chooses the argmin of their mean predicted log-cost
    const e = fitted({ epochs: 5, members: 3 });
    const xs = t.test.map((b) => t.features[b]);
    const preds = e.members().map((l) => l.predictLogCost(xs));
    expect(preds[0][0]).not.toEqual(preds[1][0]);
    e.select(xs).forEach((p, i) => {
      const mean = (q: number) => preds.reduce((a, r) => a + r[i][q], 0);
      for (let q = 0; q < n; q++) expect(mean(p)).toBeLessThanOrEqual(mean(q) + 1e-6);
    });
    for (const l of e.members()) l.dispose();
    // the loss chosen on held-back training rows among the candidates, then used for the final fit
    const listwise = (temperature: number) => ({ kind: "listwise", temperature, anchor: 0.1 }) as const;
    const candidates = [listwise(1), listwise(0.002), { kind: "regression" } as const];
    const tuned = fitted({ epochs: 5, losses: candidates });
    const chosen = tuned.loss();
    expect(candidates).toContainEqual(chosen);
    // the choice is by validation cost, not by the candidates' order
    const swapped = fitted({ epochs: 5, losses: [...candidates].reverse() });
    expect(swapped.loss()).toEqual(chosen);
    swapped.learner().dispose();
    const direct = fitted({ epochs: 5, loss: chosen });
    expect(tuned.select(xs)).toEqual(direct.select(xs));
    expect(direct.loss()).toEqual(chosen);
    for (const l of [tuned.learner(), direct.learner()]) l.dispose();
    // a single candidate is used as it is; no candidates and no loss: the regression head
    const single = fitted({ epochs: 2, losses: [listwise(0.1)] });
    expect(single.loss()).toEqual(listwise(0.1));
    const plain = fitted({ epochs: 2 });
    expect(plain.loss()).toEqual({ kind: "regression" });
    for (const l of [single.learner(), plain.learner()]) l.dispose();
  });

  it("distillation replaces the ensemble by one network that keeps its gain over a single member", () => {
    const t = fam(3);
    const matrix = subMatrix(t.costs, t.train);
    const xs = t.train.map((b) => t.features[b]);
    const probe = t.test.map((b) => t.features[b]);
    const fitted = (distil?: Distillation) => {
      const s = learnerSelector(learnerConfig({ ...base, seed: 1 }), { epochs: 40, members: 3, distil });
      s.fit?.(xs, matrix);
      return s;
    };
    const ensemble = fitted();
    const student = fitted({ copies: 4, jitter: 0.1 });
    expect(student.members()).toHaveLength(1);
    expect(student.select(probe)).toEqual(student.learner().greedy(probe));
    // the teachers are the ensemble's members (same seeds): the student keeps the ensemble's gain over one member
    const gap = (choices: number[]) =>
      gapClosedOf(t.costs, choices, { train: t.train, test: t.test }) ?? Number.NaN;
    const members = ensemble.members().map((l) => gap(l.greedy(probe)));
    const meanMember = members.reduce((a, b) => a + b, 0) / members.length;
    expect(gap(ensemble.select(probe))).toBeGreaterThan(meanMember);
    expect(gap(student.select(probe))).toBeGreaterThan(meanMember);
    expect(gap(student.select(probe))).toBeGreaterThan(gap(ensemble.select(probe)) - 0.05);
    // seeded: the same fit gives the same network; other jittered copies give another
    const again = fitted({ copies: 4, jitter: 0.1 });
    expect(again.learner().predictLogCost(probe)).toEqual(student.learner().predictLogCost(probe));
    const other = fitted({ copies: 4, jitter: 0.5 });
    expect(other.learner().predictLogCost(probe)).not.toEqual(student.learner().predictLogCost(probe));
    // a narrower student: the shape asked for, and still better than SBS on these blocks
    const narrow = fitted({ copies: 4, jitter: 0.1, hidden: [4] });
    const linear = fitted({ copies: 4, jitter: 0.1, hidden: [] });
    expect(narrow.learner().config.hidden).toEqual([4]);
    expect(narrow.learner().model.layers.map((l) => l.outputShape[1])).toEqual([4, base.pipelines.length]);
    expect(linear.learner().model.layers).toHaveLength(1);
    for (const s of [narrow, linear]) expect(gap(s.select(probe))).toBeGreaterThan(0);
    expect(() =>
      learnerSelector(learnerConfig({ ...base, seed: 1 }), {
        epochs: 1,
        members: 2,
        distil: { copies: 4, jitter: 0.1, hidden: [0] },
      }),
    ).toThrow(/distil.hidden \[0\] needs integer widths >= 1/);
    for (const bad of [
      { copies: 0, jitter: 0.1 },
      { copies: 2.5, jitter: 0.1 },
      { copies: 4, jitter: Number.NaN },
    ]) {
      expect(() =>
        learnerSelector(learnerConfig({ ...base, seed: 1 }), { epochs: 1, members: 2, distil: bad }),
      ).toThrow(/distil needs an integer copies >= 1 and a jitter >= 0/);
    }
    // a single member has nothing to distil
    const single = learnerSelector(learnerConfig({ ...base, seed: 1 }), {
      epochs: 2,
      distil: { copies: 4, jitter: 0.1 },
    });
    const plain = learnerSelector(learnerConfig({ ...base, seed: 1 }), { epochs: 2 });
    for (const s of [single, plain]) s.fit?.(xs, matrix);
    expect(single.learner().predictLogCost(probe)).toEqual(plain.learner().predictLogCost(probe));
    for (const s of [ensemble, student, again, other, narrow, linear, single, plain])
      for (const l of s.members()) l.dispose();
  });

  it("offlineLearnerSelector builds its recipe: network, members, loss, early stopping", () => {
    const t = fam(3);
    const matrix = subMatrix(t.costs, t.train);
    const xs = t.train.map((b) => t.features[b]);
    const recipe = { hidden: [8], learningRate: 0.01, epochs: 4 };
    const ranked = offlineLearnerSelector(base, 1, { ...recipe, members: 2, temperatures: [1, 0.002] });
    ranked.fit?.(xs, matrix);
    expect(ranked.members()).toHaveLength(2);
    expect(ranked.members()[0].config.hidden).toEqual([8]);
    expect([1, 0.002]).toContain((ranked.loss() as { temperature: number }).temperature);
    // "validated" chooses among the τs and the regression head; the same τs alone give a listwise loss
    const validated = offlineLearnerSelector(base, 1, {
      ...recipe,
      members: 1,
      loss: "validated",
      temperatures: [1],
    });
    validated.fit?.(xs, matrix);
    expect([{ kind: "regression" }, { kind: "listwise", temperature: 1, anchor: 0.1 }]).toContainEqual(
      validated.loss(),
    );
    expect(ranked.name).toBe("learner (offline)");
    // the regression recipe with one member is the plain learner of the same network
    const plainRecipe = offlineLearnerSelector(base, 1, {
      ...recipe,
      members: 1,
      loss: "regression",
      earlyStopping: 0,
    });
    const plain = learnerSelector(learnerConfig({ ...base, ...recipe, seed: 1 }), { epochs: 4 });
    const stopped = offlineLearnerSelector(base, 1, {
      ...recipe,
      members: 1,
      loss: "regression",
      earlyStopping: 0.3,
    });
    for (const s of [plainRecipe, plain, stopped]) s.fit?.(xs, matrix);
    const probe = t.test.map((b) => t.features[b]);
    expect(plainRecipe.learner().predictLogCost(probe)).toEqual(plain.learner().predictLogCost(probe));
    expect(plainRecipe.loss()).toEqual({ kind: "regression" });
    // early stopping fits on fewer rows, so the network differs
    expect(stopped.learner().predictLogCost(probe)).not.toEqual(plain.learner().predictLogCost(probe));
    for (const s of [ranked, validated, plainRecipe, plain, stopped])
      for (const l of s.members()) l.dispose();
  });
});
