/**
 * `markov`: an order-k Markov chain over `alphabet` symbols (one byte each). Each context's next-symbol
 * distribution is a symmetric Dirichlet(concentration) draw from the seed; low concentration gives peaked,
 * low-entropy transitions. Every transition keeps a probability of at least 2^-32, so the chain is ergodic.
 *
 * Entropy rate (exact): `Σ_ctx π(ctx) · H(P(·|ctx))`, with π the stationary distribution over contexts, solved
 * by the GTH elimination (up to 1024 contexts) or by power iteration beyond (then reported exact only if it
 * converged to 1e-12).
 */
import { z } from "zod";
import { createRng, deriveSeed, type Rng } from "../../rng.js";
import type { FamilyModel, FamilySource } from "../family.js";
import {
  createSamplerTables,
  quantizeWeights,
  type SamplerTables,
  setRow,
  symbolBits,
  TableSampler,
} from "../sampler.js";
import { sampleDirichlet } from "../variates.js";

/** Bound on `(order + 1) · ceil(log2 alphabet)`: the padded context space times the alphabet (2^22). */
export const MARKOV_MAX_TABLE_BITS = 22;

/** Parameters of the `markov` family. */
export const markovParamsSchema = z
  .object({
    family: z.literal("markov"),
    order: z.number().int().min(1).max(8).default(1).describe("context length k"),
    alphabet: z.number().int().min(2).max(256).default(16).describe("number of distinct symbols"),
    concentration: z
      .number()
      .gt(0)
      .max(1e6)
      .default(1)
      .describe("symmetric Dirichlet concentration of each transition row; higher = more entropy"),
  })
  .superRefine((p, ctx) => {
    const bits = symbolBits(p.alphabet);
    if ((p.order + 1) * bits > MARKOV_MAX_TABLE_BITS) {
      ctx.addIssue({
        code: "custom",
        path: ["order"],
        message: `order ${p.order} with alphabet ${p.alphabet} needs 2^${(p.order + 1) * bits} table entries; keep (order+1)·ceil(log2 alphabet) <= ${MARKOV_MAX_TABLE_BITS}`,
      });
    }
  });

/** Parameters of the `markov` family (parsed). */
export type MarkovParams = z.output<typeof markovParamsSchema>;

const TWO_POW_32 = 4294967296;

/**
 * The stationary distribution of a row-stochastic matrix (dense, n×n, row-major) by the GTH algorithm
 * (Grassmann–Taksar–Heyman), which is numerically stable even for nearly reducible chains.
 *
 * @example
 * ```ts
 * stationaryGth(Float64Array.of(0.9, 0.1, 0.5, 0.5), 2); // [5/6, 1/6]
 * ```
 */
export function stationaryGth(matrix: Float64Array, n: number): Float64Array {
  const p = Float64Array.from(matrix);
  for (let k = n - 1; k >= 1; k--) {
    let s = 0;
    const rowK = k * n;
    for (let j = 0; j < k; j++) s += p[rowK + j];
    for (let i = 0; i < k; i++) p[i * n + k] /= s;
    for (let i = 0; i < k; i++) {
      const pik = p[i * n + k];
      if (pik === 0) continue;
      const rowI = i * n;
      for (let j = 0; j < k; j++) p[rowI + j] += pik * p[rowK + j];
    }
  }
  const pi = new Float64Array(n);
  pi[0] = 1;
  let total = 1;
  for (let k = 1; k < n; k++) {
    let v = 0;
    for (let i = 0; i < k; i++) v += pi[i] * p[i * n + k];
    pi[k] = v;
    total += v;
  }
  for (let k = 0; k < n; k++) pi[k] /= total;
  return pi;
}

/** The built chain: per-context alias tables over a padded context index, and its stationary law. */
interface MarkovChain {
  bits: number;
  order: number;
  tables: SamplerTables;
  /** Real contexts (as padded indices) in ascending order. */
  contexts: Int32Array;
  stationary: Float64Array;
  entropyRate: number;
  exact: boolean;
}

