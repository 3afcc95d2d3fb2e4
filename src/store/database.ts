/**
 * The DuckDB file underneath a store: opening with lock handling, serialised statements, generic typed
 * insert/select and Appender bulk writes. Identifiers come only from the table definitions; values are
 * always bound.
 */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import {
  BIGINT,
  BOOLEAN,
  DOUBLE,
  type DuckDBConnection,
  DuckDBDataChunk,
  DuckDBInstance,
  type DuckDBType,
  type DuckDBValue,
  INTEGER,
  LIST,
  listValue,
  StatementType,
  VARCHAR,
} from "@duckdb/node-api";
import type { z } from "zod";
import { ErrorCode, err } from "../errors.js";
import { type Column, columnOf, type TableDef } from "../schema/table.js";
import { duckType, fromDuckRow, toDuck } from "./values.js";

/** Paths this process has open, so a second in-process writer is refused like a second process would be. */
const openHere = new Map<string, "write" | "read">();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How {@link Database.open} behaves. */
export interface DatabaseOpenOptions {
  readOnly: boolean;
  /** Keep retrying a locked file for this long before failing with E_STORE_LOCKED (default 0). */
  waitForLockMs: number;
}

/**
 * One open DuckDB database and its single connection. Every statement runs through {@link Database.serial},
 * so transactions from concurrent async callers never interleave.
 *
 * @example
 * ```ts
 * const db = await Database.open(":memory:", { readOnly: false, waitForLockMs: 0 });
 * await db.serial(() => db.exec("SELECT 1"));
 * db.close();
 * ```
 */
export class Database {
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    readonly path: string,
    readonly readOnly: boolean,
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

  /** Opens (and for writers creates) the file; a lock held elsewhere becomes E_STORE_LOCKED. */
  static async open(path: string, options: DatabaseOpenOptions): Promise<Database> {
    const memory = path === ":memory:";
    const resolved = memory ? path : resolve(path);
    const deadline = Date.now() + options.waitForLockMs;
    for (;;) {
      try {
        const instance = await Database.createInstance(resolved, memory, options.readOnly);
        const connection = await instance.connect();
        if (!memory) openHere.set(resolved, options.readOnly ? "read" : "write");
        return new Database(resolved, options.readOnly, instance, connection);
      } catch (e) {
        const locked = (e as MetacompErrorLike).code === ErrorCode.STORE_LOCKED;
        if (!locked || Date.now() >= deadline) throw e;
        await sleep(Math.min(100, Math.max(1, deadline - Date.now())));
      }
    }
  }

  private static async createInstance(
    resolved: string,
    memory: boolean,
    readOnly: boolean,
  ): Promise<DuckDBInstance> {
    if (memory) return DuckDBInstance.create(":memory:");
    const mine = openHere.get(resolved);
    if (mine === "write" || (mine === "read" && !readOnly)) {
      throw err(
        ErrorCode.STORE_LOCKED,
        `${resolved} is already open in this process; reuse that store or close it first`,
      );
    }
    if (!readOnly) mkdirSync(dirname(resolved), { recursive: true });
    try {
      return await DuckDBInstance.create(resolved, readOnly ? { access_mode: "READ_ONLY" } : {});
    } catch (e) {
      const message = (e as Error).message;
      if (/lock/i.test(message)) {
        const holder = /held in (.*)$/m.exec(message)?.[1]?.replace(/\. See also.*/, "") ?? "another process";
        throw err(
          ErrorCode.STORE_LOCKED,
          `${resolved} is locked by ${holder}; DuckDB allows one writer and no readers beside it. ` +
            "Wait for that process to close the store, or pass { waitForLockMs } to wait",
          e,
        );
      }
      throw err(ErrorCode.IO, `cannot open store ${resolved}: ${message}`, e);
    }
  }

