import { z } from "zod";
import { ErrorCode, err } from "../../errors.js";
import { checkOutputLimit, defineStage } from "../../stage.js";
import {
  byteRunDecodeKernel,
  byteRunEncodeKernel,
  zeroRunDecodeKernel,
  zeroRunEncodeKernel,
} from "./kernel.js";

/** The 4-byte little-endian decoded length that starts every rle stream. */
const HEADER = 4;

/** `rle:mode`: run-length coding; `zero` (default) codes MTF zero runs bzip2-style, `byte` codes runs of any byte. */
export const rleTransform = defineStage({
  id: "rle",
  version: 1,
  kind: "transform",
  summary: "run-length coding: zero = bzip2 RUNA/RUNB zero runs (after mtf), byte = 4 equal bytes + count",
  params: z.object({ mode: z.enum(["zero", "byte"]).default("zero") }).strict(),
  positional: ["mode"],
  encode: (input, { mode }) => {
    const n = input.length;
    const out = new Uint8Array(HEADER + (mode === "zero" ? 2 * n : n + (n >>> 2) + 1));
    new DataView(out.buffer).setUint32(0, n, true);
    const end =
      mode === "zero" ? zeroRunEncodeKernel(input, out, HEADER) : byteRunEncodeKernel(input, out, HEADER);
    return out.subarray(0, end);
  },
  decode: (input, { mode }, limits) => {
    if (input.length < HEADER) throw err(ErrorCode.TRUNCATED, "rle: input is shorter than its 4-byte header");
    const n = new DataView(input.buffer, input.byteOffset, input.byteLength).getUint32(0, true);
    checkOutputLimit("rle", n, limits);
    const out = new Uint8Array(n);
    const got =
      mode === "zero" ? zeroRunDecodeKernel(input, HEADER, out) : byteRunDecodeKernel(input, HEADER, out);
    if (got === -2) throw err(ErrorCode.TRUNCATED, `rle: stream ends before its declared ${n} bytes`);
    if (got < 0) throw err(ErrorCode.CORRUPT, `rle: a run or escape does not fit the declared ${n} bytes`);
    return out;
  },
});
