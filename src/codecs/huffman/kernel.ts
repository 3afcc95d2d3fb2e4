/**
 * Canonical, length-limited Huffman coding: code-length construction, canonical code assignment, decode tables,
 * a 32-bit LSB-first bit writer/reader, and the order-0 byte coding loops. The LZ77 codec reuses all of it.
 * Kernels validate nothing and allocate nothing per symbol; tables are built once per block.
 */

/** The longest code any table here may use. */
export const MAX_CODE_LENGTH = 15;

/** Bit-reversal of every 16-bit value, built once at module load (LSB-first codes are stored reversed). */
const REVERSE16 = (() => {
  const r = new Uint16Array(1 << 16);
  for (let i = 0; i < 1 << 16; i++) {
    let x = i;
    x = ((x & 0xaaaa) >>> 1) | ((x & 0x5555) << 1);
    x = ((x & 0xcccc) >>> 2) | ((x & 0x3333) << 2);
    x = ((x & 0xf0f0) >>> 4) | ((x & 0x0f0f) << 4);
    r[i] = ((x & 0xff00) >>> 8) | ((x & 0x00ff) << 8);
  }
  return r;
})();

/**
 * Fills `lengths[0..k)` with length-limited Huffman code lengths for the symbol counts `freqs[0..k)`.
 * Absent symbols get 0; a lone symbol gets length 1. Optimal lengths come from the in-place algorithm of
 * Moffat & Katajainen (1995); overlong codes are then clamped and the Kraft sum repaired greedily.
 *
 * @example
 * ```ts
 * const lengths = new Uint8Array(256);
 * buildCodeLengths(Uint32Array.from(counts), 256, 15, lengths);
 * ```
 */
export function buildCodeLengths(freqs: Uint32Array, k: number, maxLen: number, lengths: Uint8Array): void {
  lengths.fill(0, 0, k);
  let n = 0;
  for (let s = 0; s < k; s++) if (freqs[s] > 0) n++;
  if (n === 0) return;
  const syms = new Int32Array(n);
  n = 0;
  for (let s = 0; s < k; s++) if (freqs[s] > 0) syms[n++] = s;
  if (n === 1) {
    lengths[syms[0]] = 1;
    return;
  }
  // sort symbols by ascending frequency (ties by symbol, for determinism)
  const order = Array.from(syms).sort((a, b) => freqs[a] - freqs[b] || a - b);
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = freqs[order[i]];
  minimumRedundancy(a, n);
  // a[i] is the depth of order[i]; clamp and repair the Kraft inequality
  let kraft = 0;
  const cap = 2 ** maxLen;
  for (let i = 0; i < n; i++) {
    if (a[i] > maxLen) a[i] = maxLen;
    kraft += 2 ** (maxLen - a[i]);
  }
  while (kraft > cap) {
    // lengthen the least frequent symbol that is still shorter than maxLen
    let i = 0;
    while (a[i] >= maxLen) i++;
    a[i]++;
    kraft -= 2 ** (maxLen - a[i]);
  }
  for (let i = n - 1; i >= 0 && kraft < cap; i--) {
    // shorten the most frequent symbols while the code stays prefix-free
    while (a[i] > 1 && kraft + 2 ** (maxLen - a[i]) <= cap) {
      kraft += 2 ** (maxLen - a[i]);
      a[i]--;
    }
  }
  for (let i = 0; i < n; i++) lengths[order[i]] = a[i];
}

/** Moffat & Katajainen: `a` holds n ≥ 2 ascending weights on entry and code depths on exit. */
function minimumRedundancy(a: Float64Array, n: number): void {
  a[0] += a[1];
  let root = 0;
  let leaf = 2;
  for (let next = 1; next < n - 1; next++) {
    if (leaf >= n || a[root] < a[leaf]) {
      a[next] = a[root];
      a[root++] = next;
    } else a[next] = a[leaf++];
    if (leaf >= n || (root < next && a[root] < a[leaf])) {
      a[next] += a[root];
      a[root++] = next;
    } else a[next] += a[leaf++];
  }
  a[n - 2] = 0;
  for (let next = n - 3; next >= 0; next--) a[next] = a[a[next]] + 1;
  let avbl = 1;
  let used = 0;
  let depth = 0;
  root = n - 2;
  let next = n - 1;
  while (avbl > 0) {
    while (root >= 0 && a[root] === depth) {
      used++;
      root--;
    }
    while (avbl > used) {
      a[next--] = depth;
      avbl--;
    }
    avbl = 2 * used;
    depth++;
    used = 0;
  }
}

