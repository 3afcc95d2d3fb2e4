/**
 * Exhaustive evaluation of a portfolio over blocks, on a worker_threads pool (or in-process for one worker).
 * Every trial is round-trip verified; failures are kept as `roundTripOk: false` trials (cost Infinity), never
 * dropped.
 */

import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { ErrorCode, err } from "../errors.js";
import { defaultRegistry, type StageRegistry } from "../pipeline/registry.js";
import { parseSpec } from "../pipeline/spec.js";
import type { WorkerInit } from "./evaluate-worker.js";
import type { Portfolio } from "./portfolio.js";
import { evaluateBlock, type TimingOptions } from "./trial.js";
import type { Trial } from "./types.js";

/** Options of {@link evaluate}. */
export interface EvaluateOptions extends TimingOptions {
  /** Worker threads; 1 runs in-process. Default: the machine's parallelism, at most one per block. */
  readonly workers?: number;
  /** A registry for the in-process path (workers: 1). For workers, give `registryModule`. */
  readonly registry?: StageRegistry;
  /** URL or path of a module exporting `registry`, loaded by each worker (and here, to validate specs). */
  readonly registryModule?: string | URL;
  /** Called after each block with (blocks done, blocks total). */
  readonly onProgress?: (done: number, total: number) => void;
  /** Receives each block's trials as soon as they exist (e.g. to stream them into the store). Awaited in order. */
  readonly onTrials?: (batch: readonly Trial[]) => void | Promise<void>;
}

/** What {@link evaluate} returns. */
export interface EvaluateResult {
  /** Canonical specs, in portfolio order. */
  readonly pipelines: readonly string[];
  readonly blockCount: number;
  /** Every trial, ordered by block then pipeline. */
  readonly trials: Trial[];
  /** Wall time of the whole evaluation, in nanoseconds. */
  readonly wallNs: number;
  /** Workers actually used (1 = in-process). */
  readonly workers: number;
  /** Of `wallNs`, the time until the first worker was ready (thread start, module loading); 0 in-process. */
  readonly startupNs: number;
}

function toUrl(module: string | URL): string {
  if (module instanceof URL) return module.href;
  return /^[a-z]+:/i.test(module) ? module : pathToFileURL(module).href;
}

/** The worker to start: the .js file from dist, or (running from src) a bootstrap that loads tsx first. */
function workerEntry(): { script: URL | string; eval: boolean } {
  const self = import.meta.url;
  if (!self.endsWith(".ts")) return { script: new URL("./evaluate-worker.js", self), eval: false };
  // Node 20 workers do not inherit `--import tsx` loader hooks reliably; register tsx inside the worker.
  // the ESM build of tsx's API sits beside the CommonJS one that require.resolve finds
  const tsxApi = pathToFileURL(
    createRequire(self)
      .resolve("tsx/esm/api")
      .replace(/\.cjs$/, ".mjs"),
  ).href;
  const entry = new URL("./evaluate-worker.ts", self).href;
  const script = `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); })`;
  return { script, eval: true };
}

/**
 * Evaluates every pipeline of the portfolio on every block: warm-up, `repeats` timed runs, median ns.
 * Deterministic in sizes: the same data and portfolio give the same `bytesOut` whatever the worker count.
 *
 * @example
 * ```ts
 * const result = await evaluate(quickPortfolio(), blocks.map((b) => b.bytes), {
 *   workers: 2, repeats: 3, onTrials: (batch) => appender.add(batch),
 * });
 * const m = costMatrix(result.trials, result.blockCount, result.pipelines, parseObjective("size"));
 * ```
 */
