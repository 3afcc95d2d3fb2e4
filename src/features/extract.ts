/**
 * Cheap block features for pipeline selection. Every feature is computed on a sample of the block (at most
 * {@link FEATURE_SAMPLE_BYTES} bytes, taken as evenly spaced 8-byte-aligned chunks so that local structure and
 * word alignment survive). Contexts (previous bytes, deltas, n-grams) read the real bytes before each chunk;
 * before the start of the block they read zeros. The sample and its contexts are first copied into one scratch
 * array; then one fused, branch-free pass builds every histogram and one more probes for repeats. Entropies are
 * running sums of a precomputed c·log2(c) table (no logarithm in the loops); summaries visit only the distinct
 * bytes seen. Scratch tables are allocated once at module load: the counts (histograms and hashed n-grams, one
 * 6 KB byte table) are cleared per call, the larger probe tables reset in O(1) by generation stamps. Hot loops read
 * the module's tables through local constants (measured ≈ 15% faster than through the closure). Features import
 * nothing from the other stages. The golden test pins every output bit.
 *
 * The sample is small because the budget is: extraction should cost ≤ 2% of zstd:3 on a 64 KiB block (a few µs
 * in JavaScript; `npm run bench:features`). The fused pass is already tight machine code (≈ 175 instructions per
 * byte for its 11 table updates), so the lever is the sample: 192 bytes cost ≈ 2.2%, 160 bytes ≈ 1.9%. 160 bytes
 * left the learner as good (bench:learner offline held-out gap 0.88 → 0.89, held-out families 0.87 → 0.90); 96
 * bytes cost it too much (CI gate: final online gap closed 0.22 → 0.08). Entropy estimates from so few bytes are
 * biased low (log2 160 ≈ 7.3 bits is the ceiling); they rank blocks, they do not bound them.
 */
import { ErrorCode, err } from "../errors.js";

/** Bytes of the sample the features are computed on by default (the whole block when it is shorter). */
export const FEATURE_SAMPLE_BYTES = 160;
/**
 * The largest sample `extract` takes. Wider samples tell the learner more at a proportional cost: on bench:learner
 * under `size`, 640 bytes lift the offline recipe on held-out blocks from 0.881 to 0.931 (seeds 1–10) at about 3×
 * the extraction time, over the 2% of zstd:3 the default keeps to.
 */
export const MAX_FEATURE_SAMPLE_BYTES = 1280;
/** The sample is this many contiguous chunks, spread evenly over the block. */
const CHUNKS = 5;
/** Chunks are whole multiples of 8 bytes (they keep the block's 8-byte alignment). */
const SAMPLE_UNIT = CHUNKS * 8;
/** Bytes of context kept before each position (the longest stride). */
const BACK = 8;

/**
 * The names of the features, in vector order. Entropies are in bits per byte (0–8), fractions in 0–1.
 *
 * - `log2_length`: log2(block length + 1), on the whole block.
 * - `h0`: order-0 (byte histogram) entropy of the sample.
 * - `h1_cond`, `h2_cond`: order-1 and order-2 conditional entropy estimates, H(pairs) − H(bytes) and
 *   H(triples) − H(pairs) over the sample's n-grams (pairs and triples are hashed into 2048 bins; biased low on
 *   small samples: an estimate, not a bound).
 * - `distinct_frac`: distinct byte values / 256. `top1_mass`, `top4_mass`: share of the 1 and 4 commonest bytes.
 * - `printable_frac` (0x20–0x7e, tab, LF, CR), `ascii_frac` (< 0x80), `zero_frac` (0x00).
 * - `run_mean_log2`: log2 of the mean run length of equal bytes; `run_frac_ge4`: share of bytes equal to the three
 *   before them (inside a run of 4 or more).
 * - `delta1_h0` … `delta8_h0`: order-0 entropy of the byte difference x[i] − x[i−s] at strides 1, 2, 4, 8.
 * - `xor4_h0`, `xor8_h0`: order-0 entropy of x[i] XOR x[i−w], the XOR with the previous 4- and 8-byte word.
 * - `match4_density`, `match8_density`: share of probed positions (every other sample position) whose 4-gram
 *   (8-gram) already occurred at an earlier probe, from a hash table (long-range repeats show up because the
 *   chunks span the block).
 * - `float32_like`, `float64_like`: share of aligned little-endian words whose IEEE exponent is in a
 *   plausible range (|exponent| ≤ 32, not zero/denormal/inf); random bytes score ≈ 0.26 and ≈ 0.03.
 * - `lane4_spread`, `lane8_spread`: mean minus minimum entropy of the high nibble over the byte lanes i mod 4
 *   (mod 8); high for fixed-width numeric records (sign/exponent lanes), ≈ 0 for text and random bytes.
 */
