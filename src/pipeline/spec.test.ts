import { describe, expect, it } from "vitest";
import { z } from "zod";
import { isMetacompError } from "../errors.js";
import { defineStage } from "../stage.js";
import { createRegistry, defaultRegistry } from "./registry.js";
import { canonicalSpec, formatSpec, parseSpec, pipelineSpecSchema } from "./spec.js";

function errorOf(f: () => unknown): { code: string; message: string } {
  try {
    f();
  } catch (e) {
    if (isMetacompError(e)) return { code: e.code, message: e.message };
    return { code: "uncoded", message: String(e) };
  }
  return { code: "none", message: "" };
}

describe("pipeline spec grammar", () => {
  it("parses stages and params, filling defaults", () => {
    const p = parseSpec("delta:4>shuffle:4>zstd:19");
    expect(p.stages.map((s) => s.stage.id)).toEqual(["delta", "shuffle", "zstd"]);
    expect(p.stages.map((s) => s.params)).toEqual([{ width: 4 }, { width: 4 }, { level: 19 }]);
    expect(parseSpec("brotli").stages[0].params).toEqual({ quality: 11, lgwin: 22 });
    expect(parseSpec("brotli::18").stages[0].params).toEqual({ quality: 11, lgwin: 18 });
  });

  it("has a canonical form that is a fixed point of format ∘ parse", () => {
    for (const spec of [" delta > zstd ", "brotli", "xor:8>lz4", "gzip:9", "shuffle>deflate"]) {
      const canonical = canonicalSpec(spec);
      expect(canonicalSpec(canonical)).toBe(canonical);
      expect(formatSpec(parseSpec(canonical))).toBe(canonical);
    }
    expect(canonicalSpec(" delta > zstd ")).toBe("delta:1>zstd:3");
    expect(canonicalSpec("brotli")).toBe("brotli:11:22");
    expect(canonicalSpec("zstd@1:5")).toBe("zstd:5");
  });

  it("names the bad stage and param in prettified errors", () => {
    expect(errorOf(() => parseSpec("zstd:99"))).toMatchInlineSnapshot(`
      {
        "code": "E_INVALID_SPEC",
        "message": "bad pipeline spec "zstd:99": stage 1 "zstd:99": param "level": Too big: expected number to be <=22",
      }
    `);
    expect(errorOf(() => parseSpec("delta:3>zstd")).message).toContain('stage 1 "delta:3": param "width"');
    expect(errorOf(() => parseSpec("delta>nope")).message).toContain(
      'unknown stage "nope"; known stages: store',
    );
    expect(errorOf(() => parseSpec("zstd:1:2")).message).toContain("takes at most 1 param(s) (level), got 2");
    expect(errorOf(() => parseSpec("lz4:1")).message).toContain("takes at most 0 param(s) (none)");
    expect(errorOf(() => parseSpec("delta:4")).message).toContain("must end with a codec");
    expect(errorOf(() => parseSpec("zstd>lz4")).message).toContain("only the last stage may be a codec");
    expect(errorOf(() => parseSpec("")).code).toBe("E_INVALID_SPEC");
    expect(errorOf(() => parseSpec("Zstd")).message).toContain("is malformed");
    expect(errorOf(() => parseSpec("zstd:abc")).message).toContain('param "level"');
    expect(errorOf(() => parseSpec("zstd@2:3"))).toMatchObject({ code: "E_UNSUPPORTED_VERSION" });
  });

  it("validates spec strings inside zod configs", () => {
    expect(pipelineSpecSchema.safeParse("zstd:3").success).toBe(true);
    const bad = pipelineSpecSchema.safeParse("zstd:0");
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0].message).toContain('param "level"');
  });
});

describe("stage registry", () => {
  const dummy = defineStage({
    id: "dummy",
    version: 1,
    kind: "codec",
    summary: "test",
    params: z.object({}).strict(),
    positional: [],
    encode: (u8) => u8,
    decode: (u8) => u8,
  });

  it("rejects a duplicate id", () => {
    expect(errorOf(() => createRegistry([dummy, dummy]))).toMatchObject({ code: "E_DUPLICATE_ID" });
    expect(
      errorOf(() => createRegistry([...defaultRegistry.list(), { ...dummy, id: "zstd" }])).message,
    ).toContain('stage id "zstd" is registered twice');
  });

  it("rejects malformed ids and lists stages in order", () => {
    expect(errorOf(() => createRegistry([{ ...dummy, id: "Bad Id" }])).code).toBe("E_INVALID_SPEC");
    const r = createRegistry([dummy]);
    expect(r.list().map((s) => s.id)).toEqual(["dummy"]);
    expect(r.get("dummy")).toBe(dummy);
    expect(r.get("zstd")).toBeUndefined();
  });
});
