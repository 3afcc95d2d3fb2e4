/**
 * The frozen version-2 `cm` kernel (stage format `cm@2`), kept so that frames written by format 2 still decode.
 * Do not change it: any change breaks those frames. New work goes in kernel.ts.
 *
 * Version 2 is a context-mixing bit predictor (orders 0..N plus a match model, a gated logistic mixer,
 * an APM/SSE stage) driving a 32-bit carryless binary arithmetic coder, in the style of lpaq1 (Mahoney).
 */
import { SQUASH, STRETCH } from "./logistic.js";

/**
 * Counters are 22-bit probabilities (high bits) with a 10-bit visit count (low bits), stored XOR {@link FLIP}
 * so that a zeroed table means "p = ½, never seen": fresh allocations need no fill.
 */
const FLIP = 0x80000000;
/**
 * Adaptation rate of a counter seen n times, 2^16/(n + 1.5): a new context learns fast, an old one averages.
 * Applied in integers as `((target − p) >> 7) · rate >> 9`, which stays inside 32 bits and inside [0, 2^22).
 */
const COUNTER_RATE = new Int32Array(1024);
for (let n = 0; n < 1024; n++) COUNTER_RATE[n] = Math.floor(65536 / (n + 1.5));

/** Visit-count limits: the rate floors at 1/(limit + 1.5). Low orders see stationary statistics, high orders drift. */
const LIMIT_LOW_ORDER = 1023;
const LIMIT_HIGH_ORDER = 255;
/** Counters of order-0 and order-1 contexts are addressed directly; orders ≥ 2 share one hash table. */
const DIRECT_ENTRIES = 256 + 65536;
/** Match model: the last MATCH_MIN bytes are hashed to find the previous occurrence of the context. */
const MATCH_MIN = 6;
const MATCH_CONTEXTS = 64;
/** APM: 33 interpolation knots per context over the stretch domain. */
const APM_KNOTS = 33;
const APM_RATE = 7;

/** The mixer learns faster at first: rate · (1 + LR_BOOST / (1 + pos / LR_DECAY)) at byte pos. */
const LR_BOOST = 4;
const LR_DECAY = 8192;
/** Initial mixer weight (in units of stretch): the inputs start as a soft average. */
const INITIAL_WEIGHT = 0.3;

/**
 * The orders of the three hashed context models under max order N: 2, 3, 4 when N ≤ 4 (clipped to N, so a small N
 * repeats its highest order), and 2, 4, N when N > 4.
 *
 * @example
 * ```ts
 * cmHashedOrders(4); // [2, 3, 4]
 * cmHashedOrders(6); // [2, 4, 6]
 * ```
 */
function cmHashedOrders(maxOrder: number): [number, number, number] {
  if (maxOrder > 4) return [2, 4, maxOrder];
  return [Math.min(2, maxOrder), Math.min(3, maxOrder), maxOrder];
}

/** The tables of one `cm` model. All sizes derive from the params and the input length, so both sides agree. */
export interface CmStateV2 {
  /** Highest context order N (see {@link cmHashedOrders}). */
  readonly maxOrder: number;
  /** log2 of the number of counters in the shared hash table of the hashed orders and the word model. */
  readonly hashBits: number;
  /** log2 of the number of match-table entries. */
  readonly matchBits: number;
  /** log2 of the number of APM contexts (low bits of the previous byte, then the partial byte). */
  readonly apmBits: number;
  /** Mixer learning rate, in units of (log-odds) per (probability error × log-odds input). */
  readonly learningRate: number;
  /** Counters: 256 order-0, then 65536 order-1, then 2^hashBits hashed (16-entry slots, entry 0 = check). */
  readonly counters: Uint32Array;
  /** Match-model counters, indexed by (match length bucket, expected bit). */
  readonly matchCounters: Uint32Array;
  /** Position after the last occurrence of each hashed MATCH_MIN-byte context. */
  readonly matchTable: Int32Array;
  /** Mixer weights: 8 per (match state, partial byte) context, of which the first 7 are used. */
  readonly weights: Float64Array;
  /** APM table: 2^apmBits contexts × 33 knots of 16-bit probabilities. */
  readonly apm: Uint16Array;
}