/**
 * Fills `enc[s] = (reversedCode << 4) | length` for the canonical code of `lengths[0..k)` (LSB-first bit order).
 *
 * @example
 * ```ts
 * const enc = new Uint32Array(256);
 * buildEncodeTable(lengths, 256, enc);
 * ```
 */
export function buildEncodeTable(lengths: Uint8Array, k: number, enc: Uint32Array): void {
  const count = new Uint16Array(MAX_CODE_LENGTH + 2);
  for (let s = 0; s < k; s++) count[lengths[s]]++;
  count[0] = 0;
  const next = new Uint32Array(MAX_CODE_LENGTH + 2);
  let code = 0;
  for (let len = 1; len <= MAX_CODE_LENGTH; len++) {
    code = (code + count[len - 1]) << 1;
    next[len] = code;
  }
  for (let s = 0; s < k; s++) {
    const len = lengths[s];
    if (len === 0) {
      enc[s] = 0;
      continue;
    }
    const c = next[len]++;
    enc[s] = ((REVERSE16[c] >>> (16 - len)) << 4) | len;
  }
}

/**
 * Builds the single-level decode table for `lengths[0..k)`: `table[bits & mask] = (symbol << 4) | length`, with 0
 * where no code matches. Returns the table's bit width (the longest length), or -1 when the lengths are
 * over-subscribed (Kraft sum above 1) and so cannot come from a valid encoder. `table` needs 2^15 entries.
 *
 * @example
 * ```ts
 * const table = new Uint16Array(1 << 15);
 * const bits = buildDecodeTable(lengths, 256, table);
 * ```
 */
export function buildDecodeTable(lengths: Uint8Array, k: number, table: Uint16Array): number {
  let maxLen = 0;
  let kraft = 0;
  for (let s = 0; s < k; s++) {
    const len = lengths[s];
    if (len === 0) continue;
    if (len > maxLen) maxLen = len;
    kraft += 1 << (MAX_CODE_LENGTH - len);
  }
  if (kraft > 1 << MAX_CODE_LENGTH) return -1;
  table[0] = 0;
  if (maxLen === 0) return 0;
  const size = 1 << maxLen;
  table.fill(0, 0, size);
  const enc = new Uint32Array(k);
  buildEncodeTable(lengths, k, enc);
  for (let s = 0; s < k; s++) {
    const len = lengths[s];
    if (len === 0) continue;
    const entry = (s << 4) | len;
    for (let j = enc[s] >>> 4; j < size; j += 1 << len) table[j] = entry;
  }
  return maxLen;
}

/**
 * An LSB-first bit writer over a caller-sized buffer; fields are public so that hot loops can copy them to locals.
 * At most 16 bits per `write`.
 *
 * @example
 * ```ts
 * const w = new BitWriter(new Uint8Array(16));
 * w.write(5, 3);
 * const bytes = w.out.subarray(0, w.finish());
 * ```
 */
export class BitWriter {
  pos = 0;
  bits = 0;
  count = 0;
  constructor(
    public out: Uint8Array,
    start = 0,
  ) {
    this.pos = start;
  }

  /** Appends the low `n` (≤ 16) bits of `value`. */
  write(value: number, n: number): void {
    this.bits |= value << this.count;
    this.count += n;
    if (this.count >= 16) {
      this.out[this.pos++] = this.bits;
      this.out[this.pos++] = this.bits >>> 8;
      this.bits >>>= 16;
      this.count -= 16;
    }
  }

  /** Grows the buffer (doubling) so that `bytes` more bytes fit. */
  ensure(bytes: number): void {
    if (this.pos + bytes + 4 <= this.out.length) return;
    const grown = new Uint8Array(Math.max(2 * this.out.length, this.pos + bytes + 4));
    grown.set(this.out.subarray(0, this.pos));
    this.out = grown;
  }

  /** Appends up to 32 bits, in 16-bit pieces. */
  writeLong(value: number, n: number): void {
    if (n > 16) {
      this.write(value & 0xffff, 16);
      this.write(value >>> 16, n - 16);
    } else this.write(value, n);
  }

