import { defineCommand } from "citty";
import { ErrorCode, err } from "../../errors.js";
import type { RunRow } from "../../schema/rows.js";
import { DEFAULT_STORE_PATH, type MetricSummaryRow, openStore, type Store } from "../../store/store.js";

const dbArg = {
  db: { type: "string", description: "store file", default: DEFAULT_STORE_PATH },
  json: { type: "boolean", description: "print JSON" },
} as const;

/** Opens the store read-only, runs `fn`, and always closes it. */
async function withStore<T>(path: string, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(path, { readOnly: true });
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

function parseIds(raw: readonly (string | number)[]): number[] {
  const ids = raw.map((x) => Number(x));
  const bad = raw.filter((_, i) => !Number.isInteger(ids[i]) || ids[i]! < 1);
  if (ids.length === 0 || bad.length > 0) {
    throw err(
      ErrorCode.USAGE,
      `give run ids as positive integers${bad.length ? ` (got ${bad.join(", ")})` : ""}`,
    );
  }
  return ids;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

const iso = (d: Date | null) => (d ? d.toISOString().replace("T", " ").slice(0, 19) : "-");
const secs = (r: RunRow) =>
  r.endedAt ? `${((r.endedAt.getTime() - r.startedAt.getTime()) / 1000).toFixed(1)}s` : "-";
const num = (x: number) => String(Number(x.toPrecision(6)));
const print = (text: string) => process.stdout.write(`${text}\n`);
const printJson = (value: unknown) => print(JSON.stringify(value, null, 2));

function metricTable(metrics: MetricSummaryRow[]): string {
  return table(
    ["run", "metric", "context", "n", "last (step)", "best (step)", "min", "max", "goal"],
    metrics.map((m) => [
      String(m.runId),
      m.key,
      m.context ?? "-",
      String(m.n),
      `${num(m.lastValue)} (${m.lastStep})`,
      `${num(m.bestValue)} (${m.bestStep})`,
      num(m.minValue),
      num(m.maxValue),
      m.goal,
    ]),
  );
}

const list = defineCommand({
  meta: { name: "list", description: "list runs, newest first" },
  args: {
    ...dbArg,
    experiment: { type: "string", description: "only runs of this experiment" },
    status: {
      type: "string",
      description: "only runs with this status (running, completed, failed, interrupted)",
    },
  },
  async run({ args }) {
    await withStore(args.db, async (store) => {
      const experiments = new Map((await store.select("experiments")).map((e) => [e.id, e.name]));
      let runs = (await store.select("runs")).reverse();
      if (args.experiment) runs = runs.filter((r) => experiments.get(r.experimentId) === args.experiment);
      if (args.status) runs = runs.filter((r) => r.status === args.status);
      if (args.json)
        return printJson(runs.map((r) => ({ ...r, experiment: experiments.get(r.experimentId) })));
      print(
        table(
          ["id", "experiment", "name", "status", "seed", "started", "took", "commit"],
          runs.map((r) => [
            String(r.id),
            experiments.get(r.experimentId) ?? "?",
            r.name ?? "-",
            r.status,
            String(r.seed),
            iso(r.startedAt),
            secs(r),
            r.gitCommit ? `${r.gitCommit.slice(0, 8)}${r.gitDirty ? "+" : ""}` : "-",
          ]),
        ),
      );
    });
  },
});

const show = defineCommand({
  meta: { name: "show", description: "one run: capture, params, tags, metrics, artifacts" },
  args: { ...dbArg, id: { type: "positional", description: "run id", required: true } },
  async run({ args }) {
    const [id] = parseIds([args.id]);
    await withStore(args.db, async (store) => {
      const run = await store.getRun(id!);
      const params = await store.select("params", { runId: id });
      const tags = await store.select("tags", { runId: id });
      const metrics = await store.metricSummary([id!]);
      const artifacts = await store.select("artifacts", { runId: id });
      const checkpoints = (await store.select("learnerCheckpoints", { runId: id })).map((c) => ({
        step: c.step,
        bytes: c.model.byteLength,
        metrics: JSON.parse(c.metricsJson),
      }));
      if (args.json) return printJson({ run, params, tags, metrics, artifacts, checkpoints });
      const fields: [string, string][] = [
        ["id", String(run.id)],
        ["status", run.status],
        ["name", run.name ?? "-"],
        ["seed", String(run.seed)],
        ["started", iso(run.startedAt)],
        ["ended", iso(run.endedAt)],
        ["heartbeat", iso(run.heartbeatAt)],
        ["git", `${run.gitCommit ?? "-"} ${run.gitBranch ?? ""}${run.gitDirty ? " (dirty)" : ""}`],
        ["machine", `${run.nodeVersion} ${run.platform} ${run.cpuModel}`],
        ["tfjs backend", run.tfjsBackend ?? "-"],
        ["config hash", run.configHash],
        ["config", run.configJson],
      ];
      if (run.error) fields.push(["error", run.error]);
      print(fields.map(([k, v]) => `${k.padEnd(13)}${v}`).join("\n"));
      if (params.length)
        print(
          `\nparams\n${table(
            ["key", "value"],
            params.map((p) => [p.key, p.value]),
          )}`,
        );
      if (tags.length)
        print(
          `\ntags\n${table(
            ["key", "value"],
            tags.map((t) => [t.key, t.value]),
          )}`,
        );
      if (metrics.length) print(`\nmetrics\n${metricTable(metrics)}`);
      if (artifacts.length) {
        print(
          `\nartifacts\n${table(
            ["path", "kind", "bytes"],
            artifacts.map((a) => [a.path, a.kind, String(a.bytes)]),
          )}`,
        );
      }
      if (checkpoints.length)
        print(`\ncheckpoints: ${checkpoints.map((c) => `step ${c.step} (${c.bytes} B)`).join(", ")}`);
    });
  },
});

const compare = defineCommand({
  meta: { name: "compare", description: "params that differ and last/best metrics of two or more runs" },
  args: { ...dbArg, ids: { type: "positional", description: "run ids", required: true } },
  async run({ args }) {
    const ids = parseIds(args._);
    await withStore(args.db, async (store) => {
      const cmp = await store.compareRuns(ids);
      if (args.json) return printJson(cmp);
      const show = (v: unknown) => (v === null ? "-" : JSON.stringify(v));
      print(`runs: ${cmp.runs.map((r) => `${r.id} (${r.status}, seed ${r.seed})`).join(", ")}`);
      print(
        cmp.paramDiffs.length
          ? `\nparams that differ\n${table(
              ["key", ...ids.map((i) => `run ${i}`)],
              cmp.paramDiffs.map((d) => [d.key, ...ids.map((i) => show(d.values[i] ?? null))]),
            )}`
          : "\nno params differ",
      );
      if (cmp.metrics.length) print(`\nmetrics\n${metricTable(cmp.metrics)}`);
    });
  },
});

export default defineCommand({
  meta: { name: "runs", description: "list, show and compare runs in the experiment store" },
  subCommands: { list, show, compare },
});
