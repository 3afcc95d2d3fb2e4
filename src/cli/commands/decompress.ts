import { defineCommand } from "citty";
import { ErrorCode, err } from "../../errors.js";
import { DEFAULT_MAX_OUTPUT_BYTES, decompress } from "../../pipeline/frame.js";
import { readBytes, writeBytes } from "../io.js";

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
    const maxOutputBytes = Number(args["max-output"]);
    if (!Number.isSafeInteger(maxOutputBytes) || maxOutputBytes < 0) {
      throw err(ErrorCode.USAGE, `--max-output ${args["max-output"]} is not a byte count`);
    }
    await writeBytes(args.output, decompress(await readBytes(args.input), { maxOutputBytes }));
  },
});