  /** Flushes the partial byte and returns the end position. */
  finish(): number {
    while (this.count > 0) {
      this.out[this.pos++] = this.bits;
      this.bits >>>= 8;
      this.count -= 8;
    }
    this.count = 0;
    return this.pos;
  }
}

/**
 * An LSB-first bit reader. Reading past the end yields zero bits and counts them in `overrun`; callers check
 * {@link BitReader.overran} once a block is done (every loop is bounded by a declared count, so none can hang).
 *
 * @example
 * ```ts
 * const r = new BitReader(bytes, 0);
 * const three = r.read(3);
 * if (r.overran()) throw truncated();
 * ```
 */
export class BitReader {
  bits = 0;
  count = 0;
  overrun = 0;
  constructor(
    public input: Uint8Array,
    public pos: number,
  ) {}

  /** Ensures at least 16 bits are buffered. */
  refill(): void {
    while (this.count <= 16) {
      if (this.pos < this.input.length) this.bits |= this.input[this.pos++] << this.count;
      else this.overrun++;
      this.count += 8;
    }
  }

  /** Reads `n` (≤ 16) bits. */
  read(n: number): number {
    if (this.count < n) this.refill();
    const v = this.bits & ((1 << n) - 1);
    this.bits >>>= n;
    this.count -= n;
    return v;
  }

  /** Reads up to 32 bits, in 16-bit pieces. */
  readLong(n: number): number {
    if (n <= 16) return this.read(n);
    const low = this.read(16);
    return (low + this.read(n - 16) * 65536) >>> 0;
  }

  /** Decodes one symbol with a table from {@link buildDecodeTable}; returns -1 for a bit pattern with no code. */
  decode(table: Uint16Array, mask: number): number {
    if (this.count < 16) this.refill();
    const e = table[this.bits & mask];
    const len = e & 15;
    this.bits >>>= len;
    this.count -= len;
    return len === 0 ? -1 : e >>> 4;
  }

  /** True when more bits were consumed than the input holds. */
  overran(): boolean {
    return this.overrun * 8 > this.count;
  }
}

/**
 * Writes code lengths compactly: a presence bit per symbol, then 4 bits (length − 1) per present symbol.
 *
 * @example
 * ```ts
 * writeCodeLengths(writer, lengths, 256);
 * ```
 */
export function writeCodeLengths(w: BitWriter, lengths: Uint8Array, k: number): void {
  for (let s = 0; s < k; s++) w.write(lengths[s] > 0 ? 1 : 0, 1);
  for (let s = 0; s < k; s++) if (lengths[s] > 0) w.write(lengths[s] - 1, 4);
}

/**
 * Reads what {@link writeCodeLengths} wrote into `lengths[0..k)`; returns the number of present symbols.
 *
 * @example
 * ```ts
 * const present = readCodeLengths(reader, lengths, 256);
 * ```
 */
export function readCodeLengths(r: BitReader, lengths: Uint8Array, k: number): number {
  let present = 0;
  for (let s = 0; s < k; s++) {
    lengths[s] = r.read(1);
    present += lengths[s];
  }
  for (let s = 0; s < k; s++) if (lengths[s] > 0) lengths[s] = r.read(4) + 1;
  return present;
}

/**
 * Codes `input[from..to)` with the byte table `enc` (from {@link buildEncodeTable}) into `w.out` from `w.pos`,
 * continuing the writer's bit state, and stops early once it has written at least `bitTarget` bits. Returns the
 * index after the last coded byte; the caller flushes with `w.finish()`. `w.out` must be large enough. With `pairs`
 * (filled by {@link buildPairTable} for the same `enc`) two bytes go out per lookup.
 *
 * @example
 * ```ts
 * const end = huffmanEncodeBytes(input, 0, input.length, enc, writer, undefined, 2 ** 30);
 * const bytes = writer.out.subarray(0, writer.finish());
 * ```
 */
export function huffmanEncodeBytes(
  input: Uint8Array,
  from: number,
  to: number,
  enc: Uint32Array,
  w: BitWriter,
  pairs: Uint32Array | undefined,
  bitTarget: number,
): number {
  const start = w.pos;
  // written bits since the call: 8·(pos − start) + count − (count at the start)
  const target = bitTarget + w.count;
  let i = from;
  // in slices, so that the first calls of the loops finish (and leave type feedback everywhere) before V8
  // optimizes them; code optimized mid-loop would otherwise deopt after the loop on every call
  while (i < to && ((w.pos - start) << 3) + w.count < target) {
    i = encodeSlice(input, i, Math.min(to, i + ENCODE_SLICE), enc, w, pairs, start, target);
  }
  return i;
}

