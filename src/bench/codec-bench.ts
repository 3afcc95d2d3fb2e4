/**
 * An lzbench-style codec benchmark: every pipeline compresses the same blocks; ratio, compress and decompress
 * speed, with the round trip verified. Speeds are also given as ratios against a reference pipeline measured in
 * the same run, because shared machines are noisy.
 */
import { decodePipeline, encodePipeline } from "../pipeline/frame.js";
import { defaultRegistry, type StageRegistry } from "../pipeline/registry.js";
import { parseSpec } from "../pipeline/spec.js";
import { median } from "../stats.js";

/** One row of the codec benchmark. */
export interface CodecBenchRow {
  readonly pipeline: string;
  readonly bytesIn: number;
  readonly bytesOut: number;
  /** bytesIn / bytesOut. */
  readonly ratio: number;
  readonly compressMBps: number;
  readonly decompressMBps: number;
  /**
   * Speed relative to the reference: the median, over passes, of reference pass time / this pipeline's pass time,
   * each pass paired with a reference pass run just before it (1 for the reference itself).
   */
  readonly compressVsReference: number;
  /** The same for decompression. */
  readonly decompressVsReference: number;
  readonly roundTripOk: boolean;
}

/** Options of {@link benchCodecs}. */
export interface CodecBenchOptions {
  /** Block size in bytes; each block is compressed independently. Default 65536. */
  readonly blockSize?: number;
  /** Minimum measured time per pipeline and direction, in ms. Default 300. */
  readonly minTimeMs?: number;
  /** The pipeline speeds are compared with. Default `deflate:1`. */
  readonly reference?: string;
  readonly registry?: StageRegistry;
  readonly onProgress?: (done: number, total: number, pipeline: string) => void;
}

const NATIVE_DEFAULTS = [
  "store",
  "lz4",
  "zstd:1",
  "zstd:3",
  "zstd:9",
  "zstd:19",
  "deflate:1",
  "deflate:6",
  "deflate:9",
  "gzip:6",
  "brotli:1",
  "brotli:6",
  "brotli:11",
];

const CHAINS = ["bwt>mtf>rle>huffman", "bwt>mtf>rle>rans", "bwt>mtf>cm"];

/**
 * The default benchmark list: native codecs at several levels, every other registered codec at its defaults,
 * and the BWT chains whose stages are registered.
 *
 * @example
 * ```ts
 * defaultBenchPipelines().includes("zstd:19"); // true
 * ```
 */
export function defaultBenchPipelines(registry: StageRegistry = defaultRegistry): string[] {
  const native = new Set(NATIVE_DEFAULTS.map((s) => s.split(":")[0]));
  const ours = registry
    .list()
    .filter((s) => s.kind === "codec" && !native.has(s.id))
    .map((s) => s.id);
  const chains = CHAINS.filter((c) => c.split(">").every((id) => registry.get(id)));
  return [...NATIVE_DEFAULTS, ...ours, ...chains];
}

function cutBlocks(data: Uint8Array, blockSize: number): Uint8Array[] {
  const blocks: Uint8Array[] = [];
  for (let at = 0; at < data.length; at += blockSize) blocks.push(data.subarray(at, at + blockSize));
  return blocks;
}

/**
 * Times `pass` until `minTimeMs` has elapsed (at least 3 passes, after a warm-up). With a `reference`, each pass
 * is paired with a reference pass run just before it, and `ratio` is the median over pairs of reference time /
 * pass time: load that changes during the run hits both sides of a pair, so the ratio stays steady.
 */
function pairedPasses(
  pass: () => void,
  reference: (() => void) | undefined,
  minTimeMs: number,
): { ns: number; ratio: number } {
  pass(); // warm-up
  reference?.();
  const times: number[] = [];
  const ratios: number[] = [];
  const start = process.hrtime.bigint();
  while (times.length < 3 || Number(process.hrtime.bigint() - start) / 1e6 < minTimeMs) {
    let refNs = 0;
    if (reference) {
      const r0 = process.hrtime.bigint();
      reference();
      refNs = Number(process.hrtime.bigint() - r0);
    }
    const t0 = process.hrtime.bigint();
    pass();
    const ns = Number(process.hrtime.bigint() - t0);
    times.push(ns);
    ratios.push(refNs / ns);
    if (times.length >= 1000) break;
  }
  return { ns: median(times), ratio: median(ratios) };
}

