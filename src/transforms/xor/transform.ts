import { z } from "zod";
import { checkOutputLimit, defineStage } from "../../stage.js";
import { wordWidthSchema } from "../word.js";
import { xorDecodeKernel, xorEncodeKernel } from "./kernel.js";

/** `xor:w`: XOR with the previous w-byte word, for floating-point series. */
export const xorTransform = defineStage({
  id: "xor",
  version: 1,
  kind: "transform",
  summary: "XOR with the previous w-byte word (floats); w = 1, 2, 4 or 8",
  params: z.object({ width: wordWidthSchema.default(4) }).strict(),
  positional: ["width"],
  encode: (input, { width }) => {
    const out = new Uint8Array(input.length);
    xorEncodeKernel(input, out, width);
    return out;
  },
  decode: (input, { width }, limits) => {
    checkOutputLimit("xor", input.length, limits);
    const out = new Uint8Array(input.length);
    xorDecodeKernel(input, out, width);
    return out;
  },
});
