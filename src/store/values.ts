/**
 * Conversions between zod-typed row values and DuckDB values, driven by the derived columns.
 * BIGINT columns typed as numbers are converted from `bigint` deliberately and refused beyond 2^53.
 */
import {
  BIGINT,
  BLOB,
  BOOLEAN,
  blobValue,
  DOUBLE,
  DuckDBTimestampValue,
  type DuckDBType,
  type DuckDBValue,
  FLOAT,
  INTEGER,
  LIST,
  listValue,
  TIMESTAMP,
  VARCHAR,
} from "@duckdb/node-api";
import type { z } from "zod";
import { ErrorCode, err } from "../errors.js";
import type { Column, SqlType, TableDef } from "../schema/table.js";

const TYPES: Record<SqlType, DuckDBType> = {
  VARCHAR,
  INTEGER,
  BIGINT,
  DOUBLE,
  FLOAT,
  BOOLEAN,
  TIMESTAMP,
  BLOB,
  "FLOAT[]": LIST(FLOAT),
};

/**
 * The DuckDB type a column binds with.
 *
 * @example
 * ```ts
 * duckType(columnOf(TABLES.trials, "encNs")); // BIGINT
 * ```
 */
export function duckType(column: Column): DuckDBType {
  return TYPES[column.sqlType];
}

/**
 * A row value → the DuckDB value bound for its column.
 *
 * @example
 * ```ts
 * toDuck(columnOf(TABLES.runs, "startedAt"), new Date()); // DuckDBTimestampValue
 * ```
 */
export function toDuck(column: Column, value: unknown): DuckDBValue {
  if (value === null || value === undefined) return null;
  switch (column.sqlType) {
    case "BIGINT":
      return typeof value === "bigint" ? value : BigInt(value as number);
    case "TIMESTAMP":
      return new DuckDBTimestampValue(BigInt((value as Date).getTime()) * 1000n);
    case "BLOB":
      return blobValue(value as Uint8Array);
    case "FLOAT[]":
      return listValue(Array.from(value as ArrayLike<number>));
    default:
      return value as DuckDBValue;
  }
}

/**
 * Converts a BIGINT read back as `bigint` into a number, refusing values a double cannot hold exactly.
 *
 * @example
 * ```ts
 * bigintToNumber(42n, "trials.enc_ns"); // 42
 * ```
 */
export function bigintToNumber(value: bigint, where: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw err(ErrorCode.STORE_SCHEMA, `${where} = ${value} does not fit a JS number exactly; read it as SQL`);
  }
  return Number(value);
}

/**
 * A row read with `getRowObjectsJS` (snake_case, DuckDB JS values) → the zod-validated camelCase row.
 *
 * @example
 * ```ts
 * const run = fromDuckRow(TABLES.runs, reader.getRowObjectsJS()[0]);
 * ```
 */
export function fromDuckRow<T extends TableDef>(table: T, raw: Record<string, unknown>): z.infer<T["row"]> {
  const out: Record<string, unknown> = {};
  for (const c of table.columns) {
    let v = raw[c.name];
    if (v === undefined) v = null;
    if (c.bigintAsNumber && typeof v === "bigint") v = bigintToNumber(v, `${table.name}.${c.name}`);
    else if (c.sqlType === "BLOB" && v instanceof Uint8Array)
      v = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    out[c.field] = v;
  }
  const parsed = table.row.safeParse(out);
  if (!parsed.success) {
    throw err(
      ErrorCode.STORE_SCHEMA,
      `a ${table.name} row does not match its schema: ${parsed.error.message}`,
    );
  }
  return parsed.data as z.infer<T["row"]>;
}
