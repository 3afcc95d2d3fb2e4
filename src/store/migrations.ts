/**
 * Ordered schema migrations. Each one runs in its own transaction and records a `schema_version` row.
 * Table and column DDL comes from the zod row schemas: a table or column marked `since: N` is created by
 * migration N. Views and macros are plain SQL here.
 */
import { type DuckDBConnection, DuckDBTimestampValue, INTEGER, TIMESTAMP, VARCHAR } from "@duckdb/node-api";
import { ErrorCode, err } from "../errors.js";
import { TABLES } from "../schema/rows.js";
import { addColumnsSql, createTableSql } from "../schema/table.js";

/**
 * One migration: schema `version - 1` → `version`. Its table and column DDL is derived from the zod row
 * schemas (whatever is marked `since: version`); `sql` adds anything else (views, macros, data fixes).
 */
export interface Migration {
  version: number;
  description: string;
  sql: () => string[];
}

/** DDL for the tables and columns that schema `version` introduced, derived from the zod row schemas. */
function derivedDdl(version: number): string[] {
  const out: string[] = [];
  for (const table of Object.values(TABLES)) {
    if (table.since === version) out.push(createTableSql(table, version));
    else out.push(...addColumnsSql(table, version));
  }
  return out;
}

const METRIC_SUMMARY_VIEW = `CREATE OR REPLACE VIEW metric_summary AS
SELECT m.run_id, m.key, m.context, count(*) AS n,
  arg_max(m.value, (m.step, m.ts)) AS last_value, max(m.step) AS last_step,
  min(m.value) AS min_value, arg_min(m.step, (m.value, m.step)) AS min_step,
  max(m.value) AS max_value, arg_max(m.step, (m.value, -m.step)) AS max_step,
  coalesce(any_value(g.goal), 'min') AS goal,
  CASE WHEN any_value(g.goal) = 'max' THEN max(m.value) ELSE min(m.value) END AS best_value,
  CASE WHEN any_value(g.goal) = 'max' THEN arg_max(m.step, (m.value, -m.step))
       ELSE arg_min(m.step, (m.value, m.step)) END AS best_step
FROM metrics m LEFT JOIN metric_goals g ON g.key = m.key
GROUP BY m.run_id, m.key, m.context`;

const PARAM_DIFF_MACRO = `CREATE OR REPLACE MACRO param_diff(run_ids) AS TABLE
SELECT p.key, p.run_id, p.value FROM params p
WHERE list_contains(run_ids, p.run_id) AND p.key IN (
  SELECT key FROM params WHERE list_contains(run_ids, run_id)
  GROUP BY key
  HAVING count(DISTINCT value) > 1 OR count(*) < len(list_distinct(run_ids))
)
ORDER BY p.key, p.run_id`;

/** Every migration, in order. Append new ones; never edit one that has shipped. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, description: "core tables", sql: () => [] },
  {
    version: 2,
    description: "system metrics, metric goals, runs.tfjs_backend, comparison views",
    sql: () => [METRIC_SUMMARY_VIEW, PARAM_DIFF_MACRO],
  },
  {
    version: 3,
    description: "selections (chosen vs oracle pipeline per held-out block), feature_importances",
    sql: () => [],
  },
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/**
 * The version recorded in an open database (0 for an empty file).
 *
 * @example
 * ```ts
 * await schemaVersionOf(connection); // 2
 * ```
 */
export async function schemaVersionOf(connection: DuckDBConnection): Promise<number> {
  const exists = await connection.runAndReadAll(
    "SELECT count(*) AS n FROM duckdb_tables() WHERE database_name = current_database() AND table_name = $1",
    [TABLES.schemaVersion.name],
  );
  if (Number(exists.getRowObjectsJS()[0]!.n) === 0) return 0;
  const reader = await connection.runAndReadAll("SELECT coalesce(max(version), 0) AS v FROM schema_version");
  return Number(reader.getRowObjectsJS()[0]!.v);
}

async function applyAtomically(
  connection: DuckDBConnection,
  label: string,
  statements: string[],
  versions: readonly Migration[],
): Promise<void> {
  await connection.run("BEGIN TRANSACTION");
  try {
    for (const sql of statements) await connection.run(sql);
    for (const m of versions) {
      await connection.run(
        "INSERT INTO schema_version (version, description, applied_at) VALUES ($1, $2, $3)",
        [m.version, m.description, new DuckDBTimestampValue(BigInt(Date.now()) * 1000n)],
        [INTEGER, VARCHAR, TIMESTAMP],
      );
    }
    await connection.run("COMMIT");
  } catch (e) {
    await connection.run("ROLLBACK");
    throw err(ErrorCode.STORE_SCHEMA, `${label} failed: ${(e as Error).message}`, e);
  }
}

/**
 * Brings the file to schema `target` (default: the latest) and returns the version before and after.
 * An empty file gets the latest tables in one step (plus every migration's extra SQL); an older file runs
 * each later migration in its own transaction. A CHECKPOINT follows, so no schema change is ever left for
 * WAL replay (DuckDB 1.5 cannot replay ALTER TABLE on a table with function CHECKs).
 *
 * @example
 * ```ts
 * const { from, to } = await migrate(connection); // { from: 1, to: 2 }
 * ```
 */
export async function migrate(
  connection: DuckDBConnection,
  target = SCHEMA_VERSION,
): Promise<{ from: number; to: number }> {
  const from = await schemaVersionOf(connection);
  if (from > SCHEMA_VERSION) {
    throw err(
      ErrorCode.STORE_SCHEMA,
      `the store has schema version ${from}, newer than this metacomp (${SCHEMA_VERSION}); upgrade metacomp`,
    );
  }
  const pending = MIGRATIONS.filter((m) => m.version > from && m.version <= target);
  if (pending.length === 0) return { from, to: from };
  if (from === 0 && target === SCHEMA_VERSION) {
    const ddl = Object.values(TABLES).map((t) => createTableSql(t, SCHEMA_VERSION));
    await applyAtomically(
      connection,
      "creating the store",
      [...ddl, ...pending.flatMap((m) => m.sql())],
      pending,
    );
  } else {
    for (const m of pending) {
      const label = `migration ${m.version} (${m.description})`;
      await applyAtomically(connection, label, [...derivedDdl(m.version), ...m.sql()], [m]);
    }
  }
  await connection.run("CHECKPOINT");
  return { from, to: pending[pending.length - 1]!.version };
}
