import { mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { defineCommand } from "citty";
import { parseShard, runExperiment } from "../../experiment/run.js";
import { loadExperimentSpec } from "../../experiment/spec.js";
import type { ExperimentSummary } from "../../experiment/summary.js";
import { writeHtmlReport } from "../../plot/render/html.js";
import { DEFAULT_STORE_PATH, openStore } from "../../store/store.js";
import { createProgress, type Progress } from "../progress.js";
import { buildStoreReport } from "./report.js";

function fmtCI(x: { mean: number; lo: number; hi: number }): string {
  return `${x.mean.toFixed(4)} [${x.lo.toFixed(4)}, ${x.hi.toFixed(4)}]`;
}

/** The human summary printed on stdout after a run. */
export function formatSummary(s: ExperimentSummary): string {
  const lines = [
    `experiment ${s.experiment}, run(s) ${s.runIds.join(", ")}, seeds ${s.seeds.join(", ")}`,
    `final gap closed (online, held-out blocks)  ${fmtCI(s.finalGapClosed)}`,
    `improvement rate [${s.improvementRate.window.name}] per 1000 rounds  ${fmtCI(s.improvementRate)}`,
  ];
  if (s.meta) {
    lines.push(`meta-improvement rate (area per task)   ${fmtCI(s.meta.rate)}`);
    lines.push(`  ablation without the meta level        ${fmtCI(s.meta.ablationRate)}`);
  }
  if (s.evolution) {
    lines.push(`self-tuning rate (area per generation)  ${fmtCI(s.evolution.rate)}`);
    lines.push(`  ablation: fresh random populations     ${fmtCI(s.evolution.ablationRate)}`);
  }
  lines.push("gap closed on held-out blocks (selector: gap, overhead):");
  for (const [name, v] of Object.entries(s.selectors)) {
    if (v.gapClosed === undefined) continue;
    lines.push(
      `  ${name.padEnd(28)} ${v.gapClosed.toFixed(3)}  ${v.overhead === undefined ? "" : `${(100 * v.overhead).toFixed(2)}%`}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

export default defineCommand({
  meta: {
    name: "run",
    description: "run an experiment spec end to end: datasets → bench → learner → meta → store",
  },
  args: {
    spec: { type: "positional", description: "experiment spec JSON (see experiments/)", required: true },
    db: { type: "string", description: "DuckDB store file", default: DEFAULT_STORE_PATH },
    shard: { type: "string", description: "run only shard i/n of the seeds (0-based), e.g. 0/2" },
    resume: { type: "string", description: "continue an interrupted run by id" },
    json: { type: "boolean", description: "print the summary as JSON on stdout" },
    report: {
      type: "string",
      description:
        "where to write the HTML report (default experiments/out/<name>-run<id>.html; 'none' to skip)",
    },
  },
  async run({ args }) {
    const spec = await loadExperimentSpec(args.spec);
    await mkdir(dirname(resolve(args.db)), { recursive: true });
    const store = await openStore(args.db);
    const bars = new Map<string, Progress>();
    try {
      const summary = await runExperiment(spec, {
        store,
        shard: args.shard ? parseShard(args.shard) : undefined,
        resumeRunId: args.resume ? Number(args.resume) : undefined,
        log: (line) => process.stderr.write(`${line}\n`),
        onProgress: (phase, done, total) => {
          let bar = bars.get(phase);
          if (!bar) {
            bar = createProgress(phase);
            bars.set(phase, bar);
          }
          if (done >= total) {
            bar.done();
            bars.delete(phase);
          } else bar.update(done, total);
        },
      });
      let reportPath: string | undefined;
      if (args.report !== "none") {
        reportPath = args.report ?? `experiments/out/${spec.name}-run${summary.runIds[0]}.html`;
        await writeHtmlReport(reportPath, await buildStoreReport(store, String(summary.runIds[0])));
      }
      process.stdout.write(
        args.json
          ? `${JSON.stringify({ ...summary, curves: undefined, reportPath }, null, 2)}\n`
          : `${formatSummary(summary)}${reportPath ? `report: ${resolve(reportPath)}\n` : ""}`,
      );
    } finally {
      store.close();
    }
  },
});
