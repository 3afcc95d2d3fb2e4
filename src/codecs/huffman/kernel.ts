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
 * Codes `input` with the byte table `enc` (from {@link buildEncodeTable}) into `out` from byte `pos`, continuing
 * the writer's bit state; returns the position after the flushed final byte. `out` must be large enough.
 *
 * @example
 * ```ts
 * const end = huffmanEncodeBytes(input, enc, writer);
 * ```
 */
export function huffmanEncodeBytes(input: Uint8Array, enc: Uint32Array, w: BitWriter): number {
  const out = w.out;
  let pos = w.pos;
  let bits = w.bits;
  let count = w.count;
  const n = input.length;
  let i = 0;
  if (n >= PAIR_MIN_INPUT) {
    // two bytes per lookup whenever their codes fit 16 bits together
    buildPairTable(enc);
    const pairs = PAIRS;
    for (; i + 1 < n; i += 2) {
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
      if (count >= 16) {
        out[pos] = bits;
        out[pos + 1] = bits >>> 8;
        pos += 2;
        bits >>>= 16;
        count -= 16;
      }
    }
  }
  for (; i < n; i++) {
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
  }
  w.pos = pos;
  w.bits = bits;
  w.count = count;
  return w.finish();
}

/** Inputs at least this long use the two-byte pair table in {@link huffmanEncodeBytes}. */
const PAIR_MIN_INPUT = 1 << 15;
/** `PAIRS[a | b << 8] = (code(a) | code(b) << len(a)) << 5 | (len(a) + len(b))`, or 0 when that exceeds 16 bits. */
const PAIRS = new Uint32Array(1 << 16);

/** The symbols present in the code being paired (scratch for {@link buildPairTable}). */
const PRESENT = new Uint8Array(256);

/** Fills PAIRS for every pair of coded symbols; pairs involving an absent symbol never occur and stay stale. */
function buildPairTable(enc: Uint32Array): void {
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
      PAIRS[a | (b << 8)] = la + lb > 16 ? 0 : (((ea >>> 4) | ((eb >>> 4) << la)) << 5) | (la + lb);
    }
  }
}

/** The bit width of the multi-symbol byte decode table built by {@link buildByteDecoder}. */
export const FAST_TABLE_BITS = 11;
const FAST_MASK = (1 << FAST_TABLE_BITS) - 1;

/**
 * The tables of the order-0 byte decoder, allocated once and rebuilt per block by {@link buildByteDecoder}:
 * `fast[bits] = s1 | s2 << 8 | s3 << 16 | count << 24 | consumedBits << 26` decodes up to three codes that fit in
 * {@link FAST_TABLE_BITS} bits at once (0: the first code is longer, or no code matches); `lengthCounts` and
 * `sortedSymbols` decode the rare longer codes canonically, one bit at a time (as zlib's `puff` does).
 *
 * @example
 * ```ts
 * const dec = createByteDecoder();
 * if (!buildByteDecoder(lengths, dec)) throw corrupt();
 * ```
 */
export interface ByteDecoder {
  readonly fast: Int32Array;
  readonly single: Uint16Array;
  readonly lengthCounts: Uint16Array;
  readonly sortedSymbols: Uint16Array;
  /** The decoder's position between its loops: [symbols written, bit position]. */
  readonly state: Int32Array;
}

/**
 * Allocates the reusable tables of a {@link ByteDecoder}.
 *
 * @example
 * ```ts
 * const dec = createByteDecoder();
 * ```
 */
export function createByteDecoder(): ByteDecoder {
  return {
    fast: new Int32Array(1 << FAST_TABLE_BITS),
    single: new Uint16Array(1 << FAST_TABLE_BITS),
    lengthCounts: new Uint16Array(MAX_CODE_LENGTH + 1),
    sortedSymbols: new Uint16Array(256),
    state: new Int32Array(2),
  };
}

/**
 * Rebuilds `dec` for the byte code `lengths[0..256)`. Returns false when a length exceeds 15 or the lengths are
 * over-subscribed (Kraft sum above 1), which no valid encoder writes. Costs O(2^FAST_TABLE_BITS + 256), independent of the longest code.
 *
 * @example
 * ```ts
 * if (!buildByteDecoder(lengths, dec)) throw corrupt();
 * ```
 */
