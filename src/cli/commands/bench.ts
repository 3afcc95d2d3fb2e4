import { stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { defineCommand } from "citty";
import { parseObjective } from "../../bench/objectives.js";
import { namedPortfolio, type Portfolio, parsePortfolio } from "../../bench/portfolio.js";
import { formatObjectiveReport } from "../../bench/report.js";
import { type BenchResult, runBench } from "../../bench/run.js";
import type { Trial } from "../../bench/types.js";
import { canonicalJson } from "../../canonical-json.js";
import type { Block } from "../../datasets/block.js";
import { parseDataConfig } from "../../datasets/config.js";
import { loadFiles } from "../../datasets/files.js";
import { generate } from "../../datasets/generate.js";
import { load, MANIFEST_FILE, readManifest } from "../../datasets/materialize.js";
import { ErrorCode, err } from "../../errors.js";
import {
  checkSampleBytes,
  FEATURE_NAMES,
  FEATURE_SAMPLE_BYTES,
  featureSetId,
  MAX_FEATURE_SAMPLE_BYTES,
} from "../../features/extract.js";
import { parseSpec } from "../../pipeline/spec.js";
import { DEFAULT_STORE_PATH, openStore } from "../../store/store.js";
import { numberArg, readBytes } from "../io.js";
import { createProgress } from "../progress.js";

/** A block with its labels, whichever way it was obtained. */
interface LoadedBlock {
  datasetId: string;
  family: string;
  task: string;
  index: number;
  bytes: Uint8Array;
  entropy: number | null;
}

interface LoadedDataset {
  id: string;
  family: string;
  configJson: string;
  seed: number | null;
  entropyRate: number | null;
  entropyExact: boolean;
  blockSize: number;
}

type Loaded = { blocks: LoadedBlock[]; datasets: LoadedDataset[] };

/** Collects a block stream; one dataset row per dataset id, from `describe` (given its first block). */
async function collect(
  stream: AsyncIterable<Block>,
  describe: (first: Block) => Omit<LoadedDataset, "id">,
  into: Loaded,
): Promise<void> {
  const seen = new Set(into.datasets.map((d) => d.id));
  for await (const b of stream) {
    into.blocks.push({
      datasetId: b.datasetId,
      family: b.family,
      task: b.task,
      index: b.index,
      bytes: b.bytes,
      entropy: b.entropyBitsPerByte ?? null,
    });
    if (!seen.has(b.datasetId)) {
      seen.add(b.datasetId);
      into.datasets.push({ id: b.datasetId, ...describe(b) });
    }
  }
}

/** Reads a spec file: one dataset config, an array of them, or `{ datasets: [...] }`; generates the blocks. */
async function fromSpec(path: string, into: Loaded): Promise<void> {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(await readBytes(path)));
  } catch (e) {
    throw err(
      ErrorCode.INVALID_CONFIG,
      `"${path}" is not valid JSON (${(e as Error).message}); give a dataset spec`,
      e,
    );
  }
  const list = Array.isArray(json) ? json : ((json as { datasets?: unknown[] }).datasets ?? [json]);
  for (const raw of list) {
    const config = parseDataConfig(raw);
    await collect(
      generate(config),
      (first) => ({
        family: config.family,
        configJson: canonicalJson(config),
        seed: config.seed,
        entropyRate: first.entropyBitsPerByte ?? null,
        entropyExact: first.entropyIsExact,
        blockSize: config.blockBytes,
      }),
      into,
    );
  }
}

/** Loads the input: a materialized dataset folder (with a manifest), a spec (.json), or files (folder, glob). */
async function loadInput(input: string, blockSize: number): Promise<Loaded> {
  const loaded: Loaded = { blocks: [], datasets: [] };
  const info = await stat(input).catch(() => undefined);
  if (info?.isDirectory() && (await stat(join(input, MANIFEST_FILE)).catch(() => undefined))) {
    const manifest = await readManifest(input);
    await collect(
      load(input),
      () => ({
        family: manifest.config.family,
        configJson: canonicalJson(manifest.config),
        seed: manifest.config.seed,
        entropyRate: manifest.entropy.bitsPerByte,
        entropyExact: manifest.entropy.exact,
        blockSize: manifest.blockBytes,
      }),
      loaded,
    );
  } else if (info?.isFile() && input.endsWith(".json")) {
    await fromSpec(input, loaded);
  } else {
    await collect(
      loadFiles(input, { blockSize }),
      () => ({
        family: "files",
        configJson: canonicalJson({ path: input, blockSize }),
        seed: null,
        entropyRate: null,
        entropyExact: false,
        blockSize,
      }),
      loaded,
    );
  }
  if (loaded.blocks.length === 0) throw err(ErrorCode.IO, `"${input}" holds no data to bench`);
  return loaded;
}

