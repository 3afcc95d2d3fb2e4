/** Standalone, self-contained HTML reports: plotly.js inlined once, figures, text and tables. */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { ErrorCode, err } from "../../errors.js";
import type { PlotlyFigure } from "../figure.js";
import { escapeHtml, figureDivHtml, plotlyScriptTag } from "./bundle.js";

/** A table in a report section: rows of plain values; columns default to the first row's keys. */
export interface ReportTable {
  rows: readonly Record<string, unknown>[];
  columns?: readonly string[];
  caption?: string;
}

/** One section of a report. `text` is plain text; blank lines separate paragraphs. */
export interface ReportSection {
  heading: string;
  text?: string;
  figures?: readonly PlotlyFigure[];
  table?: ReportTable;
}

/** A whole report. */
export interface Report {
  title: string;
  /** One line under the title, e.g. the run id, commit and date. */
  subtitle?: string;
  sections: readonly ReportSection[];
}

const CSS = `
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #222; margin: 0; background: #fafafa; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 32px 64px; background: #fff; }
h1 { font-size: 28px; margin: 8px 0 4px; } h2 { font-size: 21px; margin-top: 36px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.subtitle { color: #666; margin: 0 0 16px; }
.metacomp-figure { margin: 16px 0; }
.table-wrap { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; margin: 12px 0; font-size: 14px; }
th, td { border: 1px solid #ddd; padding: 4px 10px; text-align: right; } th { background: #f2f2f2; }
td.text, th.text { text-align: left; } caption { caption-side: top; text-align: left; color: #555; padding: 4px 0; }
`;

function cell(v: unknown): { html: string; numeric: boolean } {
  if (typeof v === "number")
    return { html: Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6))), numeric: true };
  if (typeof v === "bigint") return { html: v.toString(), numeric: true };
  if (v === null || v === undefined) return { html: "", numeric: false };
  if (v instanceof Date) return { html: escapeHtml(v.toISOString()), numeric: false };
  return { html: escapeHtml(typeof v === "string" ? v : JSON.stringify(v)), numeric: false };
}

/**
 * A plain HTML table of rows (numbers right-aligned, text left-aligned, everything escaped).
 *
 * @example
 * ```ts
 * tableHtml({ rows: [{ pipeline: "zstd:19", ratio: 3.1 }] });
 * ```
 */
export function tableHtml(table: ReportTable): string {
  const columns = table.columns ?? Object.keys(table.rows[0] ?? {});
  const head = columns.map((c) => `<th class="text">${escapeHtml(c)}</th>`).join("");
  const body = table.rows
    .map(
      (r) =>
        `<tr>${columns
          .map((c) => {
            const x = cell(r[c]);
            return `<td${x.numeric ? "" : ' class="text"'}>${x.html}</td>`;
          })
          .join("")}</tr>`,
    )
    .join("\n");
  const caption = table.caption ? `<caption>${escapeHtml(table.caption)}</caption>` : "";
  return `<div class="table-wrap"><table>${caption}<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table></div>`;
}

/**
 * A self-contained HTML document: plotly.js inlined once in `<head>`, then each section's heading, text
 * paragraphs, figures and table. Opens offline in any browser. Output is deterministic for equal input.
 *
 * @example
 * ```ts
 * const html = renderHtmlReport({ title: "Run 42", sections: [
 *   { heading: "Learning curve", text: "Gap closed on held-out blocks.", figures: [learningCurveFigure(rows)] },
 * ] });
 * ```
 */
export function renderHtmlReport(report: Report): string {
  if (!report || typeof report.title !== "string" || !Array.isArray(report.sections as unknown)) {
    throw err(ErrorCode.INVALID_CONFIG, "renderHtmlReport needs { title: string, sections: [...] }");
  }
  let figureIndex = 0;
  const sections = report.sections.map((s) => {
    const paragraphs = (s.text ?? "")
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .filter((p) => p.length > 0)
      .map((p) => `<p>${escapeHtml(p)}</p>`)
      .join("\n");
    const figures = (s.figures ?? [])
      .map((f) => figureDivHtml(f, { id: `metacomp-figure-${++figureIndex}` }))
      .join("\n");
    const table = s.table && s.table.rows.length > 0 ? tableHtml(s.table) : "";
    return `<section>\n<h2>${escapeHtml(s.heading)}</h2>\n${paragraphs}\n${figures}\n${table}\n</section>`;
  });
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(report.title)}</title>`,
    `<style>${CSS}</style>`,
    plotlyScriptTag(),
    "</head>",
    "<body><main>",
    `<h1>${escapeHtml(report.title)}</h1>`,
    report.subtitle ? `<p class="subtitle">${escapeHtml(report.subtitle)}</p>` : "",
    ...sections,
    "</main></body>",
    "</html>",
    "",
  ].join("\n");
}

/**
 * Renders `report` and writes it to `path` (creating the folder), returning the number of bytes written.
 *
 * @example
 * ```ts
 * await writeHtmlReport("reports/run-42.html", { title: "Run 42", sections });
 * ```
 */
export async function writeHtmlReport(path: string, report: Report): Promise<number> {
  const html = renderHtmlReport(report);
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, html, "utf8");
  } catch (e) {
    throw err(
      ErrorCode.IO,
      `cannot write report "${path}": ${(e as Error).message}; check the folder is writable`,
      e,
    );
  }
  return Buffer.byteLength(html, "utf8");
}
