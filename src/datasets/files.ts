/**
 * Real data: `loadFiles(pathOrGlob, { blockSize })` cuts a user's files into blocks, each labelled with a family
 * guessed from the file's name and first bytes (`text`, `json`, `csv`, `image`, `compressed`, `sparse`,
 * `binary`). Loaded blocks have no known entropy (`entropyIsExact: false`).
 */
import { open, readdir, stat } from "node:fs/promises";
import { basename, extname, join, relative, resolve, sep } from "node:path";
import { ErrorCode, err } from "../errors.js";
import type { Block } from "./block.js";
import { order0Entropy } from "./entropy.js";

/** Options of {@link loadFiles}. */
export interface LoadFilesOptions {
  /** Bytes per block (default 65536); each file's last block may be shorter. */
  blockSize?: number;
  /** The dataset id of the blocks (default: the path or pattern's base name). */
  datasetId?: string;
}

const GLOB_CHARS = /[*?[{]/;

/** Turns a glob (`*`, `**`, `?`, `[…]`, `{a,b}`) into an anchored regular expression over `/`-separated paths. */
function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*") {
      if (glob[i + 1] === "*") {
        const slash = glob[i + 2] === "/";
        re += slash ? "(?:.*/)?" : ".*";
        i += slash ? 2 : 1;
      } else re += "[^/]*";
    } else if (c === "?") re += "[^/]";
    else if (c === "{") {
      const end = glob.indexOf("}", i);
      if (end < 0) re += "\\{";
      else {
        re += `(?:${glob
          .slice(i + 1, end)
          .split(",")
          .map((s) => s.replace(/[.+^$()|\\]/g, "\\$&"))
          .join("|")})`;
        i = end;
      }
    } else if (c === "[") {
      const end = glob.indexOf("]", i);
      if (end < 0) re += "\\[";
      else {
        re += `[${glob.slice(i + 1, end).replace(/^!/, "^")}]`;
        i = end;
      }
    } else re += c.replace(/[.+^$()|\\\]]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

async function walk(dir: string, out: string[]): Promise<void> {
  let entries: import("node:fs").Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    throw err(
      ErrorCode.IO,
      `cannot read folder "${dir}": ${(e as Error).message}; check the path and permissions`,
      e,
    );
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await walk(path, out);
    else if (entry.isFile()) out.push(path);
  }
}

/**
 * Expands a file path, a folder (all files below it, sorted) or a glob into the list of files. A path that does
 * not exist, or a glob that matches nothing, throws `E_IO` naming it.
 *
 * @example
 * ```ts
 * await expandPaths("data/**\/*.{json,csv}");
 * ```
 */
export async function expandPaths(pathOrGlob: string): Promise<string[]> {
  if (!GLOB_CHARS.test(pathOrGlob)) {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(pathOrGlob);
    } catch (e) {
      throw err(ErrorCode.IO, `cannot read "${pathOrGlob}": ${(e as Error).message}; check the path`, e);
    }
    if (info.isFile()) return [pathOrGlob];
    const files: string[] = [];
    await walk(pathOrGlob, files);
    return files;
  }
  const parts = pathOrGlob.split(/[\\/]/);
  const firstGlob = parts.findIndex((p) => GLOB_CHARS.test(p));
  const base = parts.slice(0, firstGlob).join("/") || (pathOrGlob.startsWith("/") ? "/" : ".");
  const pattern = globToRegExp(parts.slice(firstGlob).join("/"));
  const all: string[] = [];
  await walk(base, all);
  const files = all.filter((f) => pattern.test(relative(resolve(base), resolve(f)).split(sep).join("/")));
  if (files.length === 0) {
    throw err(
      ErrorCode.IO,
      `no files match "${pathOrGlob}"; check the pattern (globs: *, **, ?, [..], {a,b})`,
    );
  }
  return files;
}

const MAGIC: [string, number[]][] = [
  ["image", [0x89, 0x50, 0x4e, 0x47]], // PNG
  ["image", [0xff, 0xd8, 0xff]], // JPEG
  ["image", [0x47, 0x49, 0x46, 0x38]], // GIF
  ["compressed", [0x1f, 0x8b]], // gzip
  ["compressed", [0x28, 0xb5, 0x2f, 0xfd]], // zstd
  ["compressed", [0xfd, 0x37, 0x7a, 0x58, 0x5a]], // xz
  ["compressed", [0x50, 0x4b, 0x03, 0x04]], // zip
  ["compressed", [0x42, 0x5a, 0x68]], // bzip2
  ["compressed", [0x4d, 0x43, 0x4d, 0x50]], // metacomp frame
];

