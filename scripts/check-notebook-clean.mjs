// Fails when a committed notebook carries outputs or execution counts: notebooks are committed clean.
import { readFileSync } from "node:fs";

const path = process.argv[2];
const nb = JSON.parse(readFileSync(path, "utf8"));
const dirty = nb.cells
  .map((cell, i) => ({ cell, i }))
  .filter(({ cell }) => cell.cell_type === "code" && (cell.outputs?.length || cell.execution_count != null));
if (nb.metadata?.kernelspec?.name !== "tslab") {
  console.error(`${path}: kernelspec must be tslab`);
  process.exit(1);
}
if (dirty.length) {
  console.error(
    `${path}: cells ${dirty.map((d) => d.i).join(", ")} carry outputs; clear them before committing`,
  );
  process.exit(1);
}
