/**
 * XOR of each w-byte word with the previous one (floats whose high bytes repeat). The first word and the tail
 * bytes (length mod w) pass through unchanged. Kernels allocate nothing.
 */

/** out[i] = in[i] ^ in[i−w] inside whole words. `out` must not alias `input`. */
export function xorEncodeKernel(input: Uint8Array, out: Uint8Array, w: number): void {
  const whole = input.length - (input.length % w);
  out.set(input.subarray(0, Math.min(w, input.length)));
  for (let i = w; i < whole; i++) out[i] = input[i] ^ input[i - w];
  out.set(input.subarray(whole), whole);
}

/** Inverse of {@link xorEncodeKernel}. `out` must not alias `input`. */
export function xorDecodeKernel(input: Uint8Array, out: Uint8Array, w: number): void {
  const whole = input.length - (input.length % w);
  out.set(input.subarray(0, Math.min(w, input.length)));
  for (let i = w; i < whole; i++) out[i] = input[i] ^ out[i - w];
  out.set(input.subarray(whole), whole);
}
