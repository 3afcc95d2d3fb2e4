/**
 * Portfolios: the candidate pipelines a selector chooses from. The default portfolio is computed from the
 * stages registered when it is built, so it grows as codecs land; the order is fixed (deterministic).
 */
import { z } from "zod";
import { ErrorCode, err } from "../errors.js";
import { defaultRegistry, type StageRegistry } from "../pipeline/registry.js";
import { canonicalSpec, parseSpec } from "../pipeline/spec.js";

/** A named list of pipeline specs. */
export interface Portfolio {
  readonly name: string;
  /** Canonical specs, unique, in a fixed order. */
  readonly pipelines: readonly string[];
}

/**
 * The zod schema of a portfolio (validated against the default registry): specs must parse and be unique once
 * canonical. Use {@link parsePortfolio} to canonicalise, or to validate against another registry.
 */
export const portfolioSchema = z
  .object({
    name: z.string().min(1),
    pipelines: z
      .array(
        z.string().superRefine((spec, ctx) => {
          try {
            parseSpec(spec);
          } catch (e) {
            ctx.addIssue({ code: "custom", message: (e as Error).message });
          }
        }),
      )
      .min(1, "a portfolio needs at least one pipeline"),
  })
  .strict();

/**
 * Validates a portfolio and writes every spec in canonical form. Duplicates (after canonicalisation) are an
 * error that names both specs.
 *
 * @example
 * ```ts
 * parsePortfolio({ name: "mine", pipelines: ["zstd:19", "delta:4>zstd"] }).pipelines;
 * // ["zstd:19", "delta:4>zstd:3"]
 * ```
 */
export function parsePortfolio(input: unknown, registry: StageRegistry = defaultRegistry): Portfolio {
  const shape = z
    .object({ name: z.string().min(1), pipelines: z.array(z.string()).min(1) })
    .strict()
    .safeParse(input);
  if (!shape.success) {
    throw err(ErrorCode.INVALID_CONFIG, `bad portfolio: ${z.prettifyError(shape.error)}`);
  }
  const seen = new Map<string, string>();
  for (const spec of shape.data.pipelines) {
    const canonical = canonicalSpec(spec, registry);
    const before = seen.get(canonical);
    if (before !== undefined) {
      throw err(
        ErrorCode.INVALID_CONFIG,
        `portfolio "${shape.data.name}" lists "${before}" and "${spec}", which are the same pipeline ` +
          `"${canonical}"; remove one`,
      );
    }
    seen.set(canonical, spec);
  }
  return { name: shape.data.name, pipelines: [...seen.keys()] };
}

const WIDTHS = [2, 4, 8] as const;

/** Candidate specs of the default portfolio, in order; those the registry cannot parse are skipped. */
function defaultCandidates(): string[] {
  const out: string[] = [];
  // general-purpose codecs × levels, fastest first
  out.push("store", "lz4");
  for (const level of [1, 3, 9, 19]) out.push(`zstd:${level}`);
  for (const level of [1, 6, 9]) out.push(`deflate:${level}`);
  for (const quality of [1, 5, 9, 11]) out.push(`brotli:${quality}`);
  // numeric transforms before fast and strong codecs
  out.push("delta:1>zstd:3");
  for (const w of WIDTHS) {
    for (const t of ["delta", "xor", "shuffle"]) {
      for (const codec of ["zstd:3", "lz4", "brotli:5"]) out.push(`${t}:${w}>${codec}`);
    }
    out.push(`delta:${w}>shuffle:${w}>zstd:3`);
  }
  // pure-TypeScript entropy coders and the text chains (present once registered)
  out.push(
    "huffman",
    "rans",
    "lz77",
    "lz77>huffman",
    "lzw",
    "cm",
    "rle>huffman",
    "bwt>mtf>rle>huffman",
    "bwt>mtf>rle>rans",
    "bwt>mtf>cm",
  );
  return out;
}

const QUICK_CANDIDATES = [
  "store",
  "lz4",
  "zstd:1",
  "zstd:3",
  "zstd:19",
  "brotli:5",
  "deflate:6",
  "delta:4>zstd:3",
  "shuffle:4>zstd:3",
  "shuffle:8>zstd:3",
  "xor:8>zstd:3",
  "bwt>mtf>rle>huffman",
];

function fromCandidates(name: string, candidates: readonly string[], registry: StageRegistry): Portfolio {
  const pipelines: string[] = [];
  for (const spec of candidates) {
    let canonical: string;
    try {
      canonical = canonicalSpec(spec, registry);
    } catch {
      continue; // a stage not registered (yet): leave the pipeline out
    }
    if (!pipelines.includes(canonical)) pipelines.push(canonical);
  }
  return { name, pipelines };
}

/**
 * The default portfolio (40–60 pipelines): codecs × levels, delta/xor/shuffle at widths 2/4/8 before
 * zstd/lz4/brotli, the BWT and `cm` chains for text and fast codecs, limited to the stages in `registry`.
 *
 * @example
 * ```ts
 * defaultPortfolio().pipelines.length; // ≥ 40
 * ```
 */
export function defaultPortfolio(registry: StageRegistry = defaultRegistry): Portfolio {
  return fromCandidates("default", defaultCandidates(), registry);
}

/**
 * A small portfolio (~11 pipelines) for CI and quick looks.
 *
 * @example
 * ```ts
 * quickPortfolio().pipelines; // ["store", "lz4", "zstd:1", …]
 * ```
 */
export function quickPortfolio(registry: StageRegistry = defaultRegistry): Portfolio {
  return fromCandidates("quick", QUICK_CANDIDATES, registry);
}

/**
 * A portfolio by name (`default` or `quick`).
 *
 * @example
 * ```ts
 * namedPortfolio("quick");
 * ```
 */
export function namedPortfolio(name: string, registry: StageRegistry = defaultRegistry): Portfolio {
  if (name === "default") return defaultPortfolio(registry);
  if (name === "quick") return quickPortfolio(registry);
  throw err(ErrorCode.INVALID_CONFIG, `unknown portfolio "${name}"; use default or quick, or a JSON file`);
}
