/** A registry with deliberately broken codecs, for tests of failure handling (also loaded by workers). */
import { z } from "zod";
import { createRegistry } from "../../pipeline/registry.js";
import { BUILTIN_STAGES } from "../../pipeline/stages.js";
import { defineStage } from "../../stage.js";

/** `liar`: encodes as a copy, decodes with the first byte flipped (a silent corruption). */
export const liarCodec = defineStage({
  id: "liar",
  version: 1,
  kind: "codec",
  summary: "test codec whose decoder corrupts the first byte",
  params: z.object({}).strict(),
  positional: [],
  encode: (input) => input.slice(),
  decode: (input) => {
    const out = input.slice();
    if (out.length > 0) out[0] ^= 0xff;
    return out;
  },
});

/** `thrower`: encodes as a copy, always throws when decoding. */
export const throwerCodec = defineStage({
  id: "thrower",
  version: 1,
  kind: "codec",
  summary: "test codec whose decoder always throws",
  params: z.object({}).strict(),
  positional: [],
  encode: (input) => input.slice(),
  decode: () => {
    throw new Error("thrower: decode always fails");
  },
});

/** The built-in stages plus the broken test codecs. */
export const registry = createRegistry([...BUILTIN_STAGES, liarCodec, throwerCodec]);
