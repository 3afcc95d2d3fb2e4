/**
 * `npm run bench:features`: the figures of issue 6.
 *  1. feature extraction time on 64 KiB blocks as a share of zstd:3 compress time on the same blocks;
 *  2. parallel speed-up of `evaluate` with 2 workers vs 1;
 *  3. on a mixture of ≥ 6 synthetic families: SBS and VBS cost and their gap; sample-and-try's gap closed and
 *     overhead; kNN's gap closed — for objectives size and transfer(100);
 *  4. selection's cost floor: features and one network's choice per block, as a share of zstd:1 and zstd:3.
 * A script composes stages (like the CLI), so it may use the datasets stage to make its data and the learner (part 4).
 * Env: BENCH_BLOCKS_PER_FAMILY (default 8), BENCH_PORTFOLIO (default|quick, default "default"), BENCH_SEED,
 * BENCH_ONLY (e.g. "12": run parts 1 and 2 only; "4": the selection cost), BENCH_SPEEDUP_ROUNDS (default 3).
 */
import { parseDataConfig } from "../datasets/config.js";
import { generate } from "../datasets/generate.js";
import { extract, FEATURE_COUNT } from "../features/extract.js";
import { initBackend } from "../learner/backend.js";
import { learnerConfig } from "../learner/learner.js";
import { learnerSelector } from "../learner/selector.js";
import { parseSpec } from "../pipeline/spec.js";
import { median } from "../stats.js";
import { evaluate } from "./evaluate.js";
import { parseObjective } from "./objectives.js";
import { namedPortfolio, quickPortfolio } from "./portfolio.js";
import { formatObjectiveReport } from "./report.js";
import { runBench } from "./run.js";

const BLOCK = 65536;
const perFamily = Number(process.env.BENCH_BLOCKS_PER_FAMILY ?? 8);
const seed = Number(process.env.BENCH_SEED ?? 1);

/** Candidate families; those the datasets stage cannot parse (not landed) are skipped and listed. */
const CANDIDATES: Record<string, unknown>[] = [
  { family: "iid", alphabet: 64, distribution: { kind: "zipf", s: 1.1 } },
  { family: "markov", order: 2, alphabet: 16, concentration: 0.3 },
  { family: "text" },
  { family: "json-logs" },
  { family: "csv" },
  { family: "timeseries", dtype: "float64", process: "random-walk" },
  { family: "timeseries", dtype: "int32", process: "seasonal" },
  { family: "image", width: 256 },
  { family: "sparse" },
  { family: "repetitive" },
  { family: "random" },
];

async function loadBlocks(): Promise<{ blocks: Uint8Array[]; groups: string[]; skipped: string[] }> {
  const blocks: Uint8Array[] = [];
  const groups: string[] = [];
  const skipped: string[] = [];
  for (const [i, params] of CANDIDATES.entries()) {
    const config = { ...params, totalBytes: perFamily * BLOCK, blockBytes: BLOCK, seed: seed * 100 + i };
    try {
      parseDataConfig(config);
    } catch {
      skipped.push(String(params.family));
      continue;
    }
    const label = params.family === "timeseries" ? `timeseries-${params.dtype}` : String(params.family);
    for await (const b of generate(config as Parameters<typeof generate>[0])) {
      blocks.push(b.bytes);
      groups.push(label);
    }
  }
  return { blocks, groups, skipped };
}

/**
 * CPU time (user + system) per call, ns, over a batch of `times` calls, so that preemption by other processes on
 * this shared machine does not count.
 */
function cpuNs(run: () => void, times: number): number {
  const start = process.cpuUsage();
  for (let i = 0; i < times; i++) run();
  const used = process.cpuUsage(start);
  return ((used.user + used.system) * 1e3) / times;
}

/** The median over 5 batches of {@link cpuNs}, averaged over `items`. */
function meanMedianNs<T>(items: readonly T[], run: (item: T) => void, times: number): number {
  const each = items.map((item) => median(Array.from({ length: 5 }, () => cpuNs(() => run(item), times))));
  return each.reduce((a, v) => a + v, 0) / each.length;
}

