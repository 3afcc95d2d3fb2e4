/**
 * `metacomp report <run-id | experiment> --out report.html`: a self-contained HTML report of one run or of
 * every run of an experiment, read from the store (read-only) and drawn with the plot builders.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { defineCommand } from "citty";
import { ErrorCode, err } from "../../errors.js";
import { curveArea } from "../../learner/metrics/curve.js";
import type { PlotlyFigure } from "../../plot/figure.js";
import { confusionFigure } from "../../plot/figures/confusion.js";
import { entropyEfficiencyFigure } from "../../plot/figures/entropy-efficiency.js";
import { featureImportanceFigure } from "../../plot/figures/feature-importance.js";
import { gapClosedFigure } from "../../plot/figures/gap-closed.js";
import { type LearningCurveRow, learningCurveFigure } from "../../plot/figures/learning-curve.js";
import { type MetaImprovementRow, metaImprovementFigure } from "../../plot/figures/meta-improvement.js";
import { metricCurveFigure } from "../../plot/figures/metric-curve.js";
import { paretoFigure } from "../../plot/figures/pareto.js";
import { portfolioHeatmapFigure } from "../../plot/figures/portfolio.js";
import { systemMetricPoints, systemMetricsFigure } from "../../plot/figures/system-metrics.js";
import { type Report, type ReportSection, writeHtmlReport } from "../../plot/render/html.js";
import { openFigureRenderer, writeFigureImage } from "../../plot/render/image.js";
import type { RunRow } from "../../schema/rows.js";
import { DEFAULT_STORE_PATH, openStore, type Store } from "../../store/store.js";
import { requireArg } from "../io.js";

type Metric = { runId: number; key: string; step: number; value: number; context: string | null };

const isGapKey = (key: string) => /(^|\.)(gap_closed|gapClosed)$/.test(key);

/** `"seed=1;arm=meta"` → Map; a context that is not `k=v` pairs → null. */
function parseContext(context: string | null): Map<string, string> | null {
  if (!context) return null;
  if (context.startsWith("{")) {
    return new Map(
      Object.entries(JSON.parse(context) as Record<string, unknown>).map(([k, v]) => [k, String(v)]),
    );
  }
  const pairs = context.split(";").map((p) => {
    const eq = p.indexOf("=");
    return eq > 0 ? [p.slice(0, eq), p.slice(eq + 1)] : null;
  });
  if (pairs.some((p) => p === null)) return null;
  return new Map(pairs as [string, string][]);
}

/** A series name from a context without its seed: `"seed=1;arm=meta"` → `"arm=meta"`. */
function seriesOf(context: string | null, kv: Map<string, string> | null, fallback: string): string {
  if (!kv) return context ?? fallback;
  const rest = [...kv].filter(([k]) => k !== "seed").map(([k, v]) => `${k}=${v}`);
  return rest.length > 0 ? rest.join(";") : fallback;
}

/** How the report draws each sequence-valued key: meta level (a) over tasks, self-tuning (b) over generations. */
const META_SECTION = {
  heading: "Meta-improvement",
  text: "Normalised area under each held-out task's learning curve, by task order, for the meta-learner and its ablation.",
  rates: [
    ["meta", "summary.meta_improvement_rate"],
    ["ablation", "summary.meta_ablation_rate"],
  ],
  axis: { xTitle: "meta-training tasks in the prior (j; 0 = no prior)" },
} as const;
const SELF_TUNING_SECTION = {
  heading: "Self-tuning",
  text: "Normalised area under the held-out tasks' learning curve of each generation's best hyperparameters (chosen on the meta-training tasks), for the evolved population and for a fresh random population each generation.",
  rates: [
    ["evolved", "summary.self_tuning_rate"],
    ["random", "summary.self_tuning_ablation_rate"],
  ],
  axis: { axisName: "generation", xTitle: "generation of the hyperparameter search" },
} as const;

