/** Binding for the order-0 canonical Huffman codec: validation, buffer sizing, stream layout and coded errors. */
import { z } from "zod";
import { ErrorCode, err } from "../../errors.js";
import { checkOutputLimit, defineStage } from "../../stage.js";
import { readVarint, writeVarint } from "../../varint.js";
import {
  BitWriter,
  buildByteDecoder,
  buildCodeLengths,
  buildEncodeTable,
  buildPairTable,
  CHUNK_BYTES,
  CHUNK_PAYLOAD_MAX,
  FAST_TABLE_BITS,
  huffmanDecodeChunk,
  huffmanDecodeSingle,
  huffmanEncodeBytes,
  INVALID_CODE,
  MAX_CODE_LENGTH,
  MAX_STREAMS,
  writeCodeLengths,
} from "./kernel.js";

/** The stage format `huffman` writes: 2 = chunks of four interleaved streams; 1 = one stream (decode only). */
const HUFFMAN_VERSION = 2;

/** The largest input one payload codes: its length field has 32 bits. */
export const HUFFMAN_MAX_INPUT = 2 ** 32 - 1;

/** Bytes at most in one stream-size varint. */
const MAX_SIZE_VARINT = 5;

/** The code table starts at byte 4 (after the 32-bit length): 32 bytes of presence bits, then 4-bit lengths. */
const TABLE_START = 4;
const LENGTHS_START = TABLE_START + 32;

/** Inputs at least this long code two bytes per lookup (the pair table costs (present symbols)² to build). */
const PAIR_MIN_INPUT = 1 << 14;
const pairTable = new Uint32Array(1 << 16);

/** Chunk `c` of an `n`-byte input: [start, end). */
function chunkRange(n: number, c: number): [start: number, end: number] {
  return [c * CHUNK_BYTES, Math.min((c + 1) * CHUNK_BYTES, n)];
}

/** Per chunk: three stream symbol counts and four stream byte sizes, as varints. */
const CHUNK_HEADER_MAX = 7 * MAX_SIZE_VARINT;

/** Relative size gain above which the default encoder prefers 15-bit codes to the fast table's 11 bits. */
const LONG_CODE_GAIN = 0.015;

/** Bits of coding `freqs` with code `lengths`. */
function codeSize(freqs: Uint32Array, lengths: Uint8Array): number {
  let bits = 0;
  for (let s = 0; s < 256; s++) bits += freqs[s] * lengths[s];
  return bits;
}

/** Bit budget that no stream reaches: the last stream of a chunk takes the rest. */
const NO_BIT_TARGET = 2 ** 30;

/**
 * Encodes bytes with one canonical Huffman code built from their order-0 counts, as stage format 2: the code
 * table, then chunks of 256 KiB, each cut into four segments coded as byte-aligned bit streams (see spec.md).
 * Code lengths are limited to `maxLength` (at most 15); by default to 11 (the decoder's fast table), or to 15 when
 * the 11-bit limit would cost more than 1.5% of the code bits.
 *
 * @example
 * ```ts
 * const packed = huffmanEncode(new TextEncoder().encode("abracadabra"));
 * ```
 */
