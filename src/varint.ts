/**
 * LEB128 varints (7 bits per byte, least significant first, high bit = more bytes follow), shared by the frame
 * format and the codecs' payload headers. Arithmetic, not 32-bit shifts, so any safe integer fits.
 */

/**
 * Writes `n` (a non-negative safe integer) at `out[at]`; returns the index after it.
 *
 * @example
 * ```ts
 * const out = new Uint8Array(8);
 * writeVarint(out, 0, 300); // 2 (bytes 0xac 0x02)
 * ```
 */
export function writeVarint(out: Uint8Array, at: number, n: number): number {
  while (n >= 0x80) {
    out[at++] = (n % 128) | 0x80;
    n = Math.floor(n / 128);
  }
  out[at++] = n;
  return at;
}

/**
 * Reads a varint of at most `maxBytes` bytes at `bytes[at]`: returns [value, index after it]. When the input ends
 * inside it, or it runs over `maxBytes`, throws what `fail` builds (the caller names the field and the error code).
 *
 * @example
 * ```ts
 * readVarint(Uint8Array.of(0xac, 0x02), 0, 8, (why) => new Error(why)); // [300, 2]
 * ```
 */
export function readVarint(
  bytes: Uint8Array,
  at: number,
  maxBytes: number,
  fail: (why: "truncated" | "too long") => Error,
): [value: number, next: number] {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < maxBytes; i++) {
    if (at >= bytes.length) throw fail("truncated");
    const byte = bytes[at++];
    value += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) return [value, at];
    scale *= 128;
  }
  throw fail("too long");
}
