/**
 * Cheap block features for pipeline selection. Every feature is computed on a sample of the block (at most
 * {@link FEATURE_SAMPLE_BYTES} bytes, taken as evenly spaced 8-byte-aligned chunks so that local structure and
 * word alignment survive), in a branch-free main pass. Contexts (previous bytes, deltas, n-grams) read the real
 * bytes before each chunk; before the start of the block they read zeros. Scratch tables are allocated once at
 * module load; a call allocates only its output. Features import nothing from the other stages.
 */

/** Bytes of the sample the features are computed on (the whole block when it is shorter). */
export const FEATURE_SAMPLE_BYTES = 512;
/** The sample is this many contiguous chunks, spread evenly over the block. */
const CHUNKS = 8;
const CHUNK = FEATURE_SAMPLE_BYTES / CHUNKS;
/** Bytes of context kept before each position (the longest stride). */
const BACK = 8;

/**
 * The names of the features, in vector order. Entropies are in bits per byte (0–8), fractions in 0–1.
 *
 * - `log2_length`: log2(block length + 1), on the whole block.
 * - `h0`: order-0 (byte histogram) entropy of the sample.
 * - `h1_cond`, `h2_cond`: order-1 and order-2 conditional entropy estimates, H(pairs) − H(bytes) and
 *   H(triples) − H(pairs) over the sample's n-grams (biased low on small samples: an estimate, not a bound).
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

/** Names this feature set; it changes whenever a feature, its order or the sampling changes. */
export const FEATURE_SET_ID = `basic-v3-${FEATURE_COUNT}x${FEATURE_SAMPLE_BYTES}`;

// ---- scratch tables, allocated once -------------------------------------------------------------------------
/** c·log2(c) for every count a sample can produce. */
const NLOGN = new Float64Array(FEATURE_SAMPLE_BYTES + 1);
for (let c = 2; c <= FEATURE_SAMPLE_BYTES; c++) NLOGN[c] = c * Math.log2(c);
/** (c+1)·log2(c+1) − c·log2(c): the change of Σ c·log2 c when one count grows, for running entropies. */
const DNLOGN = new Float64Array(FEATURE_SAMPLE_BYTES);
for (let c = 0; c < FEATURE_SAMPLE_BYTES; c++) DNLOGN[c] = NLOGN[c + 1] - NLOGN[c];
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
const hist = new Uint16Array(H_L8 + 8 * 16);
const laneTotals = new Uint16Array(8);

const PAIRS = new Uint16Array(1 << 16);
const TRIPLE_BITS = 14;
const TRIPLES = new Uint16Array(1 << TRIPLE_BITS);
const touchedPairs = new Uint32Array(FEATURE_SAMPLE_BYTES);
const touchedTriples = new Uint32Array(FEATURE_SAMPLE_BYTES);

const MATCH_BITS = 11;
const matchStamp = new Uint32Array(1 << MATCH_BITS);
const match4Gram = new Int32Array(1 << MATCH_BITS);
const match8Stamp = new Uint32Array(1 << MATCH_BITS);
const match8Lo = new Int32Array(1 << MATCH_BITS);
const match8Hi = new Int32Array(1 << MATCH_BITS);
let generation = 0;

/** A short block copied after BACK zero bytes, so every position has its context. */
const padded = new Uint8Array(BACK + FEATURE_SAMPLE_BYTES);
const chunkStarts = new Int32Array(CHUNKS);

/** Entropy from a running Σ c·log2 c over `total` symbols. */
function entropyOf(sumNlogn: number, total: number): number {
  return total <= 1 ? 0 : Math.log2(total) - sumNlogn / total;
}

/** Entropy of the 16-bin nibble histogram of lane `a`, optionally merged with lane `b` (pass −1 for none). */
function laneEntropy(a: number, b: number, total: number): number {
  if (total <= 1) return 0;
  const x = H_L8 + (a << 4);
  const y = H_L8 + (b << 4);
  let s = 0;
  for (let v = 0; v < 16; v++) s += NLOGN[hist[x + v] + (b >= 0 ? hist[y + v] : 0)];
  return Math.log2(total) - s / total;
}

