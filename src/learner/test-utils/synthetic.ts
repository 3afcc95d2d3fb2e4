/**
 * Synthetic selection tasks with known structure, for learner tests before (and besides) real benches:
 * a universal feature → log-cost map shared by all families, each family occupying its own region of feature space.
 */
import type { CostMatrix } from "../../bench/types.js";
import { createRng, deriveSeed } from "../../rng.js";
import type { OnlineTask } from "../online.js";

export interface SyntheticOptions {
  family: number;
  blocks: number;
  seed: number;
  featureCount?: number;
  pipelines?: number;
  noise?: number;
}

/** Universal weights: the same for every family and seed. */
function universe(f: number, p: number) {
  const rng = createRng(20261126);
  const w1 = Array.from({ length: p }, () => Array.from({ length: f }, () => rng.nextGaussian()));
  const w2 = Array.from({ length: p }, () => Array.from({ length: f }, () => rng.nextGaussian()));
  const bias = Array.from({ length: p }, () => 0.3 * rng.nextGaussian());
  return { w1, w2, bias };
}

export function syntheticTask(o: SyntheticOptions): OnlineTask {
  const f = o.featureCount ?? 8;
  const p = o.pipelines ?? 6;
  const noise = o.noise ?? 0.02;
  const { w1, w2, bias } = universe(f, p);
  const fam = createRng(deriveSeed(7, `family:${o.family}`));
  const centre = Array.from({ length: f }, () => 1.5 * fam.nextGaussian());
  const rng = createRng(deriveSeed(o.seed, `blocks:${o.family}`));
  const features: Float32Array[] = [];
  const costs = new Float64Array(o.blocks * p);
  for (let b = 0; b < o.blocks; b++) {
    const x = Float32Array.from(centre, (c) => c + 0.8 * rng.nextGaussian());
    features.push(x);
    for (let q = 0; q < p; q++) {
      let a = 0;
      let c = 0;
      for (let j = 0; j < f; j++) {
        a += (w1[q][j] * x[j]) / Math.sqrt(f);
        c += (w2[q][j] * x[j]) / Math.sqrt(f);
      }
      const log = 10 + 0.5 * Math.tanh(a) + 0.1 * c * c + 0.1 * bias[q] + noise * rng.nextGaussian();
      costs[b * p + q] = Math.exp(log);
    }
  }
  const matrix: CostMatrix = {
    pipelines: Array.from({ length: p }, (_, q) => `p${q}`),
    blockCount: o.blocks,
    costs,
  };
  const cut = Math.floor(o.blocks * 0.7);
  return {
    name: `family-${o.family}`,
    features,
    costs: matrix,
    train: Array.from({ length: cut }, (_, i) => i),
    test: Array.from({ length: o.blocks - cut }, (_, i) => cut + i),
  };
}
