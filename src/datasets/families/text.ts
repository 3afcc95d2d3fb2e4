/**
 * `text`: a natural-language-like stream. A vocabulary of distinct generated lowercase words (English-like letter
 * frequencies and lengths, fixed by the seed; shorter words rank first) is drawn with Zipf(s) frequencies; words are separated by spaces,
 * commas and sentence ends (`.`, `?`, `!`) followed by a space or a line break; a sentence starts capitalized.
 *
 * Entropy rate (exact; the bytes decode back to the word and separator sequence, renewal-reward theorem):
 * `(H(word) + H(separator)) / (E[word length] + E[separator length])`.
 */
import { z } from "zod";
import { createRng, deriveSeed, type Rng } from "../../rng.js";
import { type Categorical, categorical, sampleCategorical, zipfWeights } from "../choices.js";
import { chunkedSource, type FamilyModel, type FamilySource } from "../family.js";

/** Parameters of the `text` family. */
export const textParamsSchema = z.object({
  family: z.literal("text"),
  vocabulary: z.number().int().min(2).max(200000).default(5000).describe("number of distinct words"),
  zipfS: z.number().min(0).max(5).default(1.1).describe("Zipf exponent of word frequencies"),
  sentenceWords: z.number().min(1).max(1000).default(14).describe("mean words per sentence"),
  commaRate: z.number().min(0).max(0.9).default(0.06).describe("probability of a comma after a word"),
  newlineRate: z.number().min(0).max(1).default(0.25).describe("probability that a sentence ends a line"),
});

/** Parameters of the `text` family (parsed). */
export type TextParams = z.output<typeof textParamsSchema>;

const LETTERS = "abcdefghijklmnopqrstuvwxyz";
// English letter frequencies (per mille)
const LETTER_WEIGHTS = [
  82, 15, 28, 43, 127, 22, 20, 61, 70, 2, 8, 40, 24, 67, 75, 19, 1, 60, 63, 91, 28, 10, 24, 2, 20, 1,
];
// word lengths 1…12
const LENGTH_WEIGHTS = [1, 10, 16, 16, 13, 10, 9, 7, 5, 3, 2, 1];
const SEPARATORS = [" ", ", ", ". ", ".\n", "? ", "?\n", "! ", "!\n"];

function buildVocabulary(params: TextParams, rng: Rng): string[] {
  const letters = categorical(LETTER_WEIGHTS);
  const lengths = categorical(LENGTH_WEIGHTS);
  const seen = new Set<string>();
  const words: string[] = [];
  while (words.length < params.vocabulary) {
    // long words once short ones run out
    const len = 1 + sampleCategorical(lengths, rng) + Math.floor(words.length / 20000);
    let w = "";
    for (let i = 0; i < len; i++) w += LETTERS[sampleCategorical(letters, rng)];
    if (!seen.has(w)) {
      seen.add(w);
      words.push(w);
    }
  }
  // frequent (low-rank) words tend to be the short ones, as in natural language
  const key = new Map(words.map((w) => [w, w.length + 4 * rng.nextFloat()]));
  return words.sort((a, b) => key.get(a)! - key.get(b)!);
}

function separatorDistribution(params: TextParams): Categorical {
  const end = 1 / params.sentenceWords;
  const comma = (1 - end) * params.commaRate;
  const space = 1 - end - comma;
  const nl = params.newlineRate;
  const punct = [0.8, 0.1, 0.1];
  const w = [space, comma];
  for (const p of punct) w.push(end * p * (1 - nl), end * p * nl);
  return categorical(w);
}

/**
 * Builds the `text` model: the vocabulary, and the exact entropy rate.
 *
 * @example
 * ```ts
 * buildText(textParamsSchema.parse({ family: "text" }), 1).entropy.bitsPerByte; // ≈ 1.9
 * ```
 */
export function buildText(params: TextParams, seed: number): FamilyModel {
  const words = buildVocabulary(params, createRng(deriveSeed(seed, "text-vocabulary")));
  const wordDist = categorical(zipfWeights(words.length, params.zipfS));
  const sepDist = separatorDistribution(params);
  const encoder = new TextEncoder();
  const lower = words.map((w) => encoder.encode(w));
  const upper = words.map((w) => encoder.encode(w[0].toUpperCase() + w.slice(1)));
  const seps = SEPARATORS.map((s) => encoder.encode(s));
  let meanWord = 0;
  for (let i = 0; i < words.length; i++)
    meanWord += ((wordDist.cdf[i + 1] - wordDist.cdf[i]) / 2 ** 32) * words[i].length;
  let meanSep = 0;
  for (let i = 0; i < seps.length; i++)
    meanSep += ((sepDist.cdf[i + 1] - sepDist.cdf[i]) / 2 ** 32) * seps[i].length;
  const bits = (wordDist.entropy + sepDist.entropy) / (meanWord + meanSep);
  return {
    entropy: { bitsPerByte: bits, exact: true },
    createSource(rng: Rng): FamilySource {
      const buf = new Uint8Array(8192);
      let capital = true;
      return chunkedSource(() => {
        let at = 0;
        while (at < 4096) {
          const w = sampleCategorical(wordDist, rng);
          const word = capital ? upper[w] : lower[w];
          for (let k = 0; k < word.length; k++) buf[at++] = word[k];
          const s = sampleCategorical(sepDist, rng);
          const sep = seps[s];
          for (let k = 0; k < sep.length; k++) buf[at++] = sep[k];
          capital = s >= 2;
        }
        return buf.subarray(0, at);
      });
    },
  };
}
