/**
 * Parameters of a notebook: small defaults for CI, overridden for full-size runs by a JSON file named in
 * `METACOMP_NB_PARAMS` and then by one environment variable per parameter (`METACOMP_NB_<NAME>`, the name in
 * upper snake case, e.g. `seeds` → `METACOMP_NB_SEEDS`). papermill has no tslab translator, so this replaces it.
 */
import { readFileSync } from "node:fs";
import { ErrorCode, err } from "../errors.js";

type ParamValue = number | string | boolean;

/** The environment variable of a parameter: `blockBytes` → `METACOMP_NB_BLOCK_BYTES`. */
export function notebookParamEnvName(name: string): string {
  return `METACOMP_NB_${name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase()}`;
}

function coerce(name: string, text: string, like: ParamValue, source: string): ParamValue {
  if (typeof like === "number") {
    const n = Number(text);
    if (text.trim() === "" || !Number.isFinite(n))
      throw err(ErrorCode.INVALID_CONFIG, `${source}: parameter "${name}" must be a number, got "${text}"`);
    return n;
  }
  if (typeof like === "boolean") {
    if (/^(1|true|yes)$/i.test(text)) return true;
    if (/^(0|false|no)$/i.test(text)) return false;
    throw err(
      ErrorCode.INVALID_CONFIG,
      `${source}: parameter "${name}" must be true or false, got "${text}"`,
    );
  }
  return text;
}

/**
 * Returns `defaults` overridden by the JSON file at `$METACOMP_NB_PARAMS` (keys must be known parameters) and then
 * by `METACOMP_NB_<NAME>` variables, each coerced to its default's type.
 *
 * @example
 * ```ts
 * // METACOMP_NB_SEEDS=10 jupyter nbconvert --execute …
 * const params = notebookParams({ scale: 1, seeds: 5, folder: "/usr/share/common-licenses" });
 * params.seeds; // 10
 * ```
 */
export function notebookParams<T extends Record<string, ParamValue>>(
  defaults: T,
  env: Readonly<Record<string, string | undefined>> = process.env,
): T {
  const out: Record<string, ParamValue> = { ...defaults };
  const file = env.METACOMP_NB_PARAMS;
  if (file) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, "utf8"));
    } catch (e) {
      throw err(
        ErrorCode.INVALID_CONFIG,
        `METACOMP_NB_PARAMS=${file}: cannot read it as JSON (${(e as Error).message})`,
        e,
      );
    }
    if (json === null || typeof json !== "object" || Array.isArray(json))
      throw err(ErrorCode.INVALID_CONFIG, `METACOMP_NB_PARAMS=${file}: expected a JSON object of parameters`);
    for (const [name, value] of Object.entries(json)) {
      if (!(name in defaults))
        throw err(
          ErrorCode.INVALID_CONFIG,
          `METACOMP_NB_PARAMS=${file}: unknown parameter "${name}"; known: ${Object.keys(defaults).join(", ")}`,
        );
      out[name] = coerce(name, String(value), defaults[name], `METACOMP_NB_PARAMS=${file}`);
    }
  }
  for (const name of Object.keys(defaults)) {
    const key = notebookParamEnvName(name);
    const text = env[key];
    if (text !== undefined) out[name] = coerce(name, text, defaults[name], key);
  }
  return out as T;
}
