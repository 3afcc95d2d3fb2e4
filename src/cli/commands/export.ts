import { defineCommand } from "citty";
import { DEFAULT_STORE_PATH, openStore } from "../../store/store.js";
import { requireArg } from "../io.js";

export default defineCommand({
  meta: { name: "export", description: "export every store table to Parquet files (<dir>/<table>.parquet)" },
  args: {
    parquet: { type: "string", description: "output folder for the Parquet files", required: true },
    db: { type: "string", description: "store file", default: DEFAULT_STORE_PATH },
    json: { type: "boolean", description: "print the written files as JSON" },
  },
  async run({ args }) {
    const dir = requireArg(args.parquet, "give the output folder: metacomp export --parquet <dir>");
    const store = await openStore(args.db, { readOnly: true });
    try {
      const files = await store.exportParquet(dir);
      process.stdout.write(args.json ? `${JSON.stringify(files, null, 2)}\n` : `${files.join("\n")}\n`);
    } finally {
      store.close();
    }
  },
});