function featureCost(blocks: Uint8Array[], groups: string[]): void {
  const zstd = parseSpec("zstd:3");
  const codec = zstd.stages[0];
  for (let i = 0; i < 200; i++) extract(blocks[i % blocks.length]);
  const byGroup = new Map<string, [feat: number, zstd: number]>();
  let featTotal = 0;
  let zstdTotal = 0;
  blocks.forEach((bytes, b) => {
    const f: number[] = [];
    const z: number[] = [];
    for (let r = 0; r < 5; r++) {
      f.push(cpuNs(() => extract(bytes), 200));
      z.push(cpuNs(() => codec.stage.encode(bytes, codec.params), 20));
    }
    const fm = median(f);
    const zm = median(z);
    featTotal += fm;
    zstdTotal += zm;
    const g = byGroup.get(groups[b]) ?? [0, 0];
    byGroup.set(groups[b], [g[0] + fm, g[1] + zm]);
  });
  console.log(
    "\n## 1. feature extraction vs zstd:3 compress, 64 KiB blocks (CPU time; median of 5 batches per block)",
  );
  console.log(
    `${"family".padEnd(22)} ${"features µs".padStart(12)} ${"zstd:3 µs".padStart(10)} ${"ratio".padStart(8)}`,
  );
  for (const [g, [f, z]] of byGroup) {
    const n = groups.filter((x) => x === g).length;
    console.log(
      `${g.padEnd(22)} ${(f / n / 1e3).toFixed(1).padStart(12)} ${(z / n / 1e3).toFixed(1).padStart(10)} ${((100 * f) / z).toFixed(1).padStart(7)}%`,
    );
  }
  console.log(
    `${"all".padEnd(22)} ${(featTotal / blocks.length / 1e3).toFixed(1).padStart(12)} ${(zstdTotal / blocks.length / 1e3).toFixed(1).padStart(10)} ${((100 * featTotal) / zstdTotal).toFixed(1).padStart(7)}%   (target ≤ 2%)`,
  );
}

async function speedUp(blocks: Uint8Array[]): Promise<void> {
  const portfolio = quickPortfolio();
  const sample = blocks.filter((_, i) => i % 2 === 0);
  const rounds = Number(process.env.BENCH_SPEEDUP_ROUNDS ?? 3);
  console.log(
    `\n## 2. evaluate speed-up, ${sample.length} blocks × ${portfolio.pipelines.length} pipelines (quick); ` +
      "2 workers = the calling thread + 1 worker thread, whose start-up counts",
  );
  // warm this thread's JIT first, so that neither side gets a head start from the other's warm-up
  await evaluate(portfolio, sample.slice(0, 4), { workers: 1, repeats: 1 });
  // process CPU time (all threads) per run shows how much CPU the machine actually granted
  const run = async (workers: number) => {
    const start = process.cpuUsage();
    const result = await evaluate(portfolio, sample, { workers, repeats: 3 });
    const used = process.cpuUsage(start);
    return { result, cpuS: (used.user + used.system) / 1e6 };
  };
  const ratios: number[] = [];
  // interleaved rounds, alternating which side goes first, so that a change in the machine's load hits both
  for (let round = 1; round <= rounds; round++) {
    const firstTwo = round % 2 === 0;
    const a = await run(firstTwo ? 2 : 1);
    const b = await run(firstTwo ? 1 : 2);
    const [one, two] = firstTwo ? [b, a] : [a, b];
    const ratio = one.result.wallNs / two.result.wallNs;
    ratios.push(ratio);
    console.log(
      `round ${round}: 1 worker (in-process) ${(one.result.wallNs / 1e9).toFixed(2)} s; 2 workers ` +
        `${(two.result.wallNs / 1e9).toFixed(2)} s wall (worker thread ready after ` +
        `${(two.result.startupNs / 1e9).toFixed(2)} s; blocks per thread ${two.result.blocksPerThread.join("/")}); ` +
        `speed-up ${ratio.toFixed(2)}x; CPU granted: ${(one.cpuS / (one.result.wallNs / 1e9)).toFixed(2)} cores ` +
        `(1 worker), ${(two.cpuS / (two.result.wallNs / 1e9)).toFixed(2)} cores (2 workers); CPU-s used ` +
        `${one.cpuS.toFixed(1)} vs ${two.cpuS.toFixed(1)}`,
    );
  }
  const sorted = ratios.slice().sort((x, y) => x - y);
  console.log(
    `speed-up over ${rounds} rounds: median ${median(ratios).toFixed(2)}x, range ${sorted[0].toFixed(2)}–` +
      `${sorted[sorted.length - 1].toFixed(2)}x   (target ≥ 1.7x; needs 2 idle cores)`,
  );
}

