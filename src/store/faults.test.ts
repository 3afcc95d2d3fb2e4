import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { ErrorCode } from "../errors.js";
import { openStore } from "./store.js";
import { tempDir } from "./test-utils/helpers.js";

const CHILD = fileURLToPath(new URL("./test-utils/child.ts", import.meta.url));
const children: ChildProcess[] = [];
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  for (const c of cleanups.splice(0)) c();
});

function dbPath(): string {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  return join(dir, "shared.duckdb");
}

/** Starts the child writer and resolves each stdout line as it arrives. */
function startChild(mode: string, path: string) {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, mode, path], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  children.push(child);
  let buffer = "";
  const lines: string[] = [];
  const waiters: (() => void)[] = [];
  child.stdout!.on("data", (d: Buffer) => {
    buffer += d.toString();
    let i = buffer.indexOf("\n");
    while (i >= 0) {
      lines.push(buffer.slice(0, i));
      buffer = buffer.slice(i + 1);
      i = buffer.indexOf("\n");
    }
    for (const w of waiters.splice(0)) w();
  });
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  async function line(prefix: string): Promise<string> {
    for (;;) {
      const found = lines.find((l) => l.startsWith(prefix) || l.startsWith("FAILED"));
      if (found) {
        if (found.startsWith("FAILED")) throw new Error(`child failed: ${found}`);
        return found;
      }
      if (child.exitCode !== null) throw new Error(`child exited before "${prefix}": ${lines.join(" | ")}`);
      await new Promise<void>((r) => {
        waiters.push(r);
        child.once("exit", () => r());
      });
    }
  }
  return { child, line, exited };
}

describe("one writer at a time", () => {
  it("a second writer process gets E_STORE_LOCKED, or waits for the lock with waitForLockMs", async () => {
    const path = dbPath();
    const holder = startChild("hold", path);
    const runId = Number((await holder.line("READY")).split(" ")[1]);

    const second = await openStore(path).then(
      () => "opened",
      (e: { code?: string; message: string }) => `${e.code} ${e.message}`,
    );
    expect(second).toMatch(/^E_STORE_LOCKED .*locked by .*PID \d+/);
    const reader = await openStore(path, { readOnly: true }).then(
      () => "opened",
      (e: { code?: string }) => e.code,
    );
    expect(reader).toBe(ErrorCode.STORE_LOCKED); // DuckDB allows no reader beside a writer process

    const started = Date.now();
    const waiting = openStore(path, { waitForLockMs: 60_000 });
    setTimeout(() => holder.child.stdin!.end(), 300);
    const store = await waiting;
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    await holder.exited;
    const run = await store.getRun(runId);
    expect(run.status).toBe("completed");
    expect(await store.select("metrics", { runId })).toHaveLength(1);
    store.close();
  });

  it("read-only openers share the file and keep writers out", async () => {
    const path = dbPath();
    (await openStore(path)).close();
    const r1 = await openStore(path, { readOnly: true });
    const r2 = await openStore(path, { readOnly: true });
    const other = startChild("open", path);
    expect(await other.line("ERROR")).toMatch(/^ERROR E_STORE_LOCKED/);
    await expect(openStore(path)).rejects.toMatchObject({ code: ErrorCode.STORE_LOCKED }); // same process
    expect(await r1.select("runs")).toEqual([]);
    r1.close();
    r2.close();
    const after = startChild("open", path);
    expect(await after.line("OPENED")).toBe("OPENED");
  });

  it("refuses a second writer in the same process", async () => {
    const path = dbPath();
    const store = await openStore(path);
    await expect(openStore(path)).rejects.toMatchObject({ code: ErrorCode.STORE_LOCKED });
    await expect(openStore(path, { readOnly: true })).rejects.toMatchObject({ code: ErrorCode.STORE_LOCKED });
    store.close();
    const again = await openStore(path);
    again.close();
  });
});

