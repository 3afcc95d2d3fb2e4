/**
 * Materialized datasets: `materialize(config, dir)` writes `data.bin` and a zod-validated `manifest.json`
 * (config, sizes, entropy, per-block labels, SHA-256 of the bytes) into a folder; `load(dir)` streams it back as
 * blocks after checking the hash.
 */
import { createHash } from "node:crypto";
import { mkdir, open, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { ErrorCode, err, isMetacompError } from "../errors.js";
import type { Block } from "./block.js";
import { parseDataConfig, SyntheticDataConfig, type SyntheticDataConfigInput } from "./config.js";
import { datasetIdOf, entropyRate, generate } from "./generate.js";

/** The manifest's file name inside a dataset folder. */
export const MANIFEST_FILE = "manifest.json";
/** The data file's name inside a dataset folder. */
export const DATA_FILE = "data.bin";

/** A run of consecutive blocks with the same labels. */
export const BlockSegment = z.object({
  firstBlock: z.number().int().nonnegative(),
  blocks: z.number().int().positive(),
  family: z.string(),
  task: z.string(),
  entropyBitsPerByte: z.number().min(0).max(8).optional(),
  entropyIsExact: z.boolean(),
});
/** A run of consecutive blocks with the same labels. */
export type BlockSegment = z.output<typeof BlockSegment>;

/** The manifest of a materialized dataset. */
export const DatasetManifest = z.object({
  formatVersion: z.literal(1),
  datasetId: z.string().min(1),
  config: SyntheticDataConfig,
  dataFile: z.string().min(1),
  totalBytes: z.number().int().nonnegative(),
  blockBytes: z.number().int().positive(),
  blockCount: z.number().int().nonnegative(),
  entropy: z.object({ bitsPerByte: z.number().min(0).max(8), exact: z.boolean() }),
  segments: z.array(BlockSegment),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, "a lowercase hex SHA-256"),
});
/** The manifest of a materialized dataset. */
export type DatasetManifest = z.output<typeof DatasetManifest>;

/** Options of {@link materialize} and {@link load}. */
export interface DatasetIoOptions {
  /** Called with (bytes done, total bytes). */
  onProgress?: (done: number, total: number) => void;
}

function ioError(action: string, path: string, e: unknown): never {
  throw err(
    ErrorCode.IO,
    `cannot ${action} "${path}": ${(e as Error).message}; check the path and permissions`,
    e,
  );
}

/**
 * Generates a dataset into `dir` (`data.bin` + `manifest.json`), streaming in constant memory, and returns the
 * manifest.
 *
 * @example
 * ```ts
 * const manifest = await materialize({ family: "text", totalBytes: 8 << 20, seed: 1 }, "datasets/text-8m");
 * manifest.sha256; // content hash, checked by load()
 * ```
 */
export async function materialize(
  input: SyntheticDataConfigInput,
  dir: string,
  opts: DatasetIoOptions = {},
): Promise<DatasetManifest> {
  const config = parseDataConfig(input);
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    ioError("create folder", dir, e);
  }
  const dataPath = join(dir, DATA_FILE);
  const hash = createHash("sha256");
  const segments: BlockSegment[] = [];
  let blockCount = 0;
  let file: Awaited<ReturnType<typeof open>> | undefined;
  try {
    file = await open(dataPath, "w");
    for await (const block of generate(config, { onProgress: opts.onProgress })) {
      hash.update(block.bytes);
      await file.write(block.bytes);
      blockCount++;
      const last = segments.at(-1);
      if (
        last &&
        last.task === block.task &&
        last.family === block.family &&
        last.entropyBitsPerByte === block.entropyBitsPerByte &&
        last.entropyIsExact === block.entropyIsExact
      ) {
        last.blocks++;
      } else {
        segments.push({
          firstBlock: block.index,
          blocks: 1,
          family: block.family,
          task: block.task,
          entropyBitsPerByte: block.entropyBitsPerByte,
          entropyIsExact: block.entropyIsExact,
        });
      }
    }
  } catch (e) {
    if (isMetacompError(e)) throw e;
    ioError("write", dataPath, e);
  } finally {
    await file?.close();
  }
  const manifest: DatasetManifest = {
    formatVersion: 1,
    datasetId: datasetIdOf(config),
    config,
    dataFile: DATA_FILE,
    totalBytes: config.totalBytes,
    blockBytes: config.blockBytes,
    blockCount,
    entropy: entropyRate(config),
    segments,
    sha256: hash.digest("hex"),
  };
  const manifestPath = join(dir, MANIFEST_FILE);
  try {
    await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  } catch (e) {
    ioError("write", manifestPath, e);
  }
  return manifest;
}

