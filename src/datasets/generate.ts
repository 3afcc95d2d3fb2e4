/**
 * Streaming generation of synthetic datasets: `generate(config)` yields {@link Block}s in constant memory,
 * deterministically in the seed.
 */
import { createHash } from "node:crypto";
import type { Block, EntropyRate } from "./block.js";
import {
  type FamilyParams,
  parseDataConfig,
  type SyntheticDataConfig,
  type SyntheticDataConfigInput,
} from "./config.js";
import { buildIid } from "./families/iid.js";
import { buildMarkov } from "./families/markov.js";
import type { FamilyModel } from "./family.js";
import { createRng, deriveSeed } from "./rng.js";

/**
 * Builds the model of one non-mixture family from its parameters and seed.
 *
 * @example
 * ```ts
 * buildFamily({ family: "iid", alphabet: 2, distribution: { kind: "uniform" } }, 1).entropy.bitsPerByte; // 1
 * ```
 */
export function buildFamily(params: FamilyParams, seed: number): FamilyModel {
  switch (params.family) {
    case "iid":
      return buildIid(params);
    case "markov":
      return buildMarkov(params, seed);
  }
}

/** Canonical JSON (sorted keys) of a value, for hashing configs. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * The dataset id of a config: its `name`, or `<family>-<first 10 hex of sha256(canonical config)>`.
 *
 * @example
 * ```ts
 * datasetIdOf({ family: "iid", totalBytes: 1024, seed: 1 }); // "iid-3f9a…"
 * ```
 */
export function datasetIdOf(input: SyntheticDataConfigInput | SyntheticDataConfig): string {
  const config = parseDataConfig(input);
  if (config.name) return config.name;
  const hash = createHash("sha256").update(canonicalJson(config)).digest("hex").slice(0, 10);
  return `${config.family}-${hash}`;
}

/**
 * The entropy rate of a config's source in bits per byte, and whether it is exact.
 *
 * @example
 * ```ts
 * entropyRate({ family: "iid", alphabet: 256, totalBytes: 1 << 20, seed: 1 }); // { bitsPerByte: 8, exact: true }
 * ```
 */
export function entropyRate(input: SyntheticDataConfigInput): EntropyRate {
  const config = parseDataConfig(input);
  return buildFamily(config as FamilyParams, config.seed).entropy;
}

/** Options of {@link generate}. */
export interface GenerateOptions {
  /** Called after each block with (bytes done, total bytes). */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Streams a synthetic dataset as blocks. Deterministic in the seed; memory stays constant (one block and the
 * family's tables), whatever `totalBytes` is. Each yielded block owns fresh bytes.
 *
 * @example
 * ```ts
 * for await (const block of generate({ family: "markov", order: 2, alphabet: 16, concentration: 0.5,
 *   totalBytes: 1 << 20, seed: 1 })) {
 *   console.log(block.index, block.bytes.length, block.entropyBitsPerByte);
 * }
 * ```
 */
export async function* generate(
  input: SyntheticDataConfigInput,
  opts: GenerateOptions = {},
): AsyncIterable<Block> {
  const config = parseDataConfig(input);
  const datasetId = datasetIdOf(config);
  const model = buildFamily(config as FamilyParams, config.seed);
  const source = model.createSource(createRng(deriveSeed(config.seed, "stream")));
  const task = config.task ?? config.family;
  let done = 0;
  for (let index = 0; done < config.totalBytes; index++) {
    const bytes = new Uint8Array(Math.min(config.blockBytes, config.totalBytes - done));
    source.fill(bytes);
    done += bytes.length;
    yield {
      datasetId,
      family: config.family,
      task,
      index,
      bytes,
      entropyBitsPerByte: model.entropy.bitsPerByte,
      entropyIsExact: model.entropy.exact,
    };
    opts.onProgress?.(done, config.totalBytes);
  }
}

/**
 * Generates a whole dataset into one array (all blocks concatenated); for tests and small data.
 *
 * @example
 * ```ts
 * const bytes = await generateBytes({ family: "iid", alphabet: 16, totalBytes: 4096, seed: 7 });
 * ```
 */
export async function generateBytes(input: SyntheticDataConfigInput): Promise<Uint8Array> {
  const config = parseDataConfig(input);
  const out = new Uint8Array(config.totalBytes);
  let at = 0;
  for await (const block of generate(config)) {
    out.set(block.bytes, at);
    at += block.bytes.length;
  }
  return out;
}
