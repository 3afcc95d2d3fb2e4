/**
 * Order-0 rANS (Duda, 2013) with 32-bit state and byte-wise renormalisation, after Fabian Giesen's `rans_byte`.
 * The encoder runs backwards and writes bytes downwards; the decoder reads them forwards. Kernels allocate nothing.
 */

/** The lower bound of the normalised state interval [L, 256·L). */
export const RANS_L = 1 << 23;

/**
 * Codes `input` backwards into `out`, ending at `end`; returns the start of the written bytes (the 4-byte final
 * state first). `freq`/`start` are the quantised frequencies and their cumulative starts, summing to 2^scale.
 */
export function ransEncodeKernel(
  input: Uint8Array,
  out: Uint8Array,
  end: number,
  freq: Uint32Array,
  start: Uint32Array,
  scale: number,
): number {
  let x = RANS_L;
  let p = end;
  const bound = (RANS_L >>> scale) << 8;
  for (let i = input.length - 1; i >= 0; i--) {
    const s = input[i];
    const f = freq[s];
    const xMax = bound * f;
    while (x >= xMax) {
      out[--p] = x;
      x >>>= 8;
    }
    const q = Math.floor(x / f);
    x = q * (1 << scale) + (x - q * f) + start[s];
  }
  out[--p] = x >>> 24;
  out[--p] = x >>> 16;
  out[--p] = x >>> 8;
  out[--p] = x;
  return p;
}

/**
 * Decodes `out.length` symbols from `input` starting at `at` with the slot→symbol table `symbols` (2^scale entries).
 * Returns the input position after the last byte read, −1 when the input ends early, or −2 when the final state is
 * not the encoder's initial state (a corrupt stream).
 */
export function ransDecodeKernel(
  input: Uint8Array,
  at: number,
  out: Uint8Array,
  freq: Uint32Array,
  start: Uint32Array,
  symbols: Uint8Array,
  scale: number,
): number {
  const end = input.length;
  if (at + 4 > end) return -1;
  let x = (input[at] | (input[at + 1] << 8) | (input[at + 2] << 16) | (input[at + 3] << 24)) >>> 0;
  let p = at + 4;
  if (x < RANS_L || x >= RANS_L * 256) return -2;
  const mask = (1 << scale) - 1;
  const n = out.length;
  for (let i = 0; i < n; i++) {
    const slot = x & mask;
    const s = symbols[slot];
    x = freq[s] * (x >>> scale) + slot - start[s];
    while (x < RANS_L) {
      if (p >= end) return -1;
      x = (x << 8) | input[p++];
    }
    out[i] = s;
  }
  return x === RANS_L ? p : -2;
}
