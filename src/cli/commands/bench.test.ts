import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "../../datasets/generate.js";
import { extract, featureSetId } from "../../features/extract.js";
import { openStore } from "../../store/store.js";

const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", "tsx", MAIN, ...args], (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

const DATA = { family: "text", name: "cli-text", totalBytes: 32768, blockBytes: 8192, seed: 5 } as const;
let dir: string;
let spec: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "metacomp-cli-bench-"));
  spec = join(dir, "spec.json");
  await writeFile(spec, JSON.stringify(DATA));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("metacomp bench", { timeout: 120_000 }, () => {
  it("records the features of the sample it is asked for, under that sample's feature set", async () => {
    const db = join(dir, "bench.duckdb");
    const base = [spec, "--portfolio", "quick", "--repeats", "1", "--workers", "1", "--db", db, "--json"];
    const run = await cli(["bench", ...base, "--feature-bytes", "320"]);
    expect(run.stderr).not.toContain("E_");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).blocks).toBe(4);
    const blocks: Uint8Array[] = [];
    for await (const b of generate(DATA)) blocks.push(b.bytes);
    const store = await openStore(db, { readOnly: true });
    try {
      const rows = await store.query("SELECT feature_set, vector FROM features ORDER BY block_index");
      expect(rows.map((r) => r.feature_set)).toEqual(blocks.map(() => featureSetId(320)));
      const stored = rows.map((r) => Array.from(r.vector as ArrayLike<number>, Number));
      expect(stored).toEqual(blocks.map((b) => Array.from(extract(b, 320))));
    } finally {
      store.close();
    }
  });

  it("refuses a feature sample extract cannot read before any work, with exit code 2", async () => {
    const db = join(dir, "refused.duckdb");
    const bad = await cli(["bench", spec, "--feature-bytes", "100", "--db", db]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/E_INVALID_CONFIG.*feature sample of 100 bytes: use a multiple of 40/);
  });
});