/**
 * Figures from logged metrics: learning curves (any `*gap_closed` logged at several steps), meta-improvement
 * (contexts with `step` = task and `arm`), gap closed per selector (logged once), other multi-step metrics.
 * The seed comes from a `seed=` context entry, else from the run.
 */
function metricSections(metrics: readonly Metric[], seedOf: Map<number, number>): ReportSection[] {
  const seed = (m: Metric, kv: Map<string, string> | null) =>
    Number(kv?.get("seed") ?? seedOf.get(m.runId) ?? m.runId);
  const byKey = new Map<string, Metric[]>();
  for (const m of metrics) byKey.set(m.key, [...(byKey.get(m.key) ?? []), m]);
  const curves: PlotlyFigure[] = [];
  // rows of each sequence-valued key: meta.gap_closed (tasks behind a prior), evolution.gap_closed (generations)
  const sequences = new Map<string, MetaImprovementRow[]>();
  const gaps: { objective: string; family: string; selector: string; gapClosed: number; seed: number }[] = [];
  for (const [key, ms] of byKey) {
    const multiStep = new Set(ms.map((m) => m.step)).size > 1;
    if (isGapKey(key)) {
      const learning: LearningCurveRow[] = [];
      const metaCurves = new Map<
        string,
        { task: number; condition: string; seed: number; rounds: number[]; gapClosed: number[] }
      >();
      for (const m of ms) {
        const kv = parseContext(m.context);
        const slash = m.context?.split("/");
        if (kv?.has("arm") && kv.has("step")) {
          const id = `${seed(m, kv)}|${kv.get("step")}|${kv.get("arm")}`;
          const c = metaCurves.get(id) ?? {
            task: Number(kv.get("step")),
            condition: kv.get("arm")!,
            seed: seed(m, kv),
            rounds: [],
            gapClosed: [],
          };
          c.rounds.push(m.step);
          c.gapClosed.push(m.value);
          metaCurves.set(id, c);
        } else if (multiStep) {
          learning.push({
            round: m.step,
            gapClosed: m.value,
            seed: seed(m, kv),
            series: seriesOf(m.context, kv, key),
          });
        } else if (kv?.has("selector") || slash?.length === 3) {
          const [objective, family, selector] = kv
            ? [
                kv.get("objective") ?? "",
                kv.get("family") ?? kv.get("group") ?? "all blocks",
                kv.get("selector")!,
              ]
            : slash!;
          gaps.push({ objective, family, selector, gapClosed: m.value, seed: seed(m, kv) });
        }
      }
      if (learning.length > 0)
        curves.push(learningCurveFigure(learning, { title: `Learning curve (${key}): gap closed vs round` }));
      for (const c of metaCurves.values()) {
        const order = c.rounds.map((_, i) => i).sort((a, b) => c.rounds[a] - c.rounds[b]);
        const value = curveArea({
          rounds: order.map((i) => c.rounds[i]),
          gapClosed: order.map((i) => c.gapClosed[i]),
        });
        const rows = sequences.get(key) ?? [];
        rows.push({ task: c.task, condition: c.condition, seed: c.seed, value });
        sequences.set(key, rows);
      }
    } else if (
      multiStep &&
      !key.startsWith("summary.") &&
      // one series per genome would be noise; the generations table holds the populations
      key !== "evolution.validation_area" &&
      new Set(ms.map((m) => m.value)).size > 1
    ) {
      curves.push(
        metricCurveFigure(
          ms.map((m) => {
            const kv = parseContext(m.context);
            return { step: m.step, value: m.value, seed: seed(m, kv), series: seriesOf(m.context, kv, key) };
          }),
          { valueLabel: `${key} (as logged)`, stepLabel: "step (rounds)" },
        ),
      );
    }
  }
  const sections: ReportSection[] = [];
  if (curves.length > 0) {
    sections.push({
      heading: "Learning curves",
      text: "Logged metrics against step; bands are 95% t-intervals across seeds.",
      figures: curves,
    });
  }
  const last = (key: string) => byKey.get(key)?.at(-1)?.value;
  const rateOf = (condition: string, key: string) => {
    const [rate, ciLow, ciHigh] = [key, `${key}_lo`, `${key}_hi`].map(last);
    return rate !== undefined && ciLow !== undefined && ciHigh !== undefined
      ? [{ condition, rate, ciLow, ciHigh }]
      : [];
  };
  for (const [key, rows] of sequences) {
    const section = key === "evolution.gap_closed" ? SELF_TUNING_SECTION : META_SECTION;
    const found = section.rates.flatMap(([condition, rateKey]) => rateOf(condition, rateKey));
    sections.push({
      heading: section.heading,
      text: section.text,
      figures: [
        metaImprovementFigure(rows, {
          metric: "auc",
          rates: found.length > 0 ? found : undefined,
          ...section.axis,
        }),
      ],
    });
  }
  const objectives = [...new Set(gaps.map((r) => r.objective))];
  if (objectives.length > 0) {
    sections.push({
      heading: "Gap closed against baselines",
      text: "Held-out gap closed: 1 = oracle (VBS), 0 = single best solver (SBS).",
      figures: objectives.map((o) =>
        gapClosedFigure(
          gaps.filter((r) => r.objective === o),
          { title: `Gap closed vs baselines${o ? ` (objective ${o})` : ""}` },
        ),
      ),
    });
  }
  return sections;
}
/**
 * Selection against the oracle (a confusion matrix of the held-out blocks, summed over seeds) and permutation
 * feature importance (mean ± 95% CI over seeds), one figure each per selector, from the `selections` and
 * `feature_importances` tables.
 */
