/**
 * `metacomp report <run-id | experiment> --out report.html`: a self-contained HTML report of one run or of
 * every run of an experiment, read from the store (read-only) and drawn with the plot builders.
 */
import { defineCommand } from "citty";
import { ErrorCode, err } from "../../errors.js";
import type { PlotlyFigure } from "../../plot/figure.js";
import { entropyEfficiencyFigure } from "../../plot/figures/entropy-efficiency.js";
import { gapClosedFigure } from "../../plot/figures/gap-closed.js";
import { learningCurveFigure } from "../../plot/figures/learning-curve.js";
import { metricCurveFigure } from "../../plot/figures/metric-curve.js";
import { paretoFigure } from "../../plot/figures/pareto.js";
import { portfolioHeatmapFigure } from "../../plot/figures/portfolio.js";
import { systemMetricPoints, systemMetricsFigure } from "../../plot/figures/system-metrics.js";
import { type Report, type ReportSection, writeHtmlReport } from "../../plot/render/html.js";
import type { RunRow } from "../../schema/rows.js";
import { DEFAULT_STORE_PATH, openStore, type Store } from "../../store/store.js";
import { requireArg } from "../io.js";

const GAP_KEYS = new Set(["gap_closed", "gapClosed"]);
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
  const curveFigures: PlotlyFigure[] = [];
  const byKey = new Map<string, typeof metrics>();
  for (const m of metrics) byKey.set(m.key, [...(byKey.get(m.key) ?? []), m]);
  for (const [key, ms] of byKey) {
    if (new Set(ms.map((m) => m.step)).size < 2) continue;
    const seed = (m: (typeof ms)[number]) => seedOf.get(m.runId) ?? m.runId;
    curveFigures.push(
      GAP_KEYS.has(key)
        ? learningCurveFigure(
            ms.map((m) => ({
              round: m.step,
              gapClosed: m.value,
              seed: seed(m),
              series: m.context ?? "learner",
            })),
          )
        : metricCurveFigure(
            ms.map((m) => ({ step: m.step, value: m.value, seed: seed(m), series: m.context ?? key })),
            { valueLabel: `${key} (as logged)`, stepLabel: "step (rounds)" },
          ),
    );
  }
  if (curveFigures.length > 0) {
    sections.push({
      heading: "Learning curves",
      text: "Logged metrics against step; bands are 95% t-intervals across the seeds of the runs.",
      figures: curveFigures,
    });
  }

  // bench results: gapClosed logged once per objective/group/selector (context "objective/group/selector")
  const gapRows = metrics
    .filter((m) => GAP_KEYS.has(m.key) && (m.context?.split("/").length ?? 0) === 3)
    .map((m) => {
      const [objective, family, selector] = m.context!.split("/");
      return { objective, family, selector, gapClosed: m.value, seed: seedOf.get(m.runId) };
    });
  const objectives = [...new Set(gapRows.map((r) => r.objective))];
  if (objectives.length > 0) {
    sections.push({
      heading: "Gap closed against baselines",
      text: "Held-out gap closed per group: 1 = oracle (VBS), 0 = single best solver (SBS).",
      figures: objectives.map((o) =>
        gapClosedFigure(
          gapRows.filter((r) => r.objective === o),
          { title: `Gap closed per group vs baselines (objective ${o})` },
        ),
      ),
    });
  }

  const placeholders = ids.map((_, i) => `$${i + 1}`).join(", ");
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

  const samples = (await Promise.all(ids.map((runId) => store.select("systemMetrics", { runId })))).flatMap(
    (rows) => systemMetricPoints(rows, ids.length > 1 ? `run ${rows[0]?.runId}` : undefined),
  );
  if (samples.length > 0) sections.push({ heading: "System", figures: [systemMetricsFigure(samples)] });

  const first = runs[0];
  return {
    title: `metacomp report: ${label}`,
    subtitle: `store ${store.path} · git ${first.gitCommit?.slice(0, 10) ?? "unknown"}${first.gitDirty ? " (dirty)" : ""} · started ${iso(first.startedAt)}`,
    sections,
  };
}

export default defineCommand({
  meta: { name: "report", description: "write a self-contained HTML report of a run or an experiment" },
  args: {
    target: { type: "positional", description: "run id or experiment name", required: true },
    out: { type: "string", description: "output HTML file", default: "report.html" },
    db: { type: "string", description: "store file", default: DEFAULT_STORE_PATH },
    json: { type: "boolean", description: "print what was written as JSON" },
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
    process.stdout.write(
      args.json
        ? `${JSON.stringify({ out, bytes, sections: report.sections.length, figures })}\n`
        : `wrote ${out} (${(bytes / 1e6).toFixed(1)} MB, ${report.sections.length} sections, ${figures} figures)\n`,
    );
  },
});
