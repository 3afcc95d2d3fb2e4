import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../store/store.js";
import { tempDir } from "../../store/test-utils/helpers.js";

const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", "tsx", MAIN, ...args], (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

const tmp = tempDir();
const db = join(tmp.dir, "cli.duckdb");

beforeAll(async () => {
  const store = await openStore(db);
  const a = await store.startRun({ experiment: "demo", seed: 1, config: { lr: 0.1 }, name: "a" });
  await a.logParams({ lr: 0.1, arms: 4, optimizer: "adam" });
  for (let step = 0; step < 5; step++) await a.logMetric("loss", 1 / (step + 1), step);
  await a.finish();
  const b = await store.startRun({ experiment: "demo", seed: 2, config: { lr: 0.2 }, name: "b" });
  await b.logParams({ lr: 0.2, arms: 4, optimizer: "sgd" });
  await b.logMetric("loss", 0.9, 0);
  await b.fail(new Error("nan loss"));
  store.close();
});
afterAll(() => tmp.cleanup());

describe("metacomp runs / export", () => {
  it("lists, shows and compares runs", async () => {
    const list = await cli(["runs", "list", "--db", db]);
    expect(list.code).toBe(0);
    const lines = list.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^id\s+experiment\s+name\s+status/);
    expect(lines.slice(2).map((l) => l.split(/\s+/).slice(0, 4))).toEqual([
      ["2", "demo", "b", "failed"],
      ["1", "demo", "a", "completed"],
    ]);

    const show = await cli(["runs", "show", "1", "--db", db, "--json"]);
    const shown = JSON.parse(show.stdout);
    expect(shown.run).toMatchObject({ id: 1, status: "completed", seed: 1 });
    expect(shown.metrics[0]).toMatchObject({ key: "loss", lastValue: 0.2, bestStep: 4 });

    const cmp = await cli(["runs", "compare", "1", "2", "--db", db]);
    expect(cmp.code).toBe(0);
    expect(cmp.stdout).toMatch(/params that differ/);
    expect(cmp.stdout).toMatch(/lr\s+0\.1\s+0\.2/);
    expect(cmp.stdout).toMatch(/optimizer\s+"adam"\s+"sgd"/);
    expect(cmp.stdout).not.toMatch(/arms/);
    const json = JSON.parse((await cli(["runs", "compare", "1", "2", "--db", db, "--json"])).stdout);
    expect(json.paramDiffs.map((d: { key: string }) => d.key)).toEqual(["lr", "optimizer"]);
  });

  it("exports Parquet and reports bad input with coded errors", async () => {
    const out = join(tmp.dir, "pq");
    const exp = await cli(["export", "--parquet", out, "--db", db]);
    expect(exp.code).toBe(0);
    expect(existsSync(join(out, "runs.parquet"))).toBe(true);
    expect(exp.stdout.trim().split("\n").length).toBeGreaterThan(10);

    const missing = await cli(["runs", "show", "9", "--db", db]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/E_NOT_FOUND: run 9/);
    const bad = await cli(["runs", "compare", "x", "--db", db]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/E_USAGE/);
  });
});
