/**
 * One block through every pipeline of a portfolio: warm-up, repeats, median times, round trip verified on
 * every run. Shared by the in-process path and the worker threads.
 */
import { decodePipeline, encodePipeline } from "../pipeline/frame.js";
import type { Pipeline } from "../pipeline/spec.js";
import type { Trial } from "./types.js";

/** How each (block, pipeline) is timed. */
export interface TimingOptions {
  /** Untimed runs before the timed ones (they still verify the round trip). Default 1. */
  readonly warmup?: number;
  /** Timed runs; encNs and decNs are their medians. Default 3. */
  readonly repeats?: number;
  /**
   * Time budget per trial, ns (default 250 ms). Timed runs stop early once their total exceeds it, and a warm-up
   * run that alone exceeds it counts as the one timed run (slow pipelines need no JIT warm-up). Sizes are
   * unaffected.
   */
  readonly budgetNs?: number;
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
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
  return pipelines.map((pipeline): Trial => {
    const enc: number[] = [];
    const dec: number[] = [];
    let bytesOut = 0;
    try {
      let spent = 0;
      for (let run = 0; run < warmup + repeats; run++) {
        const t0 = process.hrtime.bigint();
        const payload = encodePipeline(bytes, pipeline);
        const t1 = process.hrtime.bigint();
        const back = decodePipeline(payload, pipeline, bytes.length);
        const t2 = process.hrtime.bigint();
        if (run > 0 && payload.length !== bytesOut) {
          throw new Error(`payload size changed between runs (${bytesOut} then ${payload.length})`);
        }
        bytesOut = payload.length;
        if (!sameBytes(back, bytes)) throw new Error("decoded bytes differ from the input");
        const took = Number(t2 - t0);
        if (run >= warmup || took > budget) {
          enc.push(Number(t1 - t0));
          dec.push(Number(t2 - t1));
          spent += took;
          if (spent > budget) break;
        }
      }
    } catch (e) {
      return {
        blockIndex,
        pipeline: pipeline.spec,
        bytesIn: bytes.length,
        bytesOut,
        encNs: 0,
        decNs: 0,
        roundTripOk: false,
        error: e instanceof Error ? e.message : String(e),
      };
    }
    return {
      blockIndex,
      pipeline: pipeline.spec,
      bytesIn: bytes.length,
      bytesOut,
      encNs: median(enc),
      decNs: median(dec),
      roundTripOk: true,
    };
  });
}
