/**
 * The seeded pseudo-random generator behind every random choice in metacomp.
 *
 * Generator: **xoshiro128\*\*** 1.1 (Blackman & Vigna, https://prng.di.unimi.it/xoshiro128starstar.c), a 128-bit
 * state, 32-bit output generator. It uses only 32-bit integer operations (`Math.imul`, shifts, xor), so one seed
 * gives the same stream on every platform and JavaScript engine.
 *
 * Seeding: the seed (any safe integer) is taken modulo 2^64 and expanded with **SplitMix64**
 * (https://prng.di.unimi.it/splitmix64.c), as the xoshiro authors recommend. Two SplitMix64 outputs `a`, `b` give
 * the state `[lo32(a), hi32(a), lo32(b), hi32(b)]`. SplitMix64 never yields an all-zero state in practice; a zero
 * state is nevertheless replaced by a fixed non-zero one.
 */

const MASK64 = (1n << 64n) - 1n;
const TWO_POW_32 = 4294967296;

/** A seeded random stream. All methods advance the same state. */
export interface Rng {
  /** The next uniformly distributed unsigned 32-bit integer. */
  nextU32(): number;
  /** A uniform float in [0, 1) with 32 bits of resolution. */
  nextFloat(): number;
  /** A uniform integer in [0, n), without modulo bias (rejection sampling); `1 <= n <= 2^32`. */
  nextInt(n: number): number;
  /** A standard normal variate (Box–Muller; uses two 32-bit draws per call). */
  nextGaussian(): number;
  /** Fills `out` with consecutive `nextU32()` values; the fast path for hot loops. */
  fillU32(out: Uint32Array): void;
  /** Fills `out` with uniform bytes (little-endian bytes of consecutive `nextU32()` values). */
  fillBytes(out: Uint8Array): void;
}

/**
 * One SplitMix64 step on a 64-bit BigInt state; returns `[output, nextState]`.
 *
 * @example
 * ```ts
 * const [out] = splitMix64(1234567n); // 6457827717110365317n
 * ```
 */
export function splitMix64(state: bigint): [output: bigint, next: bigint] {
  const next = (state + 0x9e3779b97f4a7c15n) & MASK64;
  let z = next;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return [z ^ (z >> 31n), next];
}

class Xoshiro128StarStar implements Rng {
  readonly s: Int32Array;

  constructor(state: Int32Array) {
    this.s = state;
  }

  nextU32(): number {
    const s = this.s;
    const s0 = s[0];
    const s1 = s[1];
    const s2 = s[2] ^ s0;
    const s3 = s[3] ^ s1;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    s[0] = s0 ^ s3;
    s[1] = s1 ^ s2;
    s[2] = s2 ^ (s1 << 9);
    s[3] = (s3 << 11) | (s3 >>> 21);
    return result;
  }

  nextFloat(): number {
    return this.nextU32() / TWO_POW_32;
  }

  nextInt(n: number): number {
    if (!(n >= 1 && n <= TWO_POW_32) || !Number.isInteger(n)) {
      throw new RangeError(`nextInt(n) needs an integer 1 <= n <= 2^32, got ${n}`);
    }
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    for (;;) {
      const x = this.nextU32();
      if (x < limit) return x % n;
    }
  }

  nextGaussian(): number {
    const u1 = 1 - this.nextFloat(); // (0, 1]
    const u2 = this.nextFloat();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  fillU32(out: Uint32Array): void {
    const s = this.s;
    let s0 = s[0];
    let s1 = s[1];
    let s2 = s[2];
    let s3 = s[3];
    for (let i = 0; i < out.length; i++) {
      const m = Math.imul(s1, 5);
      out[i] = Math.imul((m << 7) | (m >>> 25), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
    }
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
  }

  fillBytes(out: Uint8Array): void {
    const words = out.length >>> 2;
    if (out.byteOffset % 4 === 0 && isLittleEndian) {
      this.fillU32(new Uint32Array(out.buffer, out.byteOffset, words));
    } else {
      for (let i = 0; i < words; i++) {
        const x = this.nextU32();
        const j = i << 2;
        out[j] = x;
        out[j + 1] = x >>> 8;
        out[j + 2] = x >>> 16;
        out[j + 3] = x >>> 24;
      }
    }
    const rest = out.length & 3;
    if (rest > 0) {
      const x = this.nextU32();
      for (let k = 0; k < rest; k++) out[(words << 2) + k] = x >>> (8 * k);
    }
  }
}

/**
 * The live state (four int32 words) of a generator made by {@link createRng}, for kernels that inline the
 * xoshiro128** step in their own loop; writing it back continues the same stream.
 *
 * @example
 * ```ts
 * const st = xoshiroState(rng); // Int32Array [s0, s1, s2, s3]
 * ```
 */
export function xoshiroState(rng: Rng): Int32Array {
  if (!(rng instanceof Xoshiro128StarStar)) {
    throw new TypeError("xoshiroState needs a generator made by createRng or createRngFromState");
  }
  return rng.s;
}

const isLittleEndian = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/**
 * Creates a xoshiro128** stream seeded through SplitMix64. Same seed, same stream, on every platform.
 *
 * @example
 * ```ts
 * const rng = createRng(42);
 * const byte = rng.nextInt(256);
 * const words = new Uint32Array(1024);
 * rng.fillU32(words);
 * ```
 */
export function createRng(seed: number): Rng {
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(`seed must be a safe integer, got ${seed}`);
  }
  const [a, st] = splitMix64(BigInt.asUintN(64, BigInt(seed)));
  const [b] = splitMix64(st);
  const state = Uint32Array.of(
    Number(a & 0xffffffffn),
    Number(a >> 32n),
    Number(b & 0xffffffffn),
    Number(b >> 32n),
  );
  return createRngFromState(state);
}

/**
 * Creates a xoshiro128** stream from an explicit 128-bit state (four 32-bit words), e.g. to check the reference
 * test vectors. An all-zero state is replaced by `[1, 2, 3, 4]`.
 *
 * @example
 * ```ts
 * createRngFromState([1, 2, 3, 4]).nextU32(); // 11520
 * ```
 */
export function createRngFromState(state: ArrayLike<number>): Rng {
  if (state.length !== 4) throw new RangeError("xoshiro128** state needs exactly four 32-bit words");
  const s = new Int32Array(4);
  for (let i = 0; i < 4; i++) s[i] = state[i] | 0;
  if ((s[0] | s[1] | s[2] | s[3]) === 0) s.set([1, 2, 3, 4]);
  return new Xoshiro128StarStar(s);
}

/**
 * Derives an independent child seed from a seed and a label (a stream name or index), so that sub-streams
 * (model building, sampling, mixture components) never share random numbers.
 *
 * @example
 * ```ts
 * const modelRng = createRng(deriveSeed(config.seed, "model"));
 * const streamRng = createRng(deriveSeed(config.seed, "stream"));
 * ```
 */
export function deriveSeed(seed: number, label: string | number): number {
  let h = BigInt.asUintN(64, BigInt(seed));
  const text = String(label);
  for (let i = 0; i < text.length; i++) {
    [h] = splitMix64((h ^ BigInt(text.charCodeAt(i))) & MASK64);
  }
  [h] = splitMix64(h ^ BigInt(text.length));
  return Number(h >> 11n); // 53 bits: a safe integer
}

/**
 * A seeded Fisher–Yates shuffle of a copy of `items`.
 *
 * @example
 * ```ts
 * shuffled([0, 1, 2, 3], createRng(1)); // the same order for seed 1, every run
 * ```
 */
export function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
