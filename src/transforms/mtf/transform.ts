import { z } from "zod";
import { checkOutputLimit, defineStage } from "../../stage.js";
import { mtfDecodeKernel, mtfEncodeKernel } from "./kernel.js";

const list = new Uint8Array(256);

/** `mtf`: move-to-front; turns the local symbol clusters of a BWT output into runs of small numbers. */
export const mtfTransform = defineStage({
  id: "mtf",
  version: 1,
  kind: "transform",
  summary: "move-to-front: each byte becomes its rank in a recency list (use after bwt)",
  params: z.object({}).strict(),
  positional: [],
  encode: (input) => {
    const out = new Uint8Array(input.length);
    mtfEncodeKernel(input, out, list);
    return out;
  },
  decode: (input, _p, limits) => {
    checkOutputLimit("mtf", input.length, limits);
    const out = new Uint8Array(input.length);
    mtfDecodeKernel(input, out, list);
    return out;
  },
});
