#!/usr/bin/env node
/**
 * The `metacomp` command line. Subcommands are loaded lazily, one file each in `commands/`.
 * Exit codes: 0 success, 1 runtime failure, 2 bad usage or bad input (spec, config, args).
 */
import { type CommandDef, defineCommand, renderUsage, runCommand } from "citty";
import { ErrorCode, isMetacompError } from "../errors.js";

const root = defineCommand({
  meta: { name: "metacomp", description: "meta-learned compression lab" },
  subCommands: {
    compress: () => import("./commands/compress.js").then((m) => m.default),
    decompress: () => import("./commands/decompress.js").then((m) => m.default),
    stages: () => import("./commands/stages.js").then((m) => m.default),
    run: () => import("./commands/run.js").then((m) => m.default),
    merge: () => import("./commands/merge.js").then((m) => m.default),
    "bench-regress": () => import("./commands/bench-regress.js").then((m) => m.default),
    bench: () => import("./commands/bench.js").then((m) => m.default),
    "bench-codecs": () => import("./commands/bench-codecs.js").then((m) => m.default),
    runs: () => import("./commands/runs.js").then((m) => m.default),
    export: () => import("./commands/export.js").then((m) => m.default),
    report: () => import("./commands/report.js").then((m) => m.default),
    datasets: () => import("./commands/datasets.js").then((m) => m.default),
  },
});

const USAGE_CODES: ReadonlySet<string> = new Set([
  ErrorCode.USAGE,
  ErrorCode.INVALID_SPEC,
  ErrorCode.INVALID_CONFIG,
  ErrorCode.UNKNOWN_STAGE,
]);

// biome-ignore lint/suspicious/noExplicitAny: citty's command tree mixes commands with different args.
type AnyCommand = CommandDef<any>;

/** The usage of the deepest (sub)command named by the leading words of `argv`, e.g. `runs show --help`. */
async function usageFor(argv: string[]): Promise<string> {
  let cmd: AnyCommand = root;
  let parent: AnyCommand | undefined;
  for (const word of argv) {
    const subs =
      (typeof cmd.subCommands === "function" ? await cmd.subCommands() : await cmd.subCommands) ?? {};
    const entry = (subs as Record<string, AnyCommand | (() => Promise<AnyCommand>) | undefined>)[word];
    if (entry === undefined) break;
    parent = cmd;
    cmd = typeof entry === "function" ? await entry() : entry;
  }
  return renderUsage(cmd, parent);
}

/** Runs the CLI on `argv` and returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(`${await usageFor(argv)}\n`);
    return 0;
  }
  try {
    await runCommand(root, { rawArgs: argv });
    return 0;
  } catch (e) {
    if (isMetacompError(e)) {
      process.stderr.write(`metacomp: ${e.code}: ${e.message}\n`);
      return USAGE_CODES.has(e.code) ? 2 : 1;
    }
    const citty = (e as { code?: string }).code;
    if (citty === "E_UNKNOWN_COMMAND" || citty === "EARG" || citty === "E_NO_COMMAND") {
      process.stderr.write(`metacomp: ${(e as Error).message}\n\n${await renderUsage(root)}\n`);
      return 2;
    }
    process.stderr.write(`metacomp: unexpected error: ${(e as Error)?.stack ?? String(e)}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