async function selectionSections(
  store: Store,
  ids: number[],
  placeholders: string,
): Promise<ReportSection[]> {
  const selections = await store.query(
    `SELECT selector, oracle, selected, count(*)::INTEGER AS n, count(DISTINCT seed)::INTEGER AS seeds
       FROM selections WHERE run_id IN (${placeholders}) GROUP BY ALL ORDER BY ALL`,
    ids,
  );
  const importances = await store.query(
    `SELECT selector, feature, seed, importance, repeats FROM feature_importances
      WHERE run_id IN (${placeholders}) ORDER BY selector, feature, run_id, seed`,
    ids,
  );
  const selectors = [...new Set([...selections, ...importances].map((r) => String(r.selector)))];
  const figures: PlotlyFigure[] = [];
  for (const selector of selectors) {
    const own = selections.filter((r) => r.selector === selector);
    if (own.length > 0) {
      const rows = own.map((r) => ({
        oracle: String(r.oracle),
        selected: String(r.selected),
        count: Number(r.n),
      }));
      const blocks = rows.reduce((n, r) => n + r.count, 0);
      const accuracy = rows.filter((r) => r.oracle === r.selected).reduce((n, r) => n + r.count, 0) / blocks;
      // both axes in one order: pipelines the oracle picks, by how often, then the rest
      const often = new Map<string, number>();
      for (const r of rows) often.set(r.oracle, (often.get(r.oracle) ?? 0) + r.count);
      const labels = [
        ...[...often].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([p]) => p),
        ...[...new Set(rows.map((r) => r.selected))].filter((p) => !often.has(p)).sort(),
      ];
      figures.push(
        confusionFigure(rows, {
          labels,
          oracleRowsOnly: true,
          title: `${selector} vs oracle on held-out blocks: top-1 accuracy ${(100 * accuracy).toFixed(1)}% of ${blocks} (block, seed) pairs`,
        }),
      );
    }
    const imp = importances.filter((r) => r.selector === selector);
    if (imp.length > 0) {
      const seeds = new Set(imp.map((r) => Number(r.seed))).size;
      figures.push(
        featureImportanceFigure(
          imp.map((r) => ({
            feature: String(r.feature),
            importance: Number(r.importance),
            seed: Number(r.seed),
          })),
          {
            title: `${selector}: permutation feature importance (${seeds > 1 ? `mean ± 95% CI over ${seeds} seeds` : "1 seed"}, ${Number(imp[0].repeats)} shuffles each)`,
          },
        ),
      );
    }
  }
  if (figures.length === 0) return [];
  return [
    {
      heading: "Selection against the oracle",
      text: "Each trained selector's choice on the held-out blocks against the oracle (VBS) pipeline, and how much its gap closed drops when one feature is shuffled across those blocks.",
      figures,
    },
  ];
}

