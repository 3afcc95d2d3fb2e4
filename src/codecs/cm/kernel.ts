/**
 * The `cm` kernel (stage format `cm@3`): a context-mixing bit predictor (order 1, two hashed orders, a word
 * model and a match model, a gated logistic mixer, an APM/SSE stage) driving a 32-bit carryless binary
 * arithmetic coder, in the style of lpaq1 (Mahoney). One loop serves both directions, so encoder and decoder
 * cannot drift apart. The kernel allocates nothing: the binding (codec.ts) sizes the {@link CmState} tables and
 * calls {@link resetCmState}.
 */
import { SQUASH, STRETCH } from "./logistic.js";

/**
 * The logistic tables in one Int16Array (half the cache footprint of the shared Int32 tables, one array in the
 * hot loop): `stretch(p)` at `p` (0..4095), `squash(d)` at `6144 + d` (d in −2048..2047).
 */
const LOGISTIC = new Int16Array(8192);
LOGISTIC.set(STRETCH);
LOGISTIC.set(SQUASH, 4096);

/**
 * Direct counters (order 1, match model) are 22-bit probabilities (high bits) with a 10-bit visit count
 * (low bits), stored XOR 0x80000000 so that a zeroed table means "p = ½, never seen": fresh allocations need no
 * fill. A counter seen n times adapts at rate 2^16/(n + 1.5) (RATES[n]), applied in integers as
 * `((target − p) >> 7) · rate >> 9`, which stays inside 32 bits and inside [0, 2^22); the count stops at 1023.
 *
 * Hashed counters (orders ≥ 2, word model) are 16 bits: a 12-bit probability (high bits) and a 4-bit state
 * (low bits), stored XOR 0x8000 (zero = "p = ½, state 0"). State n adapts at rate RATES[1024 + n]/2^16:
 * 1/(n + 1.5) while n < 12, then 1/20, 1/28, 1/40, 1/60, so a low-order context seen often still averages.
 */
const RATES = new Int32Array(1024 + 16);
for (let n = 0; n < 1024; n++) RATES[n] = Math.floor(65536 / (n + 1.5));
for (let n = 0; n < 16; n++)
  RATES[1024 + n] = Math.floor(65536 / (n < 12 ? n + 1.5 : [20, 28, 40, 60][n - 12]));

/** Counters of order-1 contexts (previous byte × partial byte) are addressed directly; match counters follow. */
const DIRECT_ENTRIES = 65536;
/** Match model: the last MATCH_MIN bytes are hashed to find the previous occurrence of the context. */
const MATCH_MIN = 6;
const MATCH_CONTEXTS = 64;
/** APM: 33 interpolation knots per context over the stretch domain (the literal 33 in the loop). */
const APM_KNOTS = 33;

/** The mixer learns faster at first: rate · (1 + LR_BOOST / (1 + pos / LR_DECAY)) at byte pos. */
const LR_BOOST = 4;
const LR_DECAY = 8192;
/** Initial mixer weight (in units of stretch): the inputs start as a soft average. */
const INITIAL_WEIGHT = 0.3;

/**
 * The orders of the two hashed context models under max order N: 2 and N (clipped, so N ≤ 2 repeats N).
 *
 * @example
 * ```ts
 * cmHashedOrders(4); // [2, 4]
 * cmHashedOrders(6); // [2, 6]
 * ```
 */
export function cmHashedOrders(maxOrder: number): [number, number] {
  return [Math.min(2, maxOrder), maxOrder];
}

/**
 * Number of mixer inputs: order 1 (direct), two hashed orders ({@link cmHashedOrders}), the word model and the
 * match model. Fixed, so the bit loop is unrolled. (Format 2 also mixed order 0 and order 3: each cost more time
 * than its ~1–2% of size on text.)
 *
 * @example
 * ```ts
 * CM_INPUTS; // 5
 * ```
 */
export const CM_INPUTS = 5;

