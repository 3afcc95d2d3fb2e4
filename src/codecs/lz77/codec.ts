/** Binding for the LZ77 codec: matcher settings, Huffman-coded token blocks, validation and coded errors. */
import { z } from "zod";
import { ErrorCode, err } from "../../errors.js";
import { checkOutputLimit, defineStage } from "../../stage.js";
import {
  BitReader,
  BitWriter,
  buildCodeLengths,
  buildDecodeTable,
  buildEncodeTable,
  MAX_CODE_LENGTH,
  readCodeLengths,
  writeCodeLengths,
} from "../huffman/kernel.js";
import {
  BUCKET_BASE,
  BUCKET_EXTRA,
  bucketOf,
  DISTANCE_BUCKETS,
  LITLEN_SYMBOLS,
  lz77Parse,
  type MatchSettings,
  MIN_MATCH,
  type TokenSink,
} from "./kernel.js";

/** Tokens per Huffman block; each block carries its own two code tables. */
export const LZ77_BLOCK_TOKENS = 1 << 16;

/**
 * Matcher settings per level 1–9: zlib's configuration table (good, lazy, nice, chain), with the chains of levels
 * 8–9 capped at 512/1024 because our window (up to 4 MiB, not 32 KiB) keeps chains full on repetitive text.
 */
const LEVELS: readonly MatchSettings[] = [
  { goodLength: 4, maxLazy: 4, niceLength: 8, maxChain: 4 },
  { goodLength: 4, maxLazy: 5, niceLength: 16, maxChain: 8 },
  { goodLength: 4, maxLazy: 6, niceLength: 32, maxChain: 32 },
  { goodLength: 4, maxLazy: 4, niceLength: 16, maxChain: 16 },
  { goodLength: 8, maxLazy: 16, niceLength: 32, maxChain: 32 },
  { goodLength: 8, maxLazy: 16, niceLength: 128, maxChain: 128 },
  { goodLength: 8, maxLazy: 32, niceLength: 128, maxChain: 256 },
  { goodLength: 32, maxLazy: 128, niceLength: 258, maxChain: 512 },
  { goodLength: 32, maxLazy: 258, niceLength: 258, maxChain: 1024 },
];

function writeBlock(w: BitWriter, sink: TokenSink): void {
  const litFreq = new Uint32Array(LITLEN_SYMBOLS);
  const distFreq = new Uint32Array(DISTANCE_BUCKETS);
  let extraBits = 0;
  for (let t = 0; t < sink.count; t++) {
    const len = sink.lengths[t];
    if (len === 0) litFreq[sink.values[t]]++;
    else {
      const lb = bucketOf(len - MIN_MATCH);
      const db = bucketOf(sink.values[t] - 1);
      litFreq[256 + lb]++;
      distFreq[db]++;
      extraBits += BUCKET_EXTRA[lb] + BUCKET_EXTRA[db];
    }
  }
  const litLengths = new Uint8Array(LITLEN_SYMBOLS);
  const distLengths = new Uint8Array(DISTANCE_BUCKETS);
  buildCodeLengths(litFreq, LITLEN_SYMBOLS, MAX_CODE_LENGTH, litLengths);
  buildCodeLengths(distFreq, DISTANCE_BUCKETS, MAX_CODE_LENGTH, distLengths);
  let bits = 16 + LITLEN_SYMBOLS + DISTANCE_BUCKETS + extraBits;
  for (let s = 0; s < LITLEN_SYMBOLS; s++) bits += litLengths[s] ? 4 + litFreq[s] * litLengths[s] : 0;
  for (let s = 0; s < DISTANCE_BUCKETS; s++) bits += distLengths[s] ? 4 + distFreq[s] * distLengths[s] : 0;
  w.ensure(Math.ceil(bits / 8) + 8);
  const litEnc = new Uint32Array(LITLEN_SYMBOLS);
  const distEnc = new Uint32Array(DISTANCE_BUCKETS);
  buildEncodeTable(litLengths, LITLEN_SYMBOLS, litEnc);
  buildEncodeTable(distLengths, DISTANCE_BUCKETS, distEnc);
  w.write(sink.count - 1, 16);
  writeCodeLengths(w, litLengths, LITLEN_SYMBOLS);
  writeCodeLengths(w, distLengths, DISTANCE_BUCKETS);
  for (let t = 0; t < sink.count; t++) {
    const len = sink.lengths[t];
    if (len === 0) {
      const e = litEnc[sink.values[t]];
      w.write(e >>> 4, e & 15);
      continue;
    }
    const lv = len - MIN_MATCH;
    const lb = bucketOf(lv);
    const le = litEnc[256 + lb];
    w.write(le >>> 4, le & 15);
    w.write(lv - BUCKET_BASE[lb], BUCKET_EXTRA[lb]);
    const dv = sink.values[t] - 1;
    const db = bucketOf(dv);
    const de = distEnc[db];
    w.write(de >>> 4, de & 15);
    w.writeLong(dv - BUCKET_BASE[db], BUCKET_EXTRA[db]);
  }
  sink.count = 0;
}