const iso = (d: Date | null) => (d ? d.toISOString().replace("T", " ").slice(0, 19) : "");

/** The runs a target names: a positive integer is a run id, anything else an experiment name. */
async function resolveRuns(store: Store, target: string): Promise<{ runs: RunRow[]; label: string }> {
  if (/^\d+$/.test(target)) {
    const run = await store.getRun(Number(target));
    return { runs: [run], label: `run ${run.id}${run.name ? ` (${run.name})` : ""}` };
  }
  const [experiment] = await store.select("experiments", { name: target });
  if (!experiment) {
    const known = (await store.select("experiments")).map((e) => e.name);
    throw err(
      ErrorCode.NOT_FOUND,
      `no run id or experiment called "${target}" in the store; experiments: ${known.join(", ") || "(none)"}`,
    );
  }
  const runs = await store.select("runs", { experimentId: experiment.id });
  if (runs.length === 0) throw err(ErrorCode.NOT_FOUND, `experiment "${target}" has no runs yet`);
  return { runs, label: `experiment ${experiment.name} (${runs.length} run${runs.length === 1 ? "" : "s"})` };
}

/**
 * Reads runs, metrics, trials and system samples of `target` and lays them out as a {@link Report}.
 *
 * @example
 * ```ts
 * const report = await buildStoreReport(store, "quickstart");
 * await writeHtmlReport("report.html", report);
 * ```
 */
export async function buildStoreReport(store: Store, target: string): Promise<Report> {
  const { runs, label } = await resolveRuns(store, target);
  const ids = runs.map((r) => r.id);
  const seedOf = new Map(runs.map((r) => [r.id, r.seed]));
  const sections: ReportSection[] = [];

  sections.push({
    heading: "Runs",
    table: {
      rows: runs.map((r) => ({
        run: r.id,
        name: r.name,
        status: r.status,
        seed: r.seed,
        config: r.configHash.slice(0, 12),
        git: r.gitCommit ? `${r.gitCommit.slice(0, 10)}${r.gitDirty ? " (dirty)" : ""}` : "",
        backend: r.tfjsBackend,
        node: r.nodeVersion,
        started: iso(r.startedAt),
        seconds: r.endedAt ? (r.endedAt.getTime() - r.startedAt.getTime()) / 1000 : null,
        error: r.error,
      })),
    },
  });

  const metrics = (await Promise.all(ids.map((runId) => store.select("metrics", { runId })))).flat();
  sections.push(...metricSections(metrics, seedOf));

  const placeholders = ids.map((_, i) => `$${i + 1}`).join(", ");
  sections.push(...(await selectionSections(store, ids, placeholders)));
  const perPipeline = await store.query(
    `SELECT b.family AS family, t.pipeline AS pipeline, sum(b.length)::DOUBLE AS bytes_in,
            sum(t.bytes_out)::DOUBLE AS bytes_out, sum(t.enc_ns)::DOUBLE AS enc_ns,
            sum(b.length * b.entropy / 8)::DOUBLE AS bound_bytes, avg(b.entropy)::DOUBLE AS entropy
       FROM trials t JOIN blocks b ON b.dataset_id = t.dataset_id AND b.block_index = t.block_index
      WHERE t.run_id IN (${placeholders}) AND t.round_trip_ok
      GROUP BY 1, 2 ORDER BY 1, 2`,
    ids,
  );
  if (perPipeline.length > 0) {
    const rows = perPipeline.map((r) => ({
      family: String(r.family),
      pipeline: String(r.pipeline),
      ratio: Number(r.bytes_in) / Math.max(1, Number(r.bytes_out)),
      compressMBps: (Number(r.bytes_in) / Math.max(1, Number(r.enc_ns))) * 1e3,
      entropyEfficiency:
        r.bound_bytes === null ? undefined : Number(r.bound_bytes) / Math.max(1, Number(r.bytes_out)),
      entropy: r.entropy === null ? undefined : Number(r.entropy),
    }));
    const figures = [paretoFigure(rows), portfolioHeatmapFigure(rows, { metric: "ratio" })];
    const withEntropy = rows.filter((r) => r.entropy !== undefined && r.entropyEfficiency !== undefined);
    if (withEntropy.length > 0) {
      figures.push(
        entropyEfficiencyFigure(
          withEntropy.map((r) => ({
            family: r.family,
            pipeline: r.pipeline,
            entropy: r.entropy!,
            entropyEfficiency: r.entropyEfficiency!,
          })),
        ),
      );
    }
    sections.push({
      heading: "Portfolio",
      text: "Totals over every round-tripped trial of the runs.",
      figures,
    });
  }

  const samples = (await Promise.all(ids.map((runId) => store.select("systemMetrics", { runId })))).flatMap(
    (rows) => systemMetricPoints(rows, ids.length > 1 ? `run ${rows[0]?.runId}` : undefined),
  );
  if (samples.length > 0) sections.push({ heading: "System", figures: [systemMetricsFigure(samples)] });

  const summary = await store.metricSummary(ids);
  if (summary.length > 0) {
    sections.push({
      heading: "Metric summary",
      table: {
        columns: ["runId", "key", "context", "n", "lastValue", "lastStep", "bestValue", "bestStep", "goal"],
        rows: summary,
      },
    });
  }

  const first = runs[0];
  return {
    title: `metacomp report: ${label}`,
    subtitle: `store ${store.path} · git ${first.gitCommit?.slice(0, 10) ?? "unknown"}${first.gitDirty ? " (dirty)" : ""} · started ${iso(first.startedAt)}`,
    sections,
  };
}

