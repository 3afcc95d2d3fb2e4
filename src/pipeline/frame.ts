/**
 * The self-describing frame: magic, format version, canonical spec, original length, CRC-32, payload.
 * The byte layout is documented in FRAME.md beside this file.
 */
import { crc32 } from "node:zlib";
import { ErrorCode, err, isMetacompError } from "../errors.js";
import type { DecodeLimits } from "../stage.js";
import { readVarint, writeVarint } from "../varint.js";
import { defaultRegistry, type StageRegistry } from "./registry.js";
import { type Pipeline, parseSpec } from "./spec.js";

/** "MCMP": the first four bytes of every frame. */
export const FRAME_MAGIC = Uint8Array.of(0x4d, 0x43, 0x4d, 0x50);
/** The frame format version this build writes. */
export const FRAME_VERSION = 1;
/** The default for `maxOutputBytes` when decompressing: 512 MiB. */
export const DEFAULT_MAX_OUTPUT_BYTES = 512 * 1024 * 1024;

/** What a frame header says. */
export interface FrameHeader {
  readonly formatVersion: number;
  readonly spec: string;
  readonly originalLength: number;
  readonly crc32: number;
  /** Where the payload starts, in bytes from the frame's start. */
  readonly payloadOffset: number;
}

/** Options of {@link compress}. */
export interface CompressOptions {
  readonly registry?: StageRegistry;
}

/** Options of {@link decompress}. */
export interface DecompressOptions {
  /** The largest output accepted; larger frames fail with `E_OUTPUT_LIMIT` before decoding. */
  readonly maxOutputBytes?: number;
  readonly registry?: StageRegistry;
}

/**
 * Runs a pipeline's encoders in order and returns the bare payload (no frame). Stages encode only in their
 * current format; an older `@version` is for decoding old frames.
 *
 * @example
 * ```ts
 * const payload = encodePipeline(bytes, parseSpec("delta:2>zstd:19"));
 * ```
 */
export function encodePipeline(data: Uint8Array, pipeline: Pipeline): Uint8Array {
  for (const { stage, version } of pipeline.stages) {
    if (version !== stage.version) {
      throw err(
        ErrorCode.UNSUPPORTED_VERSION,
        `pipeline "${pipeline.spec}": ${stage.id}@${version} is kept for decoding old frames only; ` +
          `this build encodes ${stage.id}@${stage.version}: drop the "@${version}"`,
      );
    }
  }
  let x = data;
  for (const { stage, params } of pipeline.stages) x = stage.encode(x, params);
  return x;
}

/**
 * Runs a pipeline's decoders in reverse order on a bare payload of known original length.
 * Intermediate stages may use up to `4·originalLength + 4096` bytes; the result must be exactly
 * `originalLength` bytes.
 *
 * @example
 * ```ts
 * const back = decodePipeline(payload, parseSpec("delta:2>zstd:19"), bytes.length);
 * ```
 */
export function decodePipeline(payload: Uint8Array, pipeline: Pipeline, originalLength: number): Uint8Array {
  const inner: DecodeLimits = { maxOutputBytes: 4 * originalLength + 4096 };
  let x = payload;
  for (let i = pipeline.stages.length - 1; i >= 0; i--) {
    const { stage, params, version } = pipeline.stages[i];
    x = stage.decode(x, params, i === 0 ? { maxOutputBytes: originalLength } : inner, version);
  }
  if (x.length !== originalLength) {
    throw err(
      ErrorCode.LENGTH_MISMATCH,
      `pipeline "${pipeline.spec}" decoded ${x.length} bytes but the frame declares ${originalLength}; the frame is corrupt`,
    );
  }
  return x;
}

function varintLength(n: number): number {
  let len = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    len++;
  }
  return len;
}

/** A frame header varint (at most 8 bytes), its errors naming `what`. */
function readFrameVarint(frame: Uint8Array, at: number, what: string): [value: number, next: number] {
  return readVarint(frame, at, 8, (why) =>
    why === "truncated"
      ? err(ErrorCode.TRUNCATED, `frame is truncated inside the ${what}`)
      : err(ErrorCode.CORRUPT, `frame ${what} is longer than 8 bytes; the frame is corrupt`),
  );
}

/**
 * Compresses `data` through the pipeline `spec` and wraps the payload in a self-describing frame.
 *
 * @example
 * ```ts
 * const frame = compress(new TextEncoder().encode("hello hello"), "zstd:19");
 * decompress(frame); // the original bytes
 * ```
 */
