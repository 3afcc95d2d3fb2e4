import { mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { defineCommand } from "citty";
import { mergeShards } from "../../experiment/merge.js";
import { DEFAULT_STORE_PATH, openStore } from "../../store/store.js";
import { formatSummary } from "./run.js";

export default defineCommand({
  meta: {
    name: "merge",
    description: "merge shard stores (from run --shard i/n) into one run and summarize it",
  },
  args: {
    into: { type: "string", description: "target DuckDB store", default: DEFAULT_STORE_PATH },
    json: { type: "boolean", description: "print the merged summary as JSON" },
  },
  async run({ args }) {
    const shards = args._.filter((a) => a !== "merge");
    await mkdir(dirname(resolve(args.into)), { recursive: true });
    const store = await openStore(args.into);
    try {
      const { runId, summary } = await mergeShards(store, shards);
      process.stderr.write(`merged ${shards.length} shard(s) into run ${runId} of ${args.into}\n`);
      process.stdout.write(
        args.json
          ? `${JSON.stringify({ ...summary, curves: undefined }, null, 2)}\n`
          : formatSummary(summary),
      );
    } finally {
      store.close();
    }
  },
});
