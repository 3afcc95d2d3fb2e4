/**
 * Run-length coding. Two kernels:
 * - zero runs (for MTF output): bzip2's RUNA/RUNB bijective base-2 digits for runs of 0, other bytes shifted by one,
 *   with an escape for 254 and 255;
 * - byte runs (for raw data): bzip2's first-stage RLE, four equal bytes then a count byte of further repeats.
 * Kernels allocate nothing and validate nothing beyond what keeps them inside their buffers: decoders return −1 for
 * streams that do not fit the declared output (the binding maps that to a coded error).
 */

/** The digit symbols of a zero run. */
export const RUNA = 0;
export const RUNB = 1;
/** The escape that prefixes MTF values 254 (then 0) and 255 (then 1). */
export const ESCAPE = 255;

/** Codes `input` into `out` from `at` (out needs 2·n bytes of room); returns the end position. */
export function zeroRunEncodeKernel(input: Uint8Array, out: Uint8Array, at: number): number {
  const n = input.length;
  let o = at;
  let i = 0;
  while (i < n) {
    const b = input[i];
    if (b === 0) {
      let j = i + 1;
      while (j < n && input[j] === 0) j++;
      let run = j - i - 1;
      for (;;) {
        out[o++] = run & 1;
        if (run < 2) break;
        run = (run - 2) >>> 1;
      }
      i = j;
    } else {
      if (b < 254) out[o++] = b + 1;
      else {
        out[o++] = ESCAPE;
        out[o++] = b - 254;
      }
      i++;
    }
  }
  return o;
}

/**
 * Inverse of {@link zeroRunEncodeKernel}, reading `input` from `at` into `out` (the declared length). Returns
 * `out.length` on success, −1 when a run or literal overflows `out` or an escape is malformed, and −2 when the
 * input ends early or leaves bytes over.
 */
export function zeroRunDecodeKernel(input: Uint8Array, at: number, out: Uint8Array): number {
  const n = out.length;
  const end = input.length;
  let o = 0;
  let i = at;
  while (i < end) {
    let s = input[i];
    if (s <= RUNB) {
      // a run: digits RUNA (1·w) and RUNB (2·w) with doubling weights w
      let run = 0;
      let weight = 1;
      do {
        run += (s + 1) * weight;
        if (run > n - o) return -1;
        weight *= 2;
        i++;
        s = input[i];
      } while (i < end && s <= RUNB);
      out.fill(0, o, o + run);
      o += run;
      continue;
    }
    if (o >= n) return -1;
    if (s !== ESCAPE) out[o++] = s - 1;
    else {
      if (i + 1 >= end) return -2;
      const e = input[i + 1];
      if (e > 1) return -1;
      out[o++] = 254 + e;
      i++;
    }
    i++;
  }
  return o === n ? n : -2;
}

/** Codes `input` into `out` from `at` (out needs n + n/4 + 1 bytes of room); returns the end position. */
export function byteRunEncodeKernel(input: Uint8Array, out: Uint8Array, at: number): number {
  const n = input.length;
  let o = at;
  let i = 0;
  while (i < n) {
    const b = input[i];
    let j = i + 1;
    const limit = Math.min(n, i + 4 + 251);
    while (j < limit && input[j] === b) j++;
    const run = j - i;
    if (run >= 4) {
      out[o++] = b;
      out[o++] = b;
      out[o++] = b;
      out[o++] = b;
      out[o++] = run - 4;
    } else for (let k = 0; k < run; k++) out[o++] = b;
    i = j;
  }
  return o;
}

/** Inverse of {@link byteRunEncodeKernel}; returns like {@link zeroRunDecodeKernel}. */
export function byteRunDecodeKernel(input: Uint8Array, at: number, out: Uint8Array): number {
  const n = out.length;
  const end = input.length;
  let o = 0;
  let i = at;
  let last = -1;
  let same = 0;
  while (i < end) {
    const b = input[i++];
    if (o >= n) return -1;
    out[o++] = b;
    same = b === last ? same + 1 : 1;
    last = b;
    if (same === 4) {
      if (i >= end) return -2;
      const extra = input[i++];
      if (extra > 251 || extra > n - o) return -1;
      out.fill(b, o, o + extra);
      o += extra;
      same = 0;
      last = -1;
    }
  }
  return o === n ? n : -2;
}
