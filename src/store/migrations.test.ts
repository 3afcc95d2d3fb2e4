import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ErrorCode } from "../errors.js";
import { TABLES } from "../schema/rows.js";
import { MIGRATIONS, SCHEMA_VERSION } from "./migrations.js";
import { openStore } from "./store.js";
import { describeTable, rawExec, tempDir } from "./test-utils/helpers.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function dbPath(): string {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  return join(dir, "old.duckdb");
}

/** Writes a version-1 file the way metacomp 1 would have: migration 1 only, with some data in it. */
async function writeVersion1File(path: string): Promise<void> {
  const v1 = await openStore(path, { migrateTo: 1 });
  try {
    expect(await v1.schemaVersion()).toBe(1);
    expect((await describeTable(v1, "runs")).map((c) => c.name)).not.toContain("tfjs_backend");
    expect(await describeTable(v1, "system_metrics")).toEqual([]);
  } finally {
    v1.close();
  }
  await rawExec(path, [
    ["INSERT INTO experiments VALUES (1, 'old', NULL, TIMESTAMP '2025-05-01 10:00:00')"],
    [
      `INSERT INTO runs VALUES (1, 1, 'legacy', 'completed', 3, '{"k":1}', $1, NULL, NULL, NULL, 'v20.0.0',
        'linux-x64', 'cpu', TIMESTAMP '2025-05-01 10:00:00', TIMESTAMP '2025-05-01 11:00:00',
        TIMESTAMP '2025-05-01 11:00:00', NULL, NULL)`,
      ["b".repeat(64)],
    ],
    ["INSERT INTO params VALUES (1, 'lr', '0.5')"],
    ["INSERT INTO metrics VALUES (1, 'loss', 0, 2.0, TIMESTAMP '2025-05-01 10:30:00', NULL)"],
  ]);
}

describe("migrations", () => {
  it("are numbered 1..n in order, and the latest is this code's version", () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(2);
  });

  it("open a version-1 file and migrate it, keeping its data", async () => {
    const path = dbPath();
    await writeVersion1File(path);

    const ro = openStore(path, { readOnly: true });
    expect(
      await ro.then(
        () => "opened",
        (e: { code?: string; message: string }) => `${e.code} ${e.message}`,
      ),
    ).toMatch(/^E_STORE_SCHEMA .*schema version 1.*open it once without readOnly/);

    const store = await openStore(path);
    try {
      expect(await store.schemaVersion()).toBe(SCHEMA_VERSION);
      const applied = await store.select("schemaVersion");
      expect(applied.map((v) => v.version)).toEqual(MIGRATIONS.map((m) => m.version));
      const run = await store.getRun(1);
      expect(run).toMatchObject({ name: "legacy", status: "completed", seed: 3, tfjsBackend: null });
      expect(await store.select("params")).toEqual([{ runId: 1, key: "lr", value: "0.5" }]);
      // the migrated file has exactly the zod-derived columns of a fresh one
      const mem = await openStore(":memory:");
      for (const table of Object.values(TABLES)) {
        expect(await describeTable(store, table.name)).toEqual(await describeTable(mem, table.name));
      }
      mem.close();
      // and the new features work on old data
      const summary = await store.metricSummary([1]);
      expect(summary[0]).toMatchObject({ key: "loss", lastValue: 2, bestStep: 0 });
      const next = await store.startRun({ experiment: "old", seed: 4, config: {}, tfjsBackend: "cpu" });
      expect(next.id).toBe(2);
      await next.logSystemMetrics();
      await next.finish();
      expect((await store.select("experiments")).length).toBe(1);
    } finally {
      store.close();
    }
    // reopening is a no-op migration
    const again = await openStore(path, { readOnly: true });
    expect(await again.schemaVersion()).toBe(SCHEMA_VERSION);
    expect((await again.select("runs")).map((r) => r.status)).toEqual(["completed", "completed"]);
    again.close();
  });

  it("refuse a file written by a newer metacomp", async () => {
    const path = dbPath();
    const store = await openStore(path);
    store.close();
    await rawExec(path, [
      [
        "INSERT INTO schema_version VALUES ($1, 'from the future', TIMESTAMP '2030-01-01')",
        [SCHEMA_VERSION + 1],
      ],
    ]);
    const opened = await openStore(path).then(
      () => "opened",
      (e: { code?: string; message: string }) => `${e.code} ${e.message}`,
    );
    expect(opened).toMatch(/^E_STORE_SCHEMA .*newer than this metacomp/);
    expect(
      await openStore(path, { readOnly: true }).then(
        () => "opened",
        (e: { code?: string }) => e.code,
      ),
    ).toBe(ErrorCode.STORE_SCHEMA);
  });
});