export const FEATURE_NAMES = [
  "log2_length",
  "h0",
  "h1_cond",
  "h2_cond",
  "distinct_frac",
  "top1_mass",
  "top4_mass",
  "printable_frac",
  "ascii_frac",
  "zero_frac",
  "run_mean_log2",
  "run_frac_ge4",
  "delta1_h0",
  "delta2_h0",
  "delta4_h0",
  "delta8_h0",
  "xor4_h0",
  "xor8_h0",
  "match4_density",
  "match8_density",
  "float32_like",
  "float64_like",
  "lane4_spread",
  "lane8_spread",
] as const;

/** The number of features: the length of every vector {@link extract} returns. */
export const FEATURE_COUNT = FEATURE_NAMES.length;

/**
 * Names the feature set read from `sampleBytes` per block; it changes whenever a feature, its order or the sampling
 * changes. Stored features and trained learners are comparable only under one id.
 *
 * @example
 * ```ts
 * featureSetId(); // FEATURE_SET_ID, the default 160-byte sample
 * featureSetId(640); // "basic-v4-24x640"
 * ```
 */
export function featureSetId(sampleBytes = FEATURE_SAMPLE_BYTES): string {
  return `basic-v4-${FEATURE_COUNT}x${sampleBytes}`;
}

/** The default feature set's id: {@link featureSetId} of {@link FEATURE_SAMPLE_BYTES}. */
export const FEATURE_SET_ID = featureSetId();

// ---- scratch tables, allocated once -------------------------------------------------------------------------
/** c·log2(c) for every count a sample can produce. */
const NLOGN = new Float64Array(MAX_FEATURE_SAMPLE_BYTES + 1);
for (let c = 2; c <= MAX_FEATURE_SAMPLE_BYTES; c++) NLOGN[c] = c * Math.log2(c);
/** log2(FEATURE_SAMPLE_BYTES / max(1, r)) for every run count r of a full sample: run_mean_log2 without a log. */
const LOG2_FULL_PER_RUN = new Float64Array(FEATURE_SAMPLE_BYTES + 1);
for (let r = 0; r <= FEATURE_SAMPLE_BYTES; r++) {
  LOG2_FULL_PER_RUN[r] = Math.log2(FEATURE_SAMPLE_BYTES / Math.max(1, r));
}
/** (c+1)·log2(c+1) − c·log2(c): the change of Σ c·log2 c when one count grows, for running entropies. */
const DNLOGN = new Float64Array(MAX_FEATURE_SAMPLE_BYTES);
for (let c = 0; c < MAX_FEATURE_SAMPLE_BYTES; c++) DNLOGN[c] = NLOGN[c + 1] - NLOGN[c];
/** Byte classes: 1 printable (0x20–0x7e, tab, LF, CR), 2 ASCII. */
const CLASS = new Uint8Array(256);
for (let v = 0; v < 256; v++) {
  CLASS[v] = (v < 0x80 ? 2 : 0) | ((v >= 0x20 && v < 0x7f) || v === 9 || v === 10 || v === 13 ? 1 : 0);
}

// 256-bin histograms, one after another: bytes, deltas 1/2/4/8, xor 4/8; then 16-bin high-nibble histograms of
// the 8 byte lanes i mod 8.
const H_BYTE = 0;
const H_D1 = 256;
const H_D2 = 512;
const H_D4 = 768;
const H_D8 = 1024;
const H_X4 = 1280;
const H_X8 = 1536;
const H_L8 = 1792;
/** Hashed n-gram counts (2048 bins each) for pairs and triples, after the histograms in the same table. */
const NGRAM_BITS = 11;
const H_PAIRS = H_L8 + 8 * 16;
const H_TRIPLES = H_PAIRS + (1 << NGRAM_BITS);
/** Every count of one call (≤ MAX_FEATURE_SAMPLE_BYTES < 65536): small enough to clear per call. */
const hist = new Uint16Array(H_TRIPLES + (1 << NGRAM_BITS));
const laneTotals = new Uint16Array(8);
/** The distinct byte values of the sample, in order of first appearance. */
const seenBytes = new Uint8Array(256);
let distinctBytes = 0;

