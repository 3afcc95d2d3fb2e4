/**
 * Move-to-front coding of bytes: each byte becomes its index in a recency list, then moves to the front.
 * Kernels allocate nothing: the caller gives the output and a 256-byte list workspace.
 */

/** Codes `input` into `out` (same length). `list` is a 256-byte workspace. */
export function mtfEncodeKernel(input: Uint8Array, out: Uint8Array, list: Uint8Array): void {
  for (let i = 0; i < 256; i++) list[i] = i;
  const n = input.length;
  let last = 0;
  for (let i = 0; i < n; i++) {
    const b = input[i];
    if (b === last) {
      out[i] = 0;
      continue;
    }
    let j = 1;
    let prev = list[0];
    list[0] = b;
    // shift entries down until we meet b
    while (prev !== b) {
      const t = list[j];
      list[j] = prev;
      prev = t;
      j++;
    }
    out[i] = j - 1;
    last = b;
  }
}

/** Inverse of {@link mtfEncodeKernel}. Every byte string is a valid input. */
export function mtfDecodeKernel(input: Uint8Array, out: Uint8Array, list: Uint8Array): void {
  for (let i = 0; i < 256; i++) list[i] = i;
  const n = input.length;
  for (let i = 0; i < n; i++) {
    const j = input[i];
    const b = list[j];
    if (j !== 0) {
      list.copyWithin(1, 0, j);
      list[0] = b;
    }
    out[i] = b;
  }
}
