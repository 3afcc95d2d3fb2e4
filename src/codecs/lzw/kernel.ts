/**
 * LZW (Welch, 1984) with variable-width codes: codes 0–255 are bytes, 256 is CLEAR, new phrases start at 257. The
 * code width is the bit length of the largest code that may come next (9 up to maxBits); when the dictionary is
 * full the encoder sends CLEAR and both sides start over. Kernels allocate nothing: tables come from the caller.
 */
import type { BitReader, BitWriter } from "../huffman/kernel.js";

/** The code that resets the dictionary. */
export const LZW_CLEAR = 256;
/** The first code assigned to a new phrase. */
export const LZW_FIRST = 257;

function widthFor(largest: number, maxBits: number): number {
  const w = 32 - Math.clz32(largest);
  return w < 9 ? 9 : Math.min(w, maxBits);
}

/**
 * Codes `input` (n ≥ 1) as LZW codes into `w`. `keys`/`values` form an open-addressing phrase table of 2^hashBits
 * slots (hashBits ≥ maxBits + 1).
 */
export function lzwEncodeKernel(
  input: Uint8Array,
  w: BitWriter,
  maxBits: number,
  keys: Int32Array,
  values: Int32Array,
  hashBits: number,
): void {
  const capacity = 1 << maxBits;
  const shift = 32 - hashBits;
  const mask = (1 << hashBits) - 1;
  keys.fill(-1);
  let next = LZW_FIRST;
  let emitted = 0;
  let prefix = input[0];
  const n = input.length;
  for (let i = 1; i < n; i++) {
    const c = input[i];
    const key = (prefix << 8) | c;
    let h = Math.imul(key, 0x9e3779b1) >>> shift;
    let found = -1;
    while (keys[h] !== -1) {
      if (keys[h] === key) {
        found = values[h];
        break;
      }
      h = (h + 1) & mask;
    }
    if (found >= 0) {
      prefix = found;
      continue;
    }
    w.write(prefix, widthFor(256 + emitted, maxBits));
    emitted++;
    if (next < capacity) {
      keys[h] = key;
      values[h] = next++;
    } else {
      w.write(LZW_CLEAR, widthFor(256 + emitted, maxBits));
      keys.fill(-1);
      next = LZW_FIRST;
      emitted = 0;
    }
    prefix = c;
  }
  w.write(prefix, widthFor(256 + emitted, maxBits));
}

/**
 * Decodes LZW codes from `r` into `out` (the declared length). `prefixes` and `lengths` (Int32) and `suffixes` and
 * `firsts` (Uint8) need 2^maxBits entries. Returns `out.length`, or −1 for a code that cannot occur or a phrase that
 * overflows `out`. Reading past the input yields zero codes; the caller checks `r.overran()` for truncation.
 */
export function lzwDecodeKernel(
  r: BitReader,
  out: Uint8Array,
  maxBits: number,
  prefixes: Int32Array,
  lengths: Int32Array,
  suffixes: Uint8Array,
  firsts: Uint8Array,
): number {
  const capacity = 1 << maxBits;
  const n = out.length;
  for (let c = 0; c < 256; c++) {
    lengths[c] = 1;
    firsts[c] = c;
    suffixes[c] = c;
    prefixes[c] = -1;
  }
  let next = LZW_FIRST;
  let read = 0;
  let prev = -1;
  let o = 0;
  while (o < n) {
    const code = r.read(widthFor(256 + read, maxBits));
    read++;
    if (code === LZW_CLEAR) {
      next = LZW_FIRST;
      read = 0;
      prev = -1;
      continue;
    }
    if (prev === -1) {
      if (code > 255) return -1;
    } else if (next < capacity) {
      if (code > next) return -1;
      // the new phrase is prev + the first byte of code (for code === next, that byte is prev's first)
      suffixes[next] = code === next ? firsts[prev] : firsts[code];
      prefixes[next] = prev;
      lengths[next] = lengths[prev] + 1;
      firsts[next] = firsts[prev];
      next++;
    } else if (code >= next) return -1;
    const len = lengths[code];
    if (len > n - o) return -1;
    let c = code;
    for (let k = o + len - 1; k >= o; k--) {
      out[k] = suffixes[c];
      c = prefixes[c];
    }
    o += len;
    prev = code;
  }
  return o;
}
