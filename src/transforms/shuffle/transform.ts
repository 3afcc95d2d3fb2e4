import { z } from "zod";
import { checkOutputLimit, defineStage } from "../../stage.js";
import { wordWidthSchema } from "../word.js";
import { shuffleKernel, unshuffleKernel } from "./kernel.js";

/** `shuffle:w`: byte transposition of w-byte words, so that similar bytes sit together. */
export const shuffleTransform = defineStage({
  id: "shuffle",
  version: 1,
  kind: "transform",
  summary: "byte transposition of w-byte words (Blosc-style); w = 1, 2, 4 or 8",
  params: z.object({ width: wordWidthSchema.default(4) }).strict(),
  positional: ["width"],
  encode: (input, { width }) => {
    const out = new Uint8Array(input.length);
    shuffleKernel(input, out, width);
    return out;
  },
  decode: (input, { width }, limits) => {
    checkOutputLimit("shuffle", input.length, limits);
    const out = new Uint8Array(input.length);
    unshuffleKernel(input, out, width);
    return out;
  },
});