/** Entropy of a touched sparse table; clears the touched entries. */
function sparseEntropy(table: Uint16Array, touched: Uint32Array, distinct: number, total: number): number {
  let s = 0;
  for (let i = 0; i < distinct; i++) {
    const k = touched[i];
    s += NLOGN[table[k]];
    table[k] = 0;
  }
  return total <= 1 ? 0 : Math.log2(total) - s / total;
}

/** True when an IEEE biased exponent is within ±32 of the bias. */
function plausibleExponent(biased: number, bias: number): boolean {
  return biased >= bias - 32 && biased <= bias + 32;
}

/**
 * Extracts the {@link FEATURE_COUNT} named features ({@link FEATURE_NAMES}) of a block. Deterministic: the same
 * bytes always give the same vector. Costs one pass over at most {@link FEATURE_SAMPLE_BYTES} bytes.
 *
 * @example
 * ```ts
 * const f = extract(new TextEncoder().encode("hello hello hello"));
 * f[FEATURE_NAMES.indexOf("printable_frac")]; // 1
 * ```
 */
export function extract(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(FEATURE_COUNT);
  const n = bytes.length;
  out[0] = Math.log2(n + 1);
  if (n === 0) return out;

  // chunk layout over `src`: a short block is copied after BACK zeros; a long one is read in place, its chunks
  // starting at or after BACK and 8-aligned (so lanes keep the block's alignment)
  let src: Uint8Array;
  let chunks: number;
  let chunkLen: number;
  if (n <= FEATURE_SAMPLE_BYTES) {
    src = padded;
    src.fill(0, 0, BACK);
    src.set(bytes, BACK);
    chunks = 1;
    chunkLen = n;
    chunkStarts[0] = BACK;
  } else {
    src = bytes;
    chunks = CHUNKS;
    chunkLen = CHUNK;
    const span = n - CHUNK - BACK;
    for (let c = 0; c < CHUNKS; c++) chunkStarts[c] = (BACK + Math.floor((c * span) / (CHUNKS - 1))) & ~7;
  }

  hist.fill(0);
  laneTotals.fill(0);
  generation = (generation + 1) >>> 0;
  if (generation === 0) {
    matchStamp.fill(0);
    match8Stamp.fill(0);
    generation = 1;
  }
  const gen = generation;

  let sByte = 0;
  let sD1 = 0;
  let sD2 = 0;
  let sD4 = 0;
  let sD8 = 0;
  let sX4 = 0;
  let sX8 = 0;
  let pairDistinct = 0;
  let tripleDistinct = 0;
  let runStarts = 0;
  let inRuns4 = 0;
  let m4Hits = 0;
  let m8Hits = 0;
  let probes = 0;
  let f32Words = 0;
  let f32Plausible = 0;
  let f64Words = 0;
  let f64Plausible = 0;
  const total = chunks * chunkLen;

  for (let c = 0; c < chunks; c++) {
    const start = chunkStarts[c];
    const end = start + chunkLen;
    for (let i = start; i < end; i++) {
      const b = src[i];
      const p1 = src[i - 1];
      const p2 = src[i - 2];
      const p4 = src[i - 4];
      const p8 = src[i - 8];
      sByte += DNLOGN[hist[b]++];
      sD1 += DNLOGN[hist[H_D1 + ((b - p1) & 255)]++];
      sD2 += DNLOGN[hist[H_D2 + ((b - p2) & 255)]++];
      sD4 += DNLOGN[hist[H_D4 + ((b - p4) & 255)]++];
      sD8 += DNLOGN[hist[H_D8 + ((b - p8) & 255)]++];
      sX4 += DNLOGN[hist[H_X4 + (b ^ p4)]++];
      sX8 += DNLOGN[hist[H_X8 + (b ^ p8)]++];
      hist[H_L8 + ((i & 7) << 4) + (b >> 4)]++;
      const k = (p1 << 8) | b;
      if (PAIRS[k]++ === 0) touchedPairs[pairDistinct++] = k;
      const h = Math.imul((p2 << 16) | k, 0x9e3779b1) >>> (32 - TRIPLE_BITS);
      if (TRIPLES[h]++ === 0) touchedTriples[tripleDistinct++] = h;
      runStarts += b !== p1 ? 1 : 0;
      inRuns4 += b === p1 && p1 === p2 && p2 === src[i - 3] ? 1 : 0;
    }
    // hash probes at every other position: 4-grams and 8-grams ending there
    for (let i = start + 1; i < end; i += 2) {
      const gram = src[i - 3] | (src[i - 2] << 8) | (src[i - 1] << 16) | (src[i] << 24);
      const lo = src[i - 7] | (src[i - 6] << 8) | (src[i - 5] << 16) | (src[i - 4] << 24);
      const h4 = Math.imul(gram, 0x9e3779b1) >>> (32 - MATCH_BITS);
      const h8 = (Math.imul(gram, 0x9e3779b1) ^ Math.imul(lo, 0x85ebca6b)) >>> (32 - MATCH_BITS);
      probes++;
      if (matchStamp[h4] === gen && match4Gram[h4] === gram) m4Hits++;
      else {
        matchStamp[h4] = gen;
        match4Gram[h4] = gram;
      }
      if (match8Stamp[h8] === gen && match8Lo[h8] === lo && match8Hi[h8] === gram) m8Hits++;
      else {
        match8Stamp[h8] = gen;
        match8Lo[h8] = lo;
        match8Hi[h8] = gram;
      }
    }
    // aligned little-endian words: IEEE exponent plausibility (word ends inside the chunk)
    for (let i = ((start + 3) & ~3) + 3; i < end; i += 4) {
      f32Words++;
      if (plausibleExponent(((src[i] & 0x7f) << 1) | (src[i - 1] >> 7), 127)) f32Plausible++;
    }
    for (let i = ((start + 7) & ~7) + 7; i < end; i += 8) {
      f64Words++;
      if (plausibleExponent(((src[i] & 0x7f) << 4) | (src[i - 1] >> 4), 1023)) f64Plausible++;
    }
    for (let l = 0; l < 8; l++) laneTotals[(start + l) & 7] += (chunkLen - l + 7) >> 3;
  }

  const h0 = entropyOf(sByte, total);
  const hPairs = sparseEntropy(PAIRS, touchedPairs, pairDistinct, total);
  const hTriples = sparseEntropy(TRIPLES, touchedTriples, tripleDistinct, total);

  let distinct = 0;
  let printable = 0;
  let ascii = 0;
  let t1 = 0;
  let t2 = 0;
  let t3 = 0;
  let t4 = 0;
  for (let v = 0; v < 256; v++) {
    const count = hist[H_BYTE + v];
    if (count === 0) continue;
    distinct++;
    const cls = CLASS[v];
    if (cls & 1) printable += count;
    if (cls & 2) ascii += count;
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

  out[1] = h0;
  out[2] = Math.max(0, hPairs - h0);
  out[3] = Math.max(0, hTriples - hPairs);
  out[4] = distinct / 256;
  out[5] = t1 / total;
  out[6] = (t1 + t2 + t3 + t4) / total;
  out[7] = printable / total;
  out[8] = ascii / total;
  out[9] = hist[H_BYTE] / total;
  out[10] = Math.log2(total / Math.max(1, runStarts));
  out[11] = inRuns4 / total;
  out[12] = entropyOf(sD1, total);
  out[13] = entropyOf(sD2, total);
  out[14] = entropyOf(sD4, total);
  out[15] = entropyOf(sD8, total);
  out[16] = entropyOf(sX4, total);
  out[17] = entropyOf(sX8, total);
  out[18] = probes > 0 ? m4Hits / probes : 0;
  out[19] = probes > 0 ? m8Hits / probes : 0;
  out[20] = f32Words > 0 ? f32Plausible / f32Words : 0;
  out[21] = f64Words > 0 ? f64Plausible / f64Words : 0;
  out[22] = lane4Sum / 4 - lane4Min;
  out[23] = lane8Sum / 8 - lane8Min;
  return out;
}

/**
 * Extracts features of many blocks, one vector per block.
 *
 * @example
 * ```ts
 * const rows = extractAll(blocks.map((b) => b.bytes));
 * rows[0].length === FEATURE_COUNT; // true
 * ```
 */
export function extractAll(blocks: readonly Uint8Array[]): Float32Array[] {
  return blocks.map(extract);
}
