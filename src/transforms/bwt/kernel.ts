/**
 * Burrows–Wheeler transform through a suffix array built by SA-IS (Nong, Zhang & Chan, 2009), and its inverse
 * through the LF mapping. Kernels take every buffer from the caller; SA-IS takes `subarray` views of two workspaces
 * for its recursion levels (a few views per level, O(log n) in all).
 */

/**
 * A text at one SA-IS level, each entry packed with its type: 16-bit bytes + 1 at the top (half the memory of 32-bit
 * entries; speed measured the same), 32-bit LMS-substring names below.
 */
export type TextArray = Int32Array | Uint16Array;

/**
 * Suffix array of `s[0..n)` over the alphabet `[0, k]`, where `s[n−1] = 0` is a unique sentinel and n ≥ 2.
 * `s` is overwritten: each entry becomes `2·symbol + type` (type 1 = S, 0 = L), so one random read yields both
 * the symbol and its type. `buckets` needs 2(k + 1) ints at this level; deeper levels use the rest
 * (2n + 2k + 8 ints suffice in all). When `bwt` is given (top level), the last column is written into it and the
 * primary index returned; otherwise the result is −1.
 *
 * Every loop lives in its own small function: V8 then optimizes each one with complete type feedback instead of
 * deoptimizing one large, recursive function over and over (hundreds of deopts per MiB before the split).
 *
 * @example
 * ```ts
 * const s = Int32Array.from([2, 1, 3, 0]); // alphabet [0, 3], sentinel last
 * const sa = new Int32Array(4);
 * sais(s, sa, 4, 3, new Int32Array(16)); // sa = [3, 1, 0, 2]
 * ```
 */
export function sais(
  s: TextArray,
  sa: Int32Array,
  n: number,
  k: number,
  buckets: Int32Array,
  bwt: Uint8Array | null = null,
): number {
  const counts = buckets.subarray(0, k + 1);
  const bkt = buckets.subarray(k + 1, 2 * (k + 1));
  classify(s, n, counts);
  // stage 1: sort the LMS substrings
  bucketEnds(counts, bkt, k);
  sa.fill(-1, 0, n);
  placeLmsSuffixes(s, sa, bkt, n);
  induceL(sa, s, counts, bkt, n, k);
  induceSMarkingLms(sa, s, counts, bkt, n, k);
  const n1 = compactMarkedLms(sa, n);
  sa.fill(-1, n1, n);
  const names = nameLmsSubstrings(s, sa, n1);
  gatherNames(sa, n, n1);
  // stage 2: solve the reduced problem, recursing while names repeat
  const s1 = sa.subarray(n - n1, n);
  if (names < n1) sais(s1, sa, n1, names - 1, buckets.subarray(2 * (k + 1)), null);
  else invertNames(s1, sa, n1);
  // stage 3: induce the full suffix array from the sorted LMS suffixes
  bucketEnds(counts, bkt, k);
  listLmsPositions(s, s1, n);
  mapRanksToPositions(sa, s1, n1);
  sa.fill(-1, n1, n);
  placeSortedLms(sa, s, bkt, n1);
  induceL(sa, s, counts, bkt, n, k);
  if (bwt === null) {
    induceS(sa, s, counts, bkt, n, k);
    return -1;
  }
  return induceSWithBwt(sa, s, counts, bkt, n, k, bwt);
}

/** Classifies right to left, packs the type into the low bit and counts the symbols. */
function classify(s: TextArray, n: number, counts: Int32Array): void {
  counts.fill(0);
  let b = s[n - 1];
  let next = 2 * b + 1;
  s[n - 1] = next;
  counts[b]++;
  for (let i = n - 2; i >= 0; i--) {
    const a = s[i];
    next = 2 * a + (a < b || (a === b && (next & 1) === 1) ? 1 : 0);
    s[i] = next;
    counts[a]++;
    b = a;
  }
}