/**
 * Benchmarks pipelines on `data`, block by block, and returns one row per pipeline, reference first.
 *
 * @example
 * ```ts
 * const rows = benchCodecs(bytes, ["lz4", "zstd:19"], { minTimeMs: 100 });
 * console.table(rows);
 * ```
 */
export function benchCodecs(
  data: Uint8Array,
  pipelines: readonly string[],
  opts: CodecBenchOptions = {},
): CodecBenchRow[] {
  const registry = opts.registry ?? defaultRegistry;
  const blocks = cutBlocks(data, opts.blockSize ?? 65536);
  const minTimeMs = opts.minTimeMs ?? 300;
  const reference = parseSpec(opts.reference ?? "deflate:1", registry).spec;
  const specs = [
    reference,
    ...pipelines.map((p) => parseSpec(p, registry).spec).filter((s) => s !== reference),
  ];
  const passes = (spec: string) => {
    const pipeline = parseSpec(spec, registry);
    const payloads = blocks.map((b) => encodePipeline(b, pipeline));
    return {
      pipeline,
      payloads,
      encode: () => {
        for (const b of blocks) encodePipeline(b, pipeline);
      },
      decode: () => {
        for (let k = 0; k < blocks.length; k++) decodePipeline(payloads[k], pipeline, blocks[k].length);
      },
    };
  };
  const ref = passes(reference);
  const measured = specs.map((spec, i) => {
    opts.onProgress?.(i, specs.length, spec);
    const p = i === 0 ? ref : passes(spec);
    const roundTripOk = blocks.every(
      (b, k) => Buffer.compare(decodePipeline(p.payloads[k], p.pipeline, b.length), b) === 0,
    );
    // the reference row is timed alone; every other pipeline in pairs with the reference
    const enc = pairedPasses(p.encode, i === 0 ? undefined : ref.encode, minTimeMs);
    const dec = pairedPasses(p.decode, i === 0 ? undefined : ref.decode, minTimeMs);
    const bytesOut = p.payloads.reduce((n, x) => n + x.length, 0);
    return {
      spec,
      bytesOut,
      encNs: enc.ns,
      decNs: dec.ns,
      encVsRef: i === 0 ? 1 : enc.ratio,
      decVsRef: i === 0 ? 1 : dec.ratio,
      roundTripOk,
    };
  });
  opts.onProgress?.(specs.length, specs.length, "");
  const mbps = (ns: number) => data.length / 1e6 / (ns / 1e9);
  return measured.map((m) => ({
    pipeline: m.spec,
    bytesIn: data.length,
    bytesOut: m.bytesOut,
    ratio: data.length / Math.max(1, m.bytesOut),
    compressMBps: mbps(m.encNs),
    decompressMBps: mbps(m.decNs),
    compressVsReference: m.encVsRef,
    decompressVsReference: m.decVsRef,
    roundTripOk: m.roundTripOk,
  }));
}

/**
 * Formats benchmark rows as an lzbench-style text table.
 *
 * @example
 * ```ts
 * process.stdout.write(formatCodecBenchTable(rows, "deflate:1"));
 * ```
 */
export function formatCodecBenchTable(rows: readonly CodecBenchRow[]): string {
  const ref = rows[0]?.pipeline ?? "";
  const header = [
    "pipeline",
    "ratio",
    "comp MB/s",
    "decomp MB/s",
    `comp ×${ref}`,
    `decomp ×${ref}`,
    "bytes out",
    "ok",
  ];
  const body = rows.map((r) => [
    r.pipeline,
    r.ratio.toFixed(3),
    r.compressMBps.toFixed(1),
    r.decompressMBps.toFixed(1),
    r.compressVsReference.toFixed(2),
    r.decompressVsReference.toFixed(2),
    String(r.bytesOut),
    r.roundTripOk ? "yes" : "NO",
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((row) => row[c].length)));
  const line = (cells: string[]) =>
    cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  ");
  return `${[line(header), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n")}\n`;
}
