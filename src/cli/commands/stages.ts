import { defineCommand } from "citty";
import { defaultRegistry } from "../../pipeline/registry.js";

export default defineCommand({
  meta: { name: "stages", description: "list the registered codecs and transforms with their params" },
  args: { json: { type: "boolean", description: "print as JSON" } },
  run({ args }) {
    const rows = defaultRegistry.list().map((s) => ({
      id: s.id,
      kind: s.kind,
      version: s.version,
      params: s.positional.join(":"),
      summary: s.summary,
    }));
    if (args.json) {
      process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      return;
    }
    for (const r of rows) {
      const usage = r.params ? `${r.id}:${r.params}` : r.id;
      process.stdout.write(`${r.kind.padEnd(9)} ${usage.padEnd(24)} ${r.summary}\n`);
    }
  },
});
