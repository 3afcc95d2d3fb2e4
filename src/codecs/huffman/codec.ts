/** Binding for the order-0 canonical Huffman codec: validation, buffer sizing and coded errors. */
import { z } from "zod";
import { ErrorCode, err } from "../../errors.js";
import { checkOutputLimit, defineStage } from "../../stage.js";
import {
  BitReader,
  BitWriter,
  buildByteDecoder,
  buildCodeLengths,
  buildEncodeTable,
  createByteDecoder,
  huffmanDecodeBytes,
  huffmanEncodeBytes,
  loadWords,
  MAX_CODE_LENGTH,
  readCodeLengths,
  writeCodeLengths,
} from "./kernel.js";

/**
 * Encodes bytes with one canonical Huffman code (lengths ≤ 15 bits) built from their order-0 counts.
 *
 * @example
 * ```ts
 * const packed = huffmanEncode(new TextEncoder().encode("abracadabra"));
 * ```
 */
export function huffmanEncode(input: Uint8Array, maxLength = MAX_CODE_LENGTH): Uint8Array {
  const n = input.length;
  // a plain Uint8Array view keeps the kernels monomorphic when callers pass Node Buffers
  const bytes = new Uint8Array(input.buffer, input.byteOffset, n);
  const freqs = new Uint32Array(256);
  countBytes(bytes, freqs);
  const lengths = new Uint8Array(256);
  buildCodeLengths(freqs, 256, maxLength, lengths);
  let bits = 32 + 256;
  let present = 0;
  for (let s = 0; s < 256; s++) {
    if (lengths[s] === 0) continue;
    bits += 4 + freqs[s] * lengths[s];
    present++;
  }
  const w = new BitWriter(new Uint8Array(Math.ceil(bits / 8) + 4));
  w.writeLong(n, 32);
  if (n === 0) return w.out.subarray(0, w.finish());
  writeCodeLengths(w, lengths, 256);
  // a lone symbol needs no bits: the table says it all
  if (present === 1) return w.out.subarray(0, w.finish());
  const enc = new Uint32Array(256);
  buildEncodeTable(lengths, 256, enc);
  return w.out.subarray(0, huffmanEncodeBytes(bytes, enc, w));
}

/** Four interleaved histograms, so that runs of one byte do not serialize on a single counter. */
const partialCounts = new Uint32Array(4 * 256);

function countBytes(bytes: Uint8Array, freqs: Uint32Array): void {
  const c = partialCounts;
  c.fill(0);
  const n = bytes.length;
  const end4 = n - (n & 3);
  for (let i = 0; i < end4; i += 4) {
    c[bytes[i]]++;
    c[256 + bytes[i + 1]]++;
    c[512 + bytes[i + 2]]++;
    c[768 + bytes[i + 3]]++;
  }
  for (let i = end4; i < n; i++) c[bytes[i]]++;
  for (let s = 0; s < 256; s++) freqs[s] = c[s] + c[256 + s] + c[512 + s] + c[768 + s];
}

const byteDecoder = createByteDecoder();
/** The payload as 32-bit words, reused across calls (grown on demand). */
let payloadWords = new Int32Array(1 << 14);

const CORRUPT = -1;
const TRUNCATED = -2;

/** Loads `input[startByte..)` into the reused word buffer and returns its bit length. */
function loadPayload(input: Uint8Array, startByte: number): number {
  const payload = input.subarray(startByte);
  const wordsNeeded = (payload.length >>> 2) + 3;
  if (payloadWords.length < wordsNeeded) payloadWords = new Int32Array(wordsNeeded);
  loadWords(payload, payloadWords);
  return 8 * payload.length;
}

/** Single stream from bit `bitPos`: 0, CORRUPT or TRUNCATED. */
function decodeOneStream(input: Uint8Array, bitPos: number, out: Uint8Array): number {
  const bitEnd = loadPayload(input, bitPos >>> 3);
  const end = huffmanDecodeBytes(payloadWords, bitPos & 7, bitEnd, byteDecoder, out);
  return end < 0 ? CORRUPT : end > bitEnd ? TRUNCATED : 0;
}

/**
 * Decodes what {@link huffmanEncode} wrote; throws `E_TRUNCATED`, `E_CORRUPT` or `E_OUTPUT_LIMIT` on bad input.
 *
 * @example
 * ```ts
 * const bytes = huffmanDecode(packed, 1 << 20);
 * ```
 */
export function huffmanDecode(input: Uint8Array, maxOutputBytes: number): Uint8Array {
  if (input.length < 4)
    throw err(ErrorCode.TRUNCATED, "huffman: payload is shorter than its 4-byte length field");
  const r = new BitReader(input, 0);
  const n = r.readLong(32);
  checkOutputLimit("huffman", n, { maxOutputBytes });
  if (n === 0) return new Uint8Array(0);
  const lengths = new Uint8Array(256);
  const present = readCodeLengths(r, lengths, 256);
  if (r.overran()) throw err(ErrorCode.TRUNCATED, "huffman: payload ends inside the code table");
  if (present === 0) {
    throw err(
      ErrorCode.CORRUPT,
      "huffman: the code table is empty but the length is not; the data is corrupt",
    );
  }
  if (present === 1) return new Uint8Array(n).fill(lengths.findIndex((l) => l > 0));
  if (!buildByteDecoder(lengths, byteDecoder))
    throw err(ErrorCode.CORRUPT, "huffman: code lengths are over-subscribed; the data is corrupt");
  // the codes start where the reader stands (its buffer may hold zero bits refilled past the end: `overrun` bytes)
  const bitPos = (r.pos + r.overrun) * 8 - r.count;
  const out = new Uint8Array(n);
  const end = decodeOneStream(input, bitPos, out);
  if (end === CORRUPT) throw err(ErrorCode.CORRUPT, `huffman: invalid code in the ${n}-symbol stream`);
  if (end === TRUNCATED) throw err(ErrorCode.TRUNCATED, `huffman: payload ends before all ${n} symbols`);
  return out;
}

/** `huffman`: order-0 canonical Huffman coding of bytes, code lengths limited to 15 bits, table-driven decode. */
export const huffmanCodec = defineStage({
  id: "huffman",
  version: 1,
  kind: "codec",
  summary: "order-0 canonical Huffman (pure TypeScript); code lengths ≤ 15 bits, table-driven decode",
  params: z.object({}).strict(),
  positional: [],
  encode: (input) => huffmanEncode(input),
  decode: (input, _p, limits) => huffmanDecode(input, limits.maxOutputBytes),
});
