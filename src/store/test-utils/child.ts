/**
 * A separate writer process for the concurrency and fault tests. Usage:
 *   node --import tsx child.ts hold <db>     open as writer, log, print READY, close when stdin ends
 *   node --import tsx child.ts killme <db>   commit metrics, print COMMITTED <n>, then append trials forever
 *   node --import tsx child.ts open <db>     try to open as writer; print OPENED or the error code
 */
import { openStore } from "../store.js";

const [mode, path] = process.argv.slice(2) as [string, string];
const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  if (mode === "open") {
    try {
      const store = await openStore(path);
      say("OPENED");
      store.close();
    } catch (e) {
      say(`ERROR ${(e as { code?: string }).code} ${(e as Error).message}`);
    }
    return;
  }
  // heartbeatEveryMs 0: every log also UPDATEs the run row, so the WAL holds updates as well as inserts
  const store = await openStore(path, { heartbeatEveryMs: 0 });
  const run = await store.startRun({ experiment: "child", seed: 1, config: { mode } });
  if (mode === "hold") {
    await run.logMetric("alive", 1, 0);
    say(`READY ${run.id}`);
    process.stdin.resume();
    process.stdin.on("end", () => {
      void run.finish().then(() => {
        store.close();
        say("CLOSED");
      });
    });
    return;
  }
  // killme: commit some metrics and a batch of trials, then keep appending until killed
  const committed = 25;
  for (let step = 0; step < committed; step++) await run.logMetric("loss", 1 / (step + 1), step);
  const batch = (i: number) =>
    Array.from({ length: 20_000 }, (_, j) => ({
      datasetId: "ds",
      blockIndex: j,
      pipeline: `p${i}`,
      bytesOut: j,
      encNs: j,
      decNs: j,
      roundTripOk: true,
    }));
  await run.appendTrials(batch(0));
  say(`COMMITTED ${run.id} ${committed} 20000`);
  for (let i = 1; ; i++) await run.appendTrials(batch(i));
}

main().catch((e) => {
  say(`FAILED ${(e as Error).stack}`);
  process.exitCode = 1;
});
