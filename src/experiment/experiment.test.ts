/**
 * The runner end to end on experiments/ci.json, with real DuckDB files and real child processes:
 * shards + merge equal one run, a run killed with SIGKILL resumes to the same numbers, a bad spec exits 2
 * and leaves no run behind, and the regression gate can fail.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FEATURE_COUNT, FEATURE_SAMPLE_BYTES, FEATURE_SET_ID, featureSetId } from "../features/extract.js";
import { DEFAULT_DISTILLATION, DEFAULT_LEARNER } from "../learner/config.js";
import { learnerFromBytes } from "../learner/io.js";
import { openStore } from "../store/store.js";
import { mergeShards } from "./merge.js";
import { compareWithBaseline, type RegressionBaseline } from "./regress.js";
import {
  baseLearnerConfig,
  experimentBlocks,
  offlineRecipeOf,
  parseShard,
  runExperiment,
  seedsOf,
} from "./run.js";
import { loadExperimentSpec, parseExperimentSpec } from "./spec.js";
import type { ExperimentSummary } from "./summary.js";

const SPEC = "experiments/ci.json";
/** Every generations row of a store as one string, to compare stores. */
const GENERATIONS_DIGEST =
  "SELECT string_agg(learner_config_json || score, '|' ORDER BY generation) AS g FROM generations";
const dir = mkdtempSync(join(tmpdir(), "metacomp-experiment-"));
const cliArgs = (args: string[]) => ["--import", "tsx", "src/cli/main.ts", ...args];

function cli(args: string[]) {
  return spawnSync(process.execPath, cliArgs(args), { encoding: "utf8", timeout: 900_000 });
}

/** Resolves once the child's stderr matches `pattern`. */
function waitForStderr(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) resolve(seen);
    });
    child.on("exit", (code) => reject(new Error(`child exited (${code}) before ${pattern}:\n${seen}`)));
  });
}

let single: ExperimentSummary;

beforeAll(async () => {
  const spec = await loadExperimentSpec(SPEC);
  const store = await openStore(join(dir, "single.duckdb"));
  single = await runExperiment(spec, { store });
  store.close();
}, 900_000);

afterAll(() => {
  // temp files are left for inspection on failure; the OS cleans tmp
});

