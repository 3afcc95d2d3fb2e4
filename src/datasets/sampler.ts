/**
 * Exact, fast sampling of discrete distributions (up to 256 symbols) by table-guided inversion.
 *
 * Each distribution ("row") is quantized to integer weights summing to exactly 2^32, so the sampled law is
 * exactly `weight / 2^32` and analytic entropies computed from the weights are exact. A row's CDF is cut into
 * `2^guideBits` equal buckets; a bucket that lies inside one symbol's interval maps straight to that symbol (the
 * common case, one table load), and a bucket that straddles a boundary is resolved by a short scan of the CDF
 * against the full 32-bit word. Each symbol costs exactly one 32-bit word.
 *
 * Rows are indexed by a context number, which makes the same kernel serve `iid` (one row) and `markov` (one row
 * per context, next context = `((ctx << symbolBits) | symbol) & contextMask`).
 */
import { type Rng, xoshiroState } from "../rng.js";

const TWO_POW_32 = 4294967296;

/**
 * The smallest `bits >= 1` with `2^bits >= n`.
 *
 * @example
 * ```ts
 * symbolBits(16); // 4
 * symbolBits(17); // 5
 * ```
 */
export function symbolBits(n: number): number {
  let bits = 1;
  while (1 << bits < n) bits++;
  return bits;
}

/**
 * Quantizes non-negative weights to integers summing to exactly 2^32 (largest remainders). Entries with positive
 * weight, or all entries when `floorAll`, get at least `minWeight`.
 *
 * @example
 * ```ts
 * quantizeWeights([0.5, 0.25, 0.25]); // [2^31, 2^30, 2^30]
 * ```
 */
export function quantizeWeights(weights: ArrayLike<number>, minWeight = 0, floorAll = false): Float64Array {
  const n = weights.length;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const w = weights[i];
    if (!(w >= 0) || !Number.isFinite(w)) {
      throw new RangeError(`weight ${i} is ${w}; weights must be finite and >= 0`);
    }
    sum += w;
  }
  if (!(sum > 0)) throw new RangeError("weights sum to zero; at least one symbol needs a positive weight");
  let floorCount = 0;
  for (let i = 0; i < n; i++) if (floorAll || weights[i] > 0) floorCount++;
  const budget = TWO_POW_32 - floorCount * minWeight;
  const out = new Float64Array(n);
  const frac = new Float64Array(n);
  let used = 0;
  for (let i = 0; i < n; i++) {
    const exact = (weights[i] / sum) * budget;
    out[i] = Math.floor(exact);
    frac[i] = exact - out[i];
    used += out[i];
  }
  let rest = budget - used;
  if (rest > 0) {
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => frac[b] - frac[a] || a - b);
    for (let k = 0; rest > 0; k = (k + 1) % n, rest--) out[order[k]] += 1;
  }
  for (let i = 0; i < n; i++) if (floorAll || weights[i] > 0) out[i] += minWeight;
  return out;
}

/** Guide and CDF tables for `rows` distributions over `alphabet` symbols. */
export interface SamplerTables {
  readonly alphabet: number;
  readonly rows: number;
  readonly guideBits: number;
  /** `rows × 2^guideBits`: a symbol (< 256), or 256 + the first symbol of a straddling bucket. */
  readonly guide: Uint16Array;
  /** `rows × (alphabet + 1)`: the integer CDF of each row, from 0 to 2^32. */
  readonly cdf: Float64Array;
}

/**
 * Allocates empty tables; fill each row with {@link setRow}.
 *
 * @example
 * ```ts
 * const t = createSamplerTables(1, 256, 16);
 * setRow(t, 0, quantizeWeights(probabilities));
 * ```
 */
export function createSamplerTables(rows: number, alphabet: number, guideBits: number): SamplerTables {
  if (alphabet < 1 || alphabet > 256) throw new RangeError("sampler alphabets hold 1–256 symbols");
  if (guideBits < 1 || guideBits > 16) throw new RangeError("guideBits must be 1–16");
  return {
    alphabet,
    rows,
    guideBits,
    guide: new Uint16Array(rows * (1 << guideBits)),
    cdf: new Float64Array(rows * (alphabet + 1)),
  };
}

/**
 * Writes one row from integer weights that sum to 2^32 (see {@link quantizeWeights}).
 *
 * @example
 * ```ts
 * setRow(tables, contextIndex, quantizeWeights(rowProbabilities, 1, true));
 * ```
 */
export function setRow(tables: SamplerTables, row: number, weights: ArrayLike<number>): void {
  const { alphabet, guideBits, guide, cdf } = tables;
  const c0 = row * (alphabet + 1);
  cdf[c0] = 0;
  for (let s = 0; s < alphabet; s++) cdf[c0 + s + 1] = cdf[c0 + s] + weights[s];
  if (cdf[c0 + alphabet] !== TWO_POW_32) throw new RangeError("row weights must sum to exactly 2^32");
  const buckets = 1 << guideBits;
  const span = TWO_POW_32 / buckets;
  const g0 = row * buckets;
  let s = 0;
  for (let b = 0; b < buckets; b++) {
    const lo = b * span;
    while (cdf[c0 + s + 1] <= lo) s++;
    guide[g0 + b] = cdf[c0 + s + 1] >= lo + span ? s : 256 + s;
  }
}

/**
 * A stateful sampler: draws symbols from the tables' rows, moving from row to row as a Markov context
 * (`contextBits = 0` keeps row 0: iid). Symbol i is the inverse CDF of the i-th 32-bit xoshiro128** output, so
 * the stream depends only on the seed and the quantized weights, not on the guide size. The generator steps are
 * inlined in the loop on the state shared with `rng`.
 *
 * @example
 * ```ts
 * const sampler = new TableSampler(tables, createRng(1), 0, 0);
 * sampler.fill(out);
 * ```
 */
export class TableSampler {
  private readonly state: Int32Array;

  /**
   * @param context the starting row
   * @param contextBits `order · symbolShift` for a Markov chain, 0 for iid
   * @param symbolShift bits per symbol in the context (`symbolBits(alphabet)`)
   */
  constructor(
    private readonly tables: SamplerTables,
    rng: Rng,
    private context: number,
    private readonly contextBits: number,
    private readonly symbolShift: number = 0,
  ) {
    this.state = xoshiroState(rng);
  }

  /** Writes the next `out.length` symbols. */
  fill(out: Uint8Array): void {
    const { guide, cdf, guideBits } = this.tables;
    const stride = this.tables.alphabet + 1;
    const bucketShift = 32 - guideBits;
    const shift = this.symbolShift;
    const ctxMask = this.contextBits === 0 ? 0 : (1 << this.contextBits) - 1;
    const st = this.state;
    let s0 = st[0];
    let s1 = st[1];
    let s2 = st[2];
    let s3 = st[3];
    let ctx = this.context;
    const n = out.length;
    for (let i = 0; i < n; i++) {
      const m = Math.imul(s1, 5);
      const u = Math.imul((m << 7) | (m >>> 25), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      let s = guide[(ctx << guideBits) | (u >>> bucketShift)];
      if (s >= 256) {
        const position = u >>> 0;
        const c0 = ctx * stride;
        s -= 256;
        while (position >= cdf[c0 + s + 1]) s++;
      }
      out[i] = s;
      ctx = ((ctx << shift) | s) & ctxMask;
    }
    st[0] = s0;
    st[1] = s1;
    st[2] = s2;
    st[3] = s3;
    this.context = ctx;
  }
}
