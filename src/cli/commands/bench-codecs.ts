import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { defineCommand } from "citty";
import { benchCodecs, defaultBenchPipelines, formatCodecBenchTable } from "../../bench/codec-bench.js";
import { ErrorCode, err } from "../../errors.js";
import { numberArg, readBytes } from "../io.js";
import { createProgress } from "../progress.js";

/** Reads a file, or every file below a folder (sorted, concatenated). */
async function readInputs(path: string): Promise<Uint8Array> {
  const info = await stat(path).catch((e) => {
    throw err(ErrorCode.IO, `cannot read "${path}": ${(e as Error).message}; give a file or a folder`, e);
  });
  if (!info.isDirectory()) return readBytes(path);
  const names = (await readdir(path, { recursive: true })).sort();
  const parts: Uint8Array[] = [];
  for (const name of names) {
    const full = join(path, name);
    if ((await stat(full)).isFile()) parts.push(await readBytes(full));
  }
  return Buffer.concat(parts);
}

export default defineCommand({
  meta: {
    name: "bench-codecs",
    description: "lzbench-style table: ratio, compress and decompress MB/s per pipeline",
  },
  args: {
    input: { type: "positional", description: "a file or a folder of files", required: true },
    block: { type: "string", description: "block size in bytes", default: "65536" },
    pipelines: { type: "string", description: "comma-separated pipeline specs (default: a broad list)" },
    reference: {
      type: "string",
      description: "pipeline that speed ratios compare against",
      default: "deflate:1",
    },
    "min-time": {
      type: "string",
      description: "minimum ms measured per pipeline and direction",
      default: "300",
    },
    json: { type: "boolean", description: "print rows as JSON" },
  },
  async run({ args }) {
    const blockSize = numberArg(args.block, "block", { integer: true, min: 1 });
    const minTimeMs = numberArg(args["min-time"], "min-time", { min: 0 });
    const data = await readInputs(args.input);
    const pipelines = args.pipelines
      ? args.pipelines.split(",").map((s) => s.trim())
      : defaultBenchPipelines();
    const progress = createProgress("bench-codecs");
    const rows = benchCodecs(data, pipelines, {
      blockSize,
      reference: args.reference,
      minTimeMs,
      onProgress: (done, total, spec) => progress.update(done, total, spec),
    });
    progress.done();
    process.stdout.write(args.json ? `${JSON.stringify(rows, null, 2)}\n` : formatCodecBenchTable(rows));
    if (rows.some((r) => !r.roundTripOk)) throw err(ErrorCode.ROUND_TRIP, "a pipeline failed its round trip");
  },
});