/** Bytes per call of {@link encodeSlice}. */
const ENCODE_SLICE = 2048;

/** The loops of {@link huffmanEncodeBytes} over `input[from..to)`; stops once `target` bits follow `start`. */
function encodeSlice(
  input: Uint8Array,
  from: number,
  to: number,
  enc: Uint32Array,
  w: BitWriter,
  pairs: Uint32Array | undefined,
  start: number,
  target: number,
): number {
  const out = w.out;
  let pos = w.pos;
  let bits = w.bits;
  let count = w.count;
  let i = from;
  if (pairs !== undefined) {
    for (; i + 1 < to; i += 2) {
      const p = pairs[input[i] | (input[i + 1] << 8)];
      if (p !== 0) {
        bits |= (p >>> 5) << count;
        count += p & 31;
      } else {
        const e1 = enc[input[i]];
        bits |= (e1 >>> 4) << count;
        count += e1 & 15;
        if (count >= 16) {
          out[pos] = bits;
          out[pos + 1] = bits >>> 8;
          pos += 2;
          bits >>>= 16;
          count -= 16;
        }
        const e2 = enc[input[i + 1]];
        bits |= (e2 >>> 4) << count;
        count += e2 & 15;
      }
      // branch-free flush: always store the low 16 bits, keep them only when 16 or more are pending
      out[pos] = bits;
      out[pos + 1] = bits >>> 8;
      const full = count & 16;
      pos += full >>> 3;
      bits >>>= full;
      count -= full;
      if (((pos - start) << 3) + count >= target) {
        i += 2;
        break;
      }
    }
  }
  if (((pos - start) << 3) + count < target) {
    for (; i < to; i++) {
      const e = enc[input[i]];
      bits |= (e >>> 4) << count;
      count += e & 15;
      if (count >= 16) {
        out[pos] = bits;
        out[pos + 1] = bits >>> 8;
        pos += 2;
        bits >>>= 16;
        count -= 16;
      }
      if (((pos - start) << 3) + count >= target) {
        i++;
        break;
      }
    }
  }
  w.pos = pos;
  w.bits = bits;
  w.count = count;
  return i;
}

/** The symbols present in the code being paired (scratch for {@link buildPairTable}). */
const PRESENT = new Uint8Array(256);

/**
 * Fills `pairs[a | b << 8] = (code(a) | code(b) << len(a)) << 5 | (len(a) + len(b))` for every pair of coded
 * symbols, or 0 when the pair's codes exceed 16 bits; pairs involving an absent symbol never occur and stay stale.
 * `pairs` needs 2^16 entries; the cost is (present symbols)², worth it from a few KiB of input.
 *
 * @example
 * ```ts
 * const pairs = new Uint32Array(1 << 16);
 * buildPairTable(enc, pairs);
 * ```
 */
export function buildPairTable(enc: Uint32Array, pairs: Uint32Array): void {
  let k = 0;
  for (let s = 0; s < 256; s++) if ((enc[s] & 15) !== 0) PRESENT[k++] = s;
  for (let i = 0; i < k; i++) {
    const a = PRESENT[i];
    const ea = enc[a];
    const la = ea & 15;
    for (let j = 0; j < k; j++) {
      const b = PRESENT[j];
      const eb = enc[b];
      const lb = eb & 15;
      pairs[a | (b << 8)] = la + lb > 16 ? 0 : (((ea >>> 4) | ((eb >>> 4) << la)) << 5) | (la + lb);
    }
  }
}

/**
 * The bit width of the multi-symbol byte decode table built by {@link buildByteDecoder}. Codes up to this long
 * decode in the fast loops; the format-2 encoder limits its codes to it.
 */
export const FAST_TABLE_BITS = 11;
const FAST_MASK = (1 << FAST_TABLE_BITS) - 1;
const FAST_SIZE = 1 << FAST_TABLE_BITS;
/** Per step of a fast loop (two lookups), at most this many output bytes… */
const STEP_OUT = 6;
/** …and at most this many input bits. */
const STEP_BITS = 2 * FAST_TABLE_BITS;

