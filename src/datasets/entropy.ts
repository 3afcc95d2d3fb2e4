/**
 * Entropy maths in one place: Shannon entropy of a distribution, and empirical (plug-in) order-0, order-1 and
 * order-2 conditional entropies of bytes, in bits per byte.
 *
 * The plug-in estimator is biased low by about `(cells − contexts) / (2·N·ln 2)` bits (Miller–Madow), where
 * `cells` are the observed (context, symbol) pairs and `N` the byte count; it is small when `N` is much larger than
 * the number of cells.
 */

/**
 * The Shannon entropy, in bits, of a probability vector (weights are normalized first; zeros are skipped).
 *
 * @example
 * ```ts
 * shannonEntropy([0.5, 0.5]); // 1
 * shannonEntropy([1, 1, 1, 1]); // 2
 * ```
 */
export function shannonEntropy(weights: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += weights[i];
  if (!(sum > 0)) return 0;
  let h = 0;
  for (let i = 0; i < weights.length; i++) {
    const p = weights[i] / sum;
    if (p > 0) h -= p * Math.log2(p);
  }
  return h;
}

/**
 * `Σ c·log2 c` over counts; with it, plug-in entropies are `log2 N − (Σ c log2 c)/N`.
 */
function sumCLogC(counts: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i];
    if (c > 1) s += c * Math.log2(c);
  }
  return s;
}

/** Empirical entropies of a byte stream, in bits per byte. */
export interface EmpiricalEntropy {
  /** Bytes counted. */
  bytes: number;
  /** H(X): the order-0 entropy. */
  order0: number;
  /** H(X_t | X_{t−1}). */
  order1: number;
  /** H(X_t | X_{t−2}, X_{t−1}); absent when the accumulator was created with `maxOrder < 2`. */
  order2?: number;
}

/**
 * Accumulates byte counts across consecutive blocks (contexts carry over block boundaries) and reports the
 * empirical order-0/1/2 entropies. Memory: 1 KiB + 256 KiB (order 1) + 64 MiB (order 2, only if asked).
 *
 * @example
 * ```ts
 * const acc = new EntropyAccumulator(2);
 * for await (const block of generate(config)) acc.add(block.bytes);
 * acc.result().order2;
 * ```
 */
export class EntropyAccumulator {
  private readonly c0 = new Float64Array(256);
  private readonly c1 = new Uint32Array(1 << 16);
  private readonly c2: Uint32Array | undefined;
  private n = 0;
  private n1 = 0;
  private n2 = 0;
  private prev1 = -1;
  private prev2 = -1;

  constructor(readonly maxOrder: 1 | 2 = 2) {
    this.c2 = maxOrder >= 2 ? new Uint32Array(1 << 24) : undefined;
  }

  /** Counts one more run of bytes, continuing the contexts of the previous call. */
  add(bytes: Uint8Array): void {
    const c0 = this.c0;
    const c1 = this.c1;
    const c2 = this.c2;
    let a = this.prev2;
    let b = this.prev1;
    let i = 0;
    // warm-up: until two bytes of context exist
    for (; i < bytes.length && a < 0; i++) {
      const x = bytes[i];
      c0[x]++;
      if (b >= 0) {
        c1[(b << 8) | x]++;
        this.n1++;
      }
      a = b;
      b = x;
    }
    const start = i;
    if (c2) {
      for (; i < bytes.length; i++) {
        const x = bytes[i];
        c0[x]++;
        c1[(b << 8) | x]++;
        c2[(a << 16) | (b << 8) | x]++;
        a = b;
        b = x;
      }
    } else {
      for (; i < bytes.length; i++) {
        const x = bytes[i];
        c0[x]++;
        c1[(b << 8) | x]++;
        a = b;
        b = x;
      }
    }
    const tail = bytes.length - start;
    this.n1 += tail;
    if (c2) this.n2 += tail;
    this.n += bytes.length;
    this.prev1 = b;
    this.prev2 = a;
  }

  /** The entropies of everything added so far. */
  result(): EmpiricalEntropy {
    const n = this.n;
    const order0 = n > 0 ? Math.log2(n) - sumCLogC(this.c0) / n : 0;
    const order1 = conditional(this.c1, 256, this.n1);
    const out: EmpiricalEntropy = { bytes: n, order0, order1 };
    if (this.c2) out.order2 = conditional(this.c2, 256, this.n2);
    return out;
  }
}