function buildChain(params: MarkovParams, seed: number): MarkovChain {
  const { order, alphabet, concentration } = params;
  const bits = symbolBits(alphabet);
  const ctxCount = alphabet ** order;
  const contexts = new Int32Array(ctxCount);
  const ctxIndex = new Int32Array(1 << (order * bits)).fill(-1);
  for (let c = 0; c < ctxCount; c++) {
    let rest = c;
    let padded = 0;
    for (let d = 0; d < order; d++) {
      padded |= (rest % alphabet) << (d * bits);
      rest = Math.floor(rest / alphabet);
    }
    contexts[c] = padded;
  }
  contexts.sort();
  for (let c = 0; c < ctxCount; c++) ctxIndex[contexts[c]] = c;

  const rng = createRng(deriveSeed(seed, "markov-model"));
  // guide tables of about 2^16 entries (128 KB) in total stay in cache (the chain's lookups are serially dependent)
  const guideBits = Math.max(bits + 1, Math.min(16, 16 - order * bits));
  const tables = createSamplerTables(1 << (order * bits), alphabet, guideBits);
  const probs = new Float64Array(ctxCount * alphabet);
  const rowEntropy = new Float64Array(ctxCount);
  for (let c = 0; c < ctxCount; c++) {
    const weights = quantizeWeights(sampleDirichlet(rng, concentration, alphabet), 1, true);
    setRow(tables, contexts[c], weights);
    let h = 0;
    for (let x = 0; x < alphabet; x++) {
      const p = weights[x] / TWO_POW_32;
      probs[c * alphabet + x] = p;
      h -= p * Math.log2(p);
    }
    rowEntropy[c] = h;
  }

  const ctxMask = (1 << (order * bits)) - 1;
  const next = (c: number, x: number): number => ctxIndex[((contexts[c] << bits) | x) & ctxMask];
  let stationary: Float64Array;
  let exact = true;
  if (ctxCount <= 1024) {
    const dense = new Float64Array(ctxCount * ctxCount);
    for (let c = 0; c < ctxCount; c++) {
      for (let x = 0; x < alphabet; x++) dense[c * ctxCount + next(c, x)] += probs[c * alphabet + x];
    }
    stationary = stationaryGth(dense, ctxCount);
  } else {
    stationary = new Float64Array(ctxCount).fill(1 / ctxCount);
    let converged = false;
    const tmp = new Float64Array(ctxCount);
    for (let iter = 0; iter < 5000 && !converged; iter++) {
      tmp.fill(0);
      for (let c = 0; c < ctxCount; c++) {
        const m = stationary[c];
        for (let x = 0; x < alphabet; x++) tmp[next(c, x)] += m * probs[c * alphabet + x];
      }
      let diff = 0;
      for (let c = 0; c < ctxCount; c++) {
        const v = 0.5 * (stationary[c] + tmp[c]);
        diff += Math.abs(v - stationary[c]);
        stationary[c] = v;
      }
      converged = diff < 1e-12;
    }
    exact = converged;
  }
  let entropyRate = 0;
  for (let c = 0; c < ctxCount; c++) entropyRate += stationary[c] * rowEntropy[c];
  return { bits, order, tables, contexts, stationary, entropyRate, exact };
}

/**
 * Builds the `markov` model: transition tables from the seed, the exact entropy rate, and a source that starts
 * in a context drawn from the stationary distribution.
 *
 * @example
 * ```ts
 * const model = buildMarkov(markovParamsSchema.parse({ family: "markov", order: 2, alphabet: 16 }), 1);
 * model.entropy.bitsPerByte; // e.g. 3.3
 * ```
 */
export function buildMarkov(params: MarkovParams, seed: number): FamilyModel {
  const chain = buildChain(params, seed);
  return {
    entropy: { bitsPerByte: chain.entropyRate, exact: chain.exact },
    createSource(rng: Rng): FamilySource {
      let u = rng.nextFloat();
      let c = 0;
      while (c < chain.contexts.length - 1 && u >= chain.stationary[c]) u -= chain.stationary[c++];
      return new TableSampler(chain.tables, rng, chain.contexts[c], chain.order * chain.bits, chain.bits);
    },
  };
}