export function huffmanEncode(input: Uint8Array, maxLength?: number): Uint8Array {
  const n = input.length;
  if (n > HUFFMAN_MAX_INPUT) {
    throw err(
      ErrorCode.INPUT_TOO_LARGE,
      `huffman: input of ${n} bytes exceeds the 32-bit length field; cut it into smaller blocks`,
    );
  }
  // a plain Uint8Array view keeps the kernels monomorphic when callers pass Node Buffers
  const bytes = new Uint8Array(input.buffer, input.byteOffset, n);
  const chunks = Math.ceil(n / CHUNK_BYTES);
  const freqs = new Uint32Array(256);
  countBytes(bytes, freqs);
  const lengths = new Uint8Array(256);
  buildCodeLengths(freqs, 256, maxLength ?? FAST_TABLE_BITS, lengths);
  if (maxLength === undefined) {
    // skewed counts (e.g. after BWT + MTF) can lose several percent to the fast table's limit: use 15-bit codes
    // there, which decode more slowly (stream by stream) but code tighter
    const longLengths = new Uint8Array(256);
    buildCodeLengths(freqs, 256, MAX_CODE_LENGTH, longLengths);
    if (codeSize(freqs, lengths) > (1 + LONG_CODE_GAIN) * codeSize(freqs, longLengths))
      lengths.set(longLengths);
  }
  let headerBits = 32 + 256;
  let codeBits = 0;
  let present = 0;
  for (let s = 0; s < 256; s++) {
    if (lengths[s] === 0) continue;
    headerBits += 4;
    codeBits += freqs[s] * lengths[s];
    present++;
  }
  const capacity =
    Math.ceil(headerBits / 8) + chunks * (CHUNK_HEADER_MAX + MAX_STREAMS) + Math.ceil(codeBits / 8);
  const w = new BitWriter(new Uint8Array(capacity + 8));
  w.writeLong(n, 32);
  if (n === 0) return w.out.subarray(0, w.finish());
  writeCodeLengths(w, lengths, 256);
  // a lone symbol needs no bits: the table says it all
  if (present === 1) return w.out.subarray(0, w.finish());
  w.pos = w.finish();
  const enc = new Uint32Array(256);
  buildEncodeTable(lengths, 256, enc);
  const pairs = n >= PAIR_MIN_INPUT ? pairTable : undefined;
  if (pairs) buildPairTable(enc, pairs);
  const header = new Uint8Array(CHUNK_HEADER_MAX);
  const symbols = [0, 0, 0, 0];
  const sizes = [0, 0, 0, 0];
  for (let c = 0; c < chunks; c++) {
    const [start, end] = chunkRange(n, c);
    const chunk = bytes.subarray(start, end);
    let chunkBits = codeBits;
    if (chunks > 1) {
      countBytes(chunk, freqs);
      chunkBits = 0;
      for (let s = 0; s < 256; s++) chunkBits += freqs[s] * lengths[s];
    }
    // streams of equal bit counts (not symbol counts) take the decoder equally many steps
    const quarter = Math.ceil(chunkBits / MAX_STREAMS);
    const headerAt = w.pos;
    w.pos += CHUNK_HEADER_MAX;
    const streamsAt = w.pos;
    let i = 0;
    for (let k = 0; k < MAX_STREAMS; k++) {
      const at = w.pos;
      const from = i;
      i = huffmanEncodeBytes(
        chunk,
        i,
        chunk.length,
        enc,
        w,
        pairs,
        k < MAX_STREAMS - 1 ? quarter : NO_BIT_TARGET,
      );
      w.pos = w.finish();
      symbols[k] = i - from;
      sizes[k] = w.pos - at;
    }
    let h = 0;
    for (let k = 0; k < MAX_STREAMS - 1; k++) h = writeVarint(header, h, symbols[k]);
    for (let k = 0; k < MAX_STREAMS; k++) h = writeVarint(header, h, sizes[k]);
    w.out.copyWithin(headerAt + h, streamsAt, w.pos);
    w.out.set(header.subarray(0, h), headerAt);
    w.pos -= CHUNK_HEADER_MAX - h;
  }
  return w.out.subarray(0, w.pos);
}

/** Four interleaved histograms, so that runs of one byte do not serialize on a single counter. */
const partialCounts = new Uint32Array(4 * 256);

function countBytes(bytes: Uint8Array, freqs: Uint32Array): void {
  const c = partialCounts;
  c.fill(0);
  const n = bytes.length;
  // in slices, so that the first calls finish (with type feedback everywhere) before V8 optimizes the loop
  for (let at = 0; at < n; at += COUNT_SLICE) countSlice(bytes, at, Math.min(n, at + COUNT_SLICE), c);
  for (let s = 0; s < 256; s++) freqs[s] = c[s] + c[256 + s] + c[512 + s] + c[768 + s];
}

