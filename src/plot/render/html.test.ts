import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { learningCurveFigure } from "../figures/learning-curve.js";
import { sampleLearningCurve } from "../test-utils/samples.js";
import { plotlyBundle, scriptJson } from "./bundle.js";
import { renderHtmlReport, tableHtml, writeHtmlReport } from "./html.js";

const fig = learningCurveFigure(sampleLearningCurve(3));

describe("renderHtmlReport", () => {
  it("inlines plotly.js exactly once and draws every figure into its own div", () => {
    const html = renderHtmlReport({
      title: "Run <42>",
      subtitle: "seed 1",
      sections: [
        { heading: "Curves", text: "first paragraph\n\nsecond & last", figures: [fig, fig] },
        { heading: "Empty section" },
        { heading: "More", figures: [fig] },
      ],
    });
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html.split("data-plotly-version=").length - 1).toBe(1);
    expect(html).toContain(`plotly.js ${plotlyBundle().version}`);
    expect(html.match(/class="metacomp-figure"/g)).toHaveLength(3);
    expect(html).toContain('id="metacomp-figure-3"');
    expect(html).toContain("<title>Run &lt;42&gt;</title>");
    expect(html).toContain("<p>second &amp; last</p>");
    expect(html).not.toMatch(/<script[^>]+src=/); // nothing fetched: self-contained
  });
  it("is deterministic", () => {
    const report = { title: "t", sections: [{ heading: "h", figures: [fig] }] };
    expect(renderHtmlReport(report)).toBe(renderHtmlReport(report));
  });
  it("rejects a malformed report", () => {
    expect(() => renderHtmlReport({ title: "t" } as never)).toThrow(/sections/);
  });
  it("writes the file and reports its size", async () => {
    const dir = await mkdtemp(join(tmpdir(), "metacomp-report-"));
    try {
      const path = join(dir, "sub", "r.html");
      const bytes = await writeHtmlReport(path, { title: "t", sections: [] });
      expect((await readFile(path)).byteLength).toBe(bytes);
      expect(bytes).toBeGreaterThan(plotlyBundle().source.length);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("tableHtml and scriptJson", () => {
  it("escapes cells and aligns numbers", () => {
    const html = tableHtml({
      rows: [{ pipeline: "<b>", ratio: 5.4365636569, n: 10n, when: null }],
      caption: "c",
    });
    expect(html).toContain(
      '<td class="text">&lt;b&gt;</td><td>5.43656</td><td>10</td><td class="text"></td>',
    );
    expect(html).toContain("<caption>c</caption>");
  });
  it("keeps JSON inert inside <script>", () => {
    const s = scriptJson({ t: "</script><script>alert(1)</script>\u2028" });
    expect(s).not.toContain("</script");
    expect(JSON.parse(s)).toEqual({ t: "</script><script>alert(1)</script>\u2028" });
  });
});
