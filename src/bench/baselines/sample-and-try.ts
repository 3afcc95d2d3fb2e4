/**
 * Sample-and-try, in the style of BtrBlocks: compress a small sample of the block (a few evenly spaced runs)
 * with every pipeline and pick the cheapest under the objective, extrapolated to the whole block. Its time
 * is its selection overhead.
 */
import { ErrorCode, err } from "../../errors.js";
import { decodePipeline, encodePipeline } from "../../pipeline/frame.js";
import { defaultRegistry, type StageRegistry } from "../../pipeline/registry.js";
import { type Pipeline, parseSpec } from "../../pipeline/spec.js";
import { median } from "../../stats.js";
import { type Objective, objectiveUsesTime, trialCost } from "../objectives.js";
import type { Selector, Trial } from "../types.js";

/** Options of {@link sampleAndTrySelector}. */
export interface SampleAndTryOptions {
  readonly pipelines: readonly string[];
  readonly objective: Objective;
  /** Share of the block sampled. Default 0.01 (1%). */
  readonly sampleFraction?: number;
  /** Number of evenly spaced runs the sample is made of. Default 10. */
  readonly runs?: number;
  /** The smallest sample, in bytes (tiny blocks are sampled whole). Default 256. */
  readonly minSampleBytes?: number;
  readonly registry?: StageRegistry;
  /**
   * Each pipeline's speed (in `pipelines` order), e.g. {@link pipelineSpeeds} of the training trials. With an
   * objective that includes time, times are then these speeds × the block's length instead of the sample's own
   * times scaled up (a 1% sample's times are mostly per-call costs, and change from run to run); the sample still
   * gives the size.
   */
  readonly speeds?: readonly PipelineSpeed[];
}

/** How fast a pipeline is: nanoseconds per input byte to encode and to decode. */
export interface PipelineSpeed {
  readonly encNsPerByte: number;
  readonly decNsPerByte: number;
}

/**
 * Each pipeline's median speed over the round-tripped trials of some blocks (all blocks when `blocks` is omitted).
 * A pipeline without such a trial gets an error naming it.
 *
 * @example
 * ```ts
 * const speeds = pipelineSpeeds(evaluation.trials, portfolio.pipelines, split.train);
 * sampleAndTrySelector({ pipelines: portfolio.pipelines, objective: parseObjective("transfer:100"), speeds });
 * ```
 */
export function pipelineSpeeds(
  trials: readonly Trial[],
  pipelines: readonly string[],
  blocks?: readonly number[],
): PipelineSpeed[] {
  const keep = blocks ? new Set(blocks) : undefined;
  const enc = pipelines.map((): number[] => []);
  const dec = pipelines.map((): number[] => []);
  const index = new Map(pipelines.map((p, i) => [p, i]));
  for (const t of trials) {
    const p = index.get(t.pipeline);
    if (p === undefined || !t.roundTripOk || t.bytesIn === 0 || (keep && !keep.has(t.blockIndex))) continue;
    enc[p].push(t.encNs / t.bytesIn);
    dec[p].push(t.decNs / t.bytesIn);
  }
  return pipelines.map((name, p) => {
    if (enc[p].length === 0) {
      throw err(
        ErrorCode.INVALID_CONFIG,
        `no round-tripped trial of "${name}" on the given blocks to measure its speed; evaluate it on them first`,
      );
    }
    return { encNsPerByte: median(enc[p]), decNsPerByte: median(dec[p]) };
  });
}

/**
 * The sample of a block: `runs` evenly spaced, 8-byte aligned runs totalling about `fraction` of it.
 *
 * @example
 * ```ts
 * blockSample(bytes, 0.01, 10, 256).length; // ≈ 1% of bytes.length
 * ```
 */
export function blockSample(bytes: Uint8Array, fraction: number, runs: number, minBytes: number): Uint8Array {
  const want = Math.max(minBytes, Math.round(bytes.length * fraction));
  if (want >= bytes.length) return bytes;
  const runLength = Math.max(8, Math.ceil(want / runs / 8) * 8);
  const count = Math.max(1, Math.min(runs, Math.floor(bytes.length / runLength)));
  const out = new Uint8Array(count * runLength);
  const span = bytes.length - runLength;
  for (let r = 0; r < count; r++) {
    const at = count === 1 ? 0 : Math.floor((r * span) / (count - 1)) & ~7;
    out.set(bytes.subarray(at, at + runLength), r * runLength);
  }
  return out;
}

