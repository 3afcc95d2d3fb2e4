/**
 * The one table of every pipeline stage metacomp knows. Registration is explicit: a stage exists when it is
 * listed here, never as a side effect of an import.
 */

import { lz4Codec } from "../codecs/lz4/codec.js";
import { storeCodec } from "../codecs/store/codec.js";
import { brotliCodec, deflateCodec, gzipCodec } from "../codecs/zlib/codec.js";
import { zstdCodec } from "../codecs/zstd/codec.js";
import type { AnyStage } from "../stage.js";
import { deltaTransform } from "../transforms/delta/transform.js";
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
  // reversible transforms
  deltaTransform,
  xorTransform,
  shuffleTransform,
];
