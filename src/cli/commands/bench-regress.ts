import { defineCommand } from "citty";
import { ErrorCode, err } from "../../errors.js";
import {
  compareWithBaseline,
  formatRegressionTable,
  loadBaseline,
  measureRegressionMetrics,
  writeBaseline,
} from "../../experiment/regress.js";

export default defineCommand({
  meta: {
    name: "bench-regress",
    description: "CI regression gate: run a fixed experiment and compare with a baseline",
  },
  args: {
    baseline: { type: "string", description: "baseline JSON", default: "experiments/baselines/ci.json" },
    spec: {
      type: "string",
      description: "experiment spec (with --update; default: the baseline's)",
      default: "experiments/ci.json",
    },
    update: { type: "boolean", description: "rewrite the baseline from this run, deliberately" },
    json: { type: "boolean", description: "print rows as JSON" },
  },
  async run({ args }) {
    const log = (line: string) => process.stderr.write(`${line}\n`);
    if (args.update) {
      const metrics = await measureRegressionMetrics(args.spec, { log });
      await writeBaseline(args.baseline, args.spec, metrics);
      process.stdout.write(`wrote ${Object.keys(metrics).length} metrics to ${args.baseline}\n`);
      return;
    }
    const baseline = await loadBaseline(args.baseline);
    const current = await measureRegressionMetrics(baseline.spec, {
      log,
      reference: baseline.reference,
      speedPipelines: baseline.speedPipelines,
    });
    const rows = compareWithBaseline(baseline, current);
    process.stdout.write(args.json ? `${JSON.stringify(rows, null, 2)}\n` : formatRegressionTable(rows));
    const bad = rows.filter((r) => !r.ok);
    if (bad.length > 0) {
      throw err(
        ErrorCode.REGRESSION,
        `${bad.length} metric(s) regressed: ${bad.map((r) => r.key).join(", ")}`,
      );
    }
    process.stdout.write(`bench-regress: ${rows.length} metrics within tolerance\n`);
  },
});
