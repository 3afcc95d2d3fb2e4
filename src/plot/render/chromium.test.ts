/**
 * Real rendering in headless Debian Chromium: PNG/SVG export, the HTML report, and the plotly bundle under
 * requirejs (classic Notebook 6). Skips only when /usr/bin/chromium (or $METACOMP_CHROMIUM) is missing.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isMetacompError } from "../../errors.js";
import { learningCurveFigure } from "../figures/learning-curve.js";
import { sampleFigures } from "../test-utils/gallery.js";
import { decodePng, pixelStats } from "../test-utils/png.js";
import { sampleLearningCurve } from "../test-utils/samples.js";
import { figureDivHtml, plotlyScriptTag } from "./bundle.js";
import { renderHtmlReport } from "./html.js";
import {
  type ChromiumSession,
  chromiumAvailable,
  chromiumPath,
  type FigureRenderer,
  launchChromium,
  openFigureRenderer,
  writeFigureImage,
} from "./image.js";

const available = chromiumAvailable();
if (!available) {
  console.warn(
    `SKIP chromium tests: no Chromium at ${chromiumPath()} (Debian: apt-get install -y chromium fonts-dejavu-core)`,
  );
}

// page functions run in the browser (serialised, no closures); reach its globals through a typed globalThis
type BrowserGlobals = {
  document: { querySelectorAll(s: string): { length: number } };
  define?: unknown;
  Plotly?: unknown;
};

const REQUIREJS = "/usr/share/javascript/requirejs/require.js";

/** Opens `url` in a new page, collecting console errors and page errors. */
async function openPage(chrome: ChromiumSession, load: (page: Page) => Promise<unknown>) {
  const page = await chrome.context.newPage();
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  await load(page);
  return { page, errors };
}

