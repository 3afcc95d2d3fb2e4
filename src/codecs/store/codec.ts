import { z } from "zod";
import { checkOutputLimit, defineStage } from "../../stage.js";

/** `store`: the identity codec. Useful as a baseline and for incompressible blocks. */
export const storeCodec = defineStage({
  id: "store",
  version: 1,
  kind: "codec",
  summary: "identity: copies bytes unchanged",
  params: z.object({}).strict(),
  positional: [],
  encode: (input) => input.slice(),
  decode: (input, _params, limits) => {
    checkOutputLimit("store", input.length, limits);
    return input.slice();
  },
});
