/** Binding for the LZW codec: table sizing, validation and coded errors. */
import { z } from "zod";
import { ErrorCode, err } from "../../errors.js";
import { checkOutputLimit, defineStage } from "../../stage.js";
import { BitReader, BitWriter } from "../huffman/kernel.js";
import { lzwDecodeKernel, lzwEncodeKernel } from "./kernel.js";

/**
 * Encodes bytes with LZW: 32-bit n, 4-bit maxBits − 9, then variable-width codes, all LSB-first.
 *
 * @example
 * ```ts
 * const packed = lzwEncode(new TextEncoder().encode("TOBEORNOTTOBEORTOBEORNOT"), 12);
 * ```
 */
export function lzwEncode(input: Uint8Array, maxBits: number): Uint8Array {
  const n = input.length;
  // each code covers at least one byte; CLEARs add at most one code per 2^maxBits − 257 codes
  const w = new BitWriter(new Uint8Array(Math.ceil(((n + (n >>> 8) + 2) * maxBits) / 8) + 8));
  w.writeLong(n, 32);
  w.write(maxBits - 9, 4);
  if (n > 0) {
    const hashBits = maxBits + 1;
    lzwEncodeKernel(
      input,
      w,
      maxBits,
      new Int32Array(1 << hashBits),
      new Int32Array(1 << hashBits),
      hashBits,
    );
  }
  return w.out.subarray(0, w.finish());
}

/**
 * Decodes what {@link lzwEncode} wrote; throws `E_TRUNCATED`, `E_CORRUPT` or `E_OUTPUT_LIMIT` on bad input.
 *
 * @example
 * ```ts
 * const bytes = lzwDecode(packed, 1 << 20);
 * ```
 */
export function lzwDecode(input: Uint8Array, maxOutputBytes: number): Uint8Array {
  if (input.length < 5) throw err(ErrorCode.TRUNCATED, "lzw: payload is shorter than its 5-byte header");
  const r = new BitReader(input, 0);
  const n = r.readLong(32);
  const maxBits = r.read(4) + 9;
  checkOutputLimit("lzw", n, { maxOutputBytes });
  if (maxBits > 16)
    throw err(ErrorCode.CORRUPT, `lzw: code width ${maxBits} exceeds 16; the data is corrupt`);
  const out = new Uint8Array(n);
  if (n === 0) return out;
  const size = 1 << maxBits;
  const got = lzwDecodeKernel(
    r,
    out,
    maxBits,
    new Int32Array(size),
    new Int32Array(size),
    new Uint8Array(size),
    new Uint8Array(size),
  );
  if (r.overran()) throw err(ErrorCode.TRUNCATED, `lzw: payload ends before its declared ${n} bytes`);
  if (got < 0) throw err(ErrorCode.CORRUPT, "lzw: a code refers to a phrase that does not exist yet");
  return out;
}

/** `lzw:maxBits`: LZW with variable-width codes of 9 up to maxBits (9–16, default 16) bits. */
export const lzwCodec = defineStage({
  id: "lzw",
  version: 1,
  kind: "codec",
  summary: "LZW dictionary coder with variable-width codes (pure TypeScript); param: max code bits 9–16",
  params: z.object({ maxBits: z.number().int().min(9).max(16).default(16) }).strict(),
  positional: ["maxBits"],
  encode: (input, { maxBits }) => lzwEncode(input, maxBits),
  decode: (input, _p, limits) => lzwDecode(input, limits.maxOutputBytes),
});