/** H(X | context) = H(context, X) − H(context) from joint counts laid out as [context][symbol]. */
function conditional(joint: Uint32Array, alphabet: number, total: number): number {
  if (total === 0) return 0;
  const contexts = joint.length / alphabet;
  let sumJoint = 0;
  let sumCtx = 0;
  for (let c = 0; c < contexts; c++) {
    let ctxTotal = 0;
    const base = c * alphabet;
    for (let x = 0; x < alphabet; x++) {
      const v = joint[base + x];
      if (v > 0) {
        ctxTotal += v;
        if (v > 1) sumJoint += v * Math.log2(v);
      }
    }
    if (ctxTotal > 1) sumCtx += ctxTotal * Math.log2(ctxTotal);
  }
  // H(ctx, X) − H(ctx) = (N log N − ΣjointlogJoint)/N − (N log N − ΣctxlogCtx)/N
  return Math.max(0, (sumCtx - sumJoint) / total);
}

/**
 * Empirical entropies of one byte array (order 0 and 1, and 2 when `maxOrder` is 2).
 *
 * @example
 * ```ts
 * const { order0, order1, order2 } = empiricalEntropy(bytes);
 * ```
 */
export function empiricalEntropy(bytes: Uint8Array, maxOrder: 1 | 2 = 2): EmpiricalEntropy {
  const acc = new EntropyAccumulator(maxOrder);
  acc.add(bytes);
  return acc.result();
}

/**
 * The plug-in order-0 entropy of bytes in bits per byte; cheap (1 KiB of counters).
 *
 * @example
 * ```ts
 * order0Entropy(new Uint8Array(1024)); // 0
 * ```
 */
export function order0Entropy(bytes: Uint8Array): number {
  const counts = new Float64Array(256);
  for (let i = 0; i < bytes.length; i++) counts[bytes[i]]++;
  const n = bytes.length;
  return n > 0 ? Math.log2(n) - sumCLogC(counts) / n : 0;
}

/**
 * The empirical conditional entropy H(X_t | previous `order` symbols) for any order, for symbol streams whose
 * alphabet is small (counts are kept for `alphabet^(order+1)` cells). Symbols must be `< alphabet`.
 *
 * @example
 * ```ts
 * conditionalEntropy(bytes, 2, 16); // order-2 conditional entropy of a 16-symbol stream
 * ```
 */
export function conditionalEntropy(symbols: Uint8Array, order: number, alphabet = 256): number {
  const contexts = alphabet ** order;
  if (contexts * alphabet > 1 << 26) {
    throw new RangeError(`conditionalEntropy: alphabet^(order+1) = ${contexts * alphabet} cells is too many`);
  }
  const joint = new Uint32Array(contexts * alphabet);
  let ctx = 0;
  let total = 0;
  for (let i = 0; i < symbols.length; i++) {
    const x = symbols[i];
    if (i >= order) {
      joint[ctx * alphabet + x]++;
      total++;
    }
    ctx = order === 0 ? 0 : (ctx * alphabet + x) % contexts;
  }
  return conditional(joint, alphabet, total);
}

/**
 * The entropy in bits of a geometric distribution on {1, 2, …} (or {0, 1, …}) with success probability `p`.
 *
 * @example
 * ```ts
 * geometricEntropy(0.5); // 2
 * ```
 */
export function geometricEntropy(p: number): number {
  if (p >= 1) return 0;
  return (-(1 - p) * Math.log2(1 - p) - p * Math.log2(p)) / p;
}

/**
 * Entropy efficiency (DESIGN.md §3): `(n·H/8) / bytesOut` for `n` input bytes from a source of entropy rate `H`
 * bits per byte. 1 means compressed to the Shannon bound; ≤ 1 in expectation.
 *
 * @example
 * ```ts
 * entropyEfficiency(1 << 20, 3.0, 400_000); // 0.983
 * ```
 */
export function entropyEfficiency(bytesIn: number, bitsPerByte: number, bytesOut: number): number {
  return (bytesIn * bitsPerByte) / 8 / bytesOut;
}
