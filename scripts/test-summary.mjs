// Prints the plain closing line "tests: N passed, N failed, N skipped" from vitest's JSON report.
import { existsSync, readFileSync } from "node:fs";

const path = "coverage/vitest-report.json";
if (!existsSync(path)) {
  console.log("tests: 0 passed, 1 failed (no vitest report was written)");
  process.exit(0);
}
const r = JSON.parse(readFileSync(path, "utf8"));
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
