/** File and stream helpers shared by CLI commands. `-` means stdin or stdout. */
import { readFile, writeFile } from "node:fs/promises";
import { ErrorCode, err } from "../errors.js";

/** Reads a whole file, or stdin for `-`, as bytes. Unreadable paths get `E_IO` naming the path. */
export async function readBytes(path: string): Promise<Uint8Array> {
  if (path === "-") {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    const all = Buffer.concat(chunks);
    return new Uint8Array(all.buffer, all.byteOffset, all.byteLength);
  }
  try {
    const buf = await readFile(path);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    throw err(
      ErrorCode.IO,
      `cannot read "${path}": ${(e as Error).message}; check the path and permissions`,
      e,
    );
  }
}

/** Writes bytes to a file, or stdout for `-`. */
export async function writeBytes(path: string, bytes: Uint8Array): Promise<void> {
  if (path === "-") {
    await new Promise<void>((resolve, reject) =>
      process.stdout.write(bytes, (e) => (e ? reject(e) : resolve())),
    );
    return;
  }
  try {
    await writeFile(path, bytes);
  } catch (e) {
    throw err(ErrorCode.IO, `cannot write "${path}": ${(e as Error).message}; check the folder exists`, e);
  }
}

/** Throws `E_USAGE` with the message when a required CLI argument is missing. */
export function requireArg(value: string | undefined, message: string): string {
  if (value === undefined || value === "") throw err(ErrorCode.USAGE, message);
  return value;
}

/** What a numeric option accepts: `min` and `max` are inclusive bounds, `above` an exclusive lower bound. */
export interface NumberRule {
  readonly integer?: boolean;
  readonly min?: number;
  readonly max?: number;
  readonly above?: number;
}

function describeRule({ integer, min, max, above }: NumberRule): string {
  const kind = integer ? "an integer" : "a number";
  if (above !== undefined) return `${kind} > ${above}${max !== undefined ? ` and ≤ ${max}` : ""}`;
  if (min !== undefined && max !== undefined) return `${kind} from ${min} to ${max}`;
  if (min !== undefined) return `${kind} ≥ ${min}`;
  if (max !== undefined) return `${kind} ≤ ${max}`;
  return kind;
}

/**
 * A numeric command-line option, checked: a finite number (an integer if the rule says so) within the rule's
 * bounds. Anything else throws `E_USAGE` naming the option, the value and what it accepts.
 *
 * @example
 * ```ts
 * numberArg("5", "repeats", { integer: true, min: 1 }); // 5
 * numberArg("abc", "repeats", { integer: true, min: 1 }); // throws E_USAGE: --repeats "abc" must be an integer ≥ 1
 * ```
 */
export function numberArg(value: string, name: string, rule: NumberRule = {}): number {
  const n = value.trim() === "" ? Number.NaN : Number(value);
  const ok =
    Number.isFinite(n) &&
    (!rule.integer || Number.isSafeInteger(n)) &&
    n >= (rule.min ?? -Infinity) &&
    n > (rule.above ?? -Infinity) &&
    n <= (rule.max ?? Infinity);
  if (!ok) throw err(ErrorCode.USAGE, `--${name} ${JSON.stringify(value)} must be ${describeRule(rule)}`);
  return n;
}

/**
 * A list option of numbers (e.g. `--hidden 64x64`, `--novelty 0.9,0.97`), each checked by {@link numberArg}.
 * An empty value is an empty list.
 *
 * @example
 * ```ts
 * numberListArg("128x128", "hidden", { integer: true, min: 1 }, "x"); // [128, 128]
 * ```
 */
export function numberListArg(value: string, name: string, rule: NumberRule = {}, separator = ","): number[] {
  if (value === "") return [];
  return value.split(separator).map((item) => {
    try {
      return numberArg(item, name, rule);
    } catch {
      throw err(
        ErrorCode.USAGE,
        `--${name} ${JSON.stringify(value)}: each "${separator}"-separated item must be ${describeRule(rule)} (got ${JSON.stringify(item)})`,
      );
    }
  });
}
