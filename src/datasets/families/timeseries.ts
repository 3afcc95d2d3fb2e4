/**
 * `timeseries`: little-endian int16, int32, float32 or float64 samples from a random walk, an AR(1) process,
 * a seasonal signal plus noise, or a quantized sensor (two sines and a slow drift, plus noise, quantized).
 *
 * Integer random-walk / AR(1) / seasonal use discrete Gaussian noise and wrap around (two's complement), so
 * each sample decodes back to its noise draw: the entropy rate is exact, `H(noise) / bytesPerSample`. Floats and
 * the sensor report an estimate (`exact: false`): the mean order-0 entropy of each byte lane over a sample.
 */
import { z } from "zod";
import { createRng, deriveSeed, type Rng } from "../../rng.js";
import { order0Entropy } from "../entropy.js";
import { chunkedSource, type FamilyModel, type FamilySource } from "../family.js";
import { discreteGaussian } from "../noise.js";

/** Parameters of the `timeseries` family. */
export const timeseriesParamsSchema = z.object({
  family: z.literal("timeseries"),
  dtype: z.enum(["int16", "int32", "float32", "float64"]).default("int16"),
  process: z.enum(["random-walk", "ar1", "seasonal", "sensor"]).default("random-walk"),
  noiseSd: z.number().min(0.05).max(40).default(4).describe("noise standard deviation (value units)"),
  phi: z.number().gt(-1).lt(1).default(0.95).describe("AR(1) coefficient"),
  period: z.number().min(2).max(1e9).default(96).describe("seasonal / sensor period in samples"),
  amplitude: z.number().min(0).max(1e9).default(1000).describe("seasonal / sensor amplitude"),
  quantum: z.number().positive().default(0.5).describe("sensor quantization step"),
});

/** Parameters of the `timeseries` family (parsed). */
export type TimeseriesParams = z.output<typeof timeseriesParamsSchema>;

const BYTES = { int16: 2, int32: 4, float32: 4, float64: 8 } as const;
const SAMPLES_PER_CHUNK = 2048;

function makeChunkWriter(params: TimeseriesParams, rng: Rng): () => Uint8Array {
  const width = BYTES[params.dtype];
  const buf = new ArrayBuffer(SAMPLES_PER_CHUNK * width);
  const view = new DataView(buf);
  const bytes = new Uint8Array(buf);
  const noise = discreteGaussian(params.noiseSd);
  const noiseSource = noise.createSource(rng);
  const draws = new Uint8Array(SAMPLES_PER_CHUNK);
  const K = noise.halfWidth;
  const isInt = params.dtype === "int16" || params.dtype === "int32";
  const wrap = params.dtype === "int16" ? (v: number) => (v << 16) >> 16 : (v: number) => v | 0;
  const { process, phi, period, amplitude, quantum, noiseSd } = params;
  const omega = (2 * Math.PI) / period;
  let x = 0;
  let drift = 0;
  let t = 0;
  const write = (i: number, v: number): void => {
    const at = i * width;
    if (params.dtype === "int16") view.setInt16(at, v, true);
    else if (params.dtype === "int32") view.setInt32(at, v, true);
    else if (params.dtype === "float32") view.setFloat32(at, v, true);
    else view.setFloat64(at, v, true);
  };
  return () => {
    if (isInt) noiseSource.fill(draws);
    for (let i = 0; i < SAMPLES_PER_CHUNK; i++, t++) {
      const e = isInt ? draws[i] - K : noiseSd * rng.nextGaussian();
      let v: number;
      if (process === "random-walk") v = x = isInt ? wrap(x + e) : x + e;
      else if (process === "ar1") v = x = isInt ? wrap(Math.round(phi * x) + e) : phi * x + e;
      else if (process === "seasonal") {
        const s = amplitude * Math.sin(omega * t);
        v = isInt ? wrap(Math.round(s) + e) : s + e;
      } else {
        drift += 0.01 * amplitude * (rng.nextFloat() - 0.5) - 0.001 * drift;
        const s =
          amplitude * Math.sin(omega * t) +
          0.3 * amplitude * Math.sin(omega * t * 0.137) +
          drift +
          noiseSd * rng.nextGaussian();
        const level = Math.round(s / quantum);
        v = isInt ? wrap(level) : level * quantum;
      }
      write(i, v);
    }
    return bytes;
  };
}

/**
 * Builds the `timeseries` model.
 *
 * @example
 * ```ts
 * const m = buildTimeseries(timeseriesParamsSchema.parse({ family: "timeseries", dtype: "int16" }), 1);
 * m.entropy; // { bitsPerByte: H(noise)/2, exact: true }
 * ```
 */
export function buildTimeseries(params: TimeseriesParams, seed: number): FamilyModel {
  const width = BYTES[params.dtype];
  const isInt = params.dtype === "int16" || params.dtype === "int32";
  let entropy: { bitsPerByte: number; exact: boolean };
  if (isInt && params.process !== "sensor") {
    entropy = { bitsPerByte: discreteGaussian(params.noiseSd).entropyBits / width, exact: true };
  } else {
    // estimate: mean order-0 entropy of each byte lane over 64 Ki samples
    const next = makeChunkWriter(params, createRng(deriveSeed(seed, "timeseries-estimate")));
    const lanes = Array.from({ length: width }, () => new Uint8Array(1 << 16));
    for (let c = 0; c < (1 << 16) / SAMPLES_PER_CHUNK; c++) {
      const chunk = next();
      for (let i = 0; i < SAMPLES_PER_CHUNK; i++) {
        for (let b = 0; b < width; b++) lanes[b][c * SAMPLES_PER_CHUNK + i] = chunk[i * width + b];
      }
    }
    let sum = 0;
    for (const lane of lanes) sum += order0Entropy(lane);
    entropy = { bitsPerByte: sum / width, exact: false };
  }
  return {
    entropy,
    createSource(rng: Rng): FamilySource {
      return chunkedSource(makeChunkWriter(params, rng));
    },
  };
}
