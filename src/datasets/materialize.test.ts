import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrorCode } from "../errors.js";
import type { Block } from "./block.js";
import { expandPaths, guessFamily, loadFiles } from "./files.js";
import { generate, generateBytes } from "./generate.js";
import { load, materialize, readManifest, sha256File } from "./materialize.js";

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "metacomp-datasets-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function collect(blocks: AsyncIterable<Block>): Promise<Block[]> {
  const out: Block[] = [];
  for await (const b of blocks) out.push(b);
  return out;
}

const mixture = {
  family: "mixture" as const,
  name: "mix-small",
  components: [
    { task: "prose", source: { family: "text" as const } },
    { task: "noise", source: { family: "random" as const } },
  ],
  meanSegmentBlocks: 3,
  blockBytes: 8192,
  totalBytes: 200_000,
  seed: 7,
};

describe("materialize / load", () => {
  it("round-trips bytes and labels, with a validated manifest", async () => {
    const dir = join(root, "mix");
    const progress: number[] = [];
    const manifest = await materialize(mixture, dir, { onProgress: (d) => progress.push(d) });
    expect(progress.at(-1)).toBe(200_000);
    expect(manifest).toMatchObject({
      datasetId: "mix-small",
      totalBytes: 200_000,
      blockBytes: 8192,
      blockCount: 25,
    });
    expect(manifest.segments.reduce((n, s) => n + s.blocks, 0)).toBe(25);
    expect(await readManifest(dir)).toEqual(manifest);
    expect(await sha256File(join(dir, "data.bin"))).toBe(manifest.sha256);

    const original = await collect(generate(mixture));
    const loaded = await collect(load(dir));
    expect(loaded.length).toBe(original.length);
    for (let i = 0; i < loaded.length; i++) {
      const { bytes: a, ...la } = loaded[i];
      const { bytes: b, ...lb } = original[i];
      expect(la).toEqual(lb);
      expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    }
  });

  it("is deterministic: the same config gives the same manifest", async () => {
    const a = await materialize(mixture, join(root, "det-a"));
    const b = await materialize(mixture, join(root, "det-b"));
    expect(a).toEqual(b);
  });

  it("a changed byte gives E_MANIFEST_HASH before any block is yielded", async () => {
    const dir = join(root, "tampered");
    await materialize({ family: "iid", alphabet: 16, totalBytes: 50_000, seed: 1 }, dir);
    const path = join(dir, "data.bin");
    const bytes = await readFile(path);
    bytes[1234] ^= 1;
    await writeFile(path, bytes);
    let yielded = 0;
    await expect(async () => {
      for await (const _ of load(dir)) yielded++;
    }).rejects.toMatchObject({ code: ErrorCode.MANIFEST_HASH, message: expect.stringContaining(path) });
    expect(yielded).toBe(0);
    // a truncated file is caught too, even without the up-front check
    await writeFile(path, bytes.subarray(0, 40_000));
    await expect(collect(load(dir, { verify: false }))).rejects.toMatchObject({
      code: ErrorCode.MANIFEST_HASH,
    });
  });

  it("an invalid manifest gives E_INVALID_CONFIG with the field path", async () => {
    const dir = join(root, "badmanifest");
    const manifest = await materialize({ family: "random", totalBytes: 1000, seed: 1 }, dir);
    await writeFile(join(dir, "manifest.json"), JSON.stringify({ ...manifest, sha256: "xyz" }));
    await expect(readManifest(dir)).rejects.toMatchObject({
      code: ErrorCode.INVALID_CONFIG,
      message: expect.stringMatching(/→ at sha256/),
    });
    await writeFile(join(dir, "manifest.json"), "{not json");
    await expect(readManifest(dir)).rejects.toMatchObject({ code: ErrorCode.INVALID_CONFIG });
  });

  it("a missing folder gives E_IO naming the path", async () => {
    const dir = join(root, "does-not-exist");
    await expect(collect(load(dir))).rejects.toMatchObject({
      code: ErrorCode.IO,
      message: expect.stringContaining(join(dir, "manifest.json")),
    });
  });

  it("an unwritable target gives E_IO naming the path", async () => {
    const file = join(root, "a-file");
    await writeFile(file, "x");
    await expect(materialize({ family: "random", totalBytes: 10 }, join(file, "sub"))).rejects.toMatchObject({
      code: ErrorCode.IO,
      message: expect.stringContaining(join(file, "sub")),
    });
  });
});

