import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { notebookParamEnvName, notebookParams } from "./notebook-params.js";

const defaults = { scale: 1, seeds: 5, folder: "/usr/share/common-licenses", live: true };
const dir = mkdtempSync(join(tmpdir(), "metacomp-nbparams-"));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe("notebookParams", () => {
  it("names variables in upper snake case", () => {
    expect(notebookParamEnvName("blockBytes")).toBe("METACOMP_NB_BLOCK_BYTES");
    expect(notebookParamEnvName("seeds")).toBe("METACOMP_NB_SEEDS");
  });

  it("keeps the defaults without overrides", () => {
    expect(notebookParams(defaults, {})).toEqual(defaults);
  });

  it("applies the JSON file, then the variables, coerced to the defaults' types", () => {
    const params = file("p.json", JSON.stringify({ seeds: 10, folder: "/data", scale: "4" }));
    const got = notebookParams(defaults, {
      METACOMP_NB_PARAMS: params,
      METACOMP_NB_SEEDS: "20",
      METACOMP_NB_LIVE: "no",
    });
    expect(got).toEqual({ scale: 4, seeds: 20, folder: "/data", live: false });
  });

  it("rejects bad numbers, booleans, unknown keys and unreadable files, naming the source", () => {
    expect(() => notebookParams(defaults, { METACOMP_NB_SEEDS: "many" })).toThrow(
      /METACOMP_NB_SEEDS.*number/,
    );
    expect(() => notebookParams(defaults, { METACOMP_NB_LIVE: "maybe" })).toThrow(/true or false/);
    const unknown = file("u.json", JSON.stringify({ sedes: 3 }));
    expect(() => notebookParams(defaults, { METACOMP_NB_PARAMS: unknown })).toThrow(
      /unknown parameter "sedes"/,
    );
    expect(() => notebookParams(defaults, { METACOMP_NB_PARAMS: file("a.json", "[1]") })).toThrow(
      /JSON object/,
    );
    expect(() => notebookParams(defaults, { METACOMP_NB_PARAMS: join(dir, "missing.json") })).toThrow(
      /cannot read/,
    );
  });
});