/**
 * The probe tables for 4- and 8-grams. An entry is valid only when its stamp equals the call's generation, so
 * nothing is cleared between calls.
 */
const GENERATIONS = 1 << 30;
const MATCH_BITS = 10;
/** Probe tables, one entry per slot: [stamp, 4-gram] and [stamp, low word, high word]. */
const match4 = new Int32Array(2 << MATCH_BITS);
const match8 = new Int32Array(3 << MATCH_BITS);
let generation = 0;
/** log2(n + 1) of the last block length n (blocks mostly share one length). */
let lastLength = 0;
let lastLog2Length = 0;

/**
 * Output vectors are views into slabs of OUT_PER_SLAB vectors: a Float32Array of 24 (96 bytes) is over V8's
 * on-heap limit (64 bytes), and its own off-heap buffer costs ≈ 0.4 µs, a tenth of a call.
 */
const OUT_PER_SLAB = 64;
let outSlab = new ArrayBuffer(0);
let outNext = OUT_PER_SLAB;

/** A fresh zeroed vector of FEATURE_COUNT floats, a view into the current slab. */
function newVector(): Float32Array {
  if (outNext === OUT_PER_SLAB) {
    outSlab = new ArrayBuffer(OUT_PER_SLAB * FEATURE_COUNT * 4);
    outNext = 0;
  }
  return new Float32Array(outSlab, outNext++ * FEATURE_COUNT * 4, FEATURE_COUNT);
}

/** The sample: each chunk copied after its BACK bytes of context (zeros before the block's start). */
const sample = new Uint8Array(CHUNKS * BACK + MAX_FEATURE_SAMPLE_BYTES);

/** Entropy from a running Σ c·log2 c over `total` symbols (log2 total = NLOGN[total] / total: no Math.log2). */
function entropyOf(sumNlogn: number, total: number): number {
  return total <= 1 ? 0 : (NLOGN[total] - sumNlogn) / total;
}

/** Entropy of the 16-bin nibble histogram of lane `a`, optionally merged with lane `b` (pass −1 for none). */
function laneEntropy(a: number, b: number, total: number): number {
  if (total <= 1) return 0;
  const x = H_L8 + (a << 4);
  const y = H_L8 + (b << 4);
  let s = 0;
  if (b < 0) for (let v = 0; v < 16; v++) s += NLOGN[hist[x + v]];
  else for (let v = 0; v < 16; v++) s += NLOGN[hist[x + v] + hist[y + v]];
  return (NLOGN[total] - s) / total;
}

/** 1 when the int32 `x` is zero, else 0, without a branch. */
function isZero(x: number): number {
  return 1 + ((x | -x) >> 31);
}

// sums of the passes, by slot
const A_BYTE = 0;
const A_D1 = 1;
const A_D2 = 2;
const A_D4 = 3;
const A_D8 = 4;
const A_X4 = 5;
const A_X8 = 6;
const A_PAIRS = 7;
const A_TRIPLES = 8;
const A_RUN_STARTS = 9;
const A_IN_RUNS4 = 10;
const A_PROBES = 11;
const A_M4_HITS = 12;
const A_M8_HITS = 13;
const A_F32_WORDS = 14;
const A_F32_PLAUSIBLE = 15;
const A_F64_WORDS = 16;
const A_F64_PLAUSIBLE = 17;
const acc = new Float64Array(18);

/**
 * The fused pass over the sample, chunk by chunk (chunk c starts at c·stride + BACK, after its context):
 * byte, delta and XOR histograms with their running Σ c·log2 c, the distinct bytes, the lane nibble histograms,
 * pairs and triples (stamped hashed counts; a stale stamp reads as 0), and run statistics.
 */