/**
 * A BtrBlocks-style selector: tries every pipeline on a ~1% sample made of ~10 runs and picks the cheapest.
 * Sizes are extrapolated without each pipeline's fixed output (its size on empty input, e.g. headers and code
 * tables), which would otherwise be scaled up with the sample. For time-based objectives it also times encode
 * and decode of the sample and scales them to the block.
 *
 * @example
 * ```ts
 * const s = sampleAndTrySelector({ pipelines: portfolio.pipelines, objective: parseObjective("size") });
 * s.select(features, blocks);
 * ```
 */
export function sampleAndTrySelector(opts: SampleAndTryOptions): Selector {
  const fraction = opts.sampleFraction ?? 0.01;
  const runs = opts.runs ?? 10;
  const minBytes = opts.minSampleBytes ?? 256;
  if (!(fraction > 0 && fraction <= 1) || !Number.isInteger(runs) || runs < 1) {
    throw err(
      ErrorCode.INVALID_CONFIG,
      `sample-and-try needs 0 < sampleFraction ≤ 1 and runs ≥ 1 (got ${fraction}, ${runs})`,
    );
  }
  const registry = opts.registry ?? defaultRegistry;
  const pipelines: Pipeline[] = opts.pipelines.map((s) => parseSpec(s, registry));
  const timed = objectiveUsesTime(opts.objective);
  const speeds = timed ? opts.speeds : undefined;
  if (
    opts.speeds &&
    (opts.speeds.length !== pipelines.length ||
      !opts.speeds.every((v) => v.encNsPerByte >= 0 && v.decNsPerByte >= 0))
  ) {
    throw err(
      ErrorCode.INVALID_CONFIG,
      `sample-and-try needs one speed (ns per byte ≥ 0) per pipeline: got ${opts.speeds.length} for ${pipelines.length} pipelines`,
    );
  }
  // each pipeline's fixed output (headers, tables) on empty input: only the rest grows with the data
  const fixedBytes = pipelines.map((p) => {
    try {
      return encodePipeline(new Uint8Array(0), p).length;
    } catch {
      return 0;
    }
  });

  const choose = (bytes: Uint8Array): number => {
    const sample = blockSample(bytes, fraction, runs, minBytes);
    const scale = bytes.length / Math.max(1, sample.length);
    let best = 0;
    let bestCost = Number.POSITIVE_INFINITY;
    pipelines.forEach((p, i) => {
      let cost: number;
      try {
        // the clock is read only when the sample's own times are the estimate
        const timeSample = timed && !speeds;
        const t0 = timeSample ? process.hrtime.bigint() : 0n;
        const payload = encodePipeline(sample, p);
        const t1 = timeSample ? process.hrtime.bigint() : 0n;
        let encNs = 0;
        let decNs = 0;
        if (speeds) {
          encNs = speeds[i].encNsPerByte * bytes.length;
          decNs = speeds[i].decNsPerByte * bytes.length;
        } else if (timeSample) {
          decodePipeline(payload, p, sample.length);
          decNs = Number(process.hrtime.bigint() - t1) * scale;
          encNs = Number(t1 - t0) * scale;
        }
        cost = trialCost(
          {
            bytesOut: fixedBytes[i] + Math.max(0, payload.length - fixedBytes[i]) * scale,
            encNs,
            decNs,
            roundTripOk: true,
          },
          opts.objective,
        );
      } catch {
        cost = Number.POSITIVE_INFINITY;
      }
      if (cost < bestCost) {
        bestCost = cost;
        best = i;
      }
    });
    return best;
  };

  return {
    name: `sample-and-try(${Math.round(fraction * 1000) / 10}%×${runs}${speeds ? ", measured speeds" : ""})`,
    usesFeatures: false,
    select(features, blocks) {
      if (!blocks || blocks.length !== features.length) {
        throw err(
          ErrorCode.INVALID_CONFIG,
          "sample-and-try needs the blocks' bytes: call select(features, blocks) with one block per feature row",
        );
      }
      return blocks.map(choose);
    },
  };
}

/**
 * Sample-and-try whose times, when the objective includes time, come from the pipelines' speeds on some blocks'
 * trials ({@link pipelineSpeeds}, e.g. the training blocks') rather than from timing the samples.
 *
 * @example
 * ```ts
 * const fallback = sampleAndTryOnTrials({ pipelines, objective: parseObjective("transfer:100") }, trials, split.train);
 * ```
 */
export function sampleAndTryOnTrials(
  opts: Omit<SampleAndTryOptions, "speeds">,
  trials: readonly Trial[],
  blocks: readonly number[],
): Selector {
  const timed = objectiveUsesTime(opts.objective);
  return sampleAndTrySelector({
    ...opts,
    speeds: timed ? pipelineSpeeds(trials, opts.pipelines, blocks) : undefined,
  });
}
