/**
 * Byte transposition (as in Blosc's shuffle): byte b of every w-byte word goes to plane b. Tail bytes
 * (length mod w) are appended unchanged. Kernels allocate nothing.
 */

/** Groups byte b of each word into plane b. `out` must not alias `input`. */
export function shuffleKernel(input: Uint8Array, out: Uint8Array, w: number): void {
  const words = Math.floor(input.length / w);
  for (let b = 0; b < w; b++) {
    const plane = b * words;
    for (let k = 0, src = b; k < words; k++, src += w) out[plane + k] = input[src];
  }
  out.set(input.subarray(words * w), words * w);
}

/** Inverse of {@link shuffleKernel}. `out` must not alias `input`. */
export function unshuffleKernel(input: Uint8Array, out: Uint8Array, w: number): void {
  const words = Math.floor(input.length / w);
  for (let b = 0; b < w; b++) {
    const plane = b * words;
    for (let k = 0, dst = b; k < words; k++, dst += w) out[dst] = input[plane + k];
  }
  out.set(input.subarray(words * w), words * w);
}