/** The tables of one `cm` model. All sizes derive from the params and the input length, so both sides agree. */
export interface CmState {
  /** Highest context order N (see {@link cmHashedOrders}). */
  readonly maxOrder: number;
  /** log2 of the number of 16-bit counters in the shared hash table of the hashed orders and the word model. */
  readonly hashBits: number;
  /** log2 of the number of match-table entries. */
  readonly matchBits: number;
  /** log2 of the number of APM contexts (low bits of the previous byte, then the partial byte). */
  readonly apmBits: number;
  /** Mixer learning rate, in units of (log-odds) per (probability error × log-odds input). */
  readonly learningRate: number;
  /** 32-bit counters: 65536 order-1, then 64 match-model counters (match length bucket, bit). */
  readonly counters: Uint32Array;
  /**
   * 16-bit cells: 2^hashBits hashed counters in 16-entry slots (entry 0 = check), then the APM: 2^apmBits
   * contexts × 33 knots of 16-bit probabilities.
   */
  readonly hashed: Uint16Array;
  /** Position after the last occurrence of each hashed MATCH_MIN-byte context. */
  readonly matchTable: Int32Array;
  /** Mixer weights: 8 per (match state, partial byte) context, of which the first {@link CM_INPUTS} are used. */
  readonly weights: Float32Array;
}

/** Mixer weight sets: 3 match states × 256 partial-byte contexts. */
export const CM_WEIGHT_SETS = 3 * 256;

/**
 * Sizes (in elements) of the {@link CmState} tables; the binding allocates exactly these.
 *
 * @example
 * ```ts
 * cmTableSizes(20, 14, 12).hashed; // 2^20 hashed counters + 2^12 · 33 APM knots
 * ```
 */
export function cmTableSizes(hashBits: number, matchBits: number, apmBits: number) {
  return {
    counters: DIRECT_ENTRIES + MATCH_CONTEXTS,
    hashed: 2 ** hashBits + 2 ** apmBits * APM_KNOTS,
    matchTable: 2 ** matchBits,
    weights: CM_WEIGHT_SETS * 8,
  };
}

/**
 * Puts a used state back to its initial values (`freshlyAllocated`: the zero tables are already zero, so only
 * the weights and the APM are set). Allocates nothing.
 *
 * @example
 * ```ts
 * resetCmState(state); // before every encode or decode
 * ```
 */
export function resetCmState(s: CmState, freshlyAllocated = false): void {
  if (!freshlyAllocated) {
    s.counters.fill(0);
    s.hashed.fill(0);
    s.matchTable.fill(0);
  }
  s.weights.fill(INITIAL_WEIGHT);
  const apm = s.hashed;
  const apmStart = 2 ** s.hashBits;
  for (let j = 0; j < APM_KNOTS; j++)
    apm[apmStart + j] = SQUASH[Math.min(4095, Math.max(0, (j - 16) * 128 + 2048))] * 16;
  // Every context starts as the identity map: copy the first row over the rest, doubling the copied span.
  for (let filled = APM_KNOTS; apmStart + filled < apm.length; filled *= 2) {
    apm.copyWithin(apmStart + filled, apmStart, apmStart + Math.min(filled, apm.length - apmStart - filled));
  }
}

/**
 * Next state of a 32-bit counter `v` (22-bit probability, 10-bit count; not flipped) after a bit whose target
 * is `target` (2^22 for a 1, 127 for a 0): p += (target − p) / (count + 1.5), the count saturating at 1023.
 */
function counterNext(v: number, target: number, rates: Int32Array): number {
  const cnt = v & 1023;
  const pr = v >>> 10;
  return ((pr + ((((target - pr) >> 7) * rates[cnt]) >> 9)) << 10) | (cnt < 1023 ? cnt + 1 : 1023);
}

/**
 * Next state of a 16-bit counter `v` (12-bit probability, 4-bit state; not flipped) after a bit with target
 * 4095 (bias 0) or 0 (bias 65535, so the step rounds toward zero too): p stays in [0, 4095], the state
 * saturating at `limit`.
 */
