/**
 * `metacomp datasets generate <spec.json> --out <dir>` and `metacomp datasets describe <dir> [--json]`.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { defineCommand } from "citty";
import type { Block } from "../../datasets/block.js";
import type { SyntheticDataConfigInput } from "../../datasets/config.js";
import { EntropyAccumulator } from "../../datasets/entropy.js";
import { loadFiles } from "../../datasets/files.js";
import { datasetIdOf } from "../../datasets/generate.js";
import { load, MANIFEST_FILE, materialize, readManifest } from "../../datasets/materialize.js";
import { ErrorCode, err } from "../../errors.js";
import { createProgress } from "../progress.js";

async function readSpec(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw err(ErrorCode.IO, `cannot read "${path}": ${(e as Error).message}; check the path`, e);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw err(ErrorCode.INVALID_CONFIG, `"${path}" is not valid JSON: ${(e as Error).message}`, e);
  }
}

const generateCommand = defineCommand({
  meta: { name: "generate", description: "materialize a synthetic dataset spec (JSON) into a folder" },
  args: {
    spec: { type: "positional", description: "dataset spec: a SyntheticDataConfig as JSON", required: true },
    out: {
      type: "string",
      description: "output folder (data.bin + manifest.json); default datasets/<dataset id>",
    },
    json: { type: "boolean", description: "print the manifest as JSON" },
  },
  async run({ args }) {
    const spec = await readSpec(args.spec);
    const out = args.out ?? join("datasets", datasetIdOf(spec as SyntheticDataConfigInput));
    const progress = createProgress("datasets generate");
    const manifest = await materialize(spec as SyntheticDataConfigInput, out, {
      onProgress: (done, total) => progress.update(done, total, "bytes"),
    });
    progress.done();
    if (args.json) {
      process.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
      return;
    }
    const e = manifest.entropy;
    process.stdout.write(
      `wrote ${out}: ${manifest.totalBytes} bytes in ${manifest.blockCount} blocks, ` +
        `entropy ${e.bitsPerByte.toFixed(4)} bits/byte (${e.exact ? "exact" : "estimate"}), sha256 ${manifest.sha256}\n`,
    );
  },
});

/** What `describe` reports. */
interface Description {
  datasetId: string;
  source: "materialized" | "files";
  totalBytes: number;
  blocks: number;
  entropy: { bitsPerByte: number; exact: boolean } | null;
  empirical: { order0: number; order1: number; order2: number };
  tasks: {
    task: string;
    family: string;
    blocks: number;
    bytes: number;
    entropyBitsPerByte: number | null;
    exact: boolean;
  }[];
}

async function describeDir(dir: string): Promise<Description> {
  const materialized = existsSync(join(dir, MANIFEST_FILE));
  const manifest = materialized ? await readManifest(dir) : undefined;
  const blocks: AsyncIterable<Block> = materialized ? load(dir) : loadFiles(dir);
  const acc = new EntropyAccumulator(2);
  const tasks = new Map<string, Description["tasks"][number]>();
  let count = 0;
  let total = 0;
  let datasetId = "";
  const progress = createProgress("datasets describe");
  for await (const block of blocks) {
    acc.add(block.bytes);
    count++;
    total += block.bytes.length;
    datasetId = block.datasetId;
    const key = `${block.task}\u0000${block.family}`;
    const row = tasks.get(key) ?? {
      task: block.task,
      family: block.family,
      blocks: 0,
      bytes: 0,
      entropyBitsPerByte: block.entropyBitsPerByte ?? null,
      exact: block.entropyIsExact,
    };
    row.blocks++;
    row.bytes += block.bytes.length;
    tasks.set(key, row);
    if (manifest) progress.update(total, manifest.totalBytes, "bytes");
  }
  if (manifest) progress.done();
  const e = acc.result();
  return {
    datasetId: manifest?.datasetId ?? datasetId,
    source: materialized ? "materialized" : "files",
    totalBytes: total,
    blocks: count,
    entropy: manifest ? manifest.entropy : null,
    empirical: { order0: e.order0, order1: e.order1, order2: e.order2 ?? Number.NaN },
    tasks: [...tasks.values()],
  };
}

function formatDescription(d: Description): string {
  const bits = (x: number | null, exact?: boolean) =>
    x === null
      ? "unknown"
      : `${x.toFixed(4)} bits/byte${exact === undefined ? "" : exact ? " (exact)" : " (estimate)"}`;
  const lines = [
    `dataset    ${d.datasetId} (${d.source})`,
    `size       ${d.totalBytes} bytes in ${d.blocks} blocks`,
    `entropy    ${d.entropy ? bits(d.entropy.bitsPerByte, d.entropy.exact) : "unknown (no manifest)"}`,
    `empirical  order-0 ${d.empirical.order0.toFixed(4)}, order-1 ${d.empirical.order1.toFixed(4)}, order-2 ${d.empirical.order2.toFixed(4)} bits/byte (plug-in)`,
    "",
    `${"task".padEnd(20)} ${"family".padEnd(12)} ${"blocks".padStart(8)} ${"bytes".padStart(12)}  entropy`,
    ...d.tasks.map(
      (t) =>
        `${t.task.padEnd(20)} ${t.family.padEnd(12)} ${String(t.blocks).padStart(8)} ${String(t.bytes).padStart(12)}  ${bits(t.entropyBitsPerByte, t.entropyBitsPerByte === null ? undefined : t.exact)}`,
    ),
  ];
  return `${lines.join("\n")}\n`;
}

const describeCommand = defineCommand({
  meta: {
    name: "describe",
    description:
      "size, blocks, entropy (exact or estimated) and empirical order-0/1/2 entropies of a dataset",
  },
  args: {
    dir: {
      type: "positional",
      description: "a materialized dataset folder, or any file / folder / glob",
      required: true,
    },
    json: { type: "boolean", description: "print JSON" },
  },
  async run({ args }) {
    const d = await describeDir(args.dir);
    process.stdout.write(args.json ? `${JSON.stringify(d, null, 2)}\n` : formatDescription(d));
  },
});

export default defineCommand({
  meta: { name: "datasets", description: "generate and describe datasets" },
  subCommands: { generate: generateCommand, describe: describeCommand },
});
