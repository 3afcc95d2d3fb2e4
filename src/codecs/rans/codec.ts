/** Binding for the order-0 rANS codec: frequency quantisation, table serialisation, validation and coded errors. */
import { z } from "zod";
import { ErrorCode, err } from "../../errors.js";
import { checkOutputLimit, defineStage } from "../../stage.js";
import { readVarint, writeVarint } from "../../varint.js";
import { ransDecodeKernel, ransEncodeKernel } from "./kernel.js";

/**
 * Quantises symbol counts to frequencies summing to exactly 2^scale, every present symbol at least 1.
 *
 * @example
 * ```ts
 * const freq = quantizeFrequencies(counts, 1000, 12);
 * ```
 */
export function quantizeFrequencies(counts: Uint32Array, total: number, scale: number): Uint32Array {
  const m = 2 ** scale;
  const freq = new Uint32Array(256);
  let sum = 0;
  for (let s = 0; s < 256; s++) {
    if (counts[s] === 0) continue;
    freq[s] = Math.max(1, Math.round((counts[s] * m) / total));
    sum += freq[s];
  }
  // settle the rounding error on the largest frequencies, where it costs least
  const bySize = Array.from({ length: 256 }, (_, s) => s)
    .filter((s) => counts[s] > 0)
    .sort((a, b) => counts[b] - counts[a] || a - b);
  for (let round = 0; sum !== m; round++) {
    const s = bySize[round % bySize.length];
    if (sum < m) {
      const add = Math.min(m - sum, Math.max(1, freq[s] >>> 6));
      freq[s] += add;
      sum += add;
    } else if (freq[s] > 1) {
      const cut = Math.min(sum - m, Math.max(1, freq[s] >>> 6), freq[s] - 1);
      freq[s] -= cut;
      sum -= cut;
    }
  }
  return freq;
}

/**
 * Encodes bytes with static order-0 rANS: u32 n, then (n > 0) u8 scale, a 32-byte presence bitmap, LEB128
 * frequencies of present symbols, and the rANS stream (4-byte state, then renormalisation bytes).
 *
 * @example
 * ```ts
 * const packed = ransEncode(bytes, 15);
 * ```
 */
export function ransEncode(input: Uint8Array, maxScale: number): Uint8Array {
  const n = input.length;
  const counts = new Uint32Array(256);
  for (let i = 0; i < n; i++) counts[input[i]]++;
  const scale = Math.min(maxScale, Math.max(8, Math.ceil(Math.log2(Math.max(1, n)))));
  const headerRoom = 4 + 1 + 32 + 256 * 3;
  const payloadRoom = Math.ceil((n * scale) / 8) + 8;
  const out = new Uint8Array(headerRoom + payloadRoom);
  new DataView(out.buffer).setUint32(0, n, true);
  if (n === 0) return out.subarray(0, 4);
  const freq = quantizeFrequencies(counts, n, scale);
  let at = 4;
  out[at++] = scale;
  for (let s = 0; s < 256; s++) if (freq[s] > 0) out[at + (s >>> 3)] |= 1 << (s & 7);
  at += 32;
  const start = new Uint32Array(256);
  let cum = 0;
  for (let s = 0; s < 256; s++) {
    start[s] = cum;
    cum += freq[s];
    if (freq[s] > 0) at = writeVarint(out, at, freq[s]);
  }
  const begin = ransEncodeKernel(input, out, out.length, freq, start, scale);
  out.copyWithin(at, begin);
  return out.subarray(0, at + (out.length - begin));
}

/**
 * Decodes what {@link ransEncode} wrote; throws `E_TRUNCATED`, `E_CORRUPT` or `E_OUTPUT_LIMIT` on bad input.
 *
 * @example
 * ```ts
 * const bytes = ransDecode(packed, 1 << 20);
 * ```
 */
export function ransDecode(input: Uint8Array, maxOutputBytes: number): Uint8Array {
  const truncated = (where: string) => err(ErrorCode.TRUNCATED, `rans: payload ends inside the ${where}`);
  if (input.length < 4) throw truncated("length field");
  const n = new DataView(input.buffer, input.byteOffset, input.byteLength).getUint32(0, true);
  checkOutputLimit("rans", n, { maxOutputBytes });
  if (n === 0) return new Uint8Array(0);
  if (input.length < 4 + 1 + 32) throw truncated("frequency table");
  const scale = input[4];
  if (scale < 8 || scale > 16)
    throw err(ErrorCode.CORRUPT, `rans: scale ${scale} is outside 8–16; the data is corrupt`);
  const m = 1 << scale;
  const freq = new Uint32Array(256);
  const start = new Uint32Array(256);
  let at = 4 + 1 + 32;
  let cum = 0;
  for (let s = 0; s < 256; s++) {
    start[s] = cum;
    if ((input[5 + (s >>> 3)] & (1 << (s & 7))) === 0) continue;
    let v: number;
    [v, at] = readVarint(input, at, 3, (why) =>
      why === "truncated"
        ? truncated("frequency table")
        : err(ErrorCode.CORRUPT, "rans: a frequency is longer than 3 bytes; the data is corrupt"),
    );
    if (v === 0 || cum + v > m) throw err(ErrorCode.CORRUPT, `rans: frequencies do not sum to 2^${scale}`);
    freq[s] = v;
    cum += v;
  }
  if (cum !== m)
    throw err(ErrorCode.CORRUPT, `rans: frequencies sum to ${cum}, not 2^${scale}; the data is corrupt`);
  const symbols = new Uint8Array(m);
  for (let s = 0; s < 256; s++) symbols.fill(s, start[s], start[s] + freq[s]);
  const out = new Uint8Array(n);
  const end = ransDecodeKernel(input, at, out, freq, start, symbols, scale);
  if (end === -1) throw truncated("coded stream");
  if (end === -2) throw err(ErrorCode.CORRUPT, "rans: the coded stream does not decode to its start state");
  if (end !== input.length)
    throw err(ErrorCode.CORRUPT, `rans: ${input.length - end} bytes left over after decoding`);
  return out;
}

/** `rans:scale`: static order-0 rANS; frequencies quantised to 2^scale (8–16, default 15) and stored. */
export const ransCodec = defineStage({
  id: "rans",
  version: 1,
  kind: "codec",
  summary: "static order-0 rANS entropy coder (pure TypeScript); param: frequency precision bits 8–16",
  params: z.object({ scale: z.number().int().min(8).max(16).default(15) }).strict(),
  positional: ["scale"],
  encode: (input, { scale }) => ransEncode(input, scale),
  decode: (input, _p, limits) => ransDecode(input, limits.maxOutputBytes),
});
