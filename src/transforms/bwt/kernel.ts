/**
 * Burrows–Wheeler transform through a suffix array built by SA-IS (Nong, Zhang & Chan, 2009), and its inverse
 * through the LF mapping. Kernels take every buffer from the caller; SA-IS takes `subarray` views of two workspaces
 * for its recursion levels (a few views per level, O(log n) in all).
 */

/**
 * Suffix array of `s[0..n)` over the alphabet `[0, k]`, where `s[n−1] = 0` is a unique sentinel and n ≥ 2.
 * `types` needs n bytes and `buckets` k + 1 ints at this level; deeper levels use the rest of both workspaces
 * (2n bytes and n + k + 1 ints suffice in all).
 */
export function sais(
  s: Int32Array,
  sa: Int32Array,
  n: number,
  k: number,
  types: Uint8Array,
  buckets: Int32Array,
): void {
  const t = types;
  // classify: 1 = S-type, 0 = L-type
  t[n - 1] = 1;
  t[n - 2] = 0;
  for (let i = n - 3; i >= 0; i--) {
    const a = s[i];
    const b = s[i + 1];
    t[i] = a < b || (a === b && t[i + 1] === 1) ? 1 : 0;
  }
  const bkt = buckets;
  // stage 1: sort the LMS substrings
  getBuckets(s, bkt, n, k, true);
  sa.fill(-1, 0, n);
  for (let i = 1; i < n; i++) if (t[i] === 1 && t[i - 1] === 0) sa[--bkt[s[i]]] = i;
  induceL(t, sa, s, bkt, n, k);
  induceS(t, sa, s, bkt, n, k);
  // compact the sorted LMS substrings into sa[0..n1)
  let n1 = 0;
  for (let i = 0; i < n; i++) {
    const p = sa[i];
    if (p > 0 && t[p] === 1 && t[p - 1] === 0) sa[n1++] = p;
  }
  // name the LMS substrings
  sa.fill(-1, n1, n);
  let name = 0;
  let prev = -1;
  for (let i = 0; i < n1; i++) {
    const pos = sa[i];
    let diff = false;
    for (let d = 0; d < n; d++) {
      if (prev === -1 || s[pos + d] !== s[prev + d] || t[pos + d] !== t[prev + d]) {
        diff = true;
        break;
      }
      if (
        d > 0 &&
        ((t[pos + d] === 1 && t[pos + d - 1] === 0) || (t[prev + d] === 1 && t[prev + d - 1] === 0))
      ) {
        break;
      }
    }
    if (diff) {
      name++;
      prev = pos;
    }
    sa[n1 + (pos >>> 1)] = name - 1;
  }
  for (let i = n - 1, j = n - 1; i >= n1; i--) if (sa[i] >= 0) sa[j--] = sa[i];
  // stage 2: solve the reduced problem, recursing while names repeat
  const s1 = sa.subarray(n - n1, n);
  if (name < n1) {
    sais(s1, sa, n1, name - 1, types.subarray(n), buckets.subarray(k + 1));
  } else {
    for (let i = 0; i < n1; i++) sa[s1[i]] = i;
  }
  // stage 3: induce the full suffix array from the sorted LMS suffixes
  getBuckets(s, bkt, n, k, true);
  for (let i = 1, j = 0; i < n; i++) if (t[i] === 1 && t[i - 1] === 0) s1[j++] = i;
  for (let i = 0; i < n1; i++) sa[i] = s1[sa[i]];
  sa.fill(-1, n1, n);
  for (let i = n1 - 1; i >= 0; i--) {
    const j = sa[i];
    sa[i] = -1;
    sa[--bkt[s[j]]] = j;
  }
  induceL(t, sa, s, bkt, n, k);
  induceS(t, sa, s, bkt, n, k);
}

function getBuckets(s: Int32Array, bkt: Int32Array, n: number, k: number, end: boolean): void {
  bkt.fill(0, 0, k + 1);
  for (let i = 0; i < n; i++) bkt[s[i]]++;
  let sum = 0;
  for (let i = 0; i <= k; i++) {
    sum += bkt[i];
    bkt[i] = end ? sum : sum - bkt[i];
  }
}

function induceL(t: Uint8Array, sa: Int32Array, s: Int32Array, bkt: Int32Array, n: number, k: number): void {
  getBuckets(s, bkt, n, k, false);
  for (let i = 0; i < n; i++) {
    const j = sa[i] - 1;
    if (j >= 0 && t[j] === 0) sa[bkt[s[j]]++] = j;
  }
}

function induceS(t: Uint8Array, sa: Int32Array, s: Int32Array, bkt: Int32Array, n: number, k: number): void {
  getBuckets(s, bkt, n, k, true);
  for (let i = n - 1; i >= 0; i--) {
    const j = sa[i] - 1;
    if (j >= 0 && t[j] === 1) sa[--bkt[s[j]]] = j;
  }
}

/**
 * Forward BWT of one block `input` (length n ≥ 1) into `out` (n bytes). Returns the primary index: the row of the
 * rotation that starts the text, i.e. where the sentinel sits in the last column. `text` (n + 1 ints), `sa`
 * (n + 1 ints), `types` (2n + 2 bytes) and `buckets` (n + 258 ints) are workspaces.
 */
export function bwtEncodeBlock(
  input: Uint8Array,
  out: Uint8Array,
  text: Int32Array,
  sa: Int32Array,
  types: Uint8Array,
  buckets: Int32Array,
): number {
  const n = input.length;
  for (let i = 0; i < n; i++) text[i] = input[i] + 1;
  text[n] = 0;
  sais(text, sa, n + 1, 256, types, buckets);
  // sa[0] = n is the sentinel's own suffix; its last-column byte is input[n−1]
  let primary = 0;
  let o = 0;
  for (let i = 0; i <= n; i++) {
    const p = sa[i];
    if (p === 0) primary = i;
    else out[o++] = input[p - 1];
  }
  return primary;
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
