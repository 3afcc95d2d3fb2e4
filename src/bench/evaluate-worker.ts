/**
 * Worker-thread entry of {@link evaluate}: receives the portfolio and the shared blocks once, then claims blocks
 * from the shared job counter until none is left, replying with each block's trials, then `{ done }`.
 * Loaded as .ts through tsx in development and tests, as .js from dist.
 */
import { parentPort, workerData } from "node:worker_threads";
import { defaultRegistry, type StageRegistry } from "../pipeline/registry.js";
import { parseSpec } from "../pipeline/spec.js";
import { evaluateBlock, type TimingOptions } from "./trial.js";

/** What the pool sends when it starts a worker. */
export interface WorkerInit {
  readonly pipelines: readonly string[];
  readonly timing: TimingOptions;
  /** URL of a module exporting `registry` (a StageRegistry); the default registry when absent. */
  readonly registryModule?: string;
  /** Every block, one after another. */
  readonly shared: SharedArrayBuffer;
  /** Block b is `shared[offsets[b], offsets[b + 1])`. */
  readonly offsets: readonly number[];
  /** One int32: the next block to claim (Atomics.add), shared by every thread of the pool. */
  readonly counter: SharedArrayBuffer;
}

async function start(): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const init = workerData as WorkerInit;
  let registry: StageRegistry = defaultRegistry;
  if (init.registryModule) {
    registry = ((await import(init.registryModule)) as { registry: StageRegistry }).registry;
  }
  const pipelines = init.pipelines.map((spec) => parseSpec(spec, registry));
  // stay alive until the pool terminates this thread (also after an error), so that an exit always means a crash
  port.on("message", () => {});
  port.postMessage({ ready: true });
  const counter = new Int32Array(init.counter);
  const total = init.offsets.length - 1;
  let blocks = 0;
  for (;;) {
    const blockIndex = Atomics.add(counter, 0, 1);
    if (blockIndex >= total) break;
    // a private copy: codecs get an ordinary (not shared) buffer
    const bytes = new Uint8Array(
      init.shared,
      init.offsets[blockIndex],
      init.offsets[blockIndex + 1] - init.offsets[blockIndex],
    ).slice();
    try {
      port.postMessage({ blockIndex, trials: evaluateBlock(bytes, blockIndex, pipelines, init.timing) });
    } catch (e) {
      port.postMessage({ blockIndex, error: e instanceof Error ? e.message : String(e) });
      return;
    }
    blocks++;
  }
  port.postMessage({ done: blocks });
}

start().catch((e) => {
  parentPort?.postMessage({ fatal: e instanceof Error ? (e.stack ?? e.message) : String(e) });
});