function histPass(chunks: number, chunkLen: number, stride: number): void {
  const src = sample;
  const h = hist;
  const dn = DNLOGN;
  const seen = seenBytes;
  let sByte = 0;
  let sD1 = 0;
  let sD2 = 0;
  let sD4 = 0;
  let sD8 = 0;
  let sX4 = 0;
  let sX8 = 0;
  let distinct = 0;
  let sPairs = 0;
  let sTriples = 0;
  let runStarts = 0;
  let inRuns4 = 0;
  for (let c = 0; c < chunks; c++) {
    const start = c * stride + BACK;
    const end = start + chunkLen;
    // the three bytes before i, rolled
    let p1 = src[start - 1];
    let p2 = src[start - 2];
    let p3 = src[start - 3];
    for (let i = start; i < end; i++) {
      const b = src[i];
      const p4 = src[i - 4];
      const p8 = src[i - 8];
      const old = h[b]++;
      sByte += dn[old];
      seen[distinct] = b;
      distinct += (old - 1) >>> 31;
      sD1 += dn[h[H_D1 + ((b - p1) & 255)]++];
      sD2 += dn[h[H_D2 + ((b - p2) & 255)]++];
      sD4 += dn[h[H_D4 + ((b - p4) & 255)]++];
      sD8 += dn[h[H_D8 + ((b - p8) & 255)]++];
      sX4 += dn[h[H_X4 + (b ^ p4)]++];
      sX8 += dn[h[H_X8 + (b ^ p8)]++];
      h[H_L8 + ((i & 7) << 4) + (b >> 4)]++;
      const pair = (p1 << 8) | b;
      sPairs += dn[h[H_PAIRS + (Math.imul(pair, 0x9e3779b1) >>> (32 - NGRAM_BITS))]++];
      sTriples += dn[h[H_TRIPLES + (Math.imul((p2 << 16) | pair, 0x85ebca6b) >>> (32 - NGRAM_BITS))]++];
      runStarts += (0 - (b ^ p1)) >>> 31;
      inRuns4 += (((b ^ p1) | (p1 ^ p2) | (p2 ^ p3)) - 1) >>> 31;
      p3 = p2;
      p2 = p1;
      p1 = b;
    }
  }
  acc[A_BYTE] = sByte;
  acc[A_PAIRS] = sPairs;
  acc[A_TRIPLES] = sTriples;
  acc[A_RUN_STARTS] = runStarts;
  acc[A_IN_RUNS4] = inRuns4;
  distinctBytes = distinct;
  acc[A_D1] = sD1;
  acc[A_D2] = sD2;
  acc[A_D4] = sD4;
  acc[A_D8] = sD8;
  acc[A_X4] = sX4;
  acc[A_X8] = sX8;
}

/** Hash probes at every other position (4- and 8-grams ending there) and IEEE exponent plausibility. */
function probePass(chunks: number, chunkLen: number, stride: number, gen: number): void {
  const src = sample;
  const m4 = match4;
  const m8 = match8;
  let m4Hits = 0;
  let m8Hits = 0;
  let f32Words = 0;
  let f32Plausible = 0;
  let f64Words = 0;
  let f64Plausible = 0;
  for (let c = 0; c < chunks; c++) {
    const start = c * stride + BACK;
    const end = start + chunkLen;
    // a hit rewrites the same entry, so the table update needs no branch
    // the little-endian 4-grams ending at i and i − 4, rolled two bytes per probe (from i = start − 1)
    let gram = src[start - 4] | (src[start - 3] << 8) | (src[start - 2] << 16) | (src[start - 1] << 24);
    let lo = src[start - 8] | (src[start - 7] << 8) | (src[start - 6] << 16) | (src[start - 5] << 24);
    for (let i = start + 1; i < end; i += 2) {
      lo = (lo >>> 16) | (gram << 16);
      gram = (gram >>> 16) | (src[i - 1] << 16) | (src[i] << 24);
      const g4 = Math.imul(gram, 0x9e3779b1);
      const h4 = (g4 >>> (32 - MATCH_BITS)) << 1;
      const h8 = ((g4 ^ Math.imul(lo, 0x85ebca6b)) >>> (32 - MATCH_BITS)) * 3;
      m4Hits += isZero((m4[h4] ^ gen) | (m4[h4 + 1] ^ gram));
      m4[h4] = gen;
      m4[h4 + 1] = gram;
      m8Hits += isZero((m8[h8] ^ gen) | (m8[h8 + 1] ^ lo) | (m8[h8 + 2] ^ gram));
      m8[h8] = gen;
      m8[h8 + 1] = lo;
      m8[h8 + 2] = gram;
    }
    // aligned little-endian words ending inside the chunk (chunks start 8-aligned)
    for (let i = start + 3; i < end; i += 4) {
      f32Words++;
      const e = ((src[i] & 0x7f) << 1) | (src[i - 1] >> 7);
      f32Plausible += (((e - 95) | (159 - e)) >>> 31) ^ 1;
    }
    for (let i = start + 7; i < end; i += 8) {
      f64Words++;
      const e = ((src[i] & 0x7f) << 4) | (src[i - 1] >> 4);
      f64Plausible += (((e - 991) | (1055 - e)) >>> 31) ^ 1;
    }
  }
  acc[A_PROBES] = chunks * (chunkLen >> 1);
  acc[A_M4_HITS] = m4Hits;
  acc[A_M8_HITS] = m8Hits;
  acc[A_F32_WORDS] = f32Words;
  acc[A_F32_PLAUSIBLE] = f32Plausible;
  acc[A_F64_WORDS] = f64Words;
  acc[A_F64_PLAUSIBLE] = f64Plausible;
}

