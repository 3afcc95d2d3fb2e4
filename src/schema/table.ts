/**
 * Table definitions: one zod row schema per table, from which the DuckDB DDL is derived (types, NOT NULL,
 * CHECK, primary and unique keys, foreign keys). Row fields are camelCase; columns are their snake_case.
 */
import { z } from "zod";
import { ErrorCode, err } from "../errors.js";

/** The DuckDB column types a row schema can map to. */
export type SqlType =
  | "VARCHAR"
  | "INTEGER"
  | "BIGINT"
  | "DOUBLE"
  | "FLOAT"
  | "BOOLEAN"
  | "TIMESTAMP"
  | "BLOB"
  | "FLOAT[]";

/** Extra column facts zod cannot express: an explicit SQL type (BLOB) and the schema version that added it. */
export interface ColumnMeta {
  sqlType?: SqlType;
  /** The schema version whose migration added this column (default: the table's `since`). */
  since?: number;
}

/** The registry holding {@link ColumnMeta} for row-schema fields. */
export const columnMeta = z.registry<ColumnMeta>();

/**
 * A BLOB column: bytes in, bytes out.
 *
 * @example
 * ```ts
 * const row = z.object({ model: blob() });
 * ```
 */
export function blob() {
  return z.instanceof(Uint8Array).register(columnMeta, { sqlType: "BLOB" });
}

/**
 * Marks a field as added by the migration to schema `version` (it must be nullable: DuckDB cannot add a
 * NOT NULL column to a filled table).
 *
 * @example
 * ```ts
 * const row = z.object({ id: z.int32(), tfjsBackend: addedIn(2, z.string().nullable()) });
 * ```
 */
export function addedIn<T extends z.ZodType>(version: number, schema: T): T {
  columnMeta.add(schema as z.ZodType, { ...columnMeta.get(schema), since: version });
  return schema;
}

/** One derived column. */
export interface Column {
  /** The row field (camelCase). */
  field: string;
  /** The column name (snake_case). */
  name: string;
  sqlType: SqlType;
  notNull: boolean;
  /** CHECK expressions over this column. */
  checks: string[];
  /** How rows read back: BIGINT columns typed as numbers in zod are converted from bigint deliberately. */
  bigintAsNumber: boolean;
  since: number;
}

/** What {@link defineTable} takes. */
export interface TableSpec<S extends z.ZodObject> {
  name: string;
  row: S;
  primaryKey?: readonly (keyof z.infer<S> & string)[];
  unique?: readonly (readonly (keyof z.infer<S> & string)[])[];
  references?: Partial<Record<keyof z.infer<S> & string, { table: string; field: string }>>;
  /** Schema version whose migration created the table. */
  since: number;
  /** Rows are never updated or deleted once written. */
  appendOnly: boolean;
}

/** A table: its spec plus the derived columns. */
export interface TableDef<S extends z.ZodObject = z.ZodObject> extends TableSpec<S> {
  columns: readonly Column[];
}

/**
 * camelCase → snake_case.
 *
 * @example
 * ```ts
 * toSnake("roundTripOk"); // "round_trip_ok"
 * ```
 */
