/**
 * Cheap block features for pipeline selection. Every feature is computed in one fused pass over a sample of
 * the block (at most {@link FEATURE_SAMPLE_BYTES} bytes, taken as evenly spaced 8-byte-aligned chunks so that
 * local structure and word alignment survive). Scratch tables are allocated once at module load; a call
 * allocates only its output. Features import nothing from the other stages.
 */

/** Bytes of the sample the features are computed on (the whole block when it is shorter). */
export const FEATURE_SAMPLE_BYTES = 512;
/** The sample is this many contiguous chunks, spread evenly over the block. */
const CHUNKS = 8;
const CHUNK = FEATURE_SAMPLE_BYTES / CHUNKS;

/**
 * The names of the features, in vector order. Entropies are in bits per byte (0–8), fractions in 0–1.
 *
 * - `log2_length`: log2(block length + 1), on the whole block.
 * - `h0`: order-0 (byte histogram) entropy of the sample.
 * - `h1_cond`, `h2_cond`: order-1 and order-2 conditional entropy estimates, H(pairs) − H(bytes) and
 *   H(triples) − H(pairs) over the sample's n-grams (biased low on small samples: an estimate, not a bound).
 * - `distinct_frac`: distinct byte values / 256. `top1_mass`, `top4_mass`: share of the 1 and 4 commonest bytes.
 * - `printable_frac` (0x20–0x7e, tab, LF, CR), `ascii_frac` (< 0x80), `zero_frac` (0x00).
 * - `run_mean_log2`: log2 of the mean run length of equal bytes; `run_frac_ge4`: share of bytes in runs ≥ 4.
 * - `delta1_h0` … `delta8_h0`: order-0 entropy of the byte difference x[i] − x[i−s] at strides 1, 2, 4, 8.
 * - `xor4_h0`, `xor8_h0`: order-0 entropy of x[i] XOR x[i−w], the XOR with the previous 4- and 8-byte word.
 * - `match4_density`, `match8_density`: share of sample positions whose 4-gram (8-gram) already occurred in the
 *   sample, from a hash probe (long-range repeats show up because the chunks span the block).
 * - `float32_like`, `float64_like`: share of aligned little-endian words whose IEEE exponent is in a
 *   plausible range (|exponent| ≤ 32, not zero/denormal/inf); random bytes score ≈ 0.26 and ≈ 0.03.
 * - `lane4_spread`, `lane8_spread`: mean minus minimum order-0 entropy over the byte lanes i mod 4 (mod 8);
 *   high for fixed-width numeric records, ≈ 0 for text and random bytes.
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
export const FEATURE_SET_ID = `basic-v1-${FEATURE_COUNT}x${FEATURE_SAMPLE_BYTES}`;

// ---- scratch tables, allocated once -------------------------------------------------------------------------
/** c·log2(c) for every count a sample can produce. */
const NLOGN = new Float64Array(FEATURE_SAMPLE_BYTES + 1);
for (let c = 2; c <= FEATURE_SAMPLE_BYTES; c++) NLOGN[c] = c * Math.log2(c);

// 256-bin histograms, one after another: bytes, deltas 1/2/4/8, xor 4/8, 8 lanes, then 4 lanes (summed from
// the 8 lanes after the pass).
const H_BYTE = 0;
const H_D1 = 256;
const H_D2 = 512;
const H_D4 = 768;
const H_D8 = 1024;
const H_X4 = 1280;
const H_X8 = 1536;
const H_L8 = 1792;
const H_L4 = H_L8 + 8 * 256;
const HIST_BINS = H_L4 + 4 * 256;
const hist = new Uint16Array(HIST_BINS);
// bin counts per lane (lanes need their own totals)
const laneTotals = new Uint16Array(12);

const PAIRS = new Uint16Array(1 << 16);
const TRIPLE_BITS = 14;
const TRIPLES = new Uint16Array(1 << TRIPLE_BITS);
const touchedPairs = new Uint32Array(FEATURE_SAMPLE_BYTES);
const touchedTriples = new Uint32Array(FEATURE_SAMPLE_BYTES);

