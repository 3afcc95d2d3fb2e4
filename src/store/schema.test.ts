import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { TABLES, type TableKey } from "../schema/rows.js";
import {
  type Column,
  columnMeta,
  createTableSql,
  defineTable,
  type TableDef,
  toSnake,
} from "../schema/table.js";
import { Database } from "./database.js";
import { migrate, SCHEMA_VERSION } from "./migrations.js";
import { SAMPLES } from "./test-utils/helpers.js";
import { duckType, toDuck } from "./values.js";

/** Inserts a row with raw bound SQL, bypassing zod, so DuckDB's own constraints are what is tested. */
async function rawInsert(db: Database, table: TableDef, row: Record<string, unknown>): Promise<void> {
  const cols = table.columns;
  await db.exec(
    `INSERT INTO ${table.name} (${cols.map((c) => c.name).join(", ")}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(", ")})`,
    cols.map((c) => toDuck(c, row[c.field])),
    cols.map(duckType),
  );
}

async function dbAccepts(db: Database, table: TableDef, row: Record<string, unknown>): Promise<boolean> {
  await db.exec("BEGIN TRANSACTION");
  try {
    await rawInsert(db, table, row);
    return true;
  } catch {
    return false;
  } finally {
    await db.exec("ROLLBACK");
  }
}

type CheckDef = { check: string; value?: number; inclusive?: boolean; minimum?: number; format?: string };

/** Values that break one zod rule of a column (null for NOT NULL, a bogus enum value, an out-of-range number…). */
function violations(table: TableDef, c: Column): unknown[] {
  let schema = table.row.shape[c.field] as z.ZodType;
  const out: unknown[] = [];
  if (schema._zod.def.type === "nullable") schema = (schema as z.ZodNullable).unwrap() as z.ZodType;
  else out.push(null);
  if (schema._zod.def.type === "enum") out.push("not-a-member");
  for (const check of (schema._zod.def.checks ?? []) as { _zod: { def: CheckDef } }[]) {
    const d = check._zod.def;
    if (d.check === "greater_than") out.push(d.inclusive ? d.value! - 1 : d.value!);
    if (d.check === "less_than") out.push(d.inclusive ? d.value! + 1 : d.value!);
    if (d.check === "min_length") out.push("x".repeat(d.minimum! - 1));
    if (d.check === "string_format") out.push("NOT HEX!");
  }
  if (c.sqlType === "DOUBLE") out.push(Number.POSITIVE_INFINITY, Number.NaN);
  return out;
}

const ZOD_TO_DUCK: Record<Column["sqlType"], string> = {
  VARCHAR: "VARCHAR",
  INTEGER: "INTEGER",
  BIGINT: "BIGINT",
  DOUBLE: "DOUBLE",
  FLOAT: "FLOAT",
  BOOLEAN: "BOOLEAN",
  TIMESTAMP: "TIMESTAMP",
  BLOB: "BLOB",
  "FLOAT[]": "FLOAT[]",
};

let db: Database;
beforeAll(async () => {
  db = await Database.open(":memory:", { readOnly: false, waitForLockMs: 0 });
  await migrate(db.connection);
});
afterAll(() => db.close());

describe("every zod row schema matches its DuckDB table", () => {
  const keys = Object.keys(TABLES) as TableKey[];

  it.each(keys)("%s: columns, types, nullability and keys", async (key) => {
    const table = TABLES[key] as TableDef;
    const actual = await db.all(
      "SELECT column_name, data_type, is_nullable FROM duckdb_columns() WHERE table_name = $1 ORDER BY column_index",
      [table.name],
    );
    const expected = Object.entries(table.row.shape).map(([field, schema]) => ({
      column_name: toSnake(field),
      data_type: ZOD_TO_DUCK[table.columns.find((c) => c.field === field)!.sqlType],
      is_nullable: (schema as z.ZodType)._zod.def.type === "nullable",
    }));
    expect(actual).toEqual(expected);

    const constraints = await db.all(
      "SELECT constraint_type AS t, constraint_column_names AS c FROM duckdb_constraints() WHERE table_name = $1",
      [table.name],
    );
    const of = (t: string) => constraints.filter((x) => x.t === t).map((x) => (x.c as string[]).join(","));
    const cols = (fields: readonly string[] = []) => fields.map(toSnake).join(",");
    expect(of("PRIMARY KEY")).toEqual(table.primaryKey ? [cols(table.primaryKey)] : []);
    expect(of("UNIQUE")).toEqual((table.unique ?? []).map(cols));
    expect(of("FOREIGN KEY").sort()).toEqual(
      Object.keys(table.references ?? {})
        .map((f) => toSnake(f))
        .sort(),
    );
    expect(of("CHECK").sort()).toEqual(table.columns.flatMap((c) => c.checks.map(() => c.name)).sort());
  });

  it.each(keys)(
    "%s: a valid row round-trips; each broken rule is refused by zod AND by DuckDB",
    async (key) => {
      const table = TABLES[key] as TableDef;
      const sample = SAMPLES[key] as Record<string, unknown>;
      expect(table.row.safeParse(sample).success).toBe(true);
      await rawInsert(db, table, sample);
      const [back] = await db.select(
        table,
        Object.fromEntries((table.primaryKey ?? []).map((f) => [f, sample[f]])),
      );
      expect(back).toEqual(sample);

      let rules = 0;
      for (const c of table.columns) {
        for (const bad of violations(table, c)) {
          const row = { ...sample, [c.field]: bad };
          const zodOk = table.row.safeParse(row).success;
          const dbOk = await dbAccepts(db, table, row).catch(() => false);
          expect({ column: c.name, bad, zodOk, dbOk }).toEqual({
            column: c.name,
            bad,
            zodOk: false,
            dbOk: false,
          });
          rules++;
        }
      }
      expect(rules).toBeGreaterThan(0);
    },
  );
});

describe("DDL derivation", () => {
  it("writes types, NOT NULL, CHECK and keys from the zod schema", () => {
    expect(createTableSql(TABLES.tags, SCHEMA_VERSION)).toMatchInlineSnapshot(`
      "CREATE TABLE tags (
        run_id INTEGER NOT NULL CHECK (run_id >= 1),
        key VARCHAR NOT NULL CHECK (length(key) >= 1),
        value VARCHAR NOT NULL,
        PRIMARY KEY (run_id, key)
      )"
    `);
  });

  it("leaves out columns added by later migrations when creating an older version", () => {
    expect(createTableSql(TABLES.runs, 1)).not.toContain("tfjs_backend");
    expect(createTableSql(TABLES.runs, 2)).toContain("tfjs_backend VARCHAR,");
  });

  it("refuses zod types and checks it cannot express in SQL, and NOT NULL columns added later", async () => {
    const { z } = await import("zod");
    const bad = (row: z.ZodObject) => () => defineTable({ name: "x", row, since: 1, appendOnly: true });
    expect(bad(z.object({ a: z.record(z.string(), z.string()) }))).toThrow(/no DuckDB mapping/);
    expect(bad(z.object({ a: z.string().email() }))).toThrow(/no SQL form/);
    expect(bad(z.object({ a: z.number().multipleOf(2) }))).toThrow(/no SQL form/);
    const late = z.string();
    columnMeta.add(late, { since: 2 });
    expect(bad(z.object({ a: late }))).toThrow(/must be nullable/);
  });
});
