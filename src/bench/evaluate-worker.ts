/**
 * Worker-thread entry of {@link evaluate}: receives the portfolio once, then blocks; replies with trials.
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
}

/** One job: a block. */
export interface WorkerJob {
  readonly blockIndex: number;
  readonly bytes: Uint8Array;
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
  port.on("message", (job: WorkerJob) => {
    try {
      port.postMessage({
        blockIndex: job.blockIndex,
        trials: evaluateBlock(job.bytes, job.blockIndex, pipelines, init.timing),
      });
    } catch (e) {
      port.postMessage({ blockIndex: job.blockIndex, error: e instanceof Error ? e.message : String(e) });
    }
  });
  port.postMessage({ ready: true });
}

start().catch((e) => {
  parentPort?.postMessage({ fatal: e instanceof Error ? (e.stack ?? e.message) : String(e) });
});