/** Bytes per call of {@link countSlice} (a multiple of 4). */
const COUNT_SLICE = 4096;

function countSlice(bytes: Uint8Array, from: number, to: number, c: Uint32Array): void {
  let i = from;
  for (; i + 3 < to; i += 4) {
    c[bytes[i]]++;
    c[256 + bytes[i + 1]]++;
    c[512 + bytes[i + 2]]++;
    c[768 + bytes[i + 3]]++;
  }
  for (; i < to; i++) c[bytes[i]]++;
}

const codeLengths = new Uint8Array(256);
const streamState = new Int32Array(4 * MAX_STREAMS);

/**
 * Reads the code table (byte-aligned: presence bits from byte 4, then 4-bit lengths) into `codeLengths`; returns
 * the number of present symbols and throws `E_TRUNCATED` when the payload ends inside it.
 */
function readTable(input: Uint8Array): number {
  if (input.length < LENGTHS_START)
    throw err(ErrorCode.TRUNCATED, "huffman: payload ends inside the code table");
  let present = 0;
  for (let s = 0; s < 256; s++) {
    const bit = (input[TABLE_START + (s >>> 3)] >>> (s & 7)) & 1;
    codeLengths[s] = bit;
    present += bit;
  }
  if (8 * input.length < 8 * LENGTHS_START + 4 * present)
    throw err(ErrorCode.TRUNCATED, "huffman: payload ends inside the code table");
  for (let s = 0, k = 0; s < 256; s++) {
    if (codeLengths[s] === 0) continue;
    codeLengths[s] = ((input[LENGTHS_START + (k >>> 1)] >>> (4 * (k & 1))) & 15) + 1;
    k++;
  }
  return present;
}

/**
 * Decodes what {@link huffmanEncode} wrote (stage format `version`: 2, or 1 for the single-stream payloads of
 * older frames); throws `E_TRUNCATED`, `E_CORRUPT` or `E_OUTPUT_LIMIT` on bad input.
 *
 * @example
 * ```ts
 * const bytes = huffmanDecode(packed, 1 << 20);
 * ```
 */
