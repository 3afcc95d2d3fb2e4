/**
 * Streaming generation of synthetic datasets: `generate(config)` yields {@link Block}s in constant memory,
 * deterministically in the seed.
 */
import { createHash } from "node:crypto";
import { canonicalJson } from "../canonical-json.js";
import { createRng, deriveSeed, type Rng } from "../rng.js";
import type { Block, EntropyRate } from "./block.js";
import { parseDataConfig, type SyntheticDataConfig, type SyntheticDataConfigInput } from "./config.js";
import { buildFamily, type FamilyParams } from "./families/index.js";
import type { MixtureParams } from "./families/mixture.js";
import type { FamilyModel, FamilySource } from "./family.js";

/**
 * The dataset id of a config: its `name`, or `<family>-<first 10 hex digits of sha256(canonical config)>`.
 *
 * @example
 * ```ts
 * datasetIdOf({ family: "iid", totalBytes: 1024, seed: 1 }); // "iid-…"
 * ```
 */
export function datasetIdOf(input: SyntheticDataConfigInput): string {
  const config = parseDataConfig(input);
  if (config.name) return config.name;
  const hash = createHash("sha256").update(canonicalJson(config)).digest("hex").slice(0, 10);
  return `${config.family}-${hash}`;
}

/** What a stream yields per block before the dataset-level fields are added. */
interface BlockLabel {
  family: string;
  task: string;
  entropy: EntropyRate;
}

/** A block producer: fills a block and says what it is. */
interface Stream {
  entropy: EntropyRate;
  next(out: Uint8Array): BlockLabel;
}

function componentTask(mix: MixtureParams, i: number): string {
  return mix.components[i].task ?? `${mix.components[i].source.family}-${i}`;
}

function mixtureStream(mix: MixtureParams, seed: number): Stream {
  const n = mix.components.length;
  const models: (FamilyModel | undefined)[] = new Array(n);
  const sources: (FamilySource | undefined)[] = new Array(n);
  const model = (i: number): FamilyModel => {
    const built = models[i] ?? buildFamily(mix.components[i].source, deriveSeed(seed, `component-${i}`));
    models[i] = built;
    return built;
  };
  const source = (i: number): FamilySource => {
    const made = sources[i] ?? model(i).createSource(createRng(deriveSeed(seed, `component-${i}-stream`)));
    sources[i] = made;
    return made;
  };
  let weightSum = 0;
  for (const c of mix.components) weightSum += c.weight;
  let rate = 0;
  for (let i = 0; i < n; i++) rate += (mix.components[i].weight / weightSum) * model(i).entropy.bitsPerByte;
  const schedule: Rng = createRng(deriveSeed(seed, "mixture-schedule"));
  let current = -1;
  let left = 0;
  return {
    entropy: { bitsPerByte: rate, exact: false },
    next(out) {
      if (left === 0) {
        if (mix.schedule === "cycle") current = (current + 1) % n;
        else {
          let u = schedule.nextFloat() * weightSum;
          current = 0;
          while (current < n - 1 && u >= mix.components[current].weight)
            u -= mix.components[current++].weight;
        }
        const p = 1 / mix.meanSegmentBlocks;
        left = p >= 1 ? 1 : 1 + Math.floor(Math.log(1 - schedule.nextFloat()) / Math.log(1 - p));
      }
      left--;
      source(current).fill(out);
      return {
        family: mix.components[current].source.family,
        task: componentTask(mix, current),
        entropy: model(current).entropy,
      };
    },
  };
}

function streamOf(config: SyntheticDataConfig): Stream {
  if (config.family === "mixture") return mixtureStream(config, config.seed);
  const model = buildFamily(config as FamilyParams, config.seed);
  const source = model.createSource(createRng(deriveSeed(config.seed, "stream")));
  const label: BlockLabel = {
    family: config.family,
    task: config.task ?? config.family,
    entropy: model.entropy,
  };
  return {
    entropy: model.entropy,
    next(out) {
      source.fill(out);
      return label;
    },
  };
}

/**
 * The entropy rate of a config's source in bits per byte, and whether it is exact (analytic) or an estimate.
 *
 * @example
 * ```ts
 * entropyRate({ family: "iid", alphabet: 256, totalBytes: 1 << 20, seed: 1 }); // { bitsPerByte: 8, exact: true }
 * ```
 */
export function entropyRate(input: SyntheticDataConfigInput): EntropyRate {
  const config = parseDataConfig(input);
  if (config.family === "mixture") return mixtureStream(config, config.seed).entropy;
  return buildFamily(config as FamilyParams, config.seed).entropy;
}

/** Options of {@link generate}. */
export interface GenerateOptions {
  /** Called after each block with (bytes done, total bytes). */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Streams a synthetic dataset as blocks. Deterministic in the seed; memory stays constant (one block and the
 * family's tables), whatever `totalBytes` is. Each yielded block owns fresh bytes. Invalid configs throw
 * `E_INVALID_CONFIG` naming the bad field.
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
  const stream = streamOf(config);
  let done = 0;
  for (let index = 0; done < config.totalBytes; index++) {
    const bytes = new Uint8Array(Math.min(config.blockBytes, config.totalBytes - done));
    const label = stream.next(bytes);
    done += bytes.length;
    yield {
      datasetId,
      family: label.family,
      task: label.task,
      index,
      bytes,
      entropyBitsPerByte: label.entropy.bitsPerByte,
      entropyIsExact: label.entropy.exact,
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