/** Puts every LMS suffix at the end of its bucket (in text order). */
function placeLmsSuffixes(s: TextArray, sa: Int32Array, bkt: Int32Array, n: number): void {
  let prevType = s[0] & 1;
  for (let i = 1; i < n; i++) {
    const v = s[i];
    if ((v & 1) > prevType) sa[--bkt[v >> 1]] = i;
    prevType = v & 1;
  }
}

/** Moves the marked (~p) sorted LMS substrings into sa[0..n1) after the sentinel; returns n1. */
function compactMarkedLms(sa: Int32Array, n: number): number {
  let n1 = 1;
  for (let i = 1; i < n; i++) {
    const p = sa[i];
    if (p < 0) sa[n1++] = ~p;
  }
  return n1;
}

/** Names the sorted LMS substrings in sa[0..n1) into sa[n1 + pos/2]; returns the number of distinct names. */
function nameLmsSubstrings(s: TextArray, sa: Int32Array, n1: number): number {
  let name = 0;
  let prev = -1;
  for (let i = 0; i < n1; i++) {
    const pos = sa[i];
    let diff = prev === -1;
    for (let d = 0; !diff; d++) {
      const x = s[pos + d];
      if (x !== s[prev + d]) diff = true;
      else if (d > 0 && (x & 1) === 1 && (s[pos + d - 1] & 1) === 0) break;
    }
    if (diff) {
      name++;
      prev = pos;
    }
    sa[n1 + (pos >>> 1)] = name - 1;
  }
  return name;
}

/** Packs the names (in text order) into the tail sa[n − n1..n): the reduced text. */
function gatherNames(sa: Int32Array, n: number, n1: number): void {
  for (let i = n - 1, j = n - 1; i >= n1; i--) if (sa[i] >= 0) sa[j--] = sa[i];
}

/** All names distinct: the reduced suffix array is the inverse permutation. */
function invertNames(s1: Int32Array, sa: Int32Array, n1: number): void {
  for (let i = 0; i < n1; i++) sa[s1[i]] = i;
}

/** Lists the LMS positions in text order into `s1` (the reduced text is no longer needed). */
function listLmsPositions(s: TextArray, s1: Int32Array, n: number): void {
  let prevType = s[0] & 1;
  for (let i = 1, j = 0; i < n; i++) {
    const t = s[i] & 1;
    if (t > prevType) s1[j++] = i;
    prevType = t;
  }
}

function mapRanksToPositions(sa: Int32Array, s1: Int32Array, n1: number): void {
  for (let i = 0; i < n1; i++) sa[i] = s1[sa[i]];
}

/** Moves the sorted LMS suffixes from sa[0..n1) to the ends of their buckets, keeping their order. */
function placeSortedLms(sa: Int32Array, s: TextArray, bkt: Int32Array, n1: number): void {
  for (let i = n1 - 1; i >= 0; i--) {
    const j = sa[i];
    sa[i] = -1;
    sa[--bkt[s[j] >> 1]] = j;
  }
}

/**
 * The last S-type pass of the top level, which also reads every final row: it writes the last column (symbols − 1,
 * the sentinel's row left out) into `bwt` and returns that row, the primary index.
 */
function induceSWithBwt(
  sa: Int32Array,
  s: TextArray,
  counts: Int32Array,
  bkt: Int32Array,
  n: number,
  k: number,
  bwt: Uint8Array,
): number {
  bucketEnds(counts, bkt, k);
  let primary = 0;
  let first = 0;
  for (let i = n - 1; i >= 0; i--) {
    const p = sa[i];
    if (p === 0) {
      primary = i;
      continue;
    }
    const j = p - 1;
    const v = s[j];
    if (i > 0) bwt[i - 1] = (v >> 1) - 1;
    else first = (v >> 1) - 1;
    if ((v & 1) === 1) sa[--bkt[v >> 1]] = j;
  }
  // rows 1..primary−1 were written one place early: shift them and put row 0 first
  bwt.copyWithin(1, 0, primary - 1);
  bwt[0] = first;
  return primary;
}

function bucketEnds(counts: Int32Array, bkt: Int32Array, k: number): void {
  let sum = 0;
  for (let c = 0; c <= k; c++) {
    sum += counts[c];
    bkt[c] = sum;
  }
}