/**
 * Reads and validates `dir/manifest.json`. Unreadable → `E_IO` naming the path; invalid → `E_INVALID_CONFIG`
 * with zod's issue paths.
 *
 * @example
 * ```ts
 * const { totalBytes, entropy } = await readManifest("datasets/text-8m");
 * ```
 */
export async function readManifest(dir: string): Promise<DatasetManifest> {
  const path = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    ioError("read", path, e);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw err(ErrorCode.INVALID_CONFIG, `manifest "${path}" is not valid JSON: ${(e as Error).message}`, e);
  }
  const parsed = DatasetManifest.safeParse(json);
  if (!parsed.success) {
    throw err(
      ErrorCode.INVALID_CONFIG,
      `manifest "${path}" is invalid:\n${z.prettifyError(parsed.error)}\nregenerate it with materialize()`,
      parsed.error,
    );
  }
  return parsed.data;
}

/**
 * Computes the SHA-256 (hex) of a file, streaming.
 *
 * @example
 * ```ts
 * await sha256File("datasets/text-8m/data.bin");
 * ```
 */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  let file: Awaited<ReturnType<typeof open>> | undefined;
  try {
    file = await open(path, "r");
    const buf = new Uint8Array(1 << 20);
    for (;;) {
      const { bytesRead } = await file.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
    }
  } catch (e) {
    ioError("read", path, e);
  } finally {
    await file?.close();
  }
  return hash.digest("hex");
}

/** Options of {@link load}. */
export interface LoadOptions extends DatasetIoOptions {
  /** Check the SHA-256 before the first block is yielded (default true). */
  verify?: boolean;
}

/**
 * Streams a materialized dataset back as blocks with their labels. By default it first checks the content hash
 * against the manifest and throws `E_MANIFEST_HASH` on a mismatch, so no wrong block is ever yielded.
 *
 * @example
 * ```ts
 * for await (const block of load("datasets/text-8m")) use(block.bytes, block.task);
 * ```
 */
export async function* load(dir: string, opts: LoadOptions = {}): AsyncIterable<Block> {
  const manifest = await readManifest(dir);
  const dataPath = join(dir, manifest.dataFile);
  if (opts.verify ?? true) {
    const actual = await sha256File(dataPath);
    if (actual !== manifest.sha256) {
      throw err(
        ErrorCode.MANIFEST_HASH,
        `"${dataPath}" has SHA-256 ${actual} but its manifest says ${manifest.sha256}; the data changed — ` +
          "regenerate the dataset with `metacomp datasets generate`",
      );
    }
  }
  const labels = manifest.segments;
  let file: Awaited<ReturnType<typeof open>> | undefined;
  try {
    file = await open(dataPath, "r");
  } catch (e) {
    ioError("read", dataPath, e);
  }
  try {
    let done = 0;
    let seg = 0;
    for (let index = 0; done < manifest.totalBytes; index++) {
      const bytes = new Uint8Array(Math.min(manifest.blockBytes, manifest.totalBytes - done));
      let got = 0;
      while (got < bytes.length) {
        const { bytesRead } = await file.read(bytes, got, bytes.length - got, done + got);
        if (bytesRead === 0) {
          throw err(
            ErrorCode.MANIFEST_HASH,
            `"${dataPath}" ends at ${done + got} bytes but its manifest says ${manifest.totalBytes}; regenerate it`,
          );
        }
        got += bytesRead;
      }
      done += bytes.length;
      while (seg < labels.length - 1 && index >= labels[seg].firstBlock + labels[seg].blocks) seg++;
      const label = labels[seg];
      yield {
        datasetId: manifest.datasetId,
        family: label?.family ?? manifest.config.family,
        task: label?.task ?? manifest.config.family,
        index,
        bytes,
        entropyBitsPerByte: label?.entropyBitsPerByte,
        entropyIsExact: label?.entropyIsExact ?? false,
      };
      opts.onProgress?.(done, manifest.totalBytes);
    }
  } finally {
    await file.close();
  }
}
