/**
 * Plain-text tables of a bench result: per objective, SBS and VBS costs per group, then each selector's gap
 * closed per group and its selection overhead.
 */
import type { ObjectiveResult } from "./run.js";

function pad(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [pad(header, widths), ...rows.map((r) => pad(r, widths))].join("\n");
}

/**
 * A number for a table: integers as is, others with 4 significant digits.
 *
 * @example
 * ```ts
 * formatCost(1234); // "1234"
 * formatCost(0.0123456); // "0.01235"
 * ```
 */
export function formatCost(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return Number.isInteger(x) ? String(x) : x.toPrecision(4);
}

function formatGap(g: number | undefined): string {
  if (g === undefined) return "n/a";
  return Number.isFinite(g) ? g.toFixed(3) : String(g);
}

/**
 * The text report of one objective's comparison.
 *
 * @example
 * ```ts
 * for (const r of result.results) process.stdout.write(formatObjectiveReport(r, result.split.train.length));
 * ```
 */
export function formatObjectiveReport(
  r: ObjectiveResult,
  trainBlocks: number,
  groupLabel = "family",
): string {
  const { report, overhead } = r;
  const groups = [report.overall, ...report.groups];
  const costs = table(
    [groupLabel, "blocks", "SBS cost", "VBS cost", "SBS/VBS"],
    groups.map((g) => [
      g.group,
      String(g.blocks),
      formatCost(g.sbsCost),
      formatCost(g.vbsCost),
      g.vbsCost > 0 ? (g.sbsCost / g.vbsCost).toFixed(3) : "n/a",
    ]),
  );
  const names = Object.keys(report.overall.selectors);
  const selectors = table(
    ["selector (gap closed)", ...groups.map((g) => g.group), "overhead"],
    names.map((name) => [
      name,
      ...groups.map((g) => formatGap(g.selectors[name]?.gapClosed)),
      `${overhead[name].overall.toPrecision(3)}x`,
    ]),
  );
  return (
    `== objective ${r.objective} · SBS ${report.sbs} (picked on ${trainBlocks} training blocks) · ` +
    `${report.overall.blocks} held-out blocks ==\n${costs}\n\n${selectors}\n` +
    "gap closed: 1 = oracle, 0 = SBS, n/a where SBS = VBS; overhead = (features + select time) / encode time of the choice\n"
  );
}
