/**
 * Delta coding of little-endian w-byte words with wrapping subtraction. The first word and the tail bytes
 * (length mod w) pass through unchanged. Kernels allocate nothing: callers give the output buffer.
 */

/** out[word k] = in[word k] − in[word k−1] mod 2^(8w). `out` must not alias `input`. */
export function deltaEncodeKernel(input: Uint8Array, out: Uint8Array, w: number): void {
  const whole = input.length - (input.length % w);
  out.set(input.subarray(0, Math.min(w, input.length)));
  for (let i = w; i < whole; i += w) {
    let borrow = 0;
    for (let b = 0; b < w; b++) {
      const d = input[i + b] - input[i - w + b] - borrow;
      out[i + b] = d & 0xff;
      borrow = d < 0 ? 1 : 0;
    }
  }
  out.set(input.subarray(whole), whole);
}

/** Inverse of {@link deltaEncodeKernel}: a running sum with carry. `out` must not alias `input`. */
export function deltaDecodeKernel(input: Uint8Array, out: Uint8Array, w: number): void {
  const whole = input.length - (input.length % w);
  out.set(input.subarray(0, Math.min(w, input.length)));
  for (let i = w; i < whole; i += w) {
    let carry = 0;
    for (let b = 0; b < w; b++) {
      const s = input[i + b] + out[i - w + b] + carry;
      out[i + b] = s & 0xff;
      carry = s >> 8;
    }
  }
  out.set(input.subarray(whole), whole);
}