async function loadPortfolio(arg: string): Promise<Portfolio> {
  if (arg === "default" || arg === "quick") return namedPortfolio(arg);
  const json = JSON.parse(new TextDecoder().decode(await readBytes(arg)));
  return parsePortfolio(Array.isArray(json) ? { name: basename(arg), pipelines: json } : json);
}

function intArg(value: string | undefined, name: string, min: number): number | undefined {
  return value === undefined ? undefined : numberArg(value, name, { integer: true, min });
}

/** A bench run being recorded: blocks, pipelines and features up front, trials streamed per block. */
interface Recording {
  readonly runId: number;
  appendTrials(batch: readonly Trial[]): Promise<void>;
  finish(result: BenchResult): Promise<void>;
  fail(error: unknown): Promise<void>;
  close(): void;
}

async function startRecording(
  dbPath: string,
  loaded: { blocks: LoadedBlock[]; datasets: LoadedDataset[] },
  pipelines: readonly string[],
  config: Record<string, unknown> & { featureSet: string },
  seed: number,
): Promise<Recording> {
  const store = await openStore(dbPath);
  try {
    const run = await store.startRun({ experiment: "bench", seed, config });
    await run.logParams(config);
    for (const d of loaded.datasets) await store.addDataset({ ...d, createdAt: new Date() });
    const known = new Set(
      (await store.query("SELECT dataset_id, block_index FROM blocks")).map(
        (r) => `${r.dataset_id}#${r.block_index}`,
      ),
    );
    await store.appendBlocks(
      loaded.blocks
        .filter((b) => !known.has(`${b.datasetId}#${b.index}`))
        .map((b) => ({
          datasetId: b.datasetId,
          blockIndex: b.index,
          family: b.family,
          task: b.task,
          length: b.bytes.length,
          entropy: b.entropy,
        })),
    );
    await store.addPipelines(
      pipelines.map((spec) => {
        const p = parseSpec(spec);
        const codec = p.stages[p.stages.length - 1];
        return {
          spec,
          codec: codec.stage.id,
          paramsJson: canonicalJson(p.stages.map((st) => ({ id: st.stage.id, ...st.params }))),
          version: codec.version,
        };
      }),
    );
    return {
      runId: run.id,
      async appendTrials(batch) {
        await run.appendTrials(
          batch.map((t) => ({
            datasetId: loaded.blocks[t.blockIndex].datasetId,
            blockIndex: loaded.blocks[t.blockIndex].index,
            pipeline: t.pipeline,
            bytesOut: t.bytesOut,
            encNs: Math.round(t.encNs),
            decNs: Math.round(t.decNs),
            roundTripOk: t.roundTripOk,
          })),
        );
      },
      async finish(result) {
        const knownFeatures = new Set(
          (
            await store.query("SELECT dataset_id, block_index FROM features WHERE feature_set = $1", [
              config.featureSet,
            ])
          ).map((r) => `${r.dataset_id}#${r.block_index}`),
        );
        await store.appendFeatures(
          loaded.blocks.flatMap((b, i) =>
            knownFeatures.has(`${b.datasetId}#${b.index}`)
              ? []
              : [
                  {
                    featureSet: config.featureSet,
                    datasetId: b.datasetId,
                    blockIndex: b.index,
                    vector: Array.from(result.features[i]),
                  },
                ],
          ),
        );
        await store.setMetricGoal("gapClosed", "max");
        for (const r of result.results) {
          for (const g of [r.report.overall, ...r.report.groups]) {
            await run.logMetric("sbsCost", g.sbsCost, 0, `${r.objective}/${g.group}`);
            await run.logMetric("vbsCost", g.vbsCost, 0, `${r.objective}/${g.group}`);
            for (const [name, sel] of Object.entries(g.selectors)) {
              if (sel.gapClosed !== undefined && Number.isFinite(sel.gapClosed)) {
                await run.logMetric("gapClosed", sel.gapClosed, 0, `${r.objective}/${g.group}/${name}`);
              }
            }
          }
          for (const [name, o] of Object.entries(r.overhead)) {
            await run.logMetric("selectionOverhead", o.overall, 0, `${r.objective}/${name}`);
          }
        }
        await run.finish();
      },
      fail: (error) => run.fail(error),
      close: () => store.close(),
    };
  } catch (e) {
    store.close();
    throw e;
  }
}

