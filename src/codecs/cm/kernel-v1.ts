/**
 * The frozen version-1 `cm` kernel (stage format `cm@1`), kept so that frames written before format 2 still
 * decode. Do not change it: any change breaks those frames. New work goes in kernel.ts.
 *
 * Version 1 is a context-mixing bit predictor (orders 0..N plus a match model, a gated logistic mixer, an
 * APM/SSE stage) driving a 32-bit carryless binary arithmetic coder, in the style of lpaq1 (Mahoney).
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

/** The tables of one `cm` model. All sizes derive from the params and the input length, so both sides agree. */
export interface CmStateV1 {
  /** Highest context order N (orders 0..N are modelled). */
  readonly maxOrder: number;
  /** log2 of the number of counters in the shared hash table of orders 2..N. */
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
  /** Mixer weights, one set of `maxOrder + 2` inputs per (match state, partial byte) context. */
  readonly weights: Float64Array;
  /** APM table: 2^apmBits contexts × 33 knots of 16-bit probabilities. */
  readonly apm: Uint16Array;
  /** Scratch: per-input context hashes, slot bases, counter indexes and stretched predictions. */
  readonly contextHash: Int32Array;
  readonly slot: Int32Array;
  readonly index: Int32Array;
  readonly input: Int32Array;
}

/** True when order k (≥ 2) gets a hashed model under max order N: orders 2..4 and N itself, as in lpaq1. */
function isModelledOrder(k: number, maxOrder: number): boolean {
  return k <= 4 || k === maxOrder;
}

/**
 * Number of mixer inputs for a max order N: orders 0, 1, the hashed orders (2..min(N, 4), and N when N > 4), the
 * word model and the match model.
 *
 * @example
 * ```ts
 * cmInputCount(4); // 7: orders 0, 1, 2, 3, 4, the word model and the match model
 * ```
 */
function cmInputCount(maxOrder: number): number {
  let inputs = 4;
  for (let k = 2; k <= maxOrder; k++) if (isModelledOrder(k, maxOrder)) inputs++;
  return inputs;
}

/** Mixer weight sets: 3 match states × 256 partial-byte contexts. */
const CM_WEIGHT_SETS = 3 * 256;

/**
 * Sizes (in elements) of the {@link CmStateV1} tables; the binding allocates exactly these.
 *
 * @example
 * ```ts
 * cmTableSizes(4, 22, 20, 16).counters; // 65792 direct + 2^22 hashed counters
 * ```
 */
function cmTableSizes(maxOrder: number, hashBits: number, matchBits: number, apmBits: number) {
  const inputs = cmInputCount(maxOrder);
  return {
    counters: DIRECT_ENTRIES + 2 ** hashBits,
    matchCounters: MATCH_CONTEXTS,
    matchTable: 2 ** matchBits,
    weights: CM_WEIGHT_SETS * inputs,
    apm: 2 ** apmBits * APM_KNOTS,
    scratch: inputs,
  };
}

/**
 * Puts a freshly allocated (or used) state back to its initial values. Allocates nothing.
 *
 * @example
 * ```ts
 * resetCmStateV1(state); // before every encode or decode
 * ```
 */
function resetCmStateV1(s: CmStateV1): void {
  s.counters.fill(0);
  s.matchCounters.fill(0);
  s.matchTable.fill(0);
  s.weights.fill(INITIAL_WEIGHT);
  const apm = s.apm;
  for (let j = 0; j < APM_KNOTS; j++) {
    const v = SQUASH[Math.min(4095, Math.max(0, (j - 16) * 128 + 2048))] * 16;
    for (let k = j; k < apm.length; k += APM_KNOTS) apm[k] = v;
  }
  s.contextHash.fill(0);
  s.slot.fill(0);
  s.index.fill(0);
  s.input.fill(0);
}

