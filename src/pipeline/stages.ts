/**
 * The one table of every pipeline stage metacomp knows. Registration is explicit: a stage exists when it is
 * listed here, never as a side effect of an import.
 */

import { cmCodec } from "../codecs/cm/codec.js";
import { huffmanCodec } from "../codecs/huffman/codec.js";
import { lz4Codec } from "../codecs/lz4/codec.js";
import { lz77Codec } from "../codecs/lz77/codec.js";
import { lzwCodec } from "../codecs/lzw/codec.js";
import { ransCodec } from "../codecs/rans/codec.js";
import { storeCodec } from "../codecs/store/codec.js";
import { brotliCodec, deflateCodec, gzipCodec } from "../codecs/zlib/codec.js";
import { zstdCodec } from "../codecs/zstd/codec.js";
import type { AnyStage } from "../stage.js";
import { bwtTransform } from "../transforms/bwt/transform.js";
import { deltaTransform } from "../transforms/delta/transform.js";
import { mtfTransform } from "../transforms/mtf/transform.js";
import { rleTransform } from "../transforms/rle/transform.js";
import { shuffleTransform } from "../transforms/shuffle/transform.js";
import { xorTransform } from "../transforms/xor/transform.js";

/** Every built-in stage: native codecs, then pure-TypeScript codecs, then transforms. */
export const BUILTIN_STAGES: readonly AnyStage[] = [
  // native codecs
  storeCodec,
  deflateCodec,
  gzipCodec,
  brotliCodec,
  zstdCodec,
  lz4Codec,
  // pure-TypeScript codecs
  huffmanCodec,
  ransCodec,
  lz77Codec,
  lzwCodec,
  cmCodec,
  // reversible transforms
  deltaTransform,
  xorTransform,
  shuffleTransform,
  bwtTransform,
  mtfTransform,
  rleTransform,
];
