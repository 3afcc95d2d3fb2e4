/**
 * Exhaustive evaluation of a portfolio over blocks, on a worker_threads pool (or in-process for one worker).
 * Every trial is round-trip verified; failures are kept as `roundTripOk: false` trials (cost Infinity), never
 * dropped.
 *
 * The pool shares the blocks and a job counter with its threads (SharedArrayBuffer + Atomics): each thread claims
 * the next block itself, so no thread waits on a message round trip between blocks, and by default the calling
 * thread evaluates blocks too (it is warm, and it works while the worker threads start).
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
  /**
   * Threads that evaluate blocks; 1 runs in-process. Default: the machine's parallelism, at most one per block.
   * With `callerRuns` (the default) the calling thread is one of them, so `workers: n` starts n − 1 worker threads.
   */
  readonly workers?: number;
  /**
   * Whether the calling thread evaluates blocks beside the worker threads (default true). It yields to the event
   * loop after each block, so `onTrials` and `onProgress` keep running. false: `workers` worker threads do all.
   */
  readonly callerRuns?: boolean;
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
  /** Threads actually used (1 = in-process), the calling thread included when it ran blocks. */
  readonly workers: number;
  /**
   * Of `wallNs`, the time until the first worker thread was ready (thread start, module loading), as seen by the
   * calling thread (with `callerRuns`, between its blocks); 0 in-process; `wallNs` when no worker thread became
   * ready before the blocks ran out.
   */
  readonly startupNs: number;
  /** Blocks evaluated by each thread: the calling thread first, then each worker thread. */
  readonly blocksPerThread: number[];
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
  let blocksPerThread: number[];
  if (workers === 1) {
    for (let b = 0; b < total; b++) {
      deliver(b, evaluateBlock(blocks[b], b, parsed, timing));
      await chain;
      if (failure !== undefined) throw failure;
    }
    blocksPerThread = [total];
  } else {
    const callerRuns = opts.callerRuns ?? true;
    const pool = await runPool(
      callerRuns ? workers - 1 : workers,
      { pipelines, timing, registryModule: registryUrl },
      blocks,
      deliver,
      callerRuns ? (b) => evaluateBlock(blocks[b], b, parsed, timing) : undefined,
      () => failure,
    );
    startupNs = pool.startupNs;
    blocksPerThread = pool.blocksPerThread;
  }
  await chain;
  if (failure !== undefined) throw failure;
  const wallNs = Number(process.hrtime.bigint() - start);
  return {
    pipelines,
    blockCount: total,
    trials: perBlock.flat(),
    wallNs,
    workers,
    startupNs: startupNs < 0 ? wallNs : startupNs,
    blocksPerThread,
  };
}

type WorkerReply =
  | { ready: true }
  | { blockIndex: number; trials: Trial[] }
  | { blockIndex: number; error: string }
  | { done: number }
  | { fatal: string };

/** The blocks, copied once into shared memory, and the job counter every thread claims blocks from. */
function shareBlocks(blocks: readonly Uint8Array[]): Pick<WorkerInit, "shared" | "offsets" | "counter"> {
  const offsets = new Array<number>(blocks.length + 1);
  offsets[0] = 0;
  for (let b = 0; b < blocks.length; b++) offsets[b + 1] = offsets[b] + blocks[b].length;
  const shared = new SharedArrayBuffer(offsets[blocks.length]);
  const view = new Uint8Array(shared);
  for (let b = 0; b < blocks.length; b++) view.set(blocks[b], offsets[b]);
  return { shared, offsets, counter: new SharedArrayBuffer(4) };
}

/**
 * Runs `size` worker threads (and, with `callerBlock`, the calling thread) until every block is claimed and done.
 * Stops claiming blocks once a thread fails or `stopped()` returns an error (which is then thrown).
 * Returns the time to the first ready worker (−1 if none got ready) and the blocks each thread evaluated.
 */
async function runPool(
  size: number,
  init: Pick<WorkerInit, "pipelines" | "timing" | "registryModule">,
  blocks: readonly Uint8Array[],
  deliver: (blockIndex: number, trials: Trial[]) => void,
  callerBlock: ((blockIndex: number) => Trial[]) | undefined,
  stopped: () => unknown,
): Promise<{ startupNs: number; blocksPerThread: number[] }> {
  const entry = workerEntry();
  const jobs = shareBlocks(blocks);
  const counter = new Int32Array(jobs.counter);
  const total = blocks.length;
  const start = process.hrtime.bigint();
  let startupNs = -1;
  const blocksPerThread = new Array<number>(size + 1).fill(0);
  const pool: Worker[] = [];
  let failed: unknown;
  let finished = 0;
  let resolveAll: () => void = () => {};
  let rejectAll: (e: unknown) => void = () => {};
  const allDone = new Promise<void>((resolve, reject) => {
    resolveAll = resolve;
    rejectAll = reject;
  });
  allDone.catch(() => {}); // awaited below; no unhandled rejection while the calling thread still works
  const stop = (error: unknown): void => {
    failed ??= error;
    Atomics.store(counter, 0, total); // nobody claims another block
    rejectAll(failed);
  };
  const fail = (message: string, cause?: unknown): void =>
    stop(err(ErrorCode.INTERNAL, `evaluation worker failed: ${message}`, cause));
  const finish = (thread: number, blockIndex: number, trials: Trial[]): void => {
    deliver(blockIndex, trials);
    blocksPerThread[thread]++;
    finished++;
    const error = stopped();
    if (error !== undefined) stop(error);
    else if (finished === total) resolveAll();
  };
  try {
    for (let i = 0; i < size; i++) {
      const w = new Worker(entry.script, { workerData: { ...init, ...jobs }, eval: entry.eval });
      pool.push(w);
      let done = false;
      w.on("error", (e) => fail(e.message, e));
      w.on("exit", (code) => {
        if (!done && finished < total) fail(`a worker exited with code ${code} before the work was done`);
      });
      w.on("message", (msg: WorkerReply) => {
        if ("fatal" in msg) return fail(msg.fatal);
        if ("ready" in msg) {
          if (startupNs < 0) startupNs = Number(process.hrtime.bigint() - start);
          return;
        }
        if ("done" in msg) {
          done = true; // it stays alive (idle) until terminated below
          return;
        }
        if ("error" in msg) return fail(`block ${msg.blockIndex}: ${msg.error}`);
        finish(i + 1, msg.blockIndex, msg.trials);
      });
    }
    if (callerBlock) {
      for (;;) {
        const b = Atomics.add(counter, 0, 1);
        if (b >= total) break;
        finish(0, b, callerBlock(b));
        // let worker replies, onTrials and onProgress run between blocks
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    await allDone;
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return { startupNs, blocksPerThread };
}