describe("loadFiles", () => {
  let corpus: string;
  beforeAll(async () => {
    corpus = join(root, "corpus");
    await mkdir(join(corpus, "nested"), { recursive: true });
    const enc = new TextEncoder();
    await writeFile(
      join(corpus, "a.log"),
      await generateBytes({ family: "text", totalBytes: 150_000, seed: 1 }),
    );
    await writeFile(
      join(corpus, "b.data"),
      await generateBytes({ family: "json-logs", totalBytes: 70_000, seed: 1 }),
    );
    await writeFile(
      join(corpus, "nested", "c.bin"),
      await generateBytes({ family: "csv", totalBytes: 20_000, seed: 1 }),
    );
    await writeFile(join(corpus, "nested", "d.raw"), new Uint8Array(30_000));
    await writeFile(
      join(corpus, "nested", "e.raw"),
      await generateBytes({ family: "random", totalBytes: 30_000 }),
    );
    await writeFile(join(corpus, "nested", "f.raw"), enc.encode(""));
  });

  it("cuts a folder's files into blocks with guessed families", async () => {
    const blocks = await collect(loadFiles(corpus, { blockSize: 65536 }));
    const summary = blocks.map((b) => `${b.family}:${b.bytes.length}`);
    expect(summary).toEqual([
      "text:65536",
      "text:65536",
      "text:18928",
      "json:65536",
      "json:4464",
      "csv:20000",
      "sparse:30000",
      "compressed:30000",
    ]);
    expect(blocks.map((b) => b.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    for (const b of blocks) expect(b).toMatchObject({ datasetId: "corpus", entropyIsExact: false });
    expect(blocks[0].entropyBitsPerByte).toBeUndefined();
  });

  it("expands globs (*, **, {a,b}) and single files", async () => {
    expect((await expandPaths(join(corpus, "**/*.raw"))).map((p) => p.slice(corpus.length))).toEqual([
      "/nested/d.raw",
      "/nested/e.raw",
      "/nested/f.raw",
    ]);
    expect((await expandPaths(join(corpus, "*.{log,data}"))).length).toBe(2);
    expect((await expandPaths(join(corpus, "nested/?.bin"))).length).toBe(1);
    expect(await expandPaths(join(corpus, "a.log"))).toEqual([join(corpus, "a.log")]);
    const one = await collect(loadFiles(join(corpus, "a.log"), { blockSize: 100_000, datasetId: "x" }));
    expect(one.map((b) => [b.datasetId, b.bytes.length])).toEqual([
      ["x", 100_000],
      ["x", 50_000],
    ]);
  });

  it("unreadable paths and empty globs give E_IO naming the path", async () => {
    const missing = join(corpus, "missing.txt");
    await expect(collect(loadFiles(missing))).rejects.toMatchObject({
      code: ErrorCode.IO,
      message: expect.stringContaining(missing),
    });
    await expect(collect(loadFiles(join(corpus, "*.nothing")))).rejects.toMatchObject({ code: ErrorCode.IO });
    await expect(collect(loadFiles(corpus, { blockSize: 0 }))).rejects.toMatchObject({
      code: ErrorCode.INVALID_CONFIG,
    });
    if (process.getuid?.() !== 0) {
      const locked = join(corpus, "locked.txt");
      await writeFile(locked, "secret");
      await chmod(locked, 0);
      await expect(collect(loadFiles(locked))).rejects.toMatchObject({
        code: ErrorCode.IO,
        message: expect.stringContaining(locked),
      });
      await rm(locked);
    }
  });

  it("guessFamily recognises magic numbers, extensions and content", () => {
    const enc = new TextEncoder();
    expect(guessFamily(Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 1, 2))).toBe("image");
    expect(guessFamily(Uint8Array.of(0x28, 0xb5, 0x2f, 0xfd, 0))).toBe("compressed");
    expect(guessFamily(enc.encode("hello"), "x.csv")).toBe("csv");
    expect(guessFamily(enc.encode("a\tb\tc\n1\t2\t3\n4\t5\t6\n7\t8\t9\n"))).toBe("csv");
    expect(guessFamily(enc.encode('[\n  {"a": 1},\n  {"a": 2}\n]\n'))).toBe("json");
    expect(guessFamily(enc.encode("The quick brown fox.\nJumps over, the dog.\n"))).toBe("text");
    expect(guessFamily(new Uint8Array(0))).toBe("binary");
    expect(guessFamily(Uint8Array.from({ length: 1000 }, (_, i) => (i % 7 === 0 ? 0 : i % 3)))).toBe(
      "binary",
    );
  });
});