export function huffmanDecode(
  input: Uint8Array,
  maxOutputBytes: number,
  version = HUFFMAN_VERSION,
): Uint8Array {
  if (input.length < 4)
    throw err(ErrorCode.TRUNCATED, "huffman: payload is shorter than its 4-byte length field");
  const n = (input[0] | (input[1] << 8) | (input[2] << 16) | (input[3] << 24)) >>> 0;
  checkOutputLimit("huffman", n, { maxOutputBytes });
  if (n === 0) return new Uint8Array(0);
  const present = readTable(input);
  if (present === 0) {
    throw err(
      ErrorCode.CORRUPT,
      "huffman: the code table is empty but the length is not; the data is corrupt",
    );
  }
  if (present === 1) return new Uint8Array(n).fill(codeLengths.findIndex((l) => l > 0));
  if (!buildByteDecoder(codeLengths))
    throw err(ErrorCode.CORRUPT, "huffman: code lengths are over-subscribed; the data is corrupt");
  const bitPos = 8 * LENGTHS_START + 4 * present;
  // every byte is written before `out` is returned, so skip zero-filling it (a 64 KiB fill costs ~5% of a decode)
  const out = new Uint8Array(Buffer.allocUnsafeSlow(n).buffer, 0, n);
  if (version === 1) {
    if (input.length >= 2 ** 28)
      throw err(ErrorCode.INPUT_TOO_LARGE, "huffman: format-1 payloads over 256 MiB are not supported");
    const end = huffmanDecodeSingle(input, bitPos, out);
    if (end === INVALID_CODE) throw err(ErrorCode.CORRUPT, `huffman: invalid code in the ${n}-symbol stream`);
    if (end > 8 * input.length)
      throw err(ErrorCode.TRUNCATED, `huffman: payload ends before all ${n} symbols`);
    return out;
  }
  let at = Math.ceil(bitPos / 8);
  const s = streamState;
  for (let c = 0; c * CHUNK_BYTES < n; c++) {
    const [start, end] = chunkRange(n, c);
    const counts = [0, 0, 0, end - start];
    for (let k = 0; k < MAX_STREAMS - 1; k++) {
      [counts[k], at] = readChunkVarint(input, at, c, `symbol count of stream ${k}`);
      counts[MAX_STREAMS - 1] -= counts[k];
    }
    if (counts[MAX_STREAMS - 1] < 0) {
      throw err(
        ErrorCode.CORRUPT,
        `huffman: chunk ${c}'s streams declare over ${end - start} symbols; corrupt`,
      );
    }
    for (let k = 0, outEnd = 0; k < MAX_STREAMS; k++) {
      s[4 * k + 2] = outEnd;
      outEnd += counts[k];
      s[4 * k + 3] = outEnd;
    }
    let payloadBytes = 0;
    for (let k = 0; k < MAX_STREAMS; k++) {
      let size: number;
      [size, at] = readChunkVarint(input, at, c, `size of stream ${k}`);
      s[4 * k] = 8 * payloadBytes;
      payloadBytes += size;
      if (payloadBytes > CHUNK_PAYLOAD_MAX) {
        throw err(ErrorCode.CORRUPT, `huffman: chunk ${c} declares over ${CHUNK_PAYLOAD_MAX} bytes; corrupt`);
      }
      s[4 * k + 1] = 8 * payloadBytes;
    }
    if (at + payloadBytes > input.length) {
      throw err(
        ErrorCode.TRUNCATED,
        `huffman: payload ends inside chunk ${c} (${payloadBytes} bytes of streams)`,
      );
    }
    if (huffmanDecodeChunk(input.subarray(at, at + payloadBytes), s, out, start) === INVALID_CODE)
      throw err(ErrorCode.CORRUPT, `huffman: invalid code in chunk ${c}; the data is corrupt`);
    for (let k = 0; k < MAX_STREAMS; k++) {
      const unused = s[4 * k + 1] - s[4 * k];
      if (unused < 0 || unused >= 8) {
        throw err(
          ErrorCode.CORRUPT,
          `huffman: stream ${k} of chunk ${c} ${unused < 0 ? "runs past" : "ends before"} its declared size; corrupt`,
        );
      }
    }
    at += payloadBytes;
  }
  if (at !== input.length)
    throw err(
      ErrorCode.CORRUPT,
      `huffman: ${input.length - at} trailing bytes after the last chunk; corrupt`,
    );
  return out;
}

/** A chunk header varint (at most MAX_SIZE_VARINT bytes) of chunk `c`, its errors naming `what`. */
function readChunkVarint(
  input: Uint8Array,
  at: number,
  c: number,
  what: string,
): [value: number, next: number] {
  return readVarint(input, at, MAX_SIZE_VARINT, (why) =>
    why === "truncated"
      ? err(ErrorCode.TRUNCATED, `huffman: payload ends inside the ${what} of chunk ${c}`)
      : err(
          ErrorCode.CORRUPT,
          `huffman: the ${what} of chunk ${c} is over ${MAX_SIZE_VARINT} bytes; corrupt`,
        ),
  );
}

/** `huffman`: order-0 canonical Huffman coding of bytes in four interleaved streams, table-driven decode. */
export const huffmanCodec = defineStage({
  id: "huffman",
  version: HUFFMAN_VERSION,
  kind: "codec",
  summary:
    "order-0 canonical Huffman (pure TypeScript); codes ≤ 11 bits, 4 interleaved streams, table decode",
  params: z.object({}).strict(),
  positional: [],
  encode: (input) => huffmanEncode(input),
  decode: (input, _p, limits, version) => huffmanDecode(input, limits.maxOutputBytes, version),
});