/** Output bytes per chunk of the format-2 stream layout: each chunk is four streams decoded in the scratch below. */
export const CHUNK_BYTES = 1 << 18;
/** The largest stream payload of one chunk: 15-bit codes for every symbol, plus a padding byte per stream. */
export const CHUNK_PAYLOAD_MAX = (CHUNK_BYTES * MAX_CODE_LENGTH) / 8 + 4;

/*
 * The byte decoder's state lives at module level, built once per block by buildByteDecoder (decoding is
 * synchronous, so one set serves every call). Module constants that V8 sees initialized are folded into the
 * optimized hot loop: addresses and lengths become immediates and no map checks remain.
 *
 * FAST[bits] = s1 | s2 << 8 | s3 << 16 | count << 24 | consumedBits << 26 decodes up to three codes that fit in
 * FAST_TABLE_BITS bits at once (0: the first code is longer, or no code matches); SINGLE[bits] = symbol | length << 8
 * decodes one; LENGTH_COUNTS and SORTED_SYMBOLS decode the rare longer codes canonically, one bit at a time (as
 * zlib's `puff` does). A chunk's payload is copied into IN (zero-padded) and decoded into OUT.
 */
const FAST = new Int32Array(FAST_SIZE);
const SINGLE = new Uint16Array(FAST_SIZE);
const LENGTH_COUNTS = new Uint16Array(MAX_CODE_LENGTH + 1);
const SORTED_SYMBOLS = new Uint16Array(256);
const CANONICAL_OFFSETS = new Uint16Array(MAX_CODE_LENGTH + 2);
const SHORT_PATTERN = new Uint16Array(256);
const SHORT_LENGTH = new Uint8Array(256);
const IN = new Uint8Array(CHUNK_PAYLOAD_MAX + 8);
const IN_VIEW = new DataView(IN.buffer);
const OUT = new Uint8Array(CHUNK_BYTES + 8);
const OUT_VIEW = new DataView(OUT.buffer);

/**
 * Rebuilds the byte decoder's tables for the code `lengths[0..256)`. Returns false when a length exceeds 15 or the
 * lengths are over-subscribed (Kraft sum above 1), which no valid encoder writes. Costs O(2^FAST_TABLE_BITS + 256),
 * independent of the longest code. The decoders below use the tables built last.
 *
 * @example
 * ```ts
 * if (!buildByteDecoder(lengths)) throw corrupt();
 * ```
 */
export function buildByteDecoder(lengths: Uint8Array): boolean {
  const counts = LENGTH_COUNTS;
  counts.fill(0);
  for (let s = 0; s < 256; s++) {
    if (lengths[s] > MAX_CODE_LENGTH) return false;
    counts[lengths[s]]++;
  }
  counts[0] = 0;
  let present = 0;
  for (let len = 1; len <= MAX_CODE_LENGTH; len++) present += counts[len];
  let left = 1;
  for (let len = 1; len <= MAX_CODE_LENGTH; len++) {
    left = 2 * left - counts[len];
    if (left < 0) return false;
  }
  // canonical order: by length, then symbol; `code` walks the canonical codes in that order
  const offsets = CANONICAL_OFFSETS;
  offsets.fill(0);
  for (let len = 1; len <= MAX_CODE_LENGTH; len++) offsets[len + 1] = offsets[len] + counts[len];
  const sorted = SORTED_SYMBOLS;
  for (let s = 0; s < 256; s++) if (lengths[s] > 0) sorted[offsets[lengths[s]]++] = s;
  // the codes of at most FAST_TABLE_BITS bits, in canonical order (ascending length), with LSB-first bit patterns
  const patterns = SHORT_PATTERN;
  const shortLengths = SHORT_LENGTH;
  const reverse = REVERSE16;
  let code = 0;
  let short = 0;
  for (let len = 1; len <= FAST_TABLE_BITS; len++) {
    for (let i = 0; i < counts[len]; i++, code++, short++) {
      patterns[short] = reverse[code] >>> (16 - len);
      shortLengths[short] = len;
    }
    code <<= 1;
  }
  fillFastTables(short);
  FAST_ONLY[0] = short === present ? 1 : 0;
  return true;
}

/** 1 when every code of the table built last fits FAST_TABLE_BITS (the four-stream loop never stalls). */
const FAST_ONLY = new Uint8Array(1);