describe.skipIf(!available)("headless Chromium rendering", () => {
  let renderer: FigureRenderer;
  let chrome: ChromiumSession;
  let dir: string;
  beforeAll(async () => {
    [renderer, chrome] = await Promise.all([openFigureRenderer(), launchChromium()]);
    dir = await mkdtemp(join(tmpdir(), "metacomp-chromium-test-"));
  });
  afterAll(async () => {
    await Promise.all([renderer?.close(), chrome?.close()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("exports a PNG of the expected size that is not blank", async () => {
    const png = decodePng(
      await renderer.png(learningCurveFigure(sampleLearningCurve(5)), { width: 640, height: 400, scale: 2 }),
    );
    expect([png.width, png.height]).toEqual([1280, 800]);
    const stats = pixelStats(png);
    expect(stats.variance).toBeGreaterThan(100);
    expect(stats.nonWhiteShare).toBeGreaterThan(0.01); // lines, band, text
    expect(stats.nonWhiteShare).toBeLessThan(0.6); // but mostly white background
  });

  it("exports SVG text and writes files by extension", async () => {
    const fig = sampleFigures().pareto;
    const svg = await renderer.svg(fig);
    expect(svg).toMatch(/^<svg[\s\S]*<\/svg>$/);
    expect(svg).toContain("Pareto front");
    await writeFigureImage(join(dir, "p.png"), fig, { renderer, scale: 1 });
    const png = decodePng(new Uint8Array(await readFile(join(dir, "p.png"))));
    expect([png.width, png.height]).toEqual([900, 520]);
    await expect(writeFigureImage(join(dir, "p.jpg"), fig, { renderer })).rejects.toThrow(/\.png or \.svg/);
  });

  it("loads the HTML report with no console errors and every plot rendered", async () => {
    const figures = Object.values(sampleFigures());
    const path = join(dir, "report.html");
    await writeFile(
      path,
      renderHtmlReport({
        title: "All figures",
        sections: [
          { heading: "First half", text: "Sample rows.", figures: figures.slice(0, 4) },
          {
            heading: "Second half",
            figures: figures.slice(4),
            table: { rows: [{ pipeline: "zstd:19", ratio: 3.2 }] },
          },
        ],
      }),
    );
    const { page, errors } = await openPage(chrome, (p) => p.goto(`file://${path}`));
    await page.waitForFunction(
      (n) =>
        (globalThis as unknown as BrowserGlobals).document.querySelectorAll(".js-plotly-plot").length === n,
      figures.length,
      { timeout: 60_000 },
    );
    // every plot drew its traces (an SVG main layer exists inside each plot div)
    const drawn = await page.$$eval(".metacomp-figure", (els) =>
      els.map((e) => e.querySelectorAll("svg.main-svg").length > 0),
    );
    expect(drawn).toEqual(figures.map(() => true));
    expect(errors).toEqual([]);
    await page.close();
  });

  it("the guarded bundle sets window.Plotly under requirejs (classic Notebook 6) and draws", async () => {
    const amd = existsSync(REQUIREJS)
      ? `<script>${await readFile(REQUIREJS, "utf8")}</script>`
      : "<script>window.define = function () {}; window.define.amd = {};</script>";
    const html = `<!DOCTYPE html><html><head>${amd}</head><body>${plotlyScriptTag()}${figureDivHtml(sampleFigures().confusion, { id: "f1" })}</body></html>`;
    const path = join(dir, "amd.html");
    await writeFile(path, html);
    const { page, errors } = await openPage(chrome, (p) => p.goto(`file://${path}`));
    await page.waitForSelector("#f1.js-plotly-plot", { timeout: 60_000 });
    expect(
      await page.evaluate(() => [
        typeof (globalThis as unknown as BrowserGlobals).define,
        typeof (globalThis as unknown as BrowserGlobals).Plotly,
      ]),
    ).toEqual(["function", "object"]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a notebook page reloaded while the kernel runs restores plotly.js from IndexedDB, offline", async () => {
    // two pages of one origin and browser profile: the first carries the bundle, the second only a figure
    const first = join(dir, "first.html");
    const second = join(dir, "second.html");
    await writeFile(first, `<!DOCTYPE html><html><body>${plotlyScriptTag({ cache: true })}</body></html>`);
    const fig = sampleFigures()["gap-closed"];
    await writeFile(
      second,
      `<!DOCTYPE html><html><body>${figureDivHtml(fig, { id: "g", restoreFromCache: true })}</body></html>`,
    );
    type Req<T> = { result: T; onsuccess: (() => void) | null; onerror: (() => void) | null };
    type Db = { transaction(s: string): { objectStore(s: string): { getAllKeys(): Req<unknown[]> } } };
    type G = { indexedDB: { open(name: string, version: number): Req<Db> }; Plotly?: { version: string } };
    const a = await openPage(chrome, (p) => p.goto(`file://${first}`));
    await a.page.waitForFunction(() => typeof (globalThis as unknown as G).Plotly === "object");
    // wait until the copy is stored
    await a.page.waitForFunction(
      () =>
        new Promise((resolve) => {
          const req = (globalThis as unknown as G).indexedDB.open("metacomp-plotly", 1);
          req.onsuccess = () => {
            const get = req.result.transaction("bundles").objectStore("bundles").getAllKeys();
            get.onsuccess = () => resolve(get.result.length > 0);
          };
          req.onerror = () => resolve(false);
        }),
      undefined,
      { timeout: 30_000 },
    );
    const b = await openPage(chrome, (p) => p.goto(`file://${second}`));
    await b.page.waitForSelector("#g.js-plotly-plot", { timeout: 60_000 });
    expect(await b.page.evaluate(() => (globalThis as unknown as G).Plotly?.version)).toMatch(
      /^\d+\.\d+\.\d+$/,
    );
    expect([...a.errors, ...b.errors]).toEqual([]);
    await a.page.close();
    await b.page.close();
  });

  it("reports a missing Chromium with a coded error naming the fix", async () => {
    try {
      await launchChromium({ executablePath: "/nonexistent/chromium" });
      expect.unreachable();
    } catch (e) {
      expect(isMetacompError(e, "E_RENDER")).toBe(true);
      expect((e as Error).message).toMatch(/apt-get install -y chromium/);
    }
  });
});