describe("experiment runner", { timeout: 900_000 }, () => {
  it("records a complete summary with CIs over 5 seeds", () => {
    expect(single.seeds).toEqual([1, 2, 3, 4, 5]);
    expect(single.curves).toHaveLength(5);
    expect(single.improvementRate.n).toBe(5);
    expect(single.meta?.rate.n).toBe(5);
    expect(Object.keys(single.pipelineBytes)).toHaveLength(8);
    expect(single.headline["summary.final_gap_closed"]).toBeCloseTo(single.finalGapClosed.mean, 12);
    expect(single.evolution?.rate.n).toBe(5);
    expect(single.headline["summary.self_tuning_rate"]).toBe(single.evolution?.rate.mean);
  });

  it("records the feature set the spec's sample gives", async () => {
    const store = await openStore(join(dir, "single.duckdb"), { readOnly: true });
    try {
      const rows = await store.query("SELECT value FROM params WHERE key = 'featureSet'");
      expect(rows.map((r) => JSON.parse(String(r.value)))).toEqual([featureSetId(FEATURE_SAMPLE_BYTES)]);
    } finally {
      store.close();
    }
  });

  it("a spec's wider feature sample reaches the saved learners, which refuse the default one", async () => {
    const spec = parseExperimentSpec({
      name: "wide-features",
      seed: 3,
      seeds: 2,
      blockBytes: 4096,
      datasets: [
        {
          name: "symbols",
          synthetic: {
            family: "mixture",
            meanSegmentBlocks: 2,
            totalBytes: 49152,
            components: [
              { task: "markov", source: { family: "markov", order: 1, alphabet: 16, concentration: 0.3 } },
              { task: "random", source: { family: "random" } },
            ],
          },
        },
        {
          name: "sensors",
          synthetic: {
            family: "mixture",
            meanSegmentBlocks: 2,
            totalBytes: 49152,
            components: [
              { task: "walk", source: { family: "timeseries", dtype: "int16", process: "random-walk" } },
              { task: "text", source: { family: "text" } },
            ],
          },
        },
      ],
      portfolio: ["store", "lz4", "zstd:1", "delta:2>zstd:3"],
      bench: { repeats: 1, workers: 1, featureBytes: 200 },
      learner: {
        hidden: [8],
        offlineEpochs: 10,
        offlineHidden: [8],
        offlineMembers: 1,
        offlineLoss: "regression",
      },
      online: { rounds: 100, checkpointEvery: 25 },
    });
    const store = await openStore(join(dir, "wide.duckdb"));
    try {
      const summary = await runExperiment(spec, { store });
      const params = await store.query("SELECT value FROM params WHERE key = 'featureSet'");
      expect(params.map((r) => JSON.parse(String(r.value)))).toEqual([featureSetId(200)]);
      const { model } = await store.loadCheckpoint(summary.runIds[0]);
      const learner = await learnerFromBytes(model, { featureSet: featureSetId(200) });
      expect(learner.config.featureSet).toBe(featureSetId(200));
      learner.dispose();
      await expect(learnerFromBytes(model, { featureSet: FEATURE_SET_ID })).rejects.toThrow(
        /trained on feature set basic-v4-24x200, not basic-v4-24x160/,
      );
    } finally {
      store.close();
    }
  });

  it("records each generation of self-tuning: every seed's population, and its best members' test area", async () => {
    const store = await openStore(join(dir, "single.duckdb"), { readOnly: true });
    try {
      const rows = await store.select("generations");
      expect(rows.map((r) => r.generation)).toEqual([0, 1]);
      for (const row of rows) {
        const { population, best } = JSON.parse(row.learnerConfigJson) as {
          population: { seed: number; member: number; best: number; learningRate: number }[];
          best: { seed: number; testArea: number }[];
        };
        expect(population).toHaveLength(5 * 2); // 5 seeds × population 2
        expect(population.every((m) => m.learningRate > 0)).toBe(true);
        for (const seed of [1, 2, 3, 4, 5])
          expect(population.filter((m) => m.seed === seed && m.best === 1)).toHaveLength(1);
        const areas = single.evolution?.rate.speeds.map((bySeed) => bySeed[row.generation]) ?? [];
        expect(best.map((b) => b.testArea)).toEqual(areas);
        expect(row.score).toBeCloseTo(areas.reduce((a, v) => a + v, 0) / areas.length, 9);
      }
    } finally {
      store.close();
    }
  });

  it("refuses self-tuning when no meta-training dataset can score a genome", async () => {
    const spec = parseExperimentSpec({
      name: "flat",
      seeds: 2,
      blockBytes: 4096,
      portfolio: ["store", "zstd:1"],
      datasets: ["a", "b"].map((name) => ({ name, synthetic: { family: "random", totalBytes: 16384 } })),
      meta: { heldOut: ["b"], evolution: {} },
    });
    const store = await openStore(":memory:");
    try {
      await expect(runExperiment(spec, { store })).rejects.toThrow(
        /meta\.evolution: no meta-training dataset has a defined gap closed/,
      );
    } finally {
      store.close();
    }
  });

  it("refuses self-tuning from a prior with one scorable meta-training dataset", async () => {
    const mixed = {
      family: "mixture",
      meanSegmentBlocks: 2,
      totalBytes: 32768,
      components: [
        { task: "random", source: { family: "random" } },
        { task: "markov", source: { family: "markov", order: 1, alphabet: 4, concentration: 0.3 } },
      ],
    };
    const raw = {
      name: "one-scorable",
      seeds: 2,
      blockBytes: 4096,
      portfolio: ["store", "zstd:1"],
      datasets: [
        { name: "a", synthetic: mixed },
        { name: "b", synthetic: mixed },
      ],
      meta: { heldOut: ["b"], evolution: { priorEpochs: 2 } },
    };
    const spec = parseExperimentSpec(raw);
    expect(() =>
      parseExperimentSpec({ ...raw, meta: { heldOut: ["b"], evolution: { testRuns: 0 } } }),
    ).toThrow(/meta\.evolution\.testRuns/);
    const store = await openStore(":memory:");
    try {
      await expect(runExperiment(spec, { store })).rejects.toThrow(
        /meta\.evolution\.priorEpochs: .* only 1 has a defined gap closed; add one, or remove priorEpochs/,
      );
    } finally {
      store.close();
    }
  });

  it("cuts the user's files into blocks of a named dataset beside synthetic ones", async () => {
    const spec = parseExperimentSpec({
      name: "files",
      blockBytes: 4096,
      datasets: [
        { name: "licenses", files: "/usr/share/common-licenses/*" },
        { name: "noise", synthetic: { family: "random", totalBytes: 8192 } },
      ],
    });
    const { blocks, datasetOf } = await experimentBlocks(spec);
    const own = blocks.filter((_, i) => datasetOf[i] === "licenses");
    expect(own.length).toBeGreaterThan(10);
    expect(own.every((b) => b.bytes.length <= 4096 && b.datasetId === "licenses")).toBe(true);
    expect(new Set(own.map((b) => b.family))).toContain("text");
    expect(datasetOf.filter((d) => d === "noise")).toHaveLength(2);
  });

  it("splits seeds into deterministic shards", () => {
    expect(seedsOf(5, parseShard("0/2"))).toEqual([1, 3, 5]);
    expect(seedsOf(5, parseShard("1/2"))).toEqual([2, 4]);
    expect(() => parseShard("2/2")).toThrow(/shard 2\/2 is invalid/);
    expect(() => parseShard("a/b")).toThrow(/must look like i\/n/);
  });

  it("stores each seed's held-out choices against the oracle and its permutation feature importances", async () => {
    const store = await openStore(join(dir, "single.duckdb"), { readOnly: true });
    try {
      const perSeed = await store.query(
        "SELECT seed, count(*)::INTEGER AS n, count(DISTINCT (dataset_id, block_index))::INTEGER AS blocks FROM selections GROUP BY seed ORDER BY seed",
      );
      expect(perSeed.map((r) => Number(r.seed))).toEqual([1, 2, 3, 4, 5]);
      expect(new Set(perSeed.map((r) => r.n)).size).toBe(1); // the same held-out blocks for every seed
      expect(perSeed.every((r) => r.n === r.blocks && Number(r.n) > 0)).toBe(true);
      // the stored oracle is the cheapest round-tripped pipeline of the block's trials (objective: size)
      const wrong = await store.query(
        `SELECT count(*)::INTEGER AS n FROM selections s
          WHERE (SELECT min(bytes_out) FROM trials t WHERE t.dataset_id = s.dataset_id AND t.block_index = s.block_index)
             <> (SELECT min(bytes_out) FROM trials t WHERE t.dataset_id = s.dataset_id AND t.block_index = s.block_index
                   AND t.pipeline = s.oracle)`,
      );
      expect(wrong[0].n).toBe(0);
      // the offline learner's loss (the spec's "regression") is a tag of the run
      const tags = await store.query("SELECT value FROM tags WHERE key = 'offline_loss'");
      expect(tags.map((t) => t.value)).toEqual(["regression"]);
      // the spec's offlineNovelty reports the same learner behind a novelty guard, with how many blocks it probed
      const guarded = await store.query(
        "SELECT key, value FROM metrics WHERE context LIKE '%learner (offline) + novelty(q=0.97)%' ORDER BY key",
      );
      expect(guarded.map((r) => r.key)).toEqual(["bench.gap_closed", "bench.novel_blocks", "bench.overhead"]);
      const novel = Number(guarded[1].value);
      expect(Number.isInteger(novel) && novel >= 0 && novel <= Number(perSeed[0].n)).toBe(true);
      const importances = await store.select("featureImportances");
      expect(importances.length).toBe(5 * FEATURE_COUNT);
      // intact gap closed is the last point of the seed's online learning curve (same learner, same blocks)
      const finals = await store.query(
        "SELECT context, arg_max(value, step) AS v FROM metrics WHERE key = 'online.gap_closed' GROUP BY context",
      );
      for (const seed of [1, 2, 3, 4, 5]) {
        const own = importances.filter((r) => r.seed === seed);
        const final = finals.find((f) => JSON.parse(String(f.context)).seed === seed);
        expect(own[0].baselineGapClosed).toBeCloseTo(Number(final?.v), 9);
      }
    } finally {
      store.close();
    }
  });

  it("2 shards + merge give the same deterministic metrics as one run", async () => {
    const spec = await loadExperimentSpec(SPEC);
    const paths = [0, 1].map((i) => join(dir, `shard-${i}.duckdb`));
    for (const [i, path] of paths.entries()) {
      const store = await openStore(path);
      await runExperiment(spec, { store, shard: { index: i, count: 2 } });
      store.close();
    }
    const target = await openStore(join(dir, "merged.duckdb"));
    const { summary } = await mergeShards(target, paths);
    target.close();
    expect(summary.seeds).toEqual(single.seeds);
    expect(summary.headline).toEqual(single.headline);
    expect(summary.pipelineBytes).toEqual(single.pipelineBytes);
    const count = async (path: string, sql: string) => {
      const store = await openStore(path, { readOnly: true });
      try {
        return (await store.query(sql))[0];
      } finally {
        store.close();
      }
    };
    const sql =
      "SELECT (SELECT count(*) FROM selections)::INTEGER AS s, (SELECT round(sum(importance), 9) FROM feature_importances) AS i";
    for (const query of [sql, GENERATIONS_DIGEST]) {
      expect(await count(join(dir, "merged.duckdb"), query)).toEqual(
        await count(join(dir, "single.duckdb"), query),
      );
    }
  });

  it("resumes a run killed with SIGKILL to the same final metrics", async () => {
    const db = join(dir, "killed.duckdb");
    const child = spawn(process.execPath, cliArgs(["run", SPEC, "--db", db]), {
      stdio: ["ignore", "pipe", "pipe"],
    });
    await waitForStderr(child, /seed 2: final online gap closed/);
    child.kill("SIGKILL");
    await new Promise((r) => child.on("exit", r));

    const before = await openStore(db, { readOnly: true });
    const [run] = await before.query("SELECT id, status FROM runs");
    before.close();
    expect(run.status).toBe("running");

    const resumed = cli([
      "run",
      SPEC,
      "--db",
      db,
      "--resume",
      String(run.id),
      "--json",
      "--report",
      join(dir, "resumed.html"),
    ]);
    expect(resumed.stderr).toMatch(/seed 1: done earlier, kept/);
    expect(resumed.status, resumed.stderr).toBe(0);
    const summary = JSON.parse(resumed.stdout) as ExperimentSummary;
    expect(summary.headline).toEqual(single.headline);
    expect((summary as unknown as { reportPath: string }).reportPath).toBe(join(dir, "resumed.html"));
    const after = await openStore(db, { readOnly: true });
    expect((await after.query("SELECT status FROM runs"))[0].status).toBe("completed");
    const resumedGenerations = await after.query(GENERATIONS_DIGEST);
    after.close();
    const original = await openStore(join(dir, "single.duckdb"), { readOnly: true });
    expect(resumedGenerations).toEqual(await original.query(GENERATIONS_DIGEST));
    original.close();
  });

  it("rejects an invalid spec with exit code 2, naming the paths, and leaves no run", async () => {
    const bad = join(dir, "bad.json");
    writeFileSync(
      bad,
      JSON.stringify({
        name: "bad",
        seeds: 0,
        datasets: [{ name: "x", synthetic: { family: "iid", alphabet: 1 } }],
      }),
    );
    const db = join(dir, "bad.duckdb");
    const result = cli(["run", bad, "--db", db]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("E_INVALID_CONFIG");
    expect(result.stderr).toMatch(/→ at seeds/);
    expect(result.stderr).toMatch(/→ at datasets\[0\]\.synthetic\.alphabet/);
    const store = await openStore(db);
    expect(await store.query("SELECT count(*)::INT AS n FROM runs WHERE status = 'running'")).toEqual([
      { n: 0 },
    ]);
    store.close();

    writeFileSync(bad, "{ not json");
    const notJson = cli(["run", bad, "--db", db]);
    expect(notJson.status).toBe(2);
    expect(notJson.stderr).toContain("is not valid JSON");
  });

  it("the regression gate fails with a diff table on a baseline the code cannot meet", () => {
    const impossible = join(dir, "impossible.json");
    writeFileSync(
      impossible,
      JSON.stringify({
        spec: SPEC,
        metrics: {
          "summary.final_gap_closed": { value: 2, direction: "higher", tolerance: 0 },
          "bytes.zstd:19": { value: 1, direction: "lower", tolerance: 0, relative: true },
        },
      }),
    );
    const result = cli(["bench-regress", "--baseline", impossible]);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/REGRESSED\s+bytes\.zstd:19/);
    expect(result.stdout).toMatch(/REGRESSED\s+summary\.final_gap_closed/);
    expect(result.stderr).toContain("E_REGRESSION");
  });
});