export function compress(data: Uint8Array, spec: string, opts: CompressOptions = {}): Uint8Array {
  const pipeline = parseSpec(spec, opts.registry ?? defaultRegistry);
  const payload = encodePipeline(data, pipeline);
  const specBytes = new TextEncoder().encode(pipeline.spec);
  const headerLength =
    FRAME_MAGIC.length +
    1 +
    varintLength(specBytes.length) +
    specBytes.length +
    varintLength(data.length) +
    4;
  const frame = new Uint8Array(headerLength + payload.length);
  frame.set(FRAME_MAGIC, 0);
  let at = FRAME_MAGIC.length;
  frame[at++] = FRAME_VERSION;
  at = writeVarint(frame, at, specBytes.length);
  frame.set(specBytes, at);
  at = writeVarint(frame, at + specBytes.length, data.length);
  new DataView(frame.buffer).setUint32(at, crc32(data), true);
  frame.set(payload, at + 4);
  return frame;
}

/**
 * Reads and checks a frame header without decoding the payload.
 *
 * @example
 * ```ts
 * readFrameHeader(frame).spec; // "zstd:19"
 * ```
 */
export function readFrameHeader(frame: Uint8Array): FrameHeader {
  if (!(frame instanceof Uint8Array)) {
    throw err(ErrorCode.CORRUPT, "decompress expects a Uint8Array frame; read the file as bytes");
  }
  if (frame.length < FRAME_MAGIC.length + 1) {
    throw err(ErrorCode.TRUNCATED, `frame of ${frame.length} bytes is too short to hold a header`);
  }
  for (let i = 0; i < FRAME_MAGIC.length; i++) {
    if (frame[i] !== FRAME_MAGIC[i]) {
      throw err(
        ErrorCode.BAD_MAGIC,
        'input is not a metacomp frame (magic "MCMP" missing); was it compressed here?',
      );
    }
  }
  const formatVersion = frame[4];
  if (formatVersion === 0 || formatVersion > FRAME_VERSION) {
    throw err(
      ErrorCode.UNSUPPORTED_VERSION,
      `frame format version ${formatVersion} is not supported (this build reads 1–${FRAME_VERSION}); upgrade metacomp`,
    );
  }
  const [specLength, specAt] = readFrameVarint(frame, 5, "spec length");
  if (specAt + specLength > frame.length)
    throw err(ErrorCode.TRUNCATED, "frame is truncated inside the spec");
  const spec = new TextDecoder().decode(frame.subarray(specAt, specAt + specLength));
  const [originalLength, crcAt] = readFrameVarint(frame, specAt + specLength, "original length");
  if (crcAt + 4 > frame.length) throw err(ErrorCode.TRUNCATED, "frame is truncated inside the checksum");
  const crc = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(crcAt, true);
  return { formatVersion, spec, originalLength, crc32: crc, payloadOffset: crcAt + 4 };
}

/**
 * Decodes a frame written by {@link compress}. Needs no side information. Throws a coded error, never returns
 * wrong bytes: the length and CRC-32 are checked.
 *
 * @example
 * ```ts
 * const bytes = decompress(frame, { maxOutputBytes: 64 << 20 });
 * ```
 */
export function decompress(frame: Uint8Array, opts: DecompressOptions = {}): Uint8Array {
  const header = readFrameHeader(frame);
  const maxOutputBytes = opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  if (header.originalLength > maxOutputBytes) {
    throw err(
      ErrorCode.OUTPUT_LIMIT,
      `frame declares ${header.originalLength} bytes of output, over maxOutputBytes=${maxOutputBytes}; ` +
        "raise maxOutputBytes if the frame is trusted",
    );
  }
  let pipeline: Pipeline;
  try {
    pipeline = parseSpec(header.spec, opts.registry ?? defaultRegistry, { bareVersion: "first" });
  } catch (e) {
    if (isMetacompError(e, ErrorCode.INVALID_SPEC)) {
      throw err(ErrorCode.UNKNOWN_STAGE, `frame names a pipeline this build cannot decode: ${e.message}`, e);
    }
    throw e;
  }
  const data = decodePipeline(frame.subarray(header.payloadOffset), pipeline, header.originalLength);
  if (crc32(data) !== header.crc32) {
    throw err(
      ErrorCode.CHECKSUM_MISMATCH,
      `frame "${header.spec}" fails its CRC-32 check; the frame is corrupt`,
    );
  }
  return data;
}
