/**
 * Pipeline spec strings: `stage(>stage)*`, each stage `id(@version)?(:param)*`, e.g. `delta:4>shuffle:4>zstd:19`.
 * A pipeline is zero or more transforms followed by exactly one codec.
 */
import { z } from "zod";
import { ErrorCode, err } from "../errors.js";
import type { AnyStage, ParamValue } from "../stage.js";
import { defaultRegistry, type StageRegistry } from "./registry.js";

/** One parsed, validated stage of a pipeline. */
export interface PipelineStage {
  readonly stage: AnyStage;
  /** The stage format version that wrote (or will write) the data. */
  readonly version: number;
  readonly params: Record<string, ParamValue>;
}

/** A parsed, validated pipeline. */
export interface Pipeline {
  readonly stages: readonly PipelineStage[];
  /** The canonical spec: every param written out, defaults included. */
  readonly spec: string;
}

const STAGE_PATTERN = /^([a-z][a-z0-9_-]*)(?:@(\d+))?((?::[^:>\s]*)*)$/;
const NUMBER_PATTERN = /^-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i;

function specError(spec: string, where: string, problem: string): never {
  throw err(ErrorCode.INVALID_SPEC, `bad pipeline spec "${spec}": ${where}: ${problem}`);
}

function parseParamValue(raw: string): ParamValue {
  return NUMBER_PATTERN.test(raw) ? Number(raw) : raw;
}

function formatParamValue(value: ParamValue): string {
  return String(value);
}

/** Options of {@link parseSpec}. */
export interface ParseSpecOptions {
  /**
   * What a bare id (no `@version`) means: `"current"` (the default; what a user writing a spec wants) or
   * `"first"` (a spec read back from a frame, whose writer printed `@N` for every version above 1).
   */
  readonly bareVersion?: "current" | "first";
}

/**
 * Parses and validates a spec against the registry, filling in defaults. Errors name the stage and param.
 *
 * @example
 * ```ts
 * const p = parseSpec("delta:4>zstd");
 * p.spec; // "delta:4>zstd:3"
 * ```
 */
export function parseSpec(
  spec: string,
  registry: StageRegistry = defaultRegistry,
  options: ParseSpecOptions = {},
): Pipeline {
  if (typeof spec !== "string" || spec.trim() === "") {
    specError(String(spec), "spec", 'is empty; write stages joined by ">", e.g. "delta:4>zstd:19"');
  }
  const parts = spec.split(">").map((s) => s.trim());
  const stages = parts.map((part, i): PipelineStage => {
    const where = `stage ${i + 1} "${part}"`;
    const m = STAGE_PATTERN.exec(part);
    if (!m) specError(spec, where, 'is malformed; write id(:param)*, e.g. "zstd:19"');
    const [, id, versionText, paramText] = m;
    const stage = registry.get(id);
    if (!stage) {
      const known = registry
        .list()
        .map((s) => s.id)
        .join(", ");
      return specError(spec, where, `unknown stage "${id}"; known stages: ${known}`);
    }
    const bare = options.bareVersion === "first" ? 1 : stage.version;
    const version = versionText === undefined ? bare : Number(versionText);
    if (version < 1 || version > stage.version) {
      throw err(
        ErrorCode.UNSUPPORTED_VERSION,
        `bad pipeline spec "${spec}": ${where}: version ${version} of "${id}" is not supported ` +
          `(this build has 1–${stage.version}); upgrade metacomp`,
      );
    }
    const raw = paramText === "" ? [] : paramText.slice(1).split(":");
    if (raw.length > stage.positional.length) {
      const names = stage.positional.length ? stage.positional.join(", ") : "none";
      specError(
        spec,
        where,
        `takes at most ${stage.positional.length} param(s) (${names}), got ${raw.length}`,
      );
    }
    const input: Record<string, ParamValue> = {};
    raw.forEach((value, k) => {
      if (value !== "") input[stage.positional[k]] = parseParamValue(value);
    });
    const parsed = stage.params.safeParse(input);
    if (!parsed.success) {
      const issues = parsed.error.issues
        .map((issue) => `param "${issue.path.join(".") || "?"}": ${issue.message}`)
        .join("; ");
      specError(spec, where, issues);
    }
    return { stage, version, params: parsed.data as Record<string, ParamValue> };
  });
  stages.forEach(({ stage }, i) => {
    const last = i === stages.length - 1;
    if (last && stage.kind !== "codec") {
      specError(
        spec,
        `stage ${i + 1} "${stage.id}"`,
        'is a transform; a pipeline must end with a codec, e.g. ">zstd"',
      );
    }
    if (!last && stage.kind === "codec") {
      specError(spec, `stage ${i + 1} "${stage.id}"`, "is a codec; only the last stage may be a codec");
    }
  });
  return { stages, spec: formatStages(stages) };
}

function formatStages(stages: readonly PipelineStage[]): string {
  return stages
    .map(({ stage, version, params }) => {
      const head = version === 1 ? stage.id : `${stage.id}@${version}`;
      const values = stage.positional.map((name: string) => `:${formatParamValue(params[name])}`).join("");
      return head + values;
    })
    .join(">");
}

/**
 * Writes a pipeline back as its canonical spec string.
 *
 * @example
 * ```ts
 * formatSpec(parseSpec("brotli")); // "brotli:11:22"
 * ```
 */
export function formatSpec(pipeline: Pipeline): string {
  return formatStages(pipeline.stages);
}

/**
 * The canonical form of a spec: parsed, validated, defaults filled in. Two specs that mean the same pipeline
 * have the same canonical form.
 *
 * @example
 * ```ts
 * canonicalSpec(" delta > zstd "); // "delta:1>zstd:3"
 * ```
 */
export function canonicalSpec(spec: string, registry: StageRegistry = defaultRegistry): string {
  return parseSpec(spec, registry).spec;
}

/** A zod schema for a spec string that must parse against the default registry. */
export const pipelineSpecSchema = z.string().superRefine((spec, ctx) => {
  try {
    parseSpec(spec);
  } catch (e) {
    ctx.addIssue({ code: "custom", message: (e as Error).message });
  }
});