export function toSnake(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

const sqlString = (s: string) => `'${s.replaceAll("'", "''")}'`;

interface Unwrapped {
  inner: z.ZodType;
  nullable: boolean;
}

function unwrap(schema: z.ZodType): Unwrapped {
  const type = schema._zod.def.type;
  if (type === "nullable") return { inner: (schema as z.ZodNullable).unwrap() as z.ZodType, nullable: true };
  return { inner: schema, nullable: false };
}

type CheckDef = {
  check: string;
  value?: number;
  inclusive?: boolean;
  minimum?: number;
  maximum?: number;
  format?: string;
  pattern?: RegExp;
};

function checksOf(schema: z.ZodType, col: string): string[] {
  const out: string[] = [];
  const defs = (schema._zod.def.checks ?? []) as { _zod: { def: CheckDef } }[];
  for (const { _zod } of defs) {
    const c = _zod.def;
    if (c.check === "greater_than") out.push(`${col} ${c.inclusive ? ">=" : ">"} ${c.value}`);
    else if (c.check === "less_than") out.push(`${col} ${c.inclusive ? "<=" : "<"} ${c.value}`);
    else if (c.check === "min_length") out.push(`length(${col}) >= ${c.minimum}`);
    else if (c.check === "max_length") out.push(`length(${col}) <= ${c.maximum}`);
    else if (c.check === "string_format" && c.format === "regex" && c.pattern) {
      out.push(`regexp_full_match(${col}, ${sqlString(c.pattern.source)})`);
    } else {
      throw err(
        ErrorCode.STORE_SCHEMA,
        `column ${col}: zod check "${c.check}" has no SQL form; add one in table.ts`,
      );
    }
  }
  return out;
}

function deriveColumn(field: string, schema: z.ZodType, tableSince: number): Column {
  const name = toSnake(field);
  const meta = columnMeta.get(schema);
  const { inner, nullable } = unwrap(schema);
  const innerMeta = columnMeta.get(inner);
  const since = meta?.since ?? innerMeta?.since ?? tableSince;
  const base = { field, name, notNull: !nullable, since, bigintAsNumber: false };
  const explicit = meta?.sqlType ?? innerMeta?.sqlType;
  if (explicit) return { ...base, sqlType: explicit, checks: [] };
  const type = inner._zod.def.type;
  switch (type) {
    case "string":
      return { ...base, sqlType: "VARCHAR", checks: checksOf(inner, name) };
    case "boolean":
      return { ...base, sqlType: "BOOLEAN", checks: [] };
    case "bigint":
      return { ...base, sqlType: "BIGINT", checks: [] };
    case "date":
      return { ...base, sqlType: "TIMESTAMP", checks: [] };
    case "enum": {
      const options = (inner as z.ZodEnum).options.map((o) => sqlString(String(o)));
      return { ...base, sqlType: "VARCHAR", checks: [`${name} IN (${options.join(", ")})`] };
    }
    case "number": {
      const format = (inner as z.ZodNumber).format;
      const checks = checksOf(inner, name);
      if (format === "int32") return { ...base, sqlType: "INTEGER", checks };
      if (format === "safeint") return { ...base, sqlType: "BIGINT", checks, bigintAsNumber: true };
      if (format === "float32") return { ...base, sqlType: "FLOAT", checks };
      return { ...base, sqlType: "DOUBLE", checks: [...checks, `isfinite(${name})`] };
    }
    case "array": {
      const element = (inner as z.ZodArray<z.ZodType>).element;
      if (element._zod.def.type === "number" && (element as z.ZodNumber).format === "float32") {
        return { ...base, sqlType: "FLOAT[]", checks: [] };
      }
      break;
    }
  }
  throw err(
    ErrorCode.STORE_SCHEMA,
    `column ${name}: zod type "${type}" has no DuckDB mapping; add one in table.ts`,
  );
}

/**
 * Defines a table from its zod row schema and derives its columns.
 *
 * @example
 * ```ts
 * const tags = defineTable({
 *   name: "tags", since: 1, appendOnly: true, primaryKey: ["runId", "key"],
 *   row: z.object({ runId: z.int32(), key: z.string().min(1), value: z.string() }),
 * });
 * createTableSql(tags, 1); // CREATE TABLE tags (run_id INTEGER NOT NULL, …)
 * ```
 */
export function defineTable<S extends z.ZodObject>(spec: TableSpec<S>): TableDef<S> {
  const columns = Object.entries(spec.row.shape).map(([field, schema]) =>
    deriveColumn(field, schema as z.ZodType, spec.since),
  );
  for (const c of columns) {
    if (c.since > spec.since && c.notNull) {
      throw err(
        ErrorCode.STORE_SCHEMA,
        `${spec.name}.${c.name} is added by a migration, so it must be nullable`,
      );
    }
  }
  return { ...spec, columns };
}

/**
 * The column by row field; throws for an unknown field (identifiers only ever come from the definitions).
 *
 * @example
 * ```ts
 * columnOf(runsTable, "startedAt").name; // "started_at"
 * ```
 */
export function columnOf(table: TableDef, field: string): Column {
  const c = table.columns.find((x) => x.field === field);
  if (!c) {
    const known = table.columns.map((x) => x.field).join(", ");
    throw err(ErrorCode.INVALID_CONFIG, `table ${table.name} has no field "${field}"; use one of: ${known}`);
  }
  return c;
}

function columnSql(c: Column): string {
  const parts = [c.name, c.sqlType];
  if (c.notNull) parts.push("NOT NULL");
  for (const check of c.checks) parts.push(`CHECK (${check})`);
  return parts.join(" ");
}

/**
 * The CREATE TABLE statement for the table as of schema `version` (columns added later are left out).
 *
 * @example
 * ```ts
 * await connection.run(createTableSql(tagsTable, 1));
 * ```
 */
export function createTableSql(table: TableDef, version: number): string {
  const cols = table.columns.filter((c) => c.since <= version);
  const lines = cols.map(columnSql);
  const names = (fields: readonly string[]) => fields.map((f) => columnOf(table, f).name).join(", ");
  if (table.primaryKey?.length) lines.push(`PRIMARY KEY (${names(table.primaryKey)})`);
  for (const u of table.unique ?? []) lines.push(`UNIQUE (${names(u)})`);
  for (const [field, ref] of Object.entries(table.references ?? {})) {
    const r = ref as { table: string; field: string };
    lines.push(`FOREIGN KEY (${columnOf(table, field).name}) REFERENCES ${r.table} (${toSnake(r.field)})`);
  }
  return `CREATE TABLE ${table.name} (\n  ${lines.join(",\n  ")}\n)`;
}

/**
 * The ALTER TABLE statements adding the columns that schema `version` introduced to an existing table.
 *
 * @example
 * ```ts
 * for (const sql of addColumnsSql(runsTable, 2)) await connection.run(sql);
 * ```
 */
export function addColumnsSql(table: TableDef, version: number): string[] {
  if (table.since >= version) return [];
  return table.columns
    .filter((c) => c.since === version)
    .map((c) => `ALTER TABLE ${table.name} ADD COLUMN ${columnSql(c)}`);
}
