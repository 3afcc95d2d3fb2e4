/**
 * `npm run bench:datasets`: streams synthetic data through `generate()` and reports throughput and peak memory.
 *
 * Each family runs in its own child process so that its peak RSS is its own. Throughput is in MB/s (10^6 bytes
 * per second), per second of CPU time, and as a ratio to the `random` family (raw xoshiro128** bytes) measured in
 * the same run, since this machine is shared and wall-clock speeds are noisy. Targets: peak RSS < 200 MB, >= 100 MB/s for iid and markov.
 *
 *   npm run bench:datasets                     # 1 GiB each of iid zipf and markov order 2, plus the reference
 *   npm run bench:datasets -- --gib 0.25 --json
 *   npm run bench:datasets -- --families iid,markov,text
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { SyntheticDataConfigInput } from "./config.js";
import { generate } from "./generate.js";

const CONFIGS: Record<string, Omit<SyntheticDataConfigInput, "totalBytes">> = {
  random: { family: "random", seed: 1 },
  iid: { family: "iid", alphabet: 256, distribution: { kind: "zipf", s: 1.0 }, seed: 1 },
  markov: { family: "markov", order: 2, alphabet: 16, concentration: 0.5, seed: 1 },
  "markov-1x256": { family: "markov", order: 1, alphabet: 256, concentration: 0.5, seed: 1 },
  text: { family: "text", seed: 1 },
  "json-logs": { family: "json-logs", seed: 1 },
  csv: { family: "csv", seed: 1 },
  timeseries: { family: "timeseries", seed: 1 },
  image: { family: "image", seed: 1 },
  sparse: { family: "sparse", seed: 1 },
  repetitive: { family: "repetitive", seed: 1 },
} as Record<string, Omit<SyntheticDataConfigInput, "totalBytes">>;

/** One family's measurement. */
interface Row {
  family: string;
  config: string;
  bytes: number;
  seconds: number;
  mbPerSecond: number;
  /** Throughput per second of CPU time used (user + system): less sensitive to other processes on the machine. */
  mbPerCpuSecond: number;
  vsRandom: number;
  startRssMB: number;
  peakRssMB: number;
  checksum: number;
}

async function measure(family: string, bytes: number): Promise<Omit<Row, "vsRandom">> {
  const config = { ...CONFIGS[family], totalBytes: bytes } as SyntheticDataConfigInput;
  const startRss = process.memoryUsage.rss();
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let done = 0;
  let checksum = 0;
  for await (const block of generate(config)) {
    done += block.bytes.length;
    checksum = (checksum + block.bytes[block.bytes.length >> 1]) | 0; // touch the data
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return {
    family,
    config: JSON.stringify(CONFIGS[family]),
    bytes: done,
    seconds,
    mbPerSecond: done / 1e6 / seconds,
    mbPerCpuSecond: done / 1e6 / cpuSeconds,
    startRssMB: startRss / 1e6,
    peakRssMB: (process.resourceUsage().maxRSS * 1024) / 1e6,
    checksum,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      gib: { type: "string", default: "1" },
      families: { type: "string", default: "iid,markov" },
      json: { type: "boolean", default: false },
      child: { type: "string" },
      bytes: { type: "string" },
    },
  });
  if (values.child) {
    process.stdout.write(JSON.stringify(await measure(values.child, Number(values.bytes))));
    return;
  }
  const bytes = Math.round(Number(values.gib) * 2 ** 30);
  if (!(bytes > 0)) throw new Error(`--gib ${values.gib} must be a positive number`);
  const families = ["random", ...values.families.split(",").filter((f) => f !== "random")];
  for (const f of families)
    if (!CONFIGS[f]) throw new Error(`unknown family "${f}"; one of ${Object.keys(CONFIGS)}`);
  const rows: Row[] = [];
  for (const family of families) {
    process.stderr.write(`bench:datasets: ${family} (${values.gib} GiB)…\n`);
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), "--child", family, "--bytes", String(bytes)],
      { encoding: "utf8", maxBuffer: 1 << 20 },
    );
    if (child.status !== 0) throw new Error(`child for ${family} failed: ${child.stderr}`);
    const row = JSON.parse(child.stdout) as Omit<Row, "vsRandom">;
    rows.push({ ...row, vsRandom: row.mbPerSecond / (rows[0]?.mbPerSecond ?? row.mbPerSecond) });
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ gib: Number(values.gib), rows }, null, 2)}\n`);
    return;
  }
  const header = `${"family".padEnd(14)} ${"GiB".padStart(6)} ${"seconds".padStart(8)} ${"MB/s".padStart(8)} ${"MB/cpu-s".padStart(9)} ${"vs random".padStart(10)} ${"peak RSS MB".padStart(12)}  targets (>= 100 MB/s, < 200 MB)`;
  const lines = rows.map((r) => {
    const speedOk = r.mbPerSecond >= 100 ? "speed ok" : "SLOW";
    const memOk = r.peakRssMB < 200 ? "memory ok" : "MEMORY HIGH";
    return `${r.family.padEnd(14)} ${(r.bytes / 2 ** 30).toFixed(2).padStart(6)} ${r.seconds.toFixed(2).padStart(8)} ${r.mbPerSecond.toFixed(1).padStart(8)} ${r.mbPerCpuSecond.toFixed(1).padStart(9)} ${r.vsRandom.toFixed(3).padStart(10)} ${r.peakRssMB.toFixed(1).padStart(12)}  ${r.family === "random" ? "(reference)" : `${speedOk}, ${memOk}`}`;
  });
  process.stdout.write(`${[header, ...lines].join("\n")}\n`);
}

main().catch((e) => {
  process.stderr.write(`bench:datasets: ${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});