const EXTENSIONS: Record<string, string> = {
  ".json": "json",
  ".jsonl": "json",
  ".ndjson": "json",
  ".csv": "csv",
  ".tsv": "csv",
  ".txt": "text",
  ".md": "text",
  ".log": "text",
  ".png": "image",
  ".jpg": "image",
  ".jpeg": "image",
  ".pgm": "image",
  ".gz": "compressed",
  ".zst": "compressed",
  ".xz": "compressed",
  ".zip": "compressed",
};

/**
 * Guesses a family label for data from its first bytes and, when given, its file name.
 *
 * @example
 * ```ts
 * guessFamily(new TextEncoder().encode('{"a":1}\n{"a":2}\n')); // "json"
 * guessFamily(new Uint8Array(4096)); // "sparse"
 * ```
 */
export function guessFamily(sample: Uint8Array, path?: string): string {
  for (const [family, magic] of MAGIC) {
    if (sample.length >= magic.length && magic.every((b, i) => sample[i] === b)) return family;
  }
  const byExt = path ? EXTENSIONS[extname(path).toLowerCase()] : undefined;
  if (byExt) return byExt;
  if (sample.length === 0) return "binary";
  let zeros = 0;
  let printable = 0;
  for (const b of sample) {
    if (b === 0) zeros++;
    if ((b >= 0x20 && b < 0x7f) || b === 0x0a || b === 0x0d || b === 0x09 || b >= 0x80) printable++;
  }
  if (zeros / sample.length > 0.7) return "sparse";
  if (printable / sample.length > 0.97 && zeros === 0) {
    const text = new TextDecoder().decode(sample);
    const lines = text
      .split("\n")
      .filter((l) => l.length > 0)
      .slice(0, 50);
    const trimmed = text.trimStart();
    if (
      (trimmed.startsWith("{") || trimmed.startsWith("[")) &&
      lines.filter((l) => /^\s*[[{]/.test(l) || /^\s*"/.test(l) || /^\s*[}\]]/.test(l)).length >=
        lines.length * 0.8
    ) {
      return "json";
    }
    if (lines.length >= 3) {
      const commas = lines.map((l) => (l.match(/,/g) ?? []).length);
      const tabs = lines.map((l) => (l.match(/\t/g) ?? []).length);
      for (const counts of [commas, tabs]) {
        if (counts[0] >= 1 && counts.slice(0, -1).every((c) => c === counts[0])) return "csv";
      }
    }
    return "text";
  }
  if (order0Entropy(sample) > 7.9) return "compressed";
  return "binary";
}

/**
 * Streams files as blocks of `blockSize` bytes, file after file, each block labelled with its file's guessed
 * family (also used as its task). Unreadable paths throw `E_IO` naming the path.
 *
 * @example
 * ```ts
 * for await (const block of loadFiles("corpus/**\/*", { blockSize: 65536 })) console.log(block.family);
 * ```
 */
export async function* loadFiles(pathOrGlob: string, opts: LoadFilesOptions = {}): AsyncIterable<Block> {
  const blockSize = opts.blockSize ?? 65536;
  if (!Number.isInteger(blockSize) || blockSize < 1) {
    throw err(ErrorCode.INVALID_CONFIG, `blockSize must be a positive integer, got ${blockSize}`);
  }
  const files = await expandPaths(pathOrGlob);
  const datasetId = opts.datasetId ?? (basename(pathOrGlob.split(/[*?[{]/)[0]) || "files");
  let index = 0;
  for (const path of files) {
    let file: Awaited<ReturnType<typeof open>>;
    try {
      file = await open(path, "r");
    } catch (e) {
      throw err(
        ErrorCode.IO,
        `cannot read "${path}": ${(e as Error).message}; check the path and permissions`,
        e,
      );
    }
    try {
      let family: string | undefined;
      for (;;) {
        const bytes = new Uint8Array(blockSize);
        let got = 0;
        while (got < blockSize) {
          const { bytesRead } = await file.read(bytes, got, blockSize - got, null);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
        if (got === 0) break;
        const block = got === blockSize ? bytes : bytes.slice(0, got);
        family ??= guessFamily(block.subarray(0, 65536), path);
        yield { datasetId, family, task: family, index: index++, bytes: block, entropyIsExact: false };
        if (got < blockSize) break;
      }
    } catch (e) {
      if ((e as { code?: string }).code === ErrorCode.IO) throw e;
      throw err(ErrorCode.IO, `cannot read "${path}": ${(e as Error).message}`, e);
    } finally {
      await file.close();
    }
  }
}