function counter16Next(v: number, target: number, bias: number, limit: number, rates: Int32Array): number {
  const n = v & 15;
  const pr = v >>> 4;
  return ((pr + (((target - pr) * rates[1024 + n] + bias) >> 16)) << 4) | (n < limit ? n + 1 : limit);
}

/** Mixes a context hash with the partial-nibble hash into the 32-bit hash that picks and checks a slot. */
function slotHash(h: number, nc: number): number {
  let hh = Math.imul(h ^ nc, 0x85ebca6b);
  hh ^= hh >>> 13;
  hh = Math.imul(hh, 0xc2b2ae35);
  return hh ^ (hh >>> 16);
}

/**
 * Slow path of the slot lookup, when the first-choice slot `b` does not hold check `chk`: the neighbour slot
 * `b ^ 16` is tried, else the one whose first counter has the lower state is cleared and claimed (two-way
 * associative).
 */
function claimSlot(t: Uint16Array, b: number, chk: number): number {
  const b2 = b ^ 16;
  if (t[b2] === chk) return b2;
  if (((t[b2 + 1] ^ 0x8000) & 15) < ((t[b + 1] ^ 0x8000) & 15)) b = b2;
  t[b] = chk;
  for (let j = 1; j < 16; j++) t[b + j] = 0;
  return b;
}

/**
 * Codes `n` bytes. Encoding (`decoding` false): reads `src[0..n)` and writes the arithmetic code to
 * `dst[dstStart..)`, returning the end offset in `dst`, or −1 when `dst` is too small. Decoding: reads the code
 * from `src[srcStart..)` and writes `dst[0..n)`, returning the offset in `src` after the last byte read, or −1
 * when the code ends too early (corrupt input). Returns in O(n) steps on any input; allocates nothing.
 *
 * @example
 * ```ts
 * resetCmState(state);
 * const end = cmKernel(input, 0, out, 4, input.length, state, false);
 * ```
 */
