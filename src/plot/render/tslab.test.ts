/**
 * tslab rendering. The throttle logic runs against a recording display and a hand-driven clock; the real
 * thing runs a throwaway notebook through `jupyter nbconvert --execute` on the tslab kernel (skipped when
 * Jupyter or the tslab kernel is missing) and then draws its saved outputs in Chromium with requirejs
 * loaded, as classic Notebook 6 would.
 */
import { execFile, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { isMetacompError } from "../../errors.js";
import { learningCurveFigure } from "../figures/learning-curve.js";
import { chromiumAvailable, launchChromium } from "./image.js";
import { createLiveFigure, displayFigure, type HtmlDisplay } from "./tslab.js";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../../..");
const BIN = join(ROOT, "node_modules/.bin");
const fig = (n: number) => learningCurveFigure([{ seed: 1, round: n, gapClosed: 0.5 }]);

class RecordingDisplay implements HtmlDisplay {
  sent: string[] = [];
  html(s: string) {
    this.sent.push(s);
  }
}

describe("createLiveFigure throttling", () => {
  it("draws at most once per interval, and the last update always lands", async () => {
    let clock = 0;
    const main = new RecordingDisplay();
    const updater = new RecordingDisplay();
    const live = createLiveFigure(fig(0), {
      displays: { display: main, newDisplay: () => updater },
      now: () => clock,
      minIntervalMs: 1000,
    });
    expect(main.sent).toHaveLength(1);
    expect(main.sent[0]).toContain("Plotly.newPlot");
    for (let i = 1; i <= 30; i++) {
      clock += 100; // 30 updates over 3 s
      live.update(fig(i));
    }
    expect(updater.sent).toHaveLength(3); // at t = 1000, 2000, 3000
    expect(updater.sent.every((s) => s.includes("Plotly.react") && !s.includes("<div"))).toBe(true);
    expect(updater.sent[2]).toContain('"x":[30]');
    clock += 300;
    live.update(fig(31)); // inside the interval: deferred
    expect(updater.sent).toHaveLength(3);
    live.close();
    expect(updater.sent).toHaveLength(4);
    expect(updater.sent[3]).toContain('"x":[31]');
    expect(live.renders).toBe(5);
    live.update(fig(32)); // ignored after close
    live.flush();
    expect(updater.sent).toHaveLength(4);
    expect(live.figure.data[0].x).toEqual([31]);
    // the plotly bundle went out with the first figure only
    expect(
      main.sent[0].includes("data-plotly-version") ||
        updater.sent.some((s) => s.includes("data-plotly-version")),
    ).toBe(main.sent[0].includes("data-plotly-version"));
  });

  it("fires a deferred update from its timer", async () => {
    const updater = new RecordingDisplay();
    const live = createLiveFigure(fig(0), {
      displays: { display: new RecordingDisplay(), newDisplay: () => updater },
      minIntervalMs: 30,
    });
    live.update(fig(1));
    live.update(fig(2));
    await new Promise((r) => setTimeout(r, 120));
    expect(updater.sent).toHaveLength(1);
    expect(updater.sent[0]).toContain('"x":[2]');
  });

  it("says clearly when no notebook kernel is running", () => {
    try {
      displayFigure(fig(0));
      expect.unreachable();
    } catch (e) {
      expect(isMetacompError(e, "E_RENDER")).toBe(true);
      expect((e as Error).message).toMatch(/tslab kernel/);
    }
  });
});

/** tslab binary installed and a `tslab` kernelspec in one of Jupyter's data folders. */
function hasTslabKernel(): boolean {
  if (!existsSync(join(BIN, "tslab"))) return false;
  try {
    const paths = JSON.parse(execFileSync("jupyter", ["--paths", "--json"], { encoding: "utf8" })) as {
      data: string[];
    };
    return paths.data.some((d) => existsSync(join(d, "kernels", "tslab", "kernel.json")));
  } catch {
    return false;
  }
}

const kernel = hasTslabKernel();
if (!kernel)
  console.warn(
    "SKIP tslab notebook test: needs `jupyter` (nbconvert) and the tslab kernel (npx tslab install)",
  );

const cell = (source: string) => ({
  cell_type: "code",
  metadata: {},
  execution_count: null,
  outputs: [],
  source,
});

describe.skipIf(!kernel)("in a real tslab kernel (nbconvert --execute)", () => {
  it("inlines plotly once, shows figures, updates the live figure in place", async () => {
    const work = join(ROOT, "node_modules/.cache/metacomp-plot-tslab-test");
    await rm(work, { recursive: true, force: true });
    await mkdir(work, { recursive: true });
    try {
      // tslab needs JavaScript: compile the plot renderer into the work folder (ESM, with .d.ts for tslab's checker)
      await run(join(BIN, "tsc"), [
        ...["--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", "--declaration"],
        ...["--skipLibCheck", "--types", "node", "--rootDir", join(ROOT, "src"), "--outDir", work],
        join(ROOT, "src/plot/render/tslab.ts"),
        join(ROOT, "src/plot/figures/learning-curve.ts"),
      ]);
      await writeFile(join(work, "package.json"), '{ "type": "module" }\n');
      const notebook = {
        nbformat: 4,
        nbformat_minor: 5,
        metadata: { kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" } },
        cells: [
          cell(
            [
              'import { createLiveFigure, displayFigure } from "./plot/render/tslab.js";',
              'import { learningCurveFigure } from "./plot/figures/learning-curve.js";',
              "const rows = [1, 2, 3].flatMap((seed) => [0, 100, 200].map((round) => ({ seed, round, gapClosed: round / 400 + seed / 100 })));",
              "displayFigure(learningCurveFigure(rows));",
              "displayFigure(learningCurveFigure(rows.filter((r) => r.seed === 1)));",
            ].join("\n"),
          ),
          cell(
            [
              "const live = createLiveFigure(learningCurveFigure(rows));",
              "const t0 = Date.now();",
              "let updates = 0;",
              "for (let round = 300; round <= 2700; round += 100) {",
              "  rows.push({ seed: 1, round, gapClosed: 0.9 }, { seed: 2, round, gapClosed: 0.92 });",
              "  live.update(learningCurveFigure(rows));",
              "  updates++;",
              "  await new Promise((r) => setTimeout(r, 100));",
              "}",
              "live.close();",
              "console.log(JSON.stringify({ updates, renders: live.renders, elapsed: Date.now() - t0 }));",
            ].join("\n"),
          ),
        ],
      };
      await writeFile(join(work, "live.ipynb"), JSON.stringify(notebook));
      await run(
        "jupyter",
        [
          "nbconvert",
          "--to",
          "notebook",
          "--execute",
          "--ExecutePreprocessor.timeout=120",
          "--output",
          "out.ipynb",
          "live.ipynb",
        ],
        { cwd: work, env: { ...process.env, PATH: `${BIN}:${process.env.PATH}` }, timeout: 150_000 },
      );
      type Output = {
        output_type: string;
        data?: Record<string, string | string[]>;
        text?: string | string[];
      };
      const out = JSON.parse(await readFile(join(work, "out.ipynb"), "utf8")) as {
        cells: { outputs: Output[] }[];
      };
      const outputs = out.cells.flatMap((c) => c.outputs);
      const text = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join("") : (v ?? ""));
      const htmls = outputs.filter((o) => o.data?.["text/html"]).map((o) => text(o.data?.["text/html"]));
      const all = htmls.join("\n");
      expect(all.split("data-plotly-version=").length - 1).toBe(1); // bundle once per session
      expect(all.match(/class="metacomp-figure"/g)).toHaveLength(3); // 2 figures + the live one
      expect(htmls).toHaveLength(4); // + exactly one in-place updater output
      expect(htmls[3]).toContain("Plotly.react");
      expect(htmls[3]).toContain("2700"); // the saved notebook holds the final state
      const stats = JSON.parse(text(outputs.find((o) => o.output_type === "stream")?.text).trim()) as {
        updates: number;
        renders: number;
        elapsed: number;
      };
      expect(stats.updates).toBe(25);
      expect(stats.renders).toBeGreaterThanOrEqual(3);
      expect(stats.renders).toBeLessThanOrEqual(Math.floor(stats.elapsed / 1000) + 2);

      // Draw the saved outputs in order, with requirejs loaded as in classic Notebook 6.
      if (!chromiumAvailable()) return;
      const requirejs = "/usr/share/javascript/requirejs/require.js";
      const amd = existsSync(requirejs) ? `<script>${await readFile(requirejs, "utf8")}</script>` : "";
      await writeFile(
        join(work, "outputs.html"),
        `<!DOCTYPE html><html><head>${amd}</head><body>${all}</body></html>`,
      );
      const chrome = await launchChromium();
      try {
        const page = await chrome.context.newPage();
        const errors: string[] = [];
        page.on("pageerror", (e) => errors.push(String(e)));
        page.on("console", (m) => (m.type() === "error" ? errors.push(m.text()) : undefined));
        await page.goto(`file://${join(work, "outputs.html")}`);
        type G = { document: { querySelectorAll(s: string): ArrayLike<{ data?: { x: number[] }[] }> } };
        await page.waitForFunction(
          () => (globalThis as unknown as G).document.querySelectorAll(".js-plotly-plot").length === 3,
          undefined,
          {
            timeout: 60_000,
          },
        );
        const lastX = await page.waitForFunction(() => {
          const plots = (globalThis as unknown as G).document.querySelectorAll(".js-plotly-plot");
          const live = plots[2].data ?? [];
          const max = Math.max(...live.flatMap((t) => t.x));
          return max === 2700 ? max : false;
        });
        expect(await lastX.jsonValue()).toBe(2700);
        expect(errors).toEqual([]);
      } finally {
        await chrome.close();
      }
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
});
