/** Binding for LZ4 frames (the `lz4` CLI format) through lz4-napi. */
import { compressFrameSync, decompressFrameSync } from "lz4-napi";
import { z } from "zod";
import { checkOutputLimit, decodeGuard, defineStage } from "../../stage.js";

/** The most output one input byte of an LZ4 frame can produce; bounds memory before the limit check. */
export const LZ4_MAX_EXPANSION = 255;

function asBuffer(u8: Uint8Array): Buffer {
  return Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
}

/** `lz4`: LZ4 frame format (fast); decodes with `lz4 -d`. */
export const lz4Codec = defineStage({
  id: "lz4",
  version: 1,
  kind: "codec",
  summary: "LZ4 frame format via lz4-napi; fastest to decode",
  params: z.object({}).strict(),
  positional: [],
  encode: (input) => {
    const out = compressFrameSync(asBuffer(input));
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  },
  decode: (input, _p, limits) => {
    const out = decodeGuard("lz4", () => decompressFrameSync(asBuffer(input)));
    checkOutputLimit("lz4", out.length, limits);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  },
});