/** Mixer weight sets: 3 match states × 256 partial-byte contexts. */
const CM_WEIGHT_SETS = 3 * 256;

/**
 * Sizes (in elements) of the {@link CmStateV2} tables; the binding allocates exactly these.
 *
 * @example
 * ```ts
 * cmTableSizes(22, 20, 16).counters; // 65792 direct + 2^22 hashed counters
 * ```
 */
function cmTableSizes(hashBits: number, matchBits: number, apmBits: number) {
  return {
    counters: DIRECT_ENTRIES + 2 ** hashBits,
    matchCounters: MATCH_CONTEXTS,
    matchTable: 2 ** matchBits,
    weights: CM_WEIGHT_SETS * 8,
    apm: 2 ** apmBits * APM_KNOTS,
  };
}

/**
 * Puts a used state back to its initial values (`freshlyAllocated`: the zero tables are already zero, so only
 * the weights and the APM are set). Allocates nothing.
 *
 * @example
 * ```ts
 * resetCmStateV2(state); // before every encode or decode
 * ```
 */
function resetCmStateV2(s: CmStateV2, freshlyAllocated = false): void {
  if (!freshlyAllocated) {
    s.counters.fill(0);
    s.matchCounters.fill(0);
    s.matchTable.fill(0);
  }
  s.weights.fill(INITIAL_WEIGHT);
  const apm = s.apm;
  for (let j = 0; j < APM_KNOTS; j++) {
    const v = SQUASH[Math.min(4095, Math.max(0, (j - 16) * 128 + 2048))] * 16;
    for (let k = j; k < apm.length; k += APM_KNOTS) apm[k] = v;
  }
}

/**
 * Next state of a counter `v` (22-bit probability, 10-bit count; not flipped) after a bit whose target is
 * `target` (2^22 for a 1, 127 for a 0): p += (target − p) / (count + 1.5), the count saturating at `limit`.
 */
function counterNext(v: number, target: number, limit: number, rate: Int32Array): number {
  const cnt = v & 1023;
  const pr = v >>> 10;
  return ((pr + ((((target - pr) >> 7) * rate[cnt]) >> 9)) << 10) | (cnt < limit ? cnt + 1 : limit);
}

/** Mixes a context hash with the partial-nibble hash into the 32-bit hash that picks and checks a slot. */
function slotHash(h: number, nc: number): number {
  let hh = Math.imul(h ^ nc, 0x85ebca6b);
  hh ^= hh >>> 13;
  hh = Math.imul(hh, 0xc2b2ae35);
  return hh ^ (hh >>> 16);
}

/**
 * Slow path of the slot lookup, when the first-choice slot `b` does not hold check `chk`: the neighbour line
 * `b ^ 16` is tried, else the less used of the two is cleared and claimed (two-way associative).
 */