/**
 * Fills SINGLE and FAST from the `short` codes of at most FAST_TABLE_BITS bits, by enumerating the sequences of one,
 * two and three codes that fit: each sequence owns every table index whose low bits spell it, and a longer sequence
 * overwrites the entries of its prefix. At most 3·2^FAST_TABLE_BITS stores, with no data-dependent branches inside
 * the store loops. Indices where no short code starts stay 0.
 */
function fillFastTables(short: number): void {
  const fast = FAST;
  const single = SINGLE;
  const patterns = SHORT_PATTERN;
  const lengths = SHORT_LENGTH;
  const symbols = SORTED_SYMBOLS;
  fast.fill(0);
  single.fill(0);
  for (let a = 0; a < short; a++) {
    const la = lengths[a];
    const pa = patterns[a];
    const sa = symbols[a];
    const one = sa | (1 << 24) | (la << 26);
    const oneSingle = sa | (la << 8);
    for (let j = pa; j < FAST_SIZE; j += 1 << la) {
      fast[j] = one;
      single[j] = oneSingle;
    }
    for (let b = 0; b < short && la + lengths[b] <= FAST_TABLE_BITS; b++) {
      const lab = la + lengths[b];
      const pab = pa | (patterns[b] << la);
      const sab = sa | (symbols[b] << 8);
      const two = sab | (2 << 24) | (lab << 26);
      for (let j = pab; j < FAST_SIZE; j += 1 << lab) fast[j] = two;
      for (let c = 0; c < short && lab + lengths[c] <= FAST_TABLE_BITS; c++) {
        const labc = lab + lengths[c];
        const three = sab | (symbols[c] << 16) | (3 << 24) | (labc << 26);
        for (let j = pab | (patterns[c] << lab); j < FAST_SIZE; j += 1 << labc) fast[j] = three;
      }
    }
  }
}

/** Decodes one code from the low bits of `w` (any length, canonically): symbol | length << 8, or -1. */
function decodeLongCode(w: number): number {
  let code = 0;
  let first = 0;
  let index = 0;
  for (let len = 1; len <= MAX_CODE_LENGTH; len++) {
    code |= w & 1;
    w >>>= 1;
    const count = LENGTH_COUNTS[len];
    if (code - first < count) return SORTED_SYMBOLS[index + code - first] | (len << 8);
    index += count;
    first = (first + count) << 1;
    code <<= 1;
  }
  return -1;
}

/** The most steps one call of the four-stream loop takes (~1,000 symbols per stream). */
const MAX_BATCH_STEPS = 256;

/** Streams per chunk of the format-2 layout. */
export const MAX_STREAMS = 4;

/** Result of the decoders below when a bit pattern matches no code. */
export const INVALID_CODE = -1;

/**
 * Decodes one format-2 chunk: four independent bit streams of byte symbols, coded with the code built last by
 * {@link buildByteDecoder}, interleaved so that the CPU overlaps their serial dependencies (the "4 streams" of
 * Huff0 / zstd). `payload` holds the chunk's streams (at most {@link CHUNK_PAYLOAD_MAX} bytes); `streams[4k..4k+4)`
 * holds stream k's [bit start, bit end] in `payload` and [output start, output end] in the chunk, streams in order
 * and adjacent from output 0. The chunk's bytes go to `out` from `outOffset`. On return `streams[4k]` is the bit
 * position after stream k's last symbol — above its bit end when the stream was too short — and the result is 0, or
 * {@link INVALID_CODE}. Bits past the end of `payload` read as zeros; every step emits a symbol or stops.
 *
 * @example
 * ```ts
 * const status = huffmanDecodeChunk(payload, streams, out, 0);
 * ```
 */