  /** Runs `fn` after every earlier serial call has finished. */
  serial<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closed)
      return Promise.reject(err(ErrorCode.USAGE, `store ${this.path} is closed; open it again`));
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Runs one statement with bound values (call inside {@link serial}). */
  async exec(sql: string, values?: DuckDBValue[], types?: DuckDBType[]): Promise<void> {
    await this.connection.run(sql, values, types);
  }

  /** Runs a query and returns raw JS row objects (BIGINT as bigint). */
  async all(sql: string, values?: DuckDBValue[], types?: DuckDBType[]): Promise<Record<string, unknown>[]> {
    const reader = await this.connection.runAndReadAll(sql, values, types);
    return reader.getRowObjectsJS() as Record<string, unknown>[];
  }

  /**
   * Runs one read-only statement (SELECT or EXPLAIN) with bound values; anything else, or several statements,
   * is refused with E_USAGE, so ad-hoc SQL can never change stored rows.
   */
  async read(sql: string, values: DuckDBValue[]): Promise<Record<string, unknown>[]> {
    const extracted = await this.connection.extractStatements(sql);
    if (extracted.count !== 1) {
      throw err(ErrorCode.USAGE, `store.query takes exactly one statement, got ${extracted.count}`);
    }
    const prepared = await extracted.prepare(0);
    try {
      if (
        prepared.statementType !== StatementType.SELECT &&
        prepared.statementType !== StatementType.EXPLAIN
      ) {
        throw err(
          ErrorCode.USAGE,
          `store.query is read-only (SELECT); write through the store and run API instead: ${sql.slice(0, 60)}`,
        );
      }
      prepared.bind(values);
      return (await prepared.runAndReadAll()).getRowObjectsJS() as Record<string, unknown>[];
    } finally {
      prepared.destroySync();
    }
  }

  /** Runs `fn` in a transaction (call inside {@link serial}). */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.connection.run("BEGIN TRANSACTION");
    try {
      const result = await fn();
      await this.connection.run("COMMIT");
      return result;
    } catch (e) {
      await this.connection.run("ROLLBACK");
      throw e;
    }
  }

  /** Validates `row` with the table's zod schema and inserts it. */
  async insert<T extends TableDef>(table: T, row: z.input<T["row"]>, orIgnore = false): Promise<void> {
    const parsed = parseRow(table, row) as Record<string, unknown>;
    const cols = table.columns;
    const placeholders = cols.map((_, i) => `$${i + 1}`).join(", ");
    const names = cols.map((c) => c.name).join(", ");
    const conflict = orIgnore ? " ON CONFLICT DO NOTHING" : "";
    try {
      await this.exec(
        `INSERT INTO ${table.name} (${names}) VALUES (${placeholders})${conflict}`,
        cols.map((c) => toDuck(c, parsed[c.field])),
        cols.map(duckType),
      );
    } catch (e) {
      const message = (e as Error).message;
      if (!/constraint/i.test(message)) throw e;
      throw err(
        ErrorCode.INVALID_CONFIG,
        `cannot write this ${table.name} row: ${message}; rows are never overwritten, so use a new key`,
        e,
      );
    }
  }

  /** Selects rows whose fields equal `where`, ordered by primary key (else insertion order), zod-validated. */
  async select<T extends TableDef>(
    table: T,
    where: Record<string, unknown> = {},
    inList?: { field: string; values: readonly unknown[] },
  ): Promise<z.infer<T["row"]>[]> {
    const conds: string[] = [];
    const values: DuckDBValue[] = [];
    const types: DuckDBType[] = [];
    for (const [field, value] of Object.entries(where)) {
      if (value === undefined) continue;
      const c = columnOf(table, field);
      values.push(toDuck(c, value));
      types.push(duckType(c));
      conds.push(`${c.name} = $${values.length}`);
    }
    if (inList) {
      const c = columnOf(table, inList.field);
      values.push(listValue(inList.values.map((v) => toDuck(c, v))));
      types.push(listTypeOf(c));
      conds.push(`list_contains($${values.length}, ${c.name})`);
    }
    const pk = table.primaryKey?.length
      ? table.primaryKey.map((f) => columnOf(table, f).name).join(", ")
      : "rowid";
    const whereSql = conds.length ? ` WHERE ${conds.join(" AND ")}` : "";
    const cols = table.columns.map((c) => c.name).join(", ");
    const raw = await this.all(`SELECT ${cols} FROM ${table.name}${whereSql} ORDER BY ${pk}`, values, types);
    return raw.map((r) => fromDuckRow(table, r));
  }

  /**
   * Appends rows with the DuckDB Appender, a data chunk of up to 2048 rows at a time, in one transaction:
   * all rows land or none. Each value's JS type is checked here; NOT NULL and CHECK constraints (derived
   * from the same zod schema) are enforced by DuckDB. Returns the row count.
   */
  async append<T extends TableDef>(table: T, rows: Iterable<z.input<T["row"]>>): Promise<number> {
    return this.transaction(async () => {
      const appender = await this.connection.createAppender(table.name);
      const types = table.columns.map(duckType);
      const prepare = table.columns.map((c) => valuePreparer(table, c));
      const fields = table.columns.map((c) => c.field);
      let n = 0;
      let batch: Record<string, unknown>[] = [];
      const flush = () => {
        const chunk = DuckDBDataChunk.create(types, batch.length);
        for (let j = 0; j < fields.length; j++) {
          const vector = chunk.getColumnVector(j);
          const field = fields[j]!;
          const conv = prepare[j]!;
          for (let i = 0; i < batch.length; i++)
            vector.setItem(i, conv(batch[i]![field], n - batch.length + i));
          vector.flush();
        }
        appender.appendDataChunk(chunk);
        batch = [];
      };
      // run_id is not a FOREIGN KEY (see rows.ts), so the runs referenced are checked before commit
      const hasRun = table.columns.some((c) => c.field === "runId" && c.sqlType === "INTEGER");
      const runIds = new Set<number>();
      try {
        for (const row of rows) {
          batch.push(row as Record<string, unknown>);
          if (hasRun) runIds.add((row as { runId: number }).runId);
          n++;
          if (batch.length === CHUNK_ROWS) flush();
        }
        if (batch.length > 0) flush();
        appender.closeSync();
      } catch (e) {
        try {
          appender.clear();
          appender.closeSync();
        } catch {
          // the appender is already unusable; the rollback discards its rows
        }
        if (isCoded(e)) throw e;
        throw err(
          ErrorCode.INVALID_CONFIG,
          `appending to ${table.name} failed: ${(e as Error).message}; fix the rows`,
          e,
        );
      }
      if (runIds.size > 0) {
        const wanted = [...runIds];
        const found = await this.all(
          "SELECT id FROM runs WHERE list_contains($1, id)",
          [listValue(wanted)],
          [LIST(INTEGER)],
        );
        const known = new Set(found.map((r) => Number(r.id)));
        const missing = wanted.filter((id) => !known.has(id));
        if (missing.length > 0) {
          throw err(
            ErrorCode.NOT_FOUND,
            `${table.name} rows name run ${missing.join(", ")}, which is not in the store; start the run first`,
          );
        }
      }
      return n;
    });
  }

  /** Closes the connection and the database, releasing the file lock. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.connection.closeSync();
    this.instance.closeSync();
    if (this.path !== ":memory:") openHere.delete(this.path);
  }
}

interface MetacompErrorLike {
  code?: string;
}

function isCoded(e: unknown): boolean {
  return (
    typeof (e as MetacompErrorLike)?.code === "string" && (e as MetacompErrorLike).code!.startsWith("E_")
  );
}

function listTypeOf(c: Column): DuckDBType {
  const t = LIST_OF[c.sqlType];
  if (!t) throw err(ErrorCode.INTERNAL, `no list filter for ${c.sqlType} column ${c.name}`);
  return t;
}

const LIST_OF: Partial<Record<Column["sqlType"], DuckDBType>> = {
  VARCHAR: LIST(VARCHAR),
  INTEGER: LIST(INTEGER),
  BIGINT: LIST(BIGINT),
  DOUBLE: LIST(DOUBLE),
  BOOLEAN: LIST(BOOLEAN),
};

/**
 * Validates one row with its table's zod schema; a bad row is E_INVALID_CONFIG naming the table and field.
 *
 * @example
 * ```ts
 * parseRow(TABLES.tags, { runId: 1, key: "who", value: "me" });
 * ```
 */
