import { defineCommand } from "citty";
import { DEFAULT_MAX_OUTPUT_BYTES, decompress } from "../../pipeline/frame.js";
import { numberArg, readBytes, writeBytes } from "../io.js";

export default defineCommand({
  meta: { name: "decompress", description: "decompress a metacomp frame (needs no other information)" },
  args: {
    input: { type: "positional", description: "frame file, or - for stdin", required: true },
    output: { type: "positional", description: "output file, or - for stdout", required: true },
    "max-output": {
      type: "string",
      description: "largest output accepted, in bytes",
      default: String(DEFAULT_MAX_OUTPUT_BYTES),
    },
  },
  async run({ args }) {
    const maxOutputBytes = numberArg(args["max-output"], "max-output", { integer: true, min: 0 });
    await writeBytes(args.output, decompress(await readBytes(args.input), { maxOutputBytes }));
  },
});
