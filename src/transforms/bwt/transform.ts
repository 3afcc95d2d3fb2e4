import { z } from "zod";
import { ErrorCode, err } from "../../errors.js";
import { checkOutputLimit, defineStage } from "../../stage.js";
import { bwtDecodeBlock, bwtEncodeBlock } from "./kernel.js";

/** The largest block: the inverse packs a row index and a byte into 32 bits, so rows must stay below 2^24. */
export const BWT_MAX_BLOCK_KIB = 16383;

/** Blocks up to this many bytes reuse one module-level workspace (~14 bytes per input byte); larger ones allocate. */
const REUSED_WORKSPACE_BYTES = 1 << 20;
let shared: { text: Uint16Array; sa: Int32Array; buckets: Int32Array } | null = null;

/** Workspaces for blocks of up to `m` bytes: the shared ones when small enough (grown on demand), else fresh. */
function workspaces(m: number): { text: Uint16Array; sa: Int32Array; buckets: Int32Array } {
  const fresh = () => ({
    text: new Uint16Array(m + 1),
    sa: new Int32Array(m + 1),
    buckets: new Int32Array(2 * m + 528),
  });
  if (m > REUSED_WORKSPACE_BYTES) return fresh();
  if (shared === null || shared.sa.length < m + 1) shared = fresh();
  return shared;
}

/**
 * Forward BWT of `input` in blocks of `blockBytes`: u32 n, u32 blockBytes, one u32 primary index per block, then
 * the blocks' last columns (n bytes). All integers little-endian.
 *
 * @example
 * ```ts
 * const t = bwtEncode(new TextEncoder().encode("banana"), 1 << 20);
 * ```
 */
export function bwtEncode(input: Uint8Array, blockBytes: number): Uint8Array {
  const n = input.length;
  const blocks = Math.ceil(n / blockBytes);
  const header = 8 + 4 * blocks;
  const out = new Uint8Array(header + n);
  const view = new DataView(out.buffer);
  view.setUint32(0, n, true);
  view.setUint32(4, blockBytes, true);
  const { text, sa, buckets } = workspaces(Math.min(n, blockBytes));
  // a plain Uint8Array view keeps the kernels monomorphic when callers pass Node Buffers
  const bytes = new Uint8Array(input.buffer, input.byteOffset, n);
  for (let b = 0; b < blocks; b++) {
    const start = b * blockBytes;
    const block = bytes.subarray(start, Math.min(n, start + blockBytes));
    const primary = bwtEncodeBlock(block, out.subarray(header + start), text, sa, buckets);
    view.setUint32(8 + 4 * b, primary, true);
  }
  return out;
}

/**
 * Inverse of {@link bwtEncode}; throws `E_TRUNCATED`, `E_CORRUPT` or `E_OUTPUT_LIMIT` on bad input.
 *
 * @example
 * ```ts
 * const bytes = bwtDecode(t, 1 << 20);
 * ```
 */
export function bwtDecode(input: Uint8Array, maxOutputBytes: number): Uint8Array {
  if (input.length < 8) throw err(ErrorCode.TRUNCATED, "bwt: input is shorter than its 8-byte header");
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const n = view.getUint32(0, true);
  const blockBytes = view.getUint32(4, true);
  checkOutputLimit("bwt", n, { maxOutputBytes });
  if (blockBytes === 0 || blockBytes > BWT_MAX_BLOCK_KIB * 1024) {
    throw err(ErrorCode.CORRUPT, `bwt: block size ${blockBytes} is out of range; the data is corrupt`);
  }
  const blocks = Math.ceil(n / blockBytes);
  const header = 8 + 4 * blocks;
  if (input.length !== header + n) {
    throw err(
      input.length < header + n ? ErrorCode.TRUNCATED : ErrorCode.CORRUPT,
      `bwt: input has ${input.length} bytes but its header implies ${header + n}`,
    );
  }
  const out = new Uint8Array(n);
  const m = Math.min(n, blockBytes);
  const links = new Uint32Array(m + 1);
  const counts = new Int32Array(257);
  for (let b = 0; b < blocks; b++) {
    const start = b * blockBytes;
    const end = Math.min(n, start + blockBytes);
    const primary = view.getUint32(8 + 4 * b, true);
    if (primary > end - start) {
      throw err(
        ErrorCode.CORRUPT,
        `bwt: primary index ${primary} of block ${b} exceeds its length ${end - start}`,
      );
    }
    bwtDecodeBlock(
      input.subarray(header + start, header + end),
      primary,
      out.subarray(start, end),
      links,
      counts,
    );
  }
  return out;
}

/** `bwt:blockKiB`: Burrows–Wheeler transform over SA-IS suffix arrays, in blocks of 1–16383 KiB (default 1024). */
export const bwtTransform = defineStage({
  id: "bwt",
  version: 1,
  kind: "transform",
  summary: "Burrows–Wheeler transform (SA-IS suffix array, linear time); param: block size in KiB",
  params: z.object({ block: z.number().int().min(1).max(BWT_MAX_BLOCK_KIB).default(1024) }).strict(),
  positional: ["block"],
  encode: (input, { block }) => bwtEncode(input, block * 1024),
  decode: (input, _p, limits) => bwtDecode(input, limits.maxOutputBytes),
});