/** Writes each figure of a report as `<dir>/<section>-<k>.png`, named from its section heading. */
async function writeReportImages(dir: string, report: Report): Promise<void> {
  await mkdir(dir, { recursive: true });
  const renderer = await openFigureRenderer();
  try {
    for (const section of report.sections) {
      const slug = section.heading
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, "");
      for (const [k, figure] of (section.figures ?? []).entries()) {
        await writeFigureImage(join(dir, `${slug}-${k + 1}.png`), figure, { renderer });
      }
    }
  } finally {
    await renderer.close();
  }
}

export default defineCommand({
  meta: { name: "report", description: "write a self-contained HTML report of a run or an experiment" },
  args: {
    target: { type: "positional", description: "run id or experiment name", required: true },
    out: { type: "string", description: "output HTML file", default: "report.html" },
    db: { type: "string", description: "store file", default: DEFAULT_STORE_PATH },
    json: { type: "boolean", description: "print what was written as JSON" },
    png: {
      type: "string",
      description: "also write every figure as a PNG into this folder (needs Chromium)",
    },
  },
  async run({ args }) {
    const target = requireArg(
      args.target,
      "give a run id or an experiment name: metacomp report <run-id | experiment>",
    );
    const out = requireArg(args.out, "give the output file: --out report.html");
    const store = await openStore(args.db, { readOnly: true });
    let report: Report;
    try {
      report = await buildStoreReport(store, target);
    } finally {
      store.close();
    }
    const bytes = await writeHtmlReport(out, report);
    const figures = report.sections.reduce((n, s) => n + (s.figures?.length ?? 0), 0);
    if (args.png) await writeReportImages(args.png, report);
    process.stdout.write(
      args.json
        ? `${JSON.stringify({ out, bytes, sections: report.sections.length, figures })}\n`
        : `wrote ${out} (${(bytes / 1e6).toFixed(1)} MB, ${report.sections.length} sections, ${figures} figures)\n`,
    );
  },
});
