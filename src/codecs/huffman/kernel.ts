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

function buildPairTable(enc: Uint32Array): void {
  PAIRS.fill(0);
  for (let a = 0; a < 256; a++) {
    const ea = enc[a];
    const la = ea & 15;
    if (la === 0) continue;
    for (let b = 0; b < 256; b++) {
      const eb = enc[b];
      const lb = eb & 15;
      if (lb === 0 || la + lb > 16) continue;
      PAIRS[a | (b << 8)] = (((ea >>> 4) | ((eb >>> 4) << la)) << 5) | (la + lb);
    }
  }
}

/** The bit width of the multi-symbol byte decode table built by {@link buildMultiTable}. */
export const MULTI_TABLE_BITS = 12;

/**
 * Builds a table that decodes up to three byte symbols per lookup of {@link MULTI_TABLE_BITS} bits:
 * `multi[bits] = s1 | s2 << 8 | s3 << 16 | count << 24 | consumedBits << 26`. A count of 0 means the first code is
 * longer than the table (or invalid): fall back to the single-symbol `table` of width `tableBits`.
 *
 * @example
 * ```ts
 * buildMultiTable(table, tableBits, multi);
 * ```
 */
export function buildMultiTable(table: Uint16Array, tableBits: number, multi: Uint32Array): void {
  const fullMask = (1 << tableBits) - 1;
  for (let i = 0; i < 1 << MULTI_TABLE_BITS; i++) {
    let rest = i;
    let left = MULTI_TABLE_BITS;
    let entry = 0;
    let count = 0;
    while (count < 3) {
      const e = table[rest & fullMask];
      const len = e & 15;
      if (len === 0 || len > left) break;
      entry |= (e >>> 4) << (8 * count);
      count++;
      rest >>>= len;
      left -= len;
    }
    multi[i] = count === 0 ? 0 : (entry | (count << 24) | ((MULTI_TABLE_BITS - left) << 26)) >>> 0;
  }
}

/**
 * Decodes `out.length` byte symbols with a multi-symbol table (from {@link buildMultiTable}) backed by the
 * single-symbol `table` of width `tableBits`, continuing the reader's state (which must not have overrun). Returns the number of symbols written:
 * fewer than `out.length` means a bit pattern with no code was met.
 *
 * @example
 * ```ts
 * if (huffmanDecodeBytes(reader, table, bits, multi, out) !== out.length) throw corrupt();
 * ```
 */
export function huffmanDecodeBytes(
  r: BitReader,
  table: Uint16Array,
  tableBits: number,
  multi: Uint32Array,
  out: Uint8Array,
): number {
  const input = r.input;
  const mask = (1 << tableBits) - 1;
  const multiMask = (1 << MULTI_TABLE_BITS) - 1;
  const n = out.length;
  let o = 0;
  // fast path: a 32-bit little-endian window at the bit position (≥ 25 valid bits) serves two multi-symbol lookups;
  // it runs while four input bytes are readable and three output bytes writable
  let bp = r.pos * 8 - r.count;
  const fastEndBits = r.overrun === 0 ? (input.length - 4) * 8 : 0;
  const fastOut = n - 2;
  while (o < fastOut && bp < fastEndBits) {
    const p = bp >>> 3;
    const w = (input[p] | (input[p + 1] << 8) | (input[p + 2] << 16) | (input[p + 3] << 24)) >>> (bp & 7);
    const m = multi[w & multiMask];
    if (m !== 0) {
      out[o] = m;
      out[o + 1] = m >>> 8;
      out[o + 2] = m >>> 16;
      o += (m >>> 24) & 3;
      const l = m >>> 26;
      bp += l;
      const m2 = multi[(w >>> l) & multiMask];
      if (m2 !== 0 && o < fastOut) {
        out[o] = m2;
        out[o + 1] = m2 >>> 8;
        out[o + 2] = m2 >>> 16;
        o += (m2 >>> 24) & 3;
        bp += m2 >>> 26;
      }
    } else {
      const e = table[w & mask];
      const l = e & 15;
      if (l === 0) break;
      out[o++] = e >>> 4;
      bp += l;
    }
  }
  if (o > 0) {
    // hand the position back to the reader (it had not overrun, or the fast path would not have run)
    r.pos = bp >>> 3;
    r.bits = 0;
    r.count = 0;
    if ((bp & 7) !== 0) r.read(bp & 7);
  }
  // careful tail: byte-wise refills that count bits read past the end
  while (o < n) {
    const e = r.decode(table, mask);
    if (e < 0) return o;
    out[o++] = e;
  }
  return o;
}