function induceL(
  sa: Int32Array,
  s: TextArray,
  counts: Int32Array,
  bkt: Int32Array,
  n: number,
  k: number,
): void {
  let sum = 0;
  for (let c = 0; c <= k; c++) {
    bkt[c] = sum;
    sum += counts[c];
  }
  for (let i = 0; i < n; i++) {
    const j = sa[i] - 1;
    if (j < 0) continue;
    const v = s[j];
    if ((v & 1) === 0) sa[bkt[v >> 1]++] = j;
  }
}

/**
 * The S-type pass of stage 1. It also marks each induced LMS suffix j as ~j (its left neighbour, adjacent in memory,
 * is L-type), so that compaction is a sequential scan. The sentinel stays unmarked at row 0.
 */
function induceSMarkingLms(
  sa: Int32Array,
  s: TextArray,
  counts: Int32Array,
  bkt: Int32Array,
  n: number,
  k: number,
): void {
  bucketEnds(counts, bkt, k);
  for (let i = n - 1; i >= 0; i--) {
    let p = sa[i];
    if (p < 0) p = ~p;
    const j = p - 1;
    if (j < 0) continue;
    const v = s[j];
    if ((v & 1) === 1) sa[--bkt[v >> 1]] = j > 0 && (s[j - 1] & 1) === 0 ? ~j : j;
  }
}

function induceS(
  sa: Int32Array,
  s: TextArray,
  counts: Int32Array,
  bkt: Int32Array,
  n: number,
  k: number,
): void {
  bucketEnds(counts, bkt, k);
  for (let i = n - 1; i >= 0; i--) {
    const j = sa[i] - 1;
    if (j < 0) continue;
    const v = s[j];
    if ((v & 1) === 1) sa[--bkt[v >> 1]] = j;
  }
}

/**
 * Forward BWT of one block `input` (length n ≥ 1) into `out` (n bytes). Returns the primary index: the row of the
 * rotation that starts the text, i.e. where the sentinel sits in the last column. `text` (n + 1 ints), `sa`
 * (n + 1 ints) and `buckets` (2n + 528 ints) are workspaces.
 */
export function bwtEncodeBlock(
  input: Uint8Array,
  out: Uint8Array,
  text: Uint16Array,
  sa: Int32Array,
  buckets: Int32Array,
): number {
  const n = input.length;
  for (let i = 0; i < n; i++) text[i] = input[i] + 1;
  text[n] = 0;
  return sais(text, sa, n + 1, 256, buckets, out);
}

/**
 * Inverse BWT of one block: `input` is the last column without the sentinel (n bytes), `primary` ∈ [0, n] the
 * sentinel's row. `links` needs n + 1 entries (packs byte | LF << 8, so n < 2^24); `counts` 257 ints.
 * Any input decodes to some n bytes in exactly n steps (the LF mapping is always a permutation).
 */
export function bwtDecodeBlock(
  input: Uint8Array,
  primary: number,
  out: Uint8Array,
  links: Uint32Array,
  counts: Int32Array,
): void {
  const n = input.length;
  counts.fill(0, 0, 257);
  for (let i = 0; i < n; i++) counts[input[i] + 1]++;
  // counts[c] = first row whose first column is c; row 0 starts with the sentinel
  let sum = 1;
  for (let c = 0; c <= 256; c++) {
    const x = counts[c];
    counts[c] = sum;
    sum += x;
  }
  // counts[b + 1] now holds the first row of byte b; shift so counts[b] is that row
  for (let c = 0; c < 256; c++) counts[c] = counts[c + 1];
  for (let i = 0; i < primary; i++) {
    const b = input[i];
    links[i] = b | (counts[b]++ << 8);
  }
  links[primary] = 0;
  for (let i = primary; i < n; i++) {
    const b = input[i];
    links[i + 1] = b | (counts[b]++ << 8);
  }
  let p = 0;
  for (let k = n - 1; k >= 0; k--) {
    const v = links[p];
    out[k] = v;
    p = v >>> 8;
  }
}
