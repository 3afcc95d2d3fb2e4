import { initBackend } from "./src/learner/backend.ts";
import { CostLearner, learnerConfig } from "./src/learner/learner.ts";
await initBackend();
const pipelines = Array.from({ length: 15 }, (_, i) => `p${i}`);
for (const hidden of [[], [16], [32], [128, 128]]) {
  const l = CostLearner.create(learnerConfig({ featureCount: 24, pipelines, seed: 1, hidden, heads: 1 }));
  const x = [Float32Array.from({ length: 24 }, (_, i) => i / 24)];
  for (let i = 0; i < 20000; i++) l.greedy(x);
  const n = 50000;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) l.greedy(x);
  const t1 = process.hrtime.bigint();
  console.log(JSON.stringify(hidden), (Number(t1 - t0) / n / 1000).toFixed(2), "µs/select");
  l.dispose();
}