export async function evaluate(
  portfolio: Portfolio | readonly string[],
  blocks: readonly Uint8Array[],
  opts: EvaluateOptions = {},
): Promise<EvaluateResult> {
  const specs = Array.isArray(portfolio)
    ? (portfolio as readonly string[])
    : (portfolio as Portfolio).pipelines;
  if (specs.length === 0)
    throw err(ErrorCode.INVALID_CONFIG, "the portfolio is empty; give at least one pipeline");
  const registryUrl = opts.registryModule === undefined ? undefined : toUrl(opts.registryModule);
  let registry = opts.registry ?? defaultRegistry;
  if (registryUrl) registry = ((await import(registryUrl)) as { registry: StageRegistry }).registry;
  const parsed = specs.map((s) => parseSpec(s, registry));
  const pipelines = parsed.map((p) => p.spec);
  const timing: TimingOptions = {
    warmup: opts.warmup ?? 1,
    repeats: opts.repeats ?? 3,
    budgetNs: opts.budgetNs,
  };
  const total = blocks.length;
  const workers = Math.max(1, Math.min(opts.workers ?? availableParallelism(), Math.max(1, total)));
  if (workers > 1 && opts.registry && !registryUrl) {
    throw err(
      ErrorCode.INVALID_CONFIG,
      "a registry object cannot cross into worker threads; pass registryModule (a module exporting `registry`) " +
        "or use workers: 1",
    );
  }
  const perBlock: Trial[][] = new Array(total);
  let done = 0;
  let chain: Promise<void> = Promise.resolve();
  let failure: unknown;
  const deliver = (blockIndex: number, trials: Trial[]): void => {
    perBlock[blockIndex] = trials;
    done++;
    const onTrials = opts.onTrials;
    if (onTrials) {
      chain = chain
        .then(() => (failure === undefined ? onTrials(trials) : undefined))
        .catch((e: unknown) => {
          failure ??= e;
        });
    }
    opts.onProgress?.(done, total);
  };
  const start = process.hrtime.bigint();
  let startupNs = 0;
  if (workers === 1) {
    for (let b = 0; b < total; b++) {
      deliver(b, evaluateBlock(blocks[b], b, parsed, timing));
      await chain;
      if (failure !== undefined) throw failure;
    }
  } else {
    startupNs = await runPool(workers, { pipelines, timing, registryModule: registryUrl }, blocks, deliver);
  }
  await chain;
  if (failure !== undefined) throw failure;
  return {
    pipelines,
    blockCount: total,
    trials: perBlock.flat(),
    wallNs: Number(process.hrtime.bigint() - start),
    workers,
    startupNs,
  };
}

type WorkerReply =
  | { ready: true }
  | { blockIndex: number; trials: Trial[] }
  | { blockIndex: number; error: string }
  | { fatal: string };

async function runPool(
  size: number,
  init: WorkerInit,
  blocks: readonly Uint8Array[],
  deliver: (blockIndex: number, trials: Trial[]) => void,
): Promise<number> {
  const entry = workerEntry();
  const start = process.hrtime.bigint();
  let startupNs = 0;
  let ready = 0;
  const pool: Worker[] = [];
  let next = 0;
  let finished = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (message: string, cause?: unknown): void =>
        reject(err(ErrorCode.INTERNAL, `evaluation worker failed: ${message}`, cause));
      const feed = (w: Worker): void => {
        if (next < blocks.length) {
          const blockIndex = next++;
          w.postMessage({ blockIndex, bytes: blocks[blockIndex] });
        }
      };
      for (let i = 0; i < size; i++) {
        const w = new Worker(entry.script, { workerData: init, eval: entry.eval });
        pool.push(w);
        w.on("error", (e) => fail(e.message, e));
        w.on("exit", (code) => {
          if (finished < blocks.length) fail(`a worker exited with code ${code} before the work was done`);
        });
        w.on("message", (msg: WorkerReply) => {
          if ("fatal" in msg) return fail(msg.fatal);
          if ("ready" in msg) {
            if (++ready === 1) startupNs = Number(process.hrtime.bigint() - start);
            return feed(w);
          }
          if ("error" in msg) return fail(`block ${msg.blockIndex}: ${msg.error}`);
          deliver(msg.blockIndex, msg.trials);
          finished++;
          if (finished === blocks.length) resolve();
          else feed(w);
        });
      }
      if (blocks.length === 0) resolve();
    });
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return startupNs;
}