export default defineCommand({
  meta: {
    name: "bench",
    description:
      "evaluate a portfolio on a dataset; SBS, VBS and each baseline's gap closed and overhead per family",
  },
  args: {
    input: {
      type: "positional",
      description: "a dataset spec (.json) or a folder of data files",
      required: true,
    },
    portfolio: {
      type: "string",
      description: "default, quick, or a portfolio JSON file",
      default: "default",
    },
    objective: {
      type: "string",
      description: "comma-separated: size, transfer:<MBps>, weighted:<alpha>:<beta>",
      default: "size",
    },
    workers: { type: "string", description: "worker threads (1 = in-process; default: all cores)" },
    repeats: { type: "string", description: "timed runs per trial (median)", default: "3" },
    group: { type: "string", description: "report and hold out by family or task", default: "family" },
    split: {
      type: "string",
      description: "block (seeded random) or family (whole families held out)",
      default: "block",
    },
    "held-out": { type: "string", description: "comma-separated families to hold out with --split family" },
    "test-fraction": { type: "string", description: "held-out share with --split block", default: "0.3" },
    seed: { type: "string", description: "seed of the split and the random baseline", default: "0" },
    block: { type: "string", description: "block size for a folder input, bytes", default: "65536" },
    "feature-bytes": {
      type: "string",
      description: `bytes of each block's feature sample, a multiple of 40 up to ${MAX_FEATURE_SAMPLE_BYTES}`,
      default: String(FEATURE_SAMPLE_BYTES),
    },
    db: {
      type: "string",
      description: `store file (default ${DEFAULT_STORE_PATH})`,
      default: DEFAULT_STORE_PATH,
    },
    record: {
      type: "boolean",
      description: "record the run in the store (--no-record to skip)",
      default: true,
    },
    json: { type: "boolean", description: "print the result as JSON" },
  },
  async run({ args }) {
    const seed = intArg(args.seed, "seed", 0) ?? 0;
    const repeats = intArg(args.repeats, "repeats", 1);
    const testFraction = numberArg(args["test-fraction"], "test-fraction", { min: 0, max: 1 });
    const featureBytes = intArg(args["feature-bytes"], "feature-bytes", 1) ?? FEATURE_SAMPLE_BYTES;
    checkSampleBytes(featureBytes);
    const objectives = args.objective.split(",").map((s) => parseObjective(s.trim()));
    const portfolio = await loadPortfolio(args.portfolio);
    const loaded = await loadInput(args.input, intArg(args.block, "block", 1) ?? 65536);
    if (args.group !== "family" && args.group !== "task") {
      throw err(ErrorCode.USAGE, `--group ${args.group} is not known; use family or task`);
    }
    const groupOf = (b: LoadedBlock): string => (args.group === "task" ? b.task : b.family);
    if (args.split !== "block" && args.split !== "family") {
      throw err(ErrorCode.USAGE, `--split ${args.split} is not known; use block or family`);
    }
    const config = {
      input: args.input,
      portfolio: portfolio.name,
      pipelines: portfolio.pipelines,
      objectives: args.objective,
      split: args.split,
      group: args.group,
      heldOut: args["held-out"] ?? null,
      testFraction,
      repeats,
      featureSet: featureSetId(featureBytes),
      featureNames: FEATURE_NAMES,
    };
    const recording = args.record
      ? await startRecording(args.db, loaded, portfolio.pipelines, config, seed)
      : undefined;
    const progress = createProgress("bench");
    let result: BenchResult;
    try {
      result = await runBench(
        portfolio,
        loaded.blocks.map((b) => b.bytes),
        loaded.blocks.map(groupOf),
        {
          objectives,
          workers: intArg(args.workers, "workers", 1),
          repeats,
          split: args.split === "family" ? "group" : "block",
          heldOut: args["held-out"]?.split(",").map((x) => x.trim()),
          testFraction,
          seed,
          featureBytes,
          onProgress: (done, total) => progress.update(done, total, "blocks"),
          onTrials: recording ? (batch) => recording.appendTrials(batch) : undefined,
        },
      );
      progress.done(`${result.evaluation.trials.length} trials`);
      await recording?.finish(result);
    } catch (e) {
      await recording?.fail(e);
      throw e;
    } finally {
      recording?.close();
    }
    const runId = recording?.runId;
    const failed = result.evaluation.trials.filter((t) => !t.roundTripOk);
    if (args.json) {
      process.stdout.write(
        `${JSON.stringify(
          {
            runId: runId ?? null,
            blocks: loaded.blocks.length,
            pipelines: result.evaluation.pipelines,
            failedTrials: failed,
            split: result.split,
            results: result.results.map((r) => ({
              objective: r.objective,
              report: r.report,
              overhead: r.overhead,
            })),
          },
          null,
          2,
        )}\n`,
      );
      return;
    }
    const families = [...new Set(loaded.blocks.map(groupOf))];
    process.stdout.write(
      `${loaded.blocks.length} blocks (${families.join(", ")}) × ${portfolio.pipelines.length} pipelines ` +
        `(${portfolio.name}), ${result.evaluation.workers} worker(s), ${(result.evaluation.wallNs / 1e9).toFixed(1)} s; ` +
        `${failed.length} failed trial(s)\n\n`,
    );
    for (const r of result.results)
      process.stdout.write(`${formatObjectiveReport(r, result.split.train.length, args.group)}\n`);
    process.stdout.write(
      runId === undefined ? "not recorded (--no-record)\n" : `recorded as run ${runId} in ${args.db}\n`,
    );
  },
});
