/** Bindings for node:zlib's deflate (raw), gzip and brotli. */
import zlib from "node:zlib";
import { z } from "zod";
import { ErrorCode, err } from "../../errors.js";
import { type DecodeLimits, decodeGuard, defineStage } from "../../stage.js";

/** Returns a plain Uint8Array view of a Buffer so that results compare equal to other Uint8Arrays. */
function view(buf: Buffer): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Runs a zlib decoder with the output limit enforced by zlib itself, mapping its errors to coded ones. */
function inflateLimited(stageId: string, limits: DecodeLimits, run: (opts: zlib.ZlibOptions) => Buffer) {
  return decodeGuard(stageId, () => {
    try {
      return view(run({ maxOutputLength: Math.max(1, limits.maxOutputBytes) }));
    } catch (e) {
      if ((e as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") {
        throw err(
          ErrorCode.OUTPUT_LIMIT,
          `${stageId}: output exceeds maxOutputBytes=${limits.maxOutputBytes}; raise it if the input is trusted`,
          e,
        );
      }
      throw e;
    }
  });
}

const levelSchema = z.number().int().min(0).max(9).default(6);

/** `deflate:level`: raw DEFLATE (RFC 1951), level 0–9. */
export const deflateCodec = defineStage({
  id: "deflate",
  version: 1,
  kind: "codec",
  summary: "raw DEFLATE (RFC 1951) from node:zlib; level 0–9",
  params: z.object({ level: levelSchema }).strict(),
  positional: ["level"],
  encode: (input, { level }) => view(zlib.deflateRawSync(input, { level })),
  decode: (input, _p, limits) => inflateLimited("deflate", limits, (o) => zlib.inflateRawSync(input, o)),
});

/** `gzip:level`: gzip (RFC 1952), level 0–9; decodes with `gzip -d`. */
export const gzipCodec = defineStage({
  id: "gzip",
  version: 1,
  kind: "codec",
  summary: "gzip (RFC 1952) from node:zlib; level 0–9",
  params: z.object({ level: levelSchema }).strict(),
  positional: ["level"],
  encode: (input, { level }) => view(zlib.gzipSync(input, { level })),
  decode: (input, _p, limits) => inflateLimited("gzip", limits, (o) => zlib.gunzipSync(input, o)),
});

/** `brotli:quality:lgwin`: Brotli (RFC 7932), quality 0–11, window log 10–24. */
export const brotliCodec = defineStage({
  id: "brotli",
  version: 1,
  kind: "codec",
  summary: "Brotli (RFC 7932) from node:zlib; quality 0–11, lgwin 10–24",
  params: z
    .object({
      quality: z.number().int().min(0).max(11).default(11),
      lgwin: z.number().int().min(10).max(24).default(22),
    })
    .strict(),
  positional: ["quality", "lgwin"],
  encode: (input, { quality, lgwin }) =>
    view(
      zlib.brotliCompressSync(input, {
        params: {
          [zlib.constants.BROTLI_PARAM_QUALITY]: quality,
          [zlib.constants.BROTLI_PARAM_LGWIN]: lgwin,
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: input.length,
        },
      }),
    ),
  decode: (input, _p, limits) => inflateLimited("brotli", limits, (o) => zlib.brotliDecompressSync(input, o)),
});