export function huffmanDecodeChunk(
  payload: Uint8Array,
  streams: Int32Array,
  out: Uint8Array,
  outOffset: number,
): number {
  const length = payload.length;
  IN.set(payload);
  IN.fill(0, length, length + 8);
  // a 4-byte read at bit b stays inside the zero-padded copy while b <= readLimit
  const readLimit = 8 * (length + 4);
  const s = streams;
  // with codes longer than the fast table the streams would keep stalling: decode them one by one instead
  while (FAST_ONLY[0] === 1) {
    // steps every stream can take: each step writes below o + STEP_OUT + 1 and starts at a readable bit. Short
    // batches let the first calls finish before V8 optimizes the loop, so every site has type feedback by then
    // (an on-stack replacement mid-loop would otherwise deopt at the state stores after the loop, call after call).
    let steps = MAX_BATCH_STEPS;
    for (let k = 0; k < 16; k += 4) {
      steps = Math.min(steps, Math.floor((s[k + 3] - s[k + 2] - 1) / STEP_OUT));
      steps = Math.min(steps, s[k] > readLimit ? 0 : Math.floor((readLimit - s[k]) / STEP_BITS) + 1);
    }
    if (steps <= 0) break;
    decodeFour(s, steps);
    // every code fits the fast table, so a stream stalled at a zero entry met a bit pattern with no code
    for (let k = 0; k < 16; k += 4) {
      if (s[k + 2] < s[k + 3] && FAST[windowAt(IN, IN_VIEW, length, readLimit, s[k]) & FAST_MASK] === 0) {
        return INVALID_CODE;
      }
    }
  }
  for (let k = 0; k < 16; k += 4) {
    const end = decodeOne(IN, IN_VIEW, length, readLimit, OUT, s, k);
    if (end < 0) return INVALID_CODE;
    s[k] = end;
  }
  out.set(OUT.subarray(0, s[15]), outOffset);
  return 0;
}

/**
 * Decodes `out.length` byte symbols from one bit stream starting at bit `bitStart` of `src` (the single-stream
 * layout of format 1), with the code built last by {@link buildByteDecoder}. Returns the bit position after the last
 * symbol — above `8 · src.length` when the stream was too short — or {@link INVALID_CODE}.
 *
 * @example
 * ```ts
 * const end = huffmanDecodeSingle(payload, 300, out);
 * ```
 */
export function huffmanDecodeSingle(src: Uint8Array, bitStart: number, out: Uint8Array): number {
  const view = new DataView(src.buffer, src.byteOffset, src.length);
  const s = Int32Array.of(bitStart, 8 * src.length, 0, out.length);
  return decodeOne(src, view, src.length, 8 * (src.length - 4), out, s, 0);
}

/** The stream bits from bit `b` on (LSB first; at least 25 valid bits); bytes past `length` read as zeros. */
function windowAt(src: Uint8Array, view: DataView, length: number, readLimit: number, b: number): number {
  if (b <= readLimit) return view.getInt32(b >>> 3, true) >>> (b & 7);
  const p = b >>> 3;
  let w = 0;
  for (let i = 0; i < 4 && p + i < length; i++) w |= src[p + i] << (8 * i);
  return w >>> (b & 7);
}

/**
 * The hot loop: `steps` steps of two table lookups (up to six symbols) in each of four streams, from IN to OUT.
 * Each lookup's symbols go out in one unaligned 32-bit little-endian store; its spare byte is overwritten by the
 * next. Only codes that all fit the fast table come here; a stream at a bit pattern with no code stalls (its zero
 * entry emits and consumes nothing) and the caller reports it after the batch. It touches only module constants (folded by V8) and literals, and its position
 * updates truncate (`| 0`), so V8 emits no map or overflow checks.
 */
