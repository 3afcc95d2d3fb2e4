/** Small deterministic test blocks of distinct kinds (no dependency on the datasets stage). */
import { createRng } from "../../rng.js";

/** Kinds of test block. */
export type TestBlockKind = "text" | "random" | "zeros" | "doubles" | "ints";

/**
 * A deterministic block of `n` bytes of the given kind.
 *
 * @example
 * ```ts
 * testBlock("doubles", 8192, 1);
 * ```
 */
export function testBlock(kind: TestBlockKind, n: number, seed: number): Uint8Array {
  const rng = createRng(seed);
  const out = new Uint8Array(n);
  if (kind === "random") for (let i = 0; i < n; i++) out[i] = rng.nextInt(256);
  if (kind === "text") {
    const words = ["the", "quick", "brown", "fox", "jumps", "over", "a", "lazy", "dog", "and", "cat"];
    const bytes = new TextEncoder().encode(
      Array.from({ length: n }, () => words[rng.nextInt(words.length)]).join(" "),
    );
    out.set(bytes.subarray(0, n));
  }
  if (kind === "doubles") {
    const view = new DataView(out.buffer);
    for (let i = 0; i + 8 <= n; i += 8)
      view.setFloat64(i, Math.sin(i / 400 + seed) * 100 + rng.nextFloat() * 1e-3, true);
  }
  if (kind === "ints") {
    const view = new DataView(out.buffer);
    for (let i = 0; i + 4 <= n; i += 4) view.setUint32(i, 100_000 + i * 3 + rng.nextInt(8), true);
  }
  return out;
}