/**
 * Extracts the {@link FEATURE_COUNT} named features ({@link FEATURE_NAMES}) of a block. Deterministic: the same
 * bytes always give the same vector. Costs one pass over at most `sampleBytes` bytes (default
 * {@link FEATURE_SAMPLE_BYTES}; a multiple of 40 up to {@link MAX_FEATURE_SAMPLE_BYTES}). The vector
 * is a view into a buffer shared with other vectors (its `byteOffset` may be non-zero): read `.buffer` only
 * with `byteOffset` and `length`, and `slice()` it before transferring or posting it.
 *
 * @example
 * ```ts
 * const f = extract(new TextEncoder().encode("hello hello hello"));
 * f[FEATURE_NAMES.indexOf("printable_frac")]; // 1
 * extract(block, 640); // a wider sample: better estimates, about 3× the time
 * ```
 */
export function extract(bytes: Uint8Array, sampleBytes = FEATURE_SAMPLE_BYTES): Float32Array {
  if (sampleBytes !== FEATURE_SAMPLE_BYTES) checkSampleBytes(sampleBytes);
  const out = newVector();
  const n = bytes.length;
  if (n !== lastLength) {
    lastLength = n;
    lastLog2Length = Math.log2(n + 1);
  }
  out[0] = lastLog2Length;
  if (n === 0) return out;

  // copy the sample: a short block whole after BACK zeros; a long one as CHUNKS chunks, each after its BACK bytes
  // of context, chunk starts 8-aligned in the block (and in `sample`, STRIDE being a multiple of 8) so that
  // byte lanes keep the block's alignment
  const src = sample;
  let chunks: number;
  let chunkLen: number;
  let stride: number;
  if (n <= sampleBytes) {
    src.fill(0, 0, BACK);
    src.set(bytes, BACK);
    chunks = 1;
    chunkLen = n;
    stride = 0;
  } else {
    chunks = CHUNKS;
    chunkLen = sampleBytes / CHUNKS;
    stride = BACK + chunkLen;
    const span = n - chunkLen - BACK;
    for (let c = 0; c < CHUNKS; c++) {
      const from = ((BACK + Math.floor((c * span) / (CHUNKS - 1))) & ~7) - BACK;
      const to = c * stride;
      for (let k = 0; k < stride; k++) src[to + k] = bytes[from + k];
    }
  }

  hist.fill(0);
  generation++;
  if (generation >= GENERATIONS) {
    match4.fill(0);
    match8.fill(0);
    generation = 1;
  }
  const gen = generation;

  const total = chunks * chunkLen;
  histPass(chunks, chunkLen, stride);
  probePass(chunks, chunkLen, stride, gen);
  for (let l = 0; l < 8; l++) laneTotals[l] = chunks * ((chunkLen - l + 7) >> 3);

  // byte histogram summaries over the distinct bytes only
  const distinct = distinctBytes;
  let printable = 0;
  let ascii = 0;
  let t1 = 0;
  let t2 = 0;
  let t3 = 0;
  let t4 = 0;
  for (let d = 0; d < distinct; d++) {
    const v = seenBytes[d];
    const count = hist[H_BYTE + v];
    const cls = CLASS[v];
    printable += count * (cls & 1);
    ascii += count * (cls >> 1);
    if (count <= t4) continue;
    t4 = count;
    if (t4 > t3) {
      t4 = t3;
      t3 = count;
    }
    if (t3 > t2) {
      t3 = t2;
      t2 = count;
    }
    if (t2 > t1) {
      t2 = t1;
      t1 = count;
    }
  }

  let lane8Sum = 0;
  let lane8Min = 8;
  for (let l = 0; l < 8; l++) {
    const h = laneEntropy(l, -1, laneTotals[l]);
    lane8Sum += h;
    if (h < lane8Min) lane8Min = h;
  }
  let lane4Sum = 0;
  let lane4Min = 8;
  for (let l = 0; l < 4; l++) {
    const h = laneEntropy(l, l + 4, laneTotals[l] + laneTotals[l + 4]);
    lane4Sum += h;
    if (h < lane4Min) lane4Min = h;
  }

  const h0 = entropyOf(acc[A_BYTE], total);
  const hPairs = entropyOf(acc[A_PAIRS], total);
  const hTriples = entropyOf(acc[A_TRIPLES], total);
  const probes = acc[A_PROBES];
  const f32Words = acc[A_F32_WORDS];
  const f64Words = acc[A_F64_WORDS];
  out[1] = h0;
  out[2] = Math.max(0, hPairs - h0);
  out[3] = Math.max(0, hTriples - hPairs);
  out[4] = distinct / 256;
  out[5] = t1 / total;
  out[6] = (t1 + t2 + t3 + t4) / total;
  out[7] = printable / total;
  out[8] = ascii / total;
  out[9] = hist[H_BYTE] / total;
  const runStarts = acc[A_RUN_STARTS];
  out[10] =
    total === FEATURE_SAMPLE_BYTES ? LOG2_FULL_PER_RUN[runStarts] : Math.log2(total / Math.max(1, runStarts));
  out[11] = acc[A_IN_RUNS4] / total;
  out[12] = entropyOf(acc[A_D1], total);
  out[13] = entropyOf(acc[A_D2], total);
  out[14] = entropyOf(acc[A_D4], total);
  out[15] = entropyOf(acc[A_D8], total);
  out[16] = entropyOf(acc[A_X4], total);
  out[17] = entropyOf(acc[A_X8], total);
  out[18] = probes > 0 ? acc[A_M4_HITS] / probes : 0;
  out[19] = probes > 0 ? acc[A_M8_HITS] / probes : 0;
  out[20] = f32Words > 0 ? acc[A_F32_PLAUSIBLE] / f32Words : 0;
  out[21] = f64Words > 0 ? acc[A_F64_PLAUSIBLE] / f64Words : 0;
  out[22] = lane4Sum / 4 - lane4Min;
  out[23] = lane8Sum / 8 - lane8Min;
  return out;
}