function claimSlot(t: Uint32Array, b: number, chk: number): number {
  const b2 = b ^ 16;
  if (t[b2] === chk) return b2;
  if ((t[b2 + 1] & 1023) < (t[b + 1] & 1023)) b = b2;
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
 * resetCmStateV2(state);
 * const end = cmKernelV2(input, 0, out, 4, input.length, state, false);
 * ```
 */
export function cmKernelV2(
  src: Uint8Array,
  srcStart: number,
  dst: Uint8Array,
  dstStart: number,
  n: number,
  s: CmStateV2,
  decoding: boolean,
): number {
  const hist = decoding ? dst : src;
  const maxOrder = s.maxOrder;
  const orders = cmHashedOrders(maxOrder);
  const orderA = orders[0];
  const orderB = orders[1];
  const orderC = orders[2];
  const t = s.counters;
  const mc = s.matchCounters;
  const mt = s.matchTable;
  const w = s.weights;
  const apm = s.apm;
  const rate = COUNTER_RATE;
  const stretchT = STRETCH;
  const squashT = SQUASH;
  // Module constants as locals: the optimiser keeps them in registers (no context loads in the bit loop).
  const flip = FLIP;
  const knots = APM_KNOTS;
  const apmRate = APM_RATE;
  const limitLow = LIMIT_LOW_ORDER;
  const limitHigh = LIMIT_HIGH_ORDER;
  const direct = DIRECT_ENTRIES;
  const lr = s.learningRate / (4096 * 256);
  const slotShift = 32 - (s.hashBits - 4);
  const matchShift = 32 - s.matchBits;
  const apmMask = (1 << (s.apmBits - 8)) - 1;
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
  let hashB = 0;
  let hashC = 0;
  let hashW = 0;
  let slotA = 0;
  let slotB = 0;
  let slotC = 0;
  let slotW = 0;

  for (let pos = 0; pos < n; pos++) {
    // Byte boundary: context hashes of the hashed orders (order k covers the last k bytes) and the match model.
    let h = 0;
    for (let k = 1; k <= maxOrder; k++) {
      const b = pos >= k ? hist[pos - k] : 0;
      h = Math.imul(h + b + 1, 0x2f0b4f27) ^ (h >>> 15);
      if (k === orderA) hashA = h + k;
      if (k === orderB) hashB = h + k;
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
    const matchBucket = matchLen < 16 ? matchLen : 16 + Math.min(15, (matchLen - 16) >> 2);
    const apmBase = (c1 & apmMask) << 8;
    const i1Base = 256 + (c1 << 8);

    let c0 = 1;
    let nib = 1;
    const byte = decoding ? 0 : hist[pos];
    for (let bit = 7; bit >= 0; bit--) {
      if (bit === 7 || bit === 3) {
        // Nibble boundary: one 16-counter slot per hashed context.
        // The four first-choice lines are loaded before any is checked, so their cache misses overlap.
        const nc = Math.imul(c0, 0x9e3779b1);
        const hA = slotHash(hashA, nc);
        const hB = slotHash(hashB, nc);
        const hC = slotHash(hashC, nc);
        const hW = slotHash(hashW, nc);
        const bA = direct + ((hA >>> slotShift) << 4);
        const bB = direct + ((hB >>> slotShift) << 4);
        const bC = direct + ((hC >>> slotShift) << 4);
        const bW = direct + ((hW >>> slotShift) << 4);
        const tA = t[bA];
        const tB = t[bB];
        const tC = t[bC];
        const tW = t[bW];
        const kA = (hA & 0xffff) + 1;
        const kB = (hB & 0xffff) + 1;
        const kC = (hC & 0xffff) + 1;
        const kW = (hW & 0xffff) + 1;
        slotA = tA === kA ? bA : claimSlot(t, bA, kA);
        slotB = tB === kB ? bB : claimSlot(t, bB, kB);
        slotC = tC === kC ? bC : claimSlot(t, bC, kC);
        slotW = tW === kW ? bW : claimSlot(t, bW, kW);
        nib = 1;
      }

      // Predict: stretched counter outputs, mixed by the weight set of (match state, partial byte).
      const i1 = i1Base + c0;
      const iA = slotA + nib;
      const iB = slotB + nib;
      const iC = slotC + nib;
      const iW = slotW + nib;
      const v0 = t[c0] ^ flip;
      const v1 = t[i1] ^ flip;
      const vA = t[iA] ^ flip;
      const vB = t[iB] ^ flip;
      const vC = t[iC] ^ flip;
      const vW = t[iW] ^ flip;
      const s0 = stretchT[v0 >>> 20];
      const s1 = stretchT[v1 >>> 20];
      const sA = stretchT[vA >>> 20];
      const sB = stretchT[vB >>> 20];
      const sC = stretchT[vC >>> 20];
      const sW = stretchT[vW >>> 20];
      let sM = 0;
      let mctx = -1;
      if (matchLen > 0) {
        if (expectedByte >> (bit + 1) === c0) {
          mctx = (matchBucket << 1) | ((expectedByte >> bit) & 1);
          sM = stretchT[(mc[mctx] ^ flip) >>> 20];
        } else matchLen = 0;
      }
      const wb = (matchSet + c0) << 3;
      // Summed as a tree (a fixed order, so still deterministic) to shorten the floating-point dependency chain.
      const dot =
        w[wb] * s0 +
        w[wb + 1] * s1 +
        (w[wb + 2] * sA + w[wb + 3] * sB) +
        (w[wb + 4] * sC + w[wb + 5] * sW + w[wb + 6] * sM);
      const d = dot > 2047 ? 2047 : dot < -2047 ? -2047 : dot | 0;
      const pm = squashT[d + 2048];

      // APM/SSE: refine the mixed prediction in the order-1 context, then average with it (1:3).
      const sa = d + 2048;
      const wt = sa & 127;
      const a2 = (apmBase | c0) * knots + (sa >> 7);
      const p2 = (apm[a2] * (128 - wt) + apm[a2 + 1] * wt) >> 11;
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

      // Update counters, mixer weights, the match counter and the APM.
      // target − p, rounded toward zero after >> 7 (bias 127 when it is negative) so p stays in [0, 2^22).
      const target = y ? 1 << 22 : 127;
      t[c0] = counterNext(v0, target, limitLow, rate) ^ flip;
      t[i1] = counterNext(v1, target, limitLow, rate) ^ flip;
      t[iA] = counterNext(vA, target, limitLow, rate) ^ flip;
      t[iB] = counterNext(vB, target, limitHigh, rate) ^ flip;
      t[iC] = counterNext(vC, target, limitHigh, rate) ^ flip;
      t[iW] = counterNext(vW, target, limitHigh, rate) ^ flip;
      // Mixer training; skipped when the mixed prediction was already within 1/128 of the bit (no useful signal).
      const err = (y << 12) - pm;
      if (err > 32 || err < -32) {
        const e = err * lrNow;
        w[wb] += e * s0;
        w[wb + 1] += e * s1;
        w[wb + 2] += e * sA;
        w[wb + 3] += e * sB;
        w[wb + 4] += e * sC;
        w[wb + 5] += e * sW;
        w[wb + 6] += e * sM;
      }
      if (mctx >= 0) {
        mc[mctx] = counterNext(mc[mctx] ^ flip, target, limitLow, rate) ^ flip;
      }
      const g = (y << 16) + (y << apmRate) - y - y;
      const j2 = wt < 64 ? a2 : a2 + 1;
      apm[j2] += (g - apm[j2]) >> apmRate;

      c0 = (c0 << 1) | y;
      nib = (nib << 1) | y;
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

function ceilLog2(n: number): number {
  let b = 0;
  while (2 ** b < n) b++;
  return b;
}

/**
 * Allocates the version-2 tables for decoding `n` bytes with the params of a `cm@2` frame (sizes as
 * version 2 derived them from the params and `n`).
 *
 * @example
 * ```ts
 * const state = createCmStateV2({ orders: 4, memory: 22, rate: 0.002 }, n);
 * ```
 */
export function createCmStateV2(
  params: { orders: number; memory: number; rate: number },
  n: number,
): CmStateV2 {
  const lg = ceilLog2(n + 1);
  const hashBits = Math.min(params.memory, Math.max(12, lg + 3));
  const matchBits = Math.min(params.memory - 2, Math.max(10, lg - 2));
  const apmBits = Math.min(12, Math.max(8, lg - 2));
  const size = cmTableSizes(hashBits, matchBits, apmBits);
  const state: CmStateV2 = {
    maxOrder: params.orders,
    hashBits,
    matchBits,
    apmBits,
    learningRate: params.rate,
    counters: new Uint32Array(size.counters),
    matchCounters: new Uint32Array(size.matchCounters),
    matchTable: new Int32Array(size.matchTable),
    weights: new Float64Array(size.weights),
    apm: new Uint16Array(size.apm),
  };
  resetCmStateV2(state, true);
  return state;
}
