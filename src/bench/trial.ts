/**
 * One block through every pipeline of a portfolio: warm-up, repeats (interleaved across pipelines), median times,
 * round trip verified on every run. Shared by the in-process path and the worker threads.
 */
import { decodePipeline, encodePipeline } from "../pipeline/frame.js";
import type { Pipeline } from "../pipeline/spec.js";
import { median } from "../stats.js";
import type { Trial } from "./types.js";

/** How each (block, pipeline) is timed. */
export interface TimingOptions {
  /** Untimed runs before the timed ones (they still verify the round trip). Default 1. */
  readonly warmup?: number;
  /** Timed runs, each round of them over all pipelines in turn; encNs and decNs are their medians. Default 3. */
  readonly repeats?: number;
  /**
   * Time budget per trial, ns (default 250 ms). Timed runs stop early once their total exceeds it, and a warm-up
   * run that alone exceeds it counts as the one timed run (slow pipelines need no JIT warm-up). Sizes are
   * unaffected.
   */
  readonly budgetNs?: number;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return (
    a.length === b.length &&
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
      Buffer.from(b.buffer, b.byteOffset, b.byteLength),
    )
  );
}

/**
 * Evaluates one block with every pipeline. Never throws for a failing pipeline: its trial has
 * `roundTripOk: false`, the error message, and the payload size if encoding got that far (else 0).
 * `bytesOut` is the pipeline payload, without the frame header.
 *
 * @example
 * ```ts
 * const trials = evaluateBlock(bytes, 0, [parseSpec("zstd:3")], { repeats: 3 });
 * trials[0].roundTripOk; // true
 * ```
 */
export function evaluateBlock(
  bytes: Uint8Array,
  blockIndex: number,
  pipelines: readonly Pipeline[],
  timing: TimingOptions = {},
): Trial[] {
  const warmup = timing.warmup ?? 1;
  const repeats = Math.max(1, timing.repeats ?? 3);
  const budget = timing.budgetNs ?? 250e6;
  const state = pipelines.map(() => ({
    enc: [] as number[],
    dec: [] as number[],
    bytesOut: 0,
    spent: 0,
    done: false,
    error: undefined as string | undefined,
  }));
  // run r of every pipeline before run r + 1 of any: back-to-back runs of one pipeline time it hot, and which
  // pipeline that flatters changes between evaluations (bench:learner measured the transfer(100) oracle of a second
  // evaluation closing 0.39–0.42 of the first's gap timed back to back, 0.81 interleaved; 5 timed runs each)
  for (let run = 0; run < warmup + repeats; run++) {
    pipelines.forEach((pipeline, k) => {
      const st = state[k];
      if (st.done) return;
      try {
        const t0 = process.hrtime.bigint();
        const payload = encodePipeline(bytes, pipeline);
        const t1 = process.hrtime.bigint();
        const back = decodePipeline(payload, pipeline, bytes.length);
        const t2 = process.hrtime.bigint();
        if (run > 0 && payload.length !== st.bytesOut) {
          throw new Error(`payload size changed between runs (${st.bytesOut} then ${payload.length})`);
        }
        st.bytesOut = payload.length;
        if (!sameBytes(back, bytes)) throw new Error("decoded bytes differ from the input");
        const took = Number(t2 - t0);
        if (run >= warmup || took > budget) {
          st.enc.push(Number(t1 - t0));
          st.dec.push(Number(t2 - t1));
          st.spent += took;
          if (st.spent > budget) st.done = true;
        }
      } catch (e) {
        st.error = e instanceof Error ? e.message : String(e);
        st.done = true;
      }
    });
  }
  return pipelines.map((pipeline, k): Trial => {
    const st = state[k];
    const trial = { blockIndex, pipeline: pipeline.spec, bytesIn: bytes.length, bytesOut: st.bytesOut };
    if (st.error !== undefined) return { ...trial, encNs: 0, decNs: 0, roundTripOk: false, error: st.error };
    return { ...trial, encNs: median(st.enc), decNs: median(st.dec), roundTripOk: true };
  });
}
