/** Returns the error code a call throws, "uncoded" for a non-metacomp error, or "none". */
import { isMetacompError } from "../../errors.js";

export function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return isMetacompError(e) ? e.code : `uncoded: ${e}`;
  }
  return "none";
}