export function cmKernel(
  src: Uint8Array,
  srcStart: number,
  dst: Uint8Array,
  dstStart: number,
  n: number,
  s: CmState,
  decoding: boolean,
): number {
  const hist = decoding ? dst : src;
  const maxOrder = s.maxOrder;
  const orders = cmHashedOrders(maxOrder);
  const orderA = orders[0];
  const orderC = orders[1];
  // Few arrays and literal constants in the loop: every live value V8 must keep costs a register or a spill.
  const t = s.counters;
  const ht = s.hashed;
  const mt = s.matchTable;
  const w = s.weights;
  const rates = RATES;
  const lg = LOGISTIC;
  const lr = s.learningRate / (4096 * 256);
  const slotShift = 32 - (s.hashBits - 4);
  const matchShift = 32 - s.matchBits;
  const apmMask = (1 << (s.apmBits - 8)) - 1;
  const apmStart = 2 ** s.hashBits;
  const srcEnd = src.length;
  const dstEnd = dst.length;

  let x1 = 0;
  let x2 = 0xffffffff;
  let x = 0;
  let inPos = srcStart;
  let outPos = dstStart;
  if (decoding) {
    for (let i = 0; i < 4; i++) {
      if (inPos >= srcEnd) return -1;
      x = ((x << 8) | src[inPos++]) >>> 0;
    }
  }

  let c1 = 0;
  let word = 0;
  let prevWord = 0;
  let matchPtr = 0;
  let matchLen = 0;
  let hashA = 0;
  let hashC = 0;
  let hashW = 0;
  let slotA = 0;
  let slotC = 0;
  let slotW = 0;

  for (let pos = 0; pos < n; pos++) {
    // Byte boundary: context hashes of the hashed orders (order k covers the last k bytes) and the match model.
    let h = 0;
    for (let k = 1; k <= maxOrder; k++) {
      const b = pos >= k ? hist[pos - k] : 0;
      h = Math.imul(h + b + 1, 0x2f0b4f27) ^ (h >>> 15);
      if (k === orderA) hashA = h + k;
      if (k === orderC) hashC = h + k;
    }
    // Word model: the letters of the current word (case-folded), or the last word and the byte after it.
    const lc = c1 | 32;
    if (lc >= 97 && lc <= 122) word = Math.imul(word + lc + 1, 0x3c6ef372) ^ (word >>> 13);
    else if (word !== 0) {
      prevWord = word;
      word = 0;
    }
    hashW = word !== 0 ? Math.imul(word, 0x7feb352d) + 99 : Math.imul(prevWord + c1 + 7, 0x846ca68b);
    if (matchLen > 0) {
      if (hist[matchPtr] === c1) {
        matchPtr++;
        if (matchLen < 65535) matchLen++;
      } else matchLen = 0;
    }
    if (pos >= MATCH_MIN) {
      let mh = 0;
      for (let k = 1; k <= MATCH_MIN; k++) mh = Math.imul(mh + hist[pos - k] + 1, 0x6b43a9b5);
      mh = (mh ^ (mh >>> 15)) >>> matchShift;
      if (matchLen === 0) {
        const cand = mt[mh];
        if (cand > 0) {
          let len = 0;
          while (len < 32 && len < cand && hist[cand - len - 1] === hist[pos - len - 1]) len++;
          if (len >= MATCH_MIN) {
            matchLen = len;
            matchPtr = cand;
          }
        }
      }
      mt[mh] = pos;
    }
    const lrNow = lr * (1 + LR_BOOST / (1 + pos / LR_DECAY));
    const expectedByte = matchLen > 0 ? hist[matchPtr] | 256 : 0;
    const matchSet = matchLen === 0 ? 0 : matchLen < 16 ? 256 : 512;
    const matchBase =
      DIRECT_ENTRIES + ((matchLen < 16 ? matchLen : 16 + Math.min(15, (matchLen - 16) >> 2)) << 1);
    const apmBase = apmStart + ((c1 & apmMask) << 8) * 33;
    const i1Base = c1 << 8;

    let c0 = 1;
    let nib = 1;
    const byte = decoding ? 0 : hist[pos];
    for (let bit = 7; bit >= 0; ) {
      {
        // Nibble boundary: one 16-counter slot per hashed context.
        // The first-choice slots are loaded before any is checked, so their cache misses overlap.
        const nc = Math.imul(c0, 0x9e3779b1);
        const hA = slotHash(hashA, nc);
        const hC = slotHash(hashC, nc);
        const hW = slotHash(hashW, nc);
        const bA = (hA >>> slotShift) << 4;
        const bC = (hC >>> slotShift) << 4;
        const bW = (hW >>> slotShift) << 4;
        const tA = ht[bA];
        const tC = ht[bC];
        const tW = ht[bW];
        const kA = (hA & 0xffff) | 1;
        const kC = (hC & 0xffff) | 1;
        const kW = (hW & 0xffff) | 1;
        slotA = tA === kA ? bA : claimSlot(ht, bA, kA);
        slotC = tC === kC ? bC : claimSlot(ht, bC, kC);
        slotW = tW === kW ? bW : claimSlot(ht, bW, kW);
        nib = 1;
      }
      for (let k = 0; k < 4; k++, bit--) {
        // Predict: stretched counter outputs, mixed by the weight set of (match state, partial byte).
        const i1 = i1Base + c0;
        const iA = slotA + nib;
        const iC = slotC + nib;
        const iW = slotW + nib;
        const v1 = t[i1] ^ 0x80000000;
        const vA = ht[iA] ^ 0x8000;
        const vC = ht[iC] ^ 0x8000;
        const vW = ht[iW] ^ 0x8000;
        const s1 = lg[v1 >>> 20];
        const sA = lg[vA >>> 4];
        const sC = lg[vC >>> 4];
        const sW = lg[vW >>> 4];
        let sM = 0;
        let mi = -1;
        if (matchLen > 0) {
          if (expectedByte >> (bit + 1) === c0) {
            mi = matchBase + ((expectedByte >> bit) & 1);
            sM = lg[(t[mi] ^ 0x80000000) >>> 20];
          } else matchLen = 0;
        }
        const wb = ((matchSet + c0) & 1023) << 3;
        // Summed as a tree (a fixed order, so still deterministic) to shorten the floating-point dependency chain.
        const dot = w[wb] * s1 + w[wb + 1] * sA + (w[wb + 2] * sC + (w[wb + 3] * sW + w[wb + 4] * sM));
        const d = dot > 2047 ? 2047 : dot < -2047 ? -2047 : dot | 0;
        const pm = lg[d + 6144];

        // APM/SSE: refine the mixed prediction in the order-1 context, then average with it (1:3).
        const sa = d + 2048;
        const j2 = apmBase + c0 * 33 + ((sa + 64) >> 7);
        const p2 = ht[j2] >> 4;
        let p = (pm + p2 * 3 + 2) >> 2;
        if (p < 1) p = 1;
        else if (p > 4095) p = 4095;

        // Code the bit with probability p (of a 1) in 12 bits.
        const xmid = x1 + ((x2 - x1) >>> 12) * p;
        let y: number;
        if (decoding) y = x <= xmid ? 1 : 0;
        else y = (byte >> bit) & 1;
        if (y) x2 = xmid;
        else x1 = xmid + 1;
        while (((x1 ^ x2) & 0xff000000) === 0) {
          if (decoding) {
            if (inPos >= srcEnd) return -1;
            x = ((x << 8) | src[inPos++]) >>> 0;
          } else {
            if (outPos >= dstEnd) return -1;
            dst[outPos++] = x2 >>> 24;
          }
          x1 = (x1 << 8) >>> 0;
          x2 = ((x2 << 8) | 255) >>> 0;
        }

        // Update counters, mixer weights, the match counter and the APM; targets and indices are computed without
        // branches on y (a mispredicted branch per bit costs more than the arithmetic).
        // target − p, rounded toward zero after >> 7 (bias 127 when it is negative) so p stays in [0, 2^22).
        const target = (-y & 0x3fff81) + 127;
        t[i1] = counterNext(v1, target, rates) ^ 0x80000000;
        const target16 = -y & 4095;
        const bias16 = (y - 1) & 65535;
        ht[iA] = counter16Next(vA, target16, bias16, 15, rates) ^ 0x8000;
        ht[iC] = counter16Next(vC, target16, bias16, 7, rates) ^ 0x8000;
        ht[iW] = counter16Next(vW, target16, bias16, 7, rates) ^ 0x8000;
        // Mixer training; skipped when the mixed prediction was already within 1/64 of the bit (little signal).
        const err = (y << 12) - pm;
        if (err > 64 || err < -64) {
          const e = err * lrNow;
          w[wb] += e * s1;
          w[wb + 1] += e * sA;
          w[wb + 2] += e * sC;
          w[wb + 3] += e * sW;
          w[wb + 4] += e * sM;
        }
        if (mi >= 0) t[mi] = counterNext(t[mi] ^ 0x80000000, target, rates) ^ 0x80000000;
        ht[j2] += ((y << 16) + (y << 7) - y - y - ht[j2]) >> 7;

        c0 = (c0 << 1) | y;
        nib = (nib << 1) | y;
      }
    }
    c1 = c0 & 255;
    if (decoding) hist[pos] = c1;
  }

  if (decoding) return inPos;
  for (let i = 0; i < 4; i++) {
    if (outPos >= dstEnd) return -1;
    dst[outPos++] = x1 >>> 24;
    x1 = (x1 << 8) >>> 0;
  }
  return outPos;
}
