/**
 * The logistic domain of the `cm` coder, in 12-bit fixed point, built once at module load from integers only
 * (so encoder and decoder agree bit for bit on every platform): `squash(d) = 4096 / (1 + e^(-d/256))` and its
 * inverse `stretch(p) = 256 · ln(p / (4096 − p))`. Same tables as lpaq1 (Mahoney).
 */

/** squash at d = −2048, −1920, …, 2048 (33 knots, step 128); intermediate values interpolate linearly. */
const SQUASH_KNOTS = Int32Array.of(
  1,
  2,
  3,
  6,
  10,
  16,
  27,
  45,
  73,
  120,
  194,
  310,
  488,
  747,
  1101,
  1546,
  2047,
  2549,
  2994,
  3348,
  3607,
  3785,
  3901,
  3975,
  4022,
  4050,
  4068,
  4079,
  4085,
  4089,
  4092,
  4093,
  4094,
);

/** `SQUASH[d + 2048]` = squash(d) for d in −2048..2047: a 12-bit probability in 1..4094. */
export const SQUASH: Int32Array = new Int32Array(4096);
/** `STRETCH[p]` = stretch(p) for p in 0..4095: a log-odds value in −2047..2047, the inverse of {@link SQUASH}. */
export const STRETCH: Int32Array = new Int32Array(4096);

for (let d = -2048; d < 2048; d++) {
  const w = d & 127;
  const k = (d >> 7) + 16;
  SQUASH[d + 2048] = (SQUASH_KNOTS[k] * (128 - w) + SQUASH_KNOTS[k + 1] * w + 64) >> 7;
}
{
  let pi = 0;
  for (let d = -2047; d <= 2047; d++) {
    const v = SQUASH[d + 2048];
    for (let p = pi; p <= v; p++) STRETCH[p] = d;
    pi = v + 1;
  }
  for (let p = pi; p < 4096; p++) STRETCH[p] = 2047;
}

/**
 * squash(d) for any integer log-odds d (clamped to −2047..2047): the 12-bit probability of a 1 bit.
 *
 * @example
 * ```ts
 * squash(0); // 2047 (p ≈ 0.5)
 * squash(stretch(3000)); // ≈ 3000
 * ```
 */
export function squash(d: number): number {
  if (d > 2047) d = 2047;
  if (d < -2047) d = -2047;
  return SQUASH[d + 2048];
}

/**
 * stretch(p) for a 12-bit probability p in 0..4095: the log-odds ln(p/(1−p)) scaled by 256.
 *
 * @example
 * ```ts
 * stretch(2048); // 0
 * stretch(4000) > 900; // true
 * ```
 */
export function stretch(p: number): number {
  return STRETCH[p];
}