function decodeFour(s: Int32Array, steps: number): void {
  let b0 = s[0] | 0;
  let o0 = s[2] | 0;
  let b1 = s[4] | 0;
  let o1 = s[6] | 0;
  let b2 = s[8] | 0;
  let o2 = s[10] | 0;
  let b3 = s[12] | 0;
  let o3 = s[14] | 0;
  for (let i = 0; i < steps; i++) {
    let w = IN_VIEW.getInt32(b0 >>> 3, true) >>> (b0 & 7);
    let m = FAST[w & 2047];
    OUT_VIEW.setInt32(o0, m, true);
    o0 = (o0 + ((m >>> 24) & 3)) | 0;
    let l = m >>> 26;
    b0 = (b0 + l) | 0;
    m = FAST[(w >>> l) & 2047];
    OUT_VIEW.setInt32(o0, m, true);
    o0 = (o0 + ((m >>> 24) & 3)) | 0;
    b0 = (b0 + (m >>> 26)) | 0;

    w = IN_VIEW.getInt32(b1 >>> 3, true) >>> (b1 & 7);
    m = FAST[w & 2047];
    OUT_VIEW.setInt32(o1, m, true);
    o1 = (o1 + ((m >>> 24) & 3)) | 0;
    l = m >>> 26;
    b1 = (b1 + l) | 0;
    m = FAST[(w >>> l) & 2047];
    OUT_VIEW.setInt32(o1, m, true);
    o1 = (o1 + ((m >>> 24) & 3)) | 0;
    b1 = (b1 + (m >>> 26)) | 0;

    w = IN_VIEW.getInt32(b2 >>> 3, true) >>> (b2 & 7);
    m = FAST[w & 2047];
    OUT_VIEW.setInt32(o2, m, true);
    o2 = (o2 + ((m >>> 24) & 3)) | 0;
    l = m >>> 26;
    b2 = (b2 + l) | 0;
    m = FAST[(w >>> l) & 2047];
    OUT_VIEW.setInt32(o2, m, true);
    o2 = (o2 + ((m >>> 24) & 3)) | 0;
    b2 = (b2 + (m >>> 26)) | 0;

    w = IN_VIEW.getInt32(b3 >>> 3, true) >>> (b3 & 7);
    m = FAST[w & 2047];
    OUT_VIEW.setInt32(o3, m, true);
    o3 = (o3 + ((m >>> 24) & 3)) | 0;
    l = m >>> 26;
    b3 = (b3 + l) | 0;
    m = FAST[(w >>> l) & 2047];
    OUT_VIEW.setInt32(o3, m, true);
    o3 = (o3 + ((m >>> 24) & 3)) | 0;
    b3 = (b3 + (m >>> 26)) | 0;
  }
  s[0] = b0;
  s[2] = o0;
  s[4] = b1;
  s[6] = o1;
  s[8] = b2;
  s[10] = o2;
  s[12] = b3;
  s[14] = o3;
}

/**
 * Finishes the stream at `s[k..k+4)` alone: the single-stream fast loop, long codes, then one symbol per step near
 * the end of its output or of `src` (`length` bytes). Returns its final bit position, or -1 at an invalid code.
 */
function decodeOne(
  src: Uint8Array,
  view: DataView,
  length: number,
  readLimit: number,
  out: Uint8Array,
  s: Int32Array,
  k: number,
): number {
  const bitEnd = s[k + 1];
  const outEnd = s[k + 3];
  for (;;) {
    const b = s[k];
    const o = s[k + 2];
    const steps = Math.min(
      MAX_BATCH_STEPS,
      Math.floor((outEnd - o - 3) / STEP_OUT),
      b > readLimit ? 0 : Math.floor((readLimit - b) / STEP_BITS) + 1,
    );
    if (steps <= 0) break;
    decodeSingleFast(view, out, s, k, steps);
    if (s[k + 2] >= outEnd || FAST[windowAt(src, view, length, readLimit, s[k]) & FAST_MASK] !== 0) continue;
    // a code longer than the fast table, or an invalid one
    const e = decodeLongCode(windowAt(src, view, length, readLimit, s[k]));
    if (e < 0) return -1;
    out[s[k + 2]++] = e;
    s[k] += e >>> 8;
  }
  let b = s[k];
  for (let o = s[k + 2]; o < outEnd; o++) {
    if (b > bitEnd) return b;
    const w = windowAt(src, view, length, readLimit, b);
    const e1 = SINGLE[w & FAST_MASK];
    const e = e1 !== 0 ? e1 : decodeLongCode(w);
    if (e < 0) return -1;
    out[o] = e;
    b += e >>> 8;
  }
  return b;
}

/** One stream's fast loop for at most `steps` steps (three bytes stored per lookup); stops at a code FAST lacks. */
function decodeSingleFast(src: DataView, out: Uint8Array, s: Int32Array, k: number, steps: number): void {
  const fast = FAST;
  let b = s[k] | 0;
  let o = s[k + 2] | 0;
  for (let i = 0; i < steps; i++) {
    const w = src.getInt32(b >>> 3, true) >>> (b & 7);
    let m = fast[w & 2047];
    if (m === 0) break;
    out[o] = m;
    out[(o + 1) | 0] = m >>> 8;
    out[(o + 2) | 0] = m >>> 16;
    o = (o + ((m >>> 24) & 3)) | 0;
    const l = m >>> 26;
    b = (b + l) | 0;
    m = fast[(w >>> l) & 2047];
    out[o] = m;
    out[(o + 1) | 0] = m >>> 8;
    out[(o + 2) | 0] = m >>> 16;
    o = (o + ((m >>> 24) & 3)) | 0;
    b = (b + (m >>> 26)) | 0;
  }
  s[k] = b;
  s[k + 2] = o;
}
