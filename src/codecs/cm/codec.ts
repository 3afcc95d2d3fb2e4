/** Binding of the `cm` context-mixing coder: params, payload header, table sizing, coded errors. */
import { z } from "zod";
import { ErrorCode, err } from "../../errors.js";
import { checkOutputLimit, defineStage } from "../../stage.js";
import { readVarint, writeVarint } from "../../varint.js";
import { type CmState, cmKernel, cmTableSizes, resetCmState } from "./kernel.js";
import { cmKernelV1, createCmStateV1 } from "./kernel-v1.js";
import { cmKernelV2, createCmStateV2 } from "./kernel-v2.js";

/** Params of `cm:orders:memory:rate`. */
export const cmParamsSchema = z
  .object({
    /** Highest context order N: orders 1, 2 and N are modelled (plus word and match models). */
    orders: z.number().int().min(1).max(8).default(4),
    /** log2 of the counters in the hash table of orders ≥ 2 (2 bytes each): 22 → 8 MiB. */
    memory: z.number().int().min(12).max(24).default(22),
    /** Mixer learning rate. */
    rate: z.number().positive().max(1).default(0.002),
  })
  .strict();

/** The validated params of `cm`. */
export type CmParams = z.infer<typeof cmParamsSchema>;

/** The stage format `cm` writes; version-1 and version-2 frames decode through kernel-v1.ts and kernel-v2.ts. */
const CM_VERSION = 3;

/** Largest length a payload may declare: integers stay exact below 2^53. */
const MAX_VARINT_BYTES = 8;

function ceilLog2(n: number): number {
  let b = 0;
  while (2 ** b < n) b++;
  return b;
}

/**
 * Allocates the tables for coding `n` bytes with `params`. Tables shrink for small inputs (both sides know `n`),
 * so a 300-byte block does not pay for 8 MiB of counters.
 *
 * @example
 * ```ts
 * const state = createCmState({ orders: 4, memory: 22, rate: 0.002 }, input.length);
 * ```
 */
export function createCmState(params: CmParams, n: number): CmState {
  const lg = ceilLog2(n + 1);
  const hashBits = Math.min(params.memory, Math.max(12, lg + 3));
  const matchBits = Math.min(params.memory - 2, Math.max(10, lg - 2));
  const apmBits = Math.min(12, Math.max(8, lg - 2));
  const size = cmTableSizes(hashBits, matchBits, apmBits);
  const state: CmState = {
    maxOrder: params.orders,
    hashBits,
    matchBits,
    apmBits,
    learningRate: params.rate,
    counters: new Uint32Array(size.counters),
    hashed: new Uint16Array(size.hashed),
    matchTable: new Int32Array(size.matchTable),
    weights: new Float32Array(size.weights),
  };
  resetCmState(state, true);
  return state;
}

function readLength(input: Uint8Array): [length: number, next: number] {
  return readVarint(input, 0, MAX_VARINT_BYTES, (why) =>
    why === "truncated"
      ? err(ErrorCode.TRUNCATED, "cm: payload is truncated inside its length header")
      : err(ErrorCode.CORRUPT, "cm: payload length header is longer than 8 bytes; the data is corrupt"),
  );
}

/**
 * Encodes with the context-mixing model: `varint(n)` then the arithmetic code (see spec.md).
 *
 * @example
 * ```ts
 * const payload = cmEncode(bytes, { orders: 4, memory: 22, rate: 0.002 });
 * ```
 */
export function cmEncode(input: Uint8Array, params: CmParams): Uint8Array {
  const n = input.length;
  const header = new Uint8Array(MAX_VARINT_BYTES);
  const headerLength = writeVarint(header, 0, n);
  if (n === 0) return header.slice(0, headerLength);
  // Typical output is far below n; incompressible data grows by well under 1/8. Retry in the rare worst case.
  for (const capacity of [n + (n >> 3) + 64, 2 * n + 64, 13 * n + 64]) {
    const out = new Uint8Array(capacity);
    out.set(header.subarray(0, headerLength));
    const end = cmKernel(input, 0, out, headerLength, n, createCmState(params, n), false);
    if (end >= 0) return out.slice(0, end);
  }
  throw err(ErrorCode.INTERNAL, `cm: output of ${n} input bytes exceeds 13n bytes; please report this input`);
}

/**
 * Decodes a `cm` payload written by stage format `version` (default: the current one; 1 and 2 = the
 * frozen kernel-v1.ts and kernel-v2.ts). Throws `E_OUTPUT_LIMIT` when the declared length is over the limit, and `E_CORRUPT` when the
 * code ends early or has trailing bytes.
 *
 * @example
 * ```ts
 * const bytes = cmDecode(payload, params, { maxOutputBytes: 1 << 20 });
 * ```
 */
export function cmDecode(
  input: Uint8Array,
  params: CmParams,
  limits: { maxOutputBytes: number },
  version = CM_VERSION,
): Uint8Array {
  const [n, start] = readLength(input);
  checkOutputLimit("cm", n, limits);
  const out = new Uint8Array(n);
  if (n === 0) {
    if (start !== input.length) throw err(ErrorCode.CORRUPT, "cm: empty payload has trailing bytes; corrupt");
    return out;
  }
  const end =
    version === 1
      ? cmKernelV1(input, start, out, 0, n, createCmStateV1(params, n), true)
      : version === 2
        ? cmKernelV2(input, start, out, 0, n, createCmStateV2(params, n), true)
        : cmKernel(input, start, out, 0, n, createCmState(params, n), true);
  if (end < 0) {
    throw err(
      ErrorCode.CORRUPT,
      `cm: arithmetic code ends before ${n} bytes were decoded; the data is corrupt`,
    );
  }
  if (end !== input.length) {
    throw err(
      ErrorCode.CORRUPT,
      `cm: ${input.length - end} trailing bytes after the arithmetic code; the data is corrupt`,
    );
  }
  return out;
}

/** `cm:orders:memory:rate`: context mixing (lpaq-style) of orders 1, 2 and N, a word model and a match model. */
export const cmCodec = defineStage({
  id: "cm",
  version: CM_VERSION,
  kind: "codec",
  summary:
    "context mixing (orders 1, 2, N, word and match models, logistic mixer, APM/SSE, arithmetic coder)",
  params: cmParamsSchema,
  positional: ["orders", "memory", "rate"],
  encode: (input, params) => cmEncode(input, params),
  decode: (input, params, limits, version) => cmDecode(input, params, limits, version),
});