/**
 * Extracts features of many blocks, one vector per block (`sampleBytes` as in {@link extract}).
 *
 * @example
 * ```ts
 * const rows = extractAll(blocks.map((b) => b.bytes));
 * rows[0].length === FEATURE_COUNT; // true
 * ```
 */
export function extractAll(
  blocks: readonly Uint8Array[],
  sampleBytes = FEATURE_SAMPLE_BYTES,
): Float32Array[] {
  return blocks.map((b) => extract(b, sampleBytes));
}

/**
 * Checks a feature sample size: a multiple of 40 (5 chunks of whole 8-byte words) from 40 to
 * {@link MAX_FEATURE_SAMPLE_BYTES}.
 *
 * @example
 * ```ts
 * checkSampleBytes(640); // fine
 * checkSampleBytes(100); // throws E_INVALID_CONFIG
 * ```
 */
export function checkSampleBytes(sampleBytes: number): void {
  if (
    !Number.isInteger(sampleBytes) ||
    sampleBytes < SAMPLE_UNIT ||
    sampleBytes > MAX_FEATURE_SAMPLE_BYTES ||
    sampleBytes % SAMPLE_UNIT !== 0
  ) {
    throw err(
      ErrorCode.INVALID_CONFIG,
      `feature sample of ${sampleBytes} bytes: use a multiple of ${SAMPLE_UNIT} from ${SAMPLE_UNIT} to ${MAX_FEATURE_SAMPLE_BYTES} (default ${FEATURE_SAMPLE_BYTES})`,
    );
  }
}
