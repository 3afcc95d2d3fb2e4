import { defineCommand } from "citty";
import { compress } from "../../pipeline/frame.js";
import { readBytes, writeBytes } from "../io.js";

export default defineCommand({
  meta: { name: "compress", description: "compress a file into a self-describing metacomp frame" },
  args: {
    pipeline: {
      type: "string",
      alias: "p",
      description: 'pipeline spec, e.g. "delta:4>zstd:19"',
      default: "zstd:3",
    },
    input: { type: "positional", description: "input file, or - for stdin", required: true },
    output: { type: "positional", description: "output file, or - for stdout", required: true },
  },
  async run({ args }) {
    await writeBytes(args.output, compress(await readBytes(args.input), args.pipeline));
  },
});