describe("spec bench section", () => {
  const spec = (bench: Record<string, unknown>) =>
    parseExperimentSpec({ name: "b", datasets: [{ name: "x", synthetic: { family: "random" } }], bench });
  it("defaults the feature sample to the features' default, and refuses a size extract cannot read", () => {
    expect(spec({}).bench.featureBytes).toBe(FEATURE_SAMPLE_BYTES);
    expect(spec({ featureBytes: 640 }).bench).toMatchObject({ featureBytes: 640, repeats: 3 });
    expect(() => spec({ featureBytes: 100 })).toThrow(/multiple of 40[\s\S]*→ at bench\.featureBytes/);
    expect(() => spec({ featureBytes: 2560 })).toThrow(/feature sample of 2560 bytes/);
  });
});

describe("spec learner section", () => {
  const spec = (learner: Record<string, unknown>) =>
    parseExperimentSpec({ name: "l", datasets: [{ name: "x", synthetic: { family: "random" } }], learner });
  it("defaults to the library's learner and maps heads, ε and contenders onto its config", () => {
    const c = baseLearnerConfig(spec({}), ["lz4", "zstd:3"]);
    expect(c.hidden).toEqual(DEFAULT_LEARNER.hidden);
    expect(c.heads).toBe(DEFAULT_LEARNER.heads);
    expect(c.exploration).toEqual({ ...DEFAULT_LEARNER.exploration });
    expect(c.relativeWeight).toBe("auto");
    // the feature set is recorded with the config, so saved learners name what they read
    expect(c.featureSet).toBe(featureSetId(FEATURE_SAMPLE_BYTES));
    const wide = parseExperimentSpec({
      name: "l",
      datasets: [{ name: "x", synthetic: { family: "random" } }],
      bench: { featureBytes: 640 },
    });
    expect(baseLearnerConfig(wide, ["lz4", "zstd:3"]).featureSet).toBe(featureSetId(640));
    const one = baseLearnerConfig(spec({ heads: 1, epsilon: 0.01, contenders: 0 }), ["lz4", "zstd:3"]);
    expect(one.bootstrapP).toBe(1); // a single head trains on every row
    expect(one.exploration).toMatchObject({ epsilon: 0.01, contenders: 0 });
    expect(() => spec({ contenders: -1 })).toThrow(/contenders/);
  });

  it("maps the offline fields onto the recipe, the student's widths included", () => {
    expect(offlineRecipeOf(spec({})).distil).toBeUndefined();
    expect(offlineRecipeOf(spec({ offlineDistil: true })).distil).toEqual({
      ...DEFAULT_DISTILLATION,
      hidden: undefined,
    });
    const cheap = offlineRecipeOf(spec({ offlineDistil: true, offlineStudent: [32], offlineMembers: 3 }));
    expect(cheap).toMatchObject({ members: 3, distil: { ...DEFAULT_DISTILLATION, hidden: [32] } });
    expect(offlineRecipeOf(spec({ offlineDistil: true, offlineStudent: [] })).distil?.hidden).toEqual([]);
    expect(() => spec({ offlineStudent: [32] })).toThrow(
      /add "offlineDistil": true[\s\S]*→ at learner\.offlineStudent/,
    );
    expect(() => spec({ offlineDistil: true, offlineStudent: [0] })).toThrow(/learner\.offlineStudent/);
  });
});

describe("baseline comparison", () => {
  const baseline: RegressionBaseline = {
    spec: SPEC,
    reference: "deflate:1",
    speedPipelines: [],
    metrics: {
      up: { value: 0.8, direction: "higher", tolerance: 0.05, relative: false },
      down: { value: 1000, direction: "lower", tolerance: 0.01, relative: true },
      same: { value: 3, direction: "equal", tolerance: 0.5, relative: false },
    },
  };

  it("passes moves in the right direction and small noise", () => {
    const rows = compareWithBaseline(baseline, { up: 0.9, down: 1005, same: 3.4 });
    expect(rows.every((r) => r.ok)).toBe(true);
  });

  it("flags moves in the wrong direction beyond tolerance, and missing metrics", () => {
    const rows = compareWithBaseline(baseline, { up: 0.7, down: 1011, same: 2.4 });
    expect(rows.map((r) => r.ok)).toEqual([false, false, false]);
    expect(compareWithBaseline(baseline, {}).every((r) => !r.ok)).toBe(true);
  });
});