describe("faults", () => {
  it("a writer killed with SIGKILL mid-append leaves a file that opens with all committed data intact", async () => {
    const path = dbPath();
    const writer = startChild("killme", path);
    const [, id, metrics, trials] = (await writer.line("COMMITTED")).split(" ").map(Number) as number[];
    await new Promise((r) => setTimeout(r, 700)); // well inside the endless append loop
    writer.child.kill("SIGKILL");
    await writer.exited;
    expect(writer.child.signalCode).toBe("SIGKILL");

    const store = await openStore(path, { staleAfterMs: 0 });
    try {
      expect(store.interruptedOnOpen).toEqual([id]);
      const run = await store.getRun(id!);
      expect(run.status).toBe("interrupted");
      expect(run.endedAt).toEqual(run.heartbeatAt);
      expect(run.error).toMatch(/no heartbeat/);
      const loss = await store.select("metrics", { runId: id! });
      expect(loss.map((m) => m.step)).toEqual(Array.from({ length: metrics! }, (_, i) => i));
      // each append is one transaction: every batch present is complete, and the first one is there
      const perBatch = await store.query("SELECT pipeline, count(*) AS n FROM trials GROUP BY 1 ORDER BY 1");
      expect(perBatch.length).toBeGreaterThanOrEqual(1);
      expect(perBatch[0]).toEqual({ pipeline: "p0", n: BigInt(trials!) });
      for (const b of perBatch) expect(b.n).toBe(BigInt(trials!));
    } finally {
      store.close();
    }
  });

  it("marks only runs whose heartbeat is stale as interrupted", async () => {
    const path = dbPath();
    const store = await openStore(path);
    const live = await store.startRun({ experiment: "hb", seed: 1, config: {} });
    const done = await store.startRun({ experiment: "hb", seed: 2, config: {} });
    await done.finish();
    store.close();

    const fresh = await openStore(path); // default threshold: the heartbeat is seconds old
    expect(fresh.interruptedOnOpen).toEqual([]);
    expect((await fresh.getRun(live.id)).status).toBe("running");
    fresh.close();

    await new Promise((r) => setTimeout(r, 20));
    const later = await openStore(path, { staleAfterMs: 10 });
    expect(later.interruptedOnOpen).toEqual([live.id]);
    expect((await later.getRun(live.id)).status).toBe("interrupted");
    expect((await later.getRun(done.id)).status).toBe("completed");
    later.close();
  });

  it("keeps updating a run after its row is checkpointed, with rows referring to it", async () => {
    const path = dbPath();
    const store = await openStore(path);
    const run = await store.startRun({ experiment: "long", seed: 1, config: {} });
    await run.logParams({ a: 1 });
    await run.logMetric("x", 1, 0);
    await store.checkpoint();
    await run.heartbeat();
    await run.finish();
    store.close();
    const again = await openStore(path);
    const second = await again.startRun({ experiment: "long", seed: 2, config: {} });
    await again.checkpoint();
    await second.fail(new Error("after reopen"));
    expect((await again.select("runs")).map((r) => r.status)).toEqual(["completed", "failed"]);
    again.close();
  });

  it("a handle whose run was marked interrupted cannot finish it", async () => {
    const path = dbPath();
    const a = await openStore(path, { heartbeatEveryMs: 0 });
    const run = await a.startRun({ experiment: "hb", seed: 1, config: {} });
    await run.logMetric("x", 1, 0); // refreshes the heartbeat (heartbeatEveryMs: 0)
    // as if another open had swept it: reach the connection directly (the public API cannot do this)
    const db = (a as unknown as { db: { exec(sql: string, v: number[]): Promise<void> } }).db;
    await db.exec("UPDATE runs SET status = 'interrupted' WHERE id = $1", [run.id]);
    await expect(run.finish()).rejects.toMatchObject({ code: ErrorCode.USAGE });
    expect(run.status).toBe("interrupted");
    a.close();
  });
});
