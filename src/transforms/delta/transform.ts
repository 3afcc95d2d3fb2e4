import { z } from "zod";
import { checkOutputLimit, defineStage } from "../../stage.js";
import { wordWidthSchema } from "../word.js";
import { deltaDecodeKernel, deltaEncodeKernel } from "./kernel.js";

/** `delta:w`: wrapping difference of consecutive w-byte little-endian words (integers, counters, time). */
export const deltaTransform = defineStage({
  id: "delta",
  version: 1,
  kind: "transform",
  summary: "wrapping difference of consecutive w-byte words; w = 1, 2, 4 or 8",
  params: z.object({ width: wordWidthSchema.default(1) }).strict(),
  positional: ["width"],
  encode: (input, { width }) => {
    const out = new Uint8Array(input.length);
    deltaEncodeKernel(input, out, width);
    return out;
  },
  decode: (input, { width }, limits) => {
    checkOutputLimit("delta", input.length, limits);
    const out = new Uint8Array(input.length);
    deltaDecodeKernel(input, out, width);
    return out;
  },
});
