/**
 * The notebook edge: store rows → a danfojs DataFrame. danfojs-node is imported lazily, on first use, so
 * nothing else in metacomp ever loads it.
 */
import type { DataFrame } from "danfojs-node";
import { ErrorCode, err } from "../errors.js";

/** Makes one cell plain for danfo: bigint → number, bytes → their length, arrays → JSON text. */
function cell(value: unknown): unknown {
  if (typeof value === "bigint") {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value) || ArrayBuffer.isView(value)) return JSON.stringify(Array.from(value as number[]));
  return value;
}

/**
 * Converts rows (from `store.select`, `store.query`, …) into a danfojs DataFrame for notebooks. BIGINT
 * values become numbers (strings beyond 2^53), BLOBs their byte length, vectors JSON text.
 *
 * @example
 * ```ts
 * const df = await toDataFrame(await store.select("metrics", { runId: 3 }));
 * df.groupby(["key"]).col(["value"]).max().print();
 * (await toDataFrame(rows, { maxRows: 100 })).print(); // print shows up to 100 rows (danfo's default: 10)
 * ```
 */
export async function toDataFrame(
  rows: readonly Record<string, unknown>[],
  opts: { maxRows?: number } = {},
): Promise<DataFrame> {
  if (rows.length === 0) throw err(ErrorCode.USAGE, "toDataFrame needs at least one row; check your query");
  const plain = rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, cell(v)])));
  const danfo = await import("danfojs-node");
  return new danfo.DataFrame(plain, opts.maxRows ? { config: { tableMaxRow: opts.maxRows } } : undefined);
}
