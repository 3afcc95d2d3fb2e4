/**
 * LZ77 with a hash-chain matcher and one-step lazy matching (the zlib `deflate_slow` strategy), emitting tokens into
 * typed arrays; the binding codes them with our canonical Huffman. Lengths and distances are coded as a bucket
 * symbol plus extra bits: values below 4 are their own bucket, larger values v take bucket 2·⌊log2 v⌋ + (the bit
 * below the top bit) and ⌊log2 v⌋ − 1 extra bits (DEFLATE's distance scheme, extended).
 */

/** The shortest match worth a token. */
export const MIN_MATCH = 3;
/** The longest match: lengths are coded as len − 3 < 2^16. */
export const MAX_MATCH = MIN_MATCH + 0xffff;
/** Length buckets (values < 2^16) and distance buckets (values < 2^22). */
export const LENGTH_BUCKETS = 32;
export const DISTANCE_BUCKETS = 44;
/** The literal/length alphabet: 256 literals then the length buckets. */
export const LITLEN_SYMBOLS = 256 + LENGTH_BUCKETS;

/** Base value and extra-bit count of every bucket, built once. */
export const BUCKET_BASE = new Int32Array(DISTANCE_BUCKETS);
export const BUCKET_EXTRA = new Uint8Array(DISTANCE_BUCKETS);
for (let b = 0; b < DISTANCE_BUCKETS; b++) {
  if (b < 4) {
    BUCKET_BASE[b] = b;
    continue;
  }
  const top = b >>> 1;
  BUCKET_BASE[b] = (2 | (b & 1)) << (top - 1);
  BUCKET_EXTRA[b] = top - 1;
}

/** The bucket of a value v ≥ 0. */
export function bucketOf(v: number): number {
  if (v < 4) return v;
  const top = 31 - Math.clz32(v);
  return 2 * top + ((v >>> (top - 1)) & 1);
}

/** Matcher settings derived from the level. */
export interface MatchSettings {
  /** How many chain links to follow per position. */
  readonly maxChain: number;
  /** Stop searching once a match this long is found (the match itself still extends up to MAX_MATCH). */
  readonly niceLength: number;
  /** Follow only a quarter of the chain when the previous match is already this long. */
  readonly goodLength: number;
  /** Do not look for a better match one byte later when the previous match is this long. */
  readonly maxLazy: number;
}

/** Where the tokens go: `lengths[t]` is 0 for a literal (then `values[t]` is the byte) or the match length. */
export interface TokenSink {
  lengths: Int32Array;
  values: Int32Array;
  count: number;
}

const HASH_BITS = 16;

/**
 * Parses `input[from..to)` into tokens with hash chains (`head`: 2^16 ints, `prev`: 2^windowBits ints, both carried
 * across calls) and lazy matching. Calls `flush` whenever `sink` is full. Returns nothing; the sink holds the tail.
 */
export function lz77Parse(
  input: Uint8Array,
  windowBits: number,
  settings: MatchSettings,
  head: Int32Array,
  prev: Int32Array,
  sink: TokenSink,
  flush: () => void,
): void {
  const n = input.length;
  const wmask = (1 << windowBits) - 1;
  const window = 1 << windowBits;
  const { maxChain, niceLength, goodLength, maxLazy } = settings;
  const capacity = sink.lengths.length;
  const hashShift = 32 - HASH_BITS;
  const hashAt = (i: number) =>
    Math.imul(input[i] | (input[i + 1] << 8) | (input[i + 2] << 16), 0x9e3779b1) >>> hashShift;
  const insert = (i: number) => {
    const h = hashAt(i);
    prev[i & wmask] = head[h];
    head[h] = i;
  };
  const emit = (len: number, value: number) => {
    sink.lengths[sink.count] = len;
    sink.values[sink.count] = value;
    if (++sink.count === capacity) flush();
  };
  let i = 0;
  let prevLen = 0;
  let prevDist = 0;
  let havePrev = false;
  while (i < n) {
    let curLen = 0;
    let curDist = 0;
    if (i + MIN_MATCH <= n) {
      const h = hashAt(i);
      if (prevLen < maxLazy) {
        const maxLen = Math.min(MAX_MATCH, n - i);
        let best = Math.max(prevLen, MIN_MATCH - 1);
        let cand = head[h];
        for (
          let chain = prevLen >= goodLength ? maxChain >>> 2 : maxChain;
          cand >= 0 && chain > 0 && i - cand <= window - 1;
          chain--
        ) {
          if (input[cand + best] === input[i + best] && input[cand] === input[i]) {
            let len = 1;
            while (len < maxLen && input[cand + len] === input[i + len]) len++;
            if (len > best) {
              best = len;
              curLen = len;
              curDist = i - cand;
              if (len >= niceLength) break;
            }
          }
          const next = prev[cand & wmask];
          if (next >= cand) break;
          cand = next;
        }
      }
      prev[i & wmask] = head[h];
      head[h] = i;
    }
    if (havePrev && prevLen >= MIN_MATCH && curLen <= prevLen) {
      emit(prevLen, prevDist);
      const end = i - 1 + prevLen;
      for (let j = i + 1; j < end && j + MIN_MATCH <= n; j++) insert(j);
      i = end;
      havePrev = false;
      prevLen = 0;
      continue;
    }
    if (havePrev) emit(0, input[i - 1]);
    havePrev = true;
    prevLen = curLen;
    prevDist = curDist;
    i++;
  }
  if (havePrev) emit(0, input[n - 1]);
}
