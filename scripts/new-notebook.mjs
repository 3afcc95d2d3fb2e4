// Writes a clean tslab notebook from a list of cells: node scripts/new-notebook.mjs out.ipynb < cells.json
// cells.json: [{ "markdown": "..." } | { "code": "..." }]
import { readFileSync, writeFileSync } from "node:fs";

const cells = JSON.parse(readFileSync(0, "utf8")).map((c) =>
  c.markdown !== undefined
    ? { cell_type: "markdown", metadata: {}, source: c.markdown }
    : { cell_type: "code", execution_count: null, metadata: {}, outputs: [], source: c.code },
);
const nb = {
  cells,
  metadata: {
    kernelspec: { display_name: "TypeScript", language: "typescript", name: "tslab" },
    language_info: { name: "typescript", file_extension: ".ts", mimetype: "text/typescript" },
  },
  nbformat: 4,
  nbformat_minor: 5,
};
writeFileSync(process.argv[2], `${JSON.stringify(nb, null, 1)}\n`);