export function buildByteDecoder(lengths: Uint8Array, dec: ByteDecoder): boolean {
  const { fast, single, lengthCounts, sortedSymbols } = dec;
  lengthCounts.fill(0);
  for (let s = 0; s < 256; s++) {
    if (lengths[s] > MAX_CODE_LENGTH) return false;
    lengthCounts[lengths[s]]++;
  }
  lengthCounts[0] = 0;
  let left = 1;
  for (let len = 1; len <= MAX_CODE_LENGTH; len++) {
    left = 2 * left - lengthCounts[len];
    if (left < 0) return false;
  }
  // canonical order: by length, then symbol; `code` walks the canonical codes in that order
  const offsets = CANONICAL_OFFSETS;
  offsets.fill(0);
  for (let len = 1; len <= MAX_CODE_LENGTH; len++) offsets[len + 1] = offsets[len] + lengthCounts[len];
  for (let s = 0; s < 256; s++) if (lengths[s] > 0) sortedSymbols[offsets[lengths[s]]++] = s;
  single.fill(0);
  let code = 0;
  let at = 0;
  for (let len = 1; len <= FAST_TABLE_BITS; len++) {
    for (let i = 0; i < lengthCounts[len]; i++, code++) {
      const entry = sortedSymbols[at++] | (len << 8);
      for (let j = REVERSE16[code] >>> (16 - len); j <= FAST_MASK; j += 1 << len) single[j] = entry;
    }
    code <<= 1;
  }
  fillFastTable(single, fast);
  return true;
}

const CANONICAL_OFFSETS = new Uint16Array(MAX_CODE_LENGTH + 2);

/** Combines up to three single-code entries per window of FAST_TABLE_BITS bits. */
function fillFastTable(single: Uint16Array, fast: Int32Array): void {
  for (let i = 0; i <= FAST_MASK; i++) {
    const e1 = single[i];
    if (e1 === 0) {
      fast[i] = 0;
      continue;
    }
    let used = e1 >>> 8;
    let entry = e1 & 255;
    let count = 1;
    const e2 = single[i >>> used];
    const l2 = e2 >>> 8;
    if (l2 !== 0 && used + l2 <= FAST_TABLE_BITS) {
      entry |= (e2 & 255) << 8;
      count++;
      used += l2;
      const e3 = single[i >>> used];
      const l3 = e3 >>> 8;
      if (l3 !== 0 && used + l3 <= FAST_TABLE_BITS) {
        entry |= (e3 & 255) << 16;
        count++;
        used += l3;
      }
    }
    fast[i] = entry | (count << 24) | (used << 26);
  }
}

/** Decodes one code longer than the fast table (or none) from the low bits of `w`: symbol | length << 8, or -1. */
function decodeLongCode(w: number, lengthCounts: Uint16Array, sortedSymbols: Uint16Array): number {
  let code = 0;
  let first = 0;
  let index = 0;
  for (let len = 1; len <= MAX_CODE_LENGTH; len++) {
    code |= w & 1;
    w >>>= 1;
    const count = lengthCounts[len];
    if (code - first < count) return sortedSymbols[index + code - first] | (len << 8);
    index += count;
    first = (first + count) << 1;
    code <<= 1;
  }
  return -1;
}

/** True on little-endian hosts, where a byte copy into an Int32Array yields the LSB-first 32-bit words. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Loads `bytes` into `words` as little-endian 32-bit words followed by at least two zero words, so that a decoder
 * can read any 32-bit window that starts inside `bytes`. `words` needs ⌈bytes.length / 4⌉ + 2 entries.
 *
 * @example
 * ```ts
 * loadWords(payload, words);
 * ```
 */
export function loadWords(bytes: Uint8Array, words: Int32Array): void {
  const n = bytes.length;
  const full = n >>> 2;
  if (LITTLE_ENDIAN) {
    new Uint8Array(words.buffer, words.byteOffset, 4 * full).set(bytes.subarray(0, 4 * full));
  } else {
    for (let i = 0; i < full; i++) {
      const p = 4 * i;
      words[i] = bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16) | (bytes[p + 3] << 24);
    }
  }
  let last = 0;
  for (let p = 4 * full; p < n; p++) last |= bytes[p] << (8 * (p - 4 * full));
  words[full] = last;
  words[full + 1] = 0;
  words[full + 2] = 0;
}