/**
 * Codes `n` bytes. Encoding (`decoding` false): reads `src[0..n)` and writes the arithmetic code to
 * `dst[dstStart..)`, returning the end offset in `dst`, or −1 when `dst` is too small. Decoding: reads the code
 * from `src[srcStart..)` and writes `dst[0..n)`, returning the offset in `src` after the last byte read, or −1
 * when the code ends too early (corrupt input). Returns in O(n) steps on any input; allocates nothing.
 *
 * @example
 * ```ts
 * const end = cmKernelV1(payload, 1, out, 0, out.length, createCmStateV1(params, out.length), true);
 * ```
 */
export function cmKernelV1(
  src: Uint8Array,
  srcStart: number,
  dst: Uint8Array,
  dstStart: number,
  n: number,
  s: CmStateV1,
  decoding: boolean,
): number {
  const hist = decoding ? dst : src;
  const maxOrder = s.maxOrder;
  const inputs = cmInputCount(maxOrder);
  const matchInput = inputs - 1;
  const wordInput = inputs - 2;
  const t = s.counters;
  const mc = s.matchCounters;
  const mt = s.matchTable;
  const w = s.weights;
  const apm = s.apm;
  const ctxHash = s.contextHash;
  const slot = s.slot;
  const idx = s.index;
  const st = s.input;
  const rate = COUNTER_RATE;
  const stretchT = STRETCH;
  // Module constants as locals: the optimiser keeps them in registers (no context loads in the bit loop).
  const flip = FLIP;
  const knots = APM_KNOTS;
  const apmRate = APM_RATE;
  const limitLow = LIMIT_LOW_ORDER;
  const limitHigh = LIMIT_HIGH_ORDER;
  const direct = DIRECT_ENTRIES;
  const squashT = SQUASH;
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

  for (let pos = 0; pos < n; pos++) {
    // Byte boundary: context hashes of orders 2..N (order k covers the last k bytes) and the match model.
    let h = 0;
    for (let k = 1, i = 2; k <= maxOrder; k++) {
      const b = pos >= k ? hist[pos - k] : 0;
      h = Math.imul(h + b + 1, 0x2f0b4f27) ^ (h >>> 15);
      if (k >= 2 && isModelledOrder(k, maxOrder)) ctxHash[i++] = h + k;
    }
    // Word model: the letters of the current word (case-folded), or the last word and the byte after it.
    const lc = c1 | 32;
    if (lc >= 97 && lc <= 122) word = Math.imul(word + lc + 1, 0x3c6ef372) ^ (word >>> 13);
    else if (word !== 0) {
      prevWord = word;
      word = 0;
    }
    ctxHash[wordInput] =
      word !== 0 ? Math.imul(word, 0x7feb352d) + 99 : Math.imul(prevWord + c1 + 7, 0x846ca68b);
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

    let c0 = 1;
    let nib = 1;
    let byte = decoding ? 0 : hist[pos];
    for (let bit = 7; bit >= 0; bit--) {
      if (bit === 7 || bit === 3) {
        // Nibble boundary: pick a 16-counter slot per hashed order (check entry, 2-way, replace the less used).
        const nc = Math.imul(c0, 0x9e3779b1);
        for (let k = 2; k < matchInput; k++) {
          let hh = Math.imul(ctxHash[k] ^ nc, 0x85ebca6b);
          hh ^= hh >>> 13;
          hh = Math.imul(hh, 0xc2b2ae35);
          hh ^= hh >>> 16;
          const chk = (hh & 0xffff) + 1;
          let b = direct + ((hh >>> slotShift) << 4);
          if (t[b] !== chk) {
            const b2 = b ^ 16;
            if (t[b2] === chk) b = b2;
            else {
              if ((t[b2 + 1] & 1023) < (t[b + 1] & 1023)) b = b2;
              t[b] = chk;
              for (let j = 1; j < 16; j++) t[b + j] = 0;
            }
          }
          slot[k] = b;
        }
        nib = 1;
      }

      // Predict: stretched counter outputs, mixed by the weight set of (match state, partial byte).
      idx[0] = c0;
      idx[1] = 256 + ((c1 << 8) | c0);
      for (let k = 2; k < matchInput; k++) idx[k] = slot[k] + nib;
      const wb = (matchSet + c0) * inputs;
      let dot = 0;
      for (let k = 0; k < matchInput; k++) {
        const v = stretchT[(t[idx[k]] ^ flip) >>> 20];
        st[k] = v;
        dot += w[wb + k] * v;
      }
      let expectedBit = -1;
      let mctx = 0;
      if (matchLen > 0) {
        if (expectedByte >> (bit + 1) === c0) {
          expectedBit = (expectedByte >> bit) & 1;
          const lb = matchLen < 16 ? matchLen : 16 + Math.min(15, (matchLen - 16) >> 2);
          mctx = (lb << 1) | expectedBit;
          const v = stretchT[(mc[mctx] ^ flip) >>> 20];
          st[matchInput] = v;
          dot += w[wb + matchInput] * v;
        } else {
          matchLen = 0;
          st[matchInput] = 0;
        }
      } else st[matchInput] = 0;
      const d = dot > 2047 ? 2047 : dot < -2047 ? -2047 : dot | 0;
      const pm = squashT[d + 2048];

      // APM/SSE: refine the mixed prediction in the order-1 context, then average with it (1:3).
      const sa = d + 2048;
      const lo = sa >> 7;
      const wt = sa & 127;
      const a2 = (((c1 & apmMask) << 8) | c0) * knots + lo;
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

      // Update counters and mixer weights in one pass, then the match counter and the APM.
      // target − p, rounded toward zero after >> 7 (bias 127 when it is negative) so p stays in [0, 2^22).
      const target = y ? 1 << 22 : 127;
      const e = ((y << 12) - pm) * lrNow;
      for (let k = 0; k < matchInput; k++) {
        const j = idx[k];
        const v = t[j] ^ flip;
        const cnt = v & 1023;
        const pr = v >>> 10;
        const limit = k < 3 ? limitLow : limitHigh;
        t[j] =
          (((pr + ((((target - pr) >> 7) * rate[cnt]) >> 9)) << 10) | (cnt < limit ? cnt + 1 : limit)) ^ flip;
        w[wb + k] += e * st[k];
      }
      w[wb + matchInput] += e * st[matchInput];
      if (expectedBit >= 0) {
        const v = mc[mctx] ^ flip;
        const cnt = v & 1023;
        const pr = v >>> 10;
        mc[mctx] =
          (((pr + ((((target - pr) >> 7) * rate[cnt]) >> 9)) << 10) | (cnt < 1023 ? cnt + 1 : 1023)) ^ flip;
      }
      const g = (y << 16) + (y << apmRate) - y - y;
      const j2 = wt < 64 ? a2 : a2 + 1;
      apm[j2] += (g - apm[j2]) >> apmRate;

      c0 = (c0 << 1) | y;
      nib = (nib << 1) | y;
    }
    byte = c0 & 255;
    if (decoding) hist[pos] = byte;
    c1 = byte;
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
 * Allocates and resets the version-1 tables for coding `n` bytes (version-1 sizing rules).
 *
 * @example
 * ```ts
 * const state = createCmStateV1({ orders: 4, memory: 22, rate: 0.002 }, n);
 * ```
 */
export function createCmStateV1(
  params: { orders: number; memory: number; rate: number },
  n: number,
): CmStateV1 {
  const lg = ceilLog2(n + 1);
  const hashBits = Math.min(params.memory, Math.max(12, lg + 6));
  const matchBits = Math.min(params.memory - 2, Math.max(10, lg));
  const apmBits = Math.min(16, Math.max(8, lg - 2));
  const size = cmTableSizes(params.orders, hashBits, matchBits, apmBits);
  const state: CmStateV1 = {
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
    contextHash: new Int32Array(size.scratch),
    slot: new Int32Array(size.scratch),
    index: new Int32Array(size.scratch),
    input: new Int32Array(size.scratch),
  };
  resetCmStateV1(state);
  return state;
}
