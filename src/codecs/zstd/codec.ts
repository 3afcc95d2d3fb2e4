/** Binding for Zstandard through the zstd-napi native addon (built from source by node-gyp). */

import { z } from "zod";
import { Compressor, Decompressor } from "zstd-napi";
import { ErrorCode, err } from "../../errors.js";
import { checkOutputLimit, decodeGuard, defineStage } from "../../stage.js";

const ZSTD_MAGIC = 0xfd2fb528;

/**
 * Reads the Frame_Content_Size of the first zstd frame (RFC 8878 §3.1.1.1), or undefined when the
 * frame does not declare it. Throws `E_CORRUPT` when the header is not a zstd frame header.
 */
export function zstdDeclaredSize(input: Uint8Array): number | undefined {
  if (input.length < 5) throw err(ErrorCode.CORRUPT, `zstd: payload of ${input.length} bytes is too short`);
  const dv = new DataView(input.buffer, input.byteOffset, input.byteLength);
  if (dv.getUint32(0, true) !== ZSTD_MAGIC)
    throw err(ErrorCode.CORRUPT, "zstd: payload lacks the zstd magic");
  const fhd = input[4];
  const fcsFlag = fhd >> 6;
  const singleSegment = (fhd >> 5) & 1;
  const dictIdBytes = [0, 1, 2, 4][fhd & 3];
  const fcsBytes = [singleSegment ? 1 : 0, 2, 4, 8][fcsFlag];
  if (fcsBytes === 0) return undefined;
  const at = 5 + (singleSegment ? 0 : 1) + dictIdBytes;
  if (input.length < at + fcsBytes) throw err(ErrorCode.TRUNCATED, "zstd: frame header is truncated");
  switch (fcsBytes) {
    case 1:
      return input[at];
    case 2:
      return dv.getUint16(at, true) + 256;
    case 4:
      return dv.getUint32(at, true);
    default:
      return Number(dv.getBigUint64(at, true));
  }
}

let compressor: Compressor | undefined;
let compressorLevel = -1;
let decompressor: Decompressor | undefined;

/** `zstd:level`: Zstandard (RFC 8878), level 1–22; decodes with `zstd -d`. */
export const zstdCodec = defineStage({
  id: "zstd",
  version: 1,
  kind: "codec",
  summary: "Zstandard (RFC 8878) via zstd-napi; level 1–22",
  params: z.object({ level: z.number().int().min(1).max(22).default(3) }).strict(),
  positional: ["level"],
  encode: (input, { level }) => {
    if (!compressor || compressorLevel !== level) {
      compressor ??= new Compressor();
      compressor.setParameters({ compressionLevel: level });
      compressorLevel = level;
    }
    const out = compressor.compress(input);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  },
  decode: (input, _p, limits) => {
    const declared = zstdDeclaredSize(input);
    if (declared !== undefined) checkOutputLimit("zstd", declared, limits);
    decompressor ??= new Decompressor();
    const dec = decompressor;
    const out = decodeGuard("zstd", () => dec.decompress(input));
    checkOutputLimit("zstd", out.length, limits);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  },
});
