/**
 * Canonical JSON: object keys sorted at every depth, so equal values always serialize (and hash) the same.
 * Shared by dataset ids, run config hashes and metric contexts.
 */

/**
 * Serializes `value` as JSON with object keys sorted at every depth (undefined fields dropped, as JSON does).
 *
 * @example
 * ```ts
 * canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] }); // '{"a":[2,{"c":4,"d":3}],"b":1}'
 * ```
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}