/**
 * Encodes bytes with LZ77 + Huffman: 32-bit n, then blocks of up to 2^16 tokens, each with 16 bits (count − 1),
 * its literal/length and distance code lengths, and the tokens (code, extra bits), all LSB-first.
 *
 * @example
 * ```ts
 * const packed = lz77Encode(bytes, 6, 20);
 * ```
 */
export function lz77Encode(input: Uint8Array, level: number, windowBits: number): Uint8Array {
  const n = input.length;
  const w = new BitWriter(new Uint8Array((n >>> 1) + 1024));
  w.writeLong(n, 32);
  if (n > 0) {
    const size = Math.min(LZ77_BLOCK_TOKENS, n);
    const sink: TokenSink = { lengths: new Int32Array(size), values: new Int32Array(size), count: 0 };
    const head = new Int32Array(1 << 16).fill(-1);
    const prev = new Int32Array(1 << windowBits);
    lz77Parse(input, windowBits, LEVELS[level - 1], head, prev, sink, () => writeBlock(w, sink));
    if (sink.count > 0) writeBlock(w, sink);
  }
  return w.out.subarray(0, w.finish());
}

const litTable = new Uint16Array(1 << MAX_CODE_LENGTH);
const distTable = new Uint16Array(1 << MAX_CODE_LENGTH);

/**
 * Decodes what {@link lz77Encode} wrote; throws `E_TRUNCATED`, `E_CORRUPT` or `E_OUTPUT_LIMIT` on bad input.
 *
 * @example
 * ```ts
 * const bytes = lz77Decode(packed, 1 << 20);
 * ```
 */
export function lz77Decode(input: Uint8Array, maxOutputBytes: number): Uint8Array {
  if (input.length < 4)
    throw err(ErrorCode.TRUNCATED, "lz77: payload is shorter than its 4-byte length field");
  const r = new BitReader(input, 0);
  const n = r.readLong(32);
  checkOutputLimit("lz77", n, { maxOutputBytes });
  const out = new Uint8Array(n);
  const litLengths = new Uint8Array(LITLEN_SYMBOLS);
  const distLengths = new Uint8Array(DISTANCE_BUCKETS);
  const corrupt = (what: string) =>
    err(ErrorCode.CORRUPT, `lz77: ${what} at output byte ${o}; the data is corrupt`);
  let o = 0;
  while (o < n) {
    const count = r.read(16) + 1;
    readCodeLengths(r, litLengths, LITLEN_SYMBOLS);
    readCodeLengths(r, distLengths, DISTANCE_BUCKETS);
    if (r.overran()) throw err(ErrorCode.TRUNCATED, `lz77: payload ends inside a block header at byte ${o}`);
    const litBits = buildDecodeTable(litLengths, LITLEN_SYMBOLS, litTable);
    const distBits = buildDecodeTable(distLengths, DISTANCE_BUCKETS, distTable);
    if (litBits < 0 || distBits < 0) throw corrupt("over-subscribed code lengths");
    const litMask = (1 << litBits) - 1;
    const distMask = (1 << distBits) - 1;
    for (let t = 0; t < count; t++) {
      if (o >= n) throw corrupt("a token past the declared length");
      const sym = r.decode(litTable, litMask);
      if (sym < 0) throw corrupt("an invalid literal/length code");
      if (sym < 256) {
        out[o++] = sym;
        continue;
      }
      const lb = sym - 256;
      const len = MIN_MATCH + BUCKET_BASE[lb] + r.read(BUCKET_EXTRA[lb]);
      const db = r.decode(distTable, distMask);
      if (db < 0) throw corrupt("an invalid distance code");
      const dist = 1 + BUCKET_BASE[db] + r.readLong(BUCKET_EXTRA[db]);
      if (dist > o || len > n - o)
        throw corrupt(`a match (length ${len}, distance ${dist}) outside the output`);
      for (let k = 0; k < len; k++, o++) out[o] = out[o - dist];
    }
    if (r.overran()) throw err(ErrorCode.TRUNCATED, `lz77: payload ends before its declared ${n} bytes`);
  }
  return out;
}

/** `lz77:level:window`: LZ77 (hash chains, lazy matching) with Huffman-coded tokens; level 1–9, window 2^10–2^22. */
export const lz77Codec = defineStage({
  id: "lz77",
  version: 1,
  kind: "codec",
  summary:
    "LZ77 (hash chains, lazy matching) + canonical Huffman tokens (pure TypeScript); level 1–9, window bits",
  params: z
    .object({
      level: z.number().int().min(1).max(9).default(6),
      window: z.number().int().min(10).max(22).default(20),
    })
    .strict(),
  positional: ["level", "window"],
  encode: (input, { level, window }) => lz77Encode(input, level, window),
  decode: (input, _p, limits) => lz77Decode(input, limits.maxOutputBytes),
});
