/**
 * Every failure metacomp raises on purpose is a {@link MetacompError} with a code from {@link ErrorCode}.
 * Messages name the bad input and say how to fix it.
 */

/** The table of error codes, grouped by area. Codes are stable: tests and callers match on them. */
export const ErrorCode = {
  // configuration and specs
  INVALID_CONFIG: "E_INVALID_CONFIG",
  INVALID_SPEC: "E_INVALID_SPEC",
  UNKNOWN_STAGE: "E_UNKNOWN_STAGE",
  DUPLICATE_ID: "E_DUPLICATE_ID",
  // frames and decoding
  BAD_MAGIC: "E_BAD_MAGIC",
  UNSUPPORTED_VERSION: "E_UNSUPPORTED_VERSION",
  TRUNCATED: "E_TRUNCATED",
  CORRUPT: "E_CORRUPT",
  CHECKSUM_MISMATCH: "E_CHECKSUM_MISMATCH",
  LENGTH_MISMATCH: "E_LENGTH_MISMATCH",
  OUTPUT_LIMIT: "E_OUTPUT_LIMIT",
  INPUT_TOO_LARGE: "E_INPUT_TOO_LARGE",
  // files and data
  IO: "E_IO",
  MANIFEST_HASH: "E_MANIFEST_HASH",
  // store
  STORE_LOCKED: "E_STORE_LOCKED",
  STORE_SCHEMA: "E_STORE_SCHEMA",
  STORE_READ_ONLY: "E_STORE_READ_ONLY",
  NOT_FOUND: "E_NOT_FOUND",
  // learner and runtime
  BACKEND: "E_BACKEND",
  ROUND_TRIP: "E_ROUND_TRIP",
  REGRESSION: "E_REGRESSION",
  USAGE: "E_USAGE",
  INTERNAL: "E_INTERNAL",
  RENDER: "E_RENDER", // plot rendering: headless Chromium missing or failing, no tslab kernel
} as const;

/** One of the values of {@link ErrorCode}. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * The one error class metacomp throws on purpose.
 *
 * @example
 * ```ts
 * try { decompress(bytes); } catch (e) {
 *   if (isMetacompError(e, ErrorCode.CHECKSUM_MISMATCH)) console.error("corrupt frame");
 * }
 * ```
 */
export class MetacompError extends Error {
  override readonly name = "MetacompError";
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/**
 * Builds and returns a {@link MetacompError}; write `throw err(...)` so control flow stays visible.
 *
 * @example
 * ```ts
 * if (level > 19) throw err(ErrorCode.INVALID_SPEC, `zstd level ${level} is out of range; use 1–19`);
 * ```
 */
export function err(code: ErrorCode, message: string, cause?: unknown): MetacompError {
  return new MetacompError(code, message, cause === undefined ? undefined : { cause });
}

/**
 * True when `e` is a {@link MetacompError}, optionally with the given code.
 *
 * @example
 * ```ts
 * if (isMetacompError(e, ErrorCode.OUTPUT_LIMIT)) raiseLimitAndRetry();
 * ```
 */
export function isMetacompError(e: unknown, code?: ErrorCode): e is MetacompError {
  return e instanceof MetacompError && (code === undefined || e.code === code);
}