async function report(blocks: Uint8Array[], groups: string[]): Promise<void> {
  const portfolio = namedPortfolio(process.env.BENCH_PORTFOLIO ?? "default");
  const t0 = Date.now();
  const result = await runBench(portfolio, blocks, groups, {
    objectives: [parseObjective("size"), parseObjective("transfer:100")],
    workers: 2,
    repeats: 3,
    seed,
    testFraction: 0.3,
    onProgress: (done, total) => {
      if (done % 8 === 0 || done === total) process.stderr.write(`evaluate: ${done}/${total} blocks\n`);
    },
  });
  console.log(
    `\n## 3. ${blocks.length} blocks of ${new Set(groups).size} families × ${portfolio.pipelines.length} pipelines ` +
      `(${portfolio.name}); evaluation ${((Date.now() - t0) / 1000).toFixed(0)} s; ` +
      `${result.evaluation.trials.filter((t) => !t.roundTripOk).length} failed trials; split by block, seed ${seed}`,
  );
  for (const r of result.results) {
    console.log(`\n${formatObjectiveReport(r, result.split.train.length)}`);
    const o = r.report.overall;
    const st = Object.keys(o.selectors).find((n) => n.startsWith("sample-and-try")) as string;
    const knn = Object.keys(o.selectors).find((n) => n.startsWith("knn")) as string;
    const fmt = (g: number | undefined) => (g === undefined ? "n/a" : g.toFixed(3));
    console.log(
      `SUMMARY ${r.objective}: SBS ${o.sbsCost.toPrecision(6)} (${r.report.sbs}), VBS ${o.vbsCost.toPrecision(6)}, ` +
        `SBS/VBS ${(o.sbsCost / o.vbsCost).toFixed(4)} (gap ${(100 * (o.sbsCost / o.vbsCost - 1)).toFixed(2)}%); ` +
        `sample-and-try gap closed ${fmt(o.selectors[st].gapClosed)}, overhead ${r.overhead[st].overall.toPrecision(3)}x; ` +
        `kNN gap closed ${fmt(o.selectors[knn].gapClosed)}, overhead ${r.overhead[knn].overall.toPrecision(3)}x`,
    );
  }
}

/**
 * What per-block selection costs at least, in steady state: features on two sample sizes and one network's greedy
 * choice for one block (untrained weights: the arithmetic is the same), against the encodes it chooses between.
 * Under `transfer:100` the oracle's picks are mostly zstd:1 and zstd:3, so these ratios bound its overhead from below.
 */
async function selectionCost(blocks: Uint8Array[]): Promise<void> {
  await initBackend();
  const sample = blocks.filter((_, i) => i % 4 === 0);
  const encodeNs = (spec: string) => {
    const { stage, params } = parseSpec(spec).stages[0];
    return meanMedianNs(sample, (b) => stage.encode(b, params), 20);
  };
  const references = { "zstd:1": encodeNs("zstd:1"), "zstd:3": encodeNs("zstd:3") };
  const pipelines = quickPortfolio().pipelines;
  const vectors = sample.map((b) => [extract(b)]);
  const rows: [string, number][] = [160, 640].map((bytes) => [
    `features, ${bytes}-byte sample`,
    meanMedianNs(sample, (b) => extract(b, bytes), 200),
  ]);
  for (const [label, hidden, members] of [
    ["linear", [], 1],
    ["16", [16], 1],
    ["32", [32], 1],
    ["128×128", [128, 128], 1],
    ["5 × 128×128 (recipe)", [128, 128], 5],
  ] as const) {
    // the bench's own selection path: an ensemble averages its members' predicted log-costs
    const selector = learnerSelector(
      learnerConfig({ featureCount: FEATURE_COUNT, pipelines, seed: 1, hidden: [...hidden], heads: 1 }),
      { members, epochs: 1 },
    );
    rows.push([`network ${label}, one block`, meanMedianNs(vectors, (x) => selector.select(x), 2000)]);
    for (const l of selector.members()) l.dispose();
  }
  console.log(
    `\n## 4. selection cost per 64 KiB block (CPU time; median of 5 batches, ${sample.length} blocks), ` +
      `% of each encode (${Object.entries(references)
        .map(([p, ns]) => `${p} ${(ns / 1e3).toFixed(0)} µs`)
        .join(", ")})`,
  );
  for (const [label, ns] of rows) {
    const shares = Object.values(references).map((ref) => `${((100 * ns) / ref).toFixed(2).padStart(7)}%`);
    console.log(`${label.padEnd(44)} ${(ns / 1e3).toFixed(2).padStart(8)} µs ${shares.join(" ")}`);
  }
}

const { blocks, groups, skipped } = await loadBlocks();
console.log(
  `# bench:features — ${blocks.length} blocks of 64 KiB, families: ${[...new Set(groups)].join(", ")}` +
    (skipped.length ? `; not available yet: ${skipped.join(", ")}` : ""),
);
const only = process.env.BENCH_ONLY;
if (!only || only.includes("1")) featureCost(blocks, groups);
if (!only || only.includes("2")) await speedUp(blocks);
if (!only || only.includes("3")) await report(blocks, groups);
if (!only || only.includes("4")) await selectionCost(blocks);
