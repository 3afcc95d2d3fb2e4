import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", "tsx", MAIN, ...args], (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "metacomp-cli-datasets-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("metacomp datasets", () => {
  it("generates a spec and describes it (text and JSON)", async () => {
    const spec = join(dir, "spec.json");
    await writeFile(
      spec,
      JSON.stringify({
        family: "mixture",
        name: "cli-mix",
        totalBytes: 262144,
        blockBytes: 16384,
        seed: 3,
        components: [
          { task: "a", source: { family: "markov", order: 1, alphabet: 4, concentration: 0.3 } },
          { task: "b", source: { family: "random" } },
        ],
      }),
    );
    const out = join(dir, "cli-mix");
    const gen = await cli(["datasets", "generate", spec, "--out", out]);
    expect(gen.stderr).not.toMatch(/error/i);
    expect(gen.code).toBe(0);
    expect(gen.stdout).toMatch(/262144 bytes in 16 blocks/);

    const text = await cli(["datasets", "describe", out]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/dataset\s+cli-mix \(materialized\)/);
    expect(text.stdout).toMatch(/order-0 [\d.]+, order-1 [\d.]+, order-2 [\d.]+/);

    const json = await cli(["datasets", "describe", out, "--json"]);
    const d = JSON.parse(json.stdout);
    expect(d).toMatchObject({ datasetId: "cli-mix", totalBytes: 262144, blocks: 16, source: "materialized" });
    expect(d.entropy.exact).toBe(false);
    expect(d.tasks.map((t: { task: string }) => t.task).sort()).toEqual(["a", "b"]);
    expect(d.tasks.reduce((n: number, t: { blocks: number }) => n + t.blocks, 0)).toBe(16);

    const raw = await cli(["datasets", "describe", join(out, "data.bin"), "--json"]);
    expect(JSON.parse(raw.stdout)).toMatchObject({ source: "files", totalBytes: 262144, entropy: null });
  });

  it("bad specs exit 2 with the zod path; missing files exit 1 naming the path", async () => {
    const spec = join(dir, "bad.json");
    await writeFile(spec, JSON.stringify({ family: "iid", alphabet: 999, totalBytes: 10 }));
    const bad = await cli(["datasets", "generate", spec, "--out", join(dir, "x")]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/E_INVALID_CONFIG[\s\S]*→ at alphabet/);
    const missing = join(dir, "nope.json");
    const gone = await cli(["datasets", "generate", missing, "--out", join(dir, "y")]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain(`E_IO: cannot read "${missing}"`);
  });
});