export function parseRow<T extends TableDef>(table: T, row: unknown): z.infer<T["row"]> {
  const parsed = table.row.safeParse(row);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw err(
      ErrorCode.INVALID_CONFIG,
      `bad ${table.name} row at "${issue.path.join(".")}": ${issue.message}; fix the value before writing it`,
    );
  }
  return parsed.data as z.infer<T["row"]>;
}

const CHUNK_ROWS = 2048;

const JS_TYPE: Record<Column["sqlType"], (v: unknown) => boolean> = {
  VARCHAR: (v) => typeof v === "string",
  INTEGER: (v) => typeof v === "number",
  BIGINT: (v) => typeof v === "bigint" || Number.isSafeInteger(v),
  DOUBLE: (v) => typeof v === "number",
  FLOAT: (v) => typeof v === "number",
  BOOLEAN: (v) => typeof v === "boolean",
  TIMESTAMP: (v) => v instanceof Date && !Number.isNaN(v.getTime()),
  BLOB: (v) => v instanceof Uint8Array,
  "FLOAT[]": (v) =>
    (Array.isArray(v) || v instanceof Float32Array) && Array.from(v as number[]).every(Number.isFinite),
};

function valuePreparer(table: TableDef, c: Column): (v: unknown, row: number) => DuckDBValue {
  const ok = JS_TYPE[c.sqlType];
  const plain =
    c.sqlType === "VARCHAR" || c.sqlType === "INTEGER" || c.sqlType === "DOUBLE" || c.sqlType === "BOOLEAN";
  return (v, row) => {
    if (v === null || v === undefined) {
      if (c.notNull)
        throw err(ErrorCode.INVALID_CONFIG, `bad ${table.name} row ${row}: ${c.field} is required`);
      return null;
    }
    if (!ok(v)) {
      throw err(
        ErrorCode.INVALID_CONFIG,
        `bad ${table.name} row ${row}: ${c.field} = ${String(v)} is not a ${c.sqlType} value`,
      );
    }
    return plain ? (v as DuckDBValue) : toDuck(c, v);
  };
}