const MATCH_BITS = 12;
const matchStamp = new Uint32Array(1 << MATCH_BITS);
const match4Gram = new Int32Array(1 << MATCH_BITS);
const match8Stamp = new Uint32Array(1 << MATCH_BITS);
const match8Lo = new Int32Array(1 << MATCH_BITS);
const match8Hi = new Int32Array(1 << MATCH_BITS);
let generation = 0;

const chunkStarts = new Int32Array(CHUNKS);

/** Entropy in bits per symbol of `total` symbols whose histogram is `hist[from … from+256)`. */
function histEntropy(from: number, total: number): number {
  if (total <= 1) return 0;
  let s = 0;
  for (let i = from; i < from + 256; i++) s += NLOGN[hist[i]];
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

/** Mean minus minimum order-0 entropy over `lanes` lane histograms starting at `from`. */
function laneSpread(from: number, lanes: number, totalsAt: number): number {
  let sum = 0;
  let min = 8;
  for (let l = 0; l < lanes; l++) {
    const h = histEntropy(from + l * 256, laneTotals[totalsAt + l]);
    sum += h;
    if (h < min) min = h;
  }
  return sum / lanes - min;
}

/** True when an IEEE biased exponent is within ±32 of the bias and not the reserved all-0/all-1 codes. */
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

  // chunk layout: the whole block when it fits, else CHUNKS evenly spaced 8-aligned chunks of CHUNK bytes
  let chunks: number;
  let chunkLen: number;
  if (n <= FEATURE_SAMPLE_BYTES) {
    chunks = 1;
    chunkLen = n;
    chunkStarts[0] = 0;
  } else {
    chunks = CHUNKS;
    chunkLen = CHUNK;
    const span = n - CHUNK;
    for (let c = 0; c < CHUNKS; c++) chunkStarts[c] = Math.floor((c * span) / (CHUNKS - 1)) & ~7;
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

  let total = 0;
  let pairTotal = 0;
  let pairDistinct = 0;
  let tripleTotal = 0;
  let tripleDistinct = 0;
  let d1 = 0;
  let d2 = 0;
  let d4 = 0;
  let d8 = 0;
  let printable = 0;
  let ascii = 0;
  let zeros = 0;
  let runs = 0;
  let inLongRuns = 0;
  let m4Probes = 0;
  let m4Hits = 0;
  let m8Probes = 0;
  let m8Hits = 0;
  let f32Words = 0;
  let f32Plausible = 0;
  let f64Words = 0;
  let f64Plausible = 0;

  for (let c = 0; c < chunks; c++) {
    const start = chunkStarts[c];
    const end = start + chunkLen;
    let runLength = 0;
    let prevByte = -1;
    for (let i = start; i < end; i++) {
      const b = bytes[i];
      total++;
      hist[H_BYTE + b]++;
      hist[H_L8 + ((i & 7) << 8) + b]++;
      laneTotals[4 + (i & 7)]++;
      if ((b >= 0x20 && b < 0x7f) || b === 9 || b === 10 || b === 13) printable++;
      if (b < 0x80) ascii++;
      if (b === 0) zeros++;
      // runs of equal bytes, within the chunk
      if (b === prevByte) runLength++;
      else {
        if (runLength >= 4) inLongRuns += runLength;
        if (runLength > 0) runs++;
        runLength = 1;
        prevByte = b;
      }
      if (i >= 1) {
        const p1 = bytes[i - 1];
        hist[H_D1 + ((b - p1) & 255)]++;
        d1++;
        if (i > start) {
          const k = (p1 << 8) | b;
          if (PAIRS[k]++ === 0) touchedPairs[pairDistinct++] = k;
          pairTotal++;
          if (i > start + 1) {
            const h = Math.imul((bytes[i - 2] << 16) | k, 0x9e3779b1) >>> (32 - TRIPLE_BITS);
            if (TRIPLES[h]++ === 0) touchedTriples[tripleDistinct++] = h;
            tripleTotal++;
          }
        }
      }
      if (i >= 2) {
        hist[H_D2 + ((b - bytes[i - 2]) & 255)]++;
        d2++;
      }
      if (i >= 4) {
        const p4 = bytes[i - 4];
        hist[H_D4 + ((b - p4) & 255)]++;
        hist[H_X4 + (b ^ p4)]++;
        d4++;
      }
      if (i >= 8) {
        const p8 = bytes[i - 8];
        hist[H_D8 + ((b - p8) & 255)]++;
        hist[H_X8 + (b ^ p8)]++;
        d8++;
      }
      // 4-gram ending at i (inside the chunk): hash probe for repeats
      if (i >= start + 3) {
        const gram = bytes[i - 3] | (bytes[i - 2] << 8) | (bytes[i - 1] << 16) | (b << 24) | 0;
        const h = Math.imul(gram, 0x9e3779b1) >>> (32 - MATCH_BITS);
        m4Probes++;
        if (matchStamp[h] === gen && match4Gram[h] === gram) m4Hits++;
        else {
          matchStamp[h] = gen;
          match4Gram[h] = gram;
        }
        if (i >= start + 7) {
          const lo = bytes[i - 7] | (bytes[i - 6] << 8) | (bytes[i - 5] << 16) | (bytes[i - 4] << 24) | 0;
          const h8 = (Math.imul(gram, 0x9e3779b1) ^ Math.imul(lo, 0x85ebca6b)) >>> (32 - MATCH_BITS);
          m8Probes++;
          if (match8Stamp[h8] === gen && match8Lo[h8] === lo && match8Hi[h8] === gram) m8Hits++;
          else {
            match8Stamp[h8] = gen;
            match8Lo[h8] = lo;
            match8Hi[h8] = gram;
          }
        }
      }
      // aligned words: IEEE exponent plausibility (little-endian)
      if ((i & 3) === 3 && i >= start + 3) {
        f32Words++;
        if (plausibleExponent(((b & 0x7f) << 1) | (bytes[i - 1] >> 7), 127)) f32Plausible++;
      }
      if ((i & 7) === 7 && i >= start + 7) {
        f64Words++;
        if (plausibleExponent(((b & 0x7f) << 4) | (bytes[i - 1] >> 4), 1023)) f64Plausible++;
      }
    }
    if (runLength >= 4) inLongRuns += runLength;
    if (runLength > 0) runs++;
  }

  const h0 = histEntropy(H_BYTE, total);
  const hPairs = sparseEntropy(PAIRS, touchedPairs, pairDistinct, pairTotal);
  const hTriples = sparseEntropy(TRIPLES, touchedTriples, tripleDistinct, tripleTotal);

  let distinct = 0;
  let t1 = 0;
  let t2 = 0;
  let t3 = 0;
  let t4 = 0;
  for (let v = 0; v < 256; v++) {
    const count = hist[H_BYTE + v];
    if (count === 0) continue;
    distinct++;
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

  out[1] = h0;
  out[2] = pairTotal > 0 ? Math.max(0, hPairs - h0) : h0;
  out[3] = tripleTotal > 0 ? Math.max(0, hTriples - hPairs) : out[2];
  out[4] = distinct / 256;
  out[5] = t1 / total;
  out[6] = (t1 + t2 + t3 + t4) / total;
  out[7] = printable / total;
  out[8] = ascii / total;
  out[9] = zeros / total;
  out[10] = Math.log2(total / Math.max(1, runs));
  out[11] = inLongRuns / total;
  out[12] = histEntropy(H_D1, d1);
  out[13] = histEntropy(H_D2, d2);
  out[14] = histEntropy(H_D4, d4);
  out[15] = histEntropy(H_D8, d8);
  out[16] = histEntropy(H_X4, d4);
  out[17] = histEntropy(H_X8, d8);
  out[18] = m4Probes > 0 ? m4Hits / m4Probes : 0;
  out[19] = m8Probes > 0 ? m8Hits / m8Probes : 0;
  out[20] = f32Words > 0 ? f32Plausible / f32Words : 0;
  out[21] = f64Words > 0 ? f64Plausible / f64Words : 0;
  for (let l = 0; l < 4; l++) {
    laneTotals[l] = laneTotals[4 + l] + laneTotals[8 + l];
    const to = H_L4 + (l << 8);
    const a = H_L8 + (l << 8);
    const b = H_L8 + ((l + 4) << 8);
    for (let v = 0; v < 256; v++) hist[to + v] = hist[a + v] + hist[b + v];
  }
  out[22] = laneSpread(H_L4, 4, 0);
  out[23] = laneSpread(H_L8, 8, 4);
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