/**
 * Decodes `out.length` byte symbols from the bit stream in `words` (from {@link loadWords}), starting at bit
 * `bitPos`; the real stream ends at bit `bitEnd`. Returns the bit position after the last symbol — above `bitEnd`
 * when the stream was too short — or `−(count + 1)` when an invalid code stopped it after `count` symbols. Every
 * step emits at least one symbol or stops, so any input ends after at most `out.length` steps.
 *
 * The hot loop, the rare long codes and the careful tail are separate functions, so that V8 optimizes the hot loop
 * once instead of deoptimizing it whenever a branch it has not yet seen runs.
 *
 * @example
 * ```ts
 * const end = huffmanDecodeBytes(words, bitPos, 8 * payload.length, dec, out);
 * if (end < 0) throw corrupt(); else if (end > 8 * payload.length) throw truncated();
 * ```
 */
export function huffmanDecodeBytes(
  words: Int32Array,
  bitPos: number,
  bitEnd: number,
  dec: ByteDecoder,
  out: Uint8Array,
): number {
  const state = dec.state;
  state[0] = 0;
  state[1] = bitPos;
  const fastOut = out.length - 7; // two 4-byte stores, the second up to 3 bytes further
  const fastBits = bitEnd - 32;
  const view = new DataView(out.buffer, out.byteOffset, out.length);
  for (;;) {
    decodeFast(words, fastBits, dec.fast, view, fastOut, state);
    if (state[0] > fastOut || state[1] > fastBits) break;
    // a code longer than the fast table, or an invalid one
    const e = decodeLongCode(windowAt(words, state[1]), dec.lengthCounts, dec.sortedSymbols);
    if (e < 0) return -(state[0] + 1);
    out[state[0]++] = e;
    state[1] += e >>> 8;
  }
  return decodeTail(words, bitEnd, dec, out, state);
}

/** The 32 stream bits from bit `bp` on (LSB first). */
function windowAt(words: Int32Array, bp: number): number {
  const q = bp >>> 5;
  const r = bp & 31;
  return (words[q] >>> r) | ((words[q + 1] << 1) << (31 - r));
}

/**
 * The hot loop: two table lookups (up to six symbols) per 32-bit window while `o ≤ fastOut` (7 output bytes
 * writable) and `bp ≤ fastBits` (the window lies inside the stream). Stops at a code the fast table lacks. Each
 * lookup's symbols go out in one unaligned 32-bit little-endian store; its spare bytes are overwritten later.
 */
function decodeFast(
  words: Int32Array,
  fastBits: number,
  fast: Int32Array,
  view: DataView,
  fastOut: number,
  state: Int32Array,
): void {
  let o = state[0];
  let bp = state[1];
  while (o <= fastOut && bp <= fastBits) {
    const q = bp >>> 5;
    const r = bp & 31;
    const w = (words[q] >>> r) | ((words[q + 1] << 1) << (31 - r));
    const m = fast[w & FAST_MASK];
    if (m === 0) break;
    view.setUint32(o, m, true);
    o += (m >>> 24) & 3;
    const l = m >>> 26;
    bp += l;
    const m2 = fast[(w >>> l) & FAST_MASK];
    if (m2 === 0) continue;
    view.setUint32(o, m2, true);
    o += (m2 >>> 24) & 3;
    bp += m2 >>> 26;
  }
  state[0] = o;
  state[1] = bp;
}

/** One symbol per step to the end; past the end the words read as zeros, so it stops once the stream overran. */
function decodeTail(
  words: Int32Array,
  bitEnd: number,
  dec: ByteDecoder,
  out: Uint8Array,
  state: Int32Array,
): number {
  const n = out.length;
  let o = state[0];
  let bp = state[1];
  while (o < n) {
    if (bp > bitEnd) return bp;
    const w = windowAt(words, bp);
    const e1 = dec.single[w & FAST_MASK];
    const e = e1 !== 0 ? e1 : decodeLongCode(w, dec.lengthCounts, dec.sortedSymbols);
    if (e < 0) return -(o + 1);
    out[o++] = e;
    bp += e >>> 8;
  }
  return bp;
}
