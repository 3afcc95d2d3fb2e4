/**
 * The exact HTML that the tslab renderer emits (displayFigure twice, then a live figure updated in place), run in
 * headless Chromium the two ways Jupyter frontends insert outputs:
 *
 * - classic Notebook 6: requirejs loaded (`define.amd` set) and each output appended with jQuery, as
 *   notebook/js/outputarea.js does (`toinsert.append(html)` then `element.append(toinsert)`; an
 *   `update_display_data` builds a new subarea and `replaceWith`s the old one). requirejs and jQuery are the
 *   notebook package's own static files (Debian python3-notebook), else Debian's libjs-requirejs/libjs-jquery;
 *   without either, a minimal AMD `define` shim and plain DOM insertion stand in (the test then says so).
 * - JupyterLab / Notebook 7: no AMD loader; rendermime sets `host.innerHTML = html` and, for trusted output,
 *   re-creates each `<script>` in order so it runs (`evalInnerHTMLScriptTags`); an update re-renders a new host.
 *
 * JupyterLab and Notebook 7 themselves cannot be installed here (no PyPI, no Debian package), so this is the
 * closest real check: their insertion mechanism, in a real browser, with our real output.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { learningCurveFigure } from "../figures/learning-curve.js";
import { sampleFigures } from "../test-utils/gallery.js";
import { type ChromiumSession, chromiumAvailable, launchChromium } from "./image.js";
import { createLiveFigure, displayFigure, type HtmlDisplay } from "./tslab.js";

const NOTEBOOK_STATIC = "/usr/lib/python3/dist-packages/notebook/static/components";
const firstExisting = (paths: string[]) => paths.find((p) => existsSync(p));
const REQUIREJS = firstExisting([
  `${NOTEBOOK_STATIC}/requirejs/require.js`,
  "/usr/share/javascript/requirejs/require.js",
]);
const JQUERY = firstExisting([
  `${NOTEBOOK_STATIC}/jquery/jquery.min.js`,
  "/usr/share/javascript/jquery/jquery.min.js",
]);
/** Used only when Debian's requirejs is missing: enough of AMD for UMD bundles to detect it. */
const AMD_SHIM =
  "window.define = function (name, deps, factory) { (window.__amd = window.__amd || []).push(name); };\n" +
  "window.define.amd = {}; window.require = window.requirejs = function () {};";

const available = chromiumAvailable();
if (!available) console.warn("SKIP frontend tests: no Chromium (apt-get install -y chromium)");
if (!REQUIREJS || !JQUERY)
  console.warn("frontend tests: requirejs/jQuery not found; Notebook 6 mode uses a minimal AMD shim instead");

/** One display output of a tslab cell: the HTML sent first, then any `update_display_data` rewrites. */
interface DisplayOutput {
  html: string[];
}

class Recorder implements HtmlDisplay {
  constructor(readonly out: DisplayOutput[]) {}
  html(s: string) {
    this.out.push({ html: [s] });
  }
}

/** A `newDisplay()`: its first `html` is a new output, later ones rewrite it in place. */
class UpdatableRecorder implements HtmlDisplay {
  private slot: DisplayOutput | undefined;
  constructor(readonly out: DisplayOutput[]) {}
  html(s: string) {
    if (this.slot) this.slot.html.push(s);
    else {
      this.slot = { html: [s] };
      this.out.push(this.slot);
    }
  }
}

const curve = (upTo: number) =>
  learningCurveFigure(
    [1, 2, 3].flatMap((seed) =>
      Array.from({ length: upTo / 100 + 1 }, (_, k) => ({
        seed,
        round: k * 100,
        gapClosed: k / 10 + seed / 50,
      })),
    ),
  );

/** What a notebook receives from: displayFigure × 2, then a live figure updated 5 times, 1 s apart. */
function tslabOutputs(): DisplayOutput[] {
  const out: DisplayOutput[] = [];
  const g = globalThis as { __tslab__?: { require?: (id: string) => unknown } };
  const saved = g.__tslab__;
  // tslab's own hook: displayFigure asks the kernel's `require("tslab")` for its display
  g.__tslab__ = {
    require: () => ({ display: new Recorder(out), newDisplay: () => new UpdatableRecorder(out) }),
  };
  try {
    displayFigure(sampleFigures()["gap-closed"]);
    displayFigure(sampleFigures().confusion);
    let clock = 0;
    const live = createLiveFigure(curve(100), {
      displays: { display: new Recorder(out), newDisplay: () => new UpdatableRecorder(out) },
      now: () => clock,
    });
    for (let upTo = 200; upTo <= 600; upTo += 100) {
      clock += 1000;
      live.update(curve(upTo));
    }
    live.close();
  } finally {
    g.__tslab__ = saved;
  }
  return out;
}

type Mode = "notebook6" | "lab";

/** Browser side: insert each output, then apply its rewrites, the way `mode`'s frontend does. */
function insertOutputs({ outputs, mode }: { outputs: DisplayOutput[]; mode: Mode }): string {
  const w = globalThis as unknown as {
    document: {
      body: { appendChild(n: unknown): void };
      createElement(t: string): {
        className: string;
        innerHTML: string;
        getElementsByTagName(t: string): ArrayLike<{
          attributes: ArrayLike<{ name: string; value: string }>;
          textContent: string;
          parentNode: { replaceChild(a: unknown, b: unknown): void };
        }>;
        setAttribute(n: string, v: string): void;
        textContent: string;
        replaceWith(n: unknown): void;
      };
    };
    jQuery?: (s: unknown) => { append(x: unknown): unknown; replaceWith(x: unknown): unknown };
    Plotly?: unknown;
  };
  const doc = w.document;
  const area = doc.createElement("div");
  area.className = "output_area";
  doc.body.appendChild(area);
  const $ = w.jQuery;
  // JupyterLab's renderHTML + evalInnerHTMLScriptTags
  const labRender = (html: string) => {
    const host = doc.createElement("div");
    host.className = "jp-RenderedHTMLCommon";
    host.innerHTML = html;
    for (const old of Array.from(host.getElementsByTagName("script"))) {
      const fresh = doc.createElement("script");
      for (const a of Array.from(old.attributes)) fresh.setAttribute(a.name, a.value);
      fresh.textContent = old.textContent;
      old.parentNode.replaceChild(fresh, old);
    }
    return host;
  };
  for (const output of outputs) {
    if (mode === "lab" || !$) {
      // Lab's rendermime; also Notebook 6 without jQuery (the DOM way that runs scripts)
      let host = labRender(output.html[0]);
      (area as unknown as { appendChild(n: unknown): void }).appendChild(host);
      for (const html of output.html.slice(1)) {
        const next = labRender(html);
        host.replaceWith(next);
        host = next;
      }
    } else {
      // Notebook 6 outputarea.js: append_html, then update_display_data → _safe_append → replaceWith
      const subarea = () => $('<div class="output_subarea output_html rendered_html"></div>');
      let element = subarea();
      element.append(output.html[0]);
      $(area).append(element);
      for (const html of output.html.slice(1)) {
        const next = subarea();
        next.append(html);
        element.replaceWith(next);
        element = next;
      }
    }
  }
  // inline scripts ran synchronously on insertion: plotly.js must be there now, not via the IndexedDB copy
  return typeof w.Plotly;
}

type Plots = ArrayLike<{ querySelectorAll(s: string): { length: number }; data?: { x: number[] }[] }>;
type BrowserState = {
  document: { querySelectorAll(s: string): Plots };
  define?: { amd?: unknown };
  Plotly?: { version: string };
};

describe.skipIf(!available)("tslab output in Jupyter frontends (headless Chromium)", () => {
  let chrome: ChromiumSession;
  let outputs: DisplayOutput[];
  beforeAll(async () => {
    chrome = await launchChromium();
    outputs = tslabOutputs();
  });
  afterAll(async () => {
    await chrome?.close();
  });

  it("the tslab renderer sends plotly once, three figures, and one live output rewritten in place", () => {
    expect(outputs).toHaveLength(4);
    const all = outputs.flatMap((o) => o.html).join("\n");
    expect(all.split("data-plotly-version=").length - 1).toBe(1);
    expect(outputs[0].html[0]).toContain("data-plotly-version=");
    expect(all.match(/class="metacomp-figure"/g)).toHaveLength(3);
    expect(outputs[3].html).toHaveLength(5); // the updater: 5 draws (1 s apart) in one output
    expect(outputs[3].html.every((h) => h.includes("Plotly.react") && !h.includes("<div"))).toBe(true);
  });

  async function openFrontend(mode: Mode): Promise<{ page: Page; errors: string[] }> {
    const page = await chrome.context.newPage();
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.setContent("<!DOCTYPE html><html><head></head><body></body></html>");
    if (mode === "notebook6") {
      if (REQUIREJS) await page.addScriptTag({ content: await readFile(REQUIREJS, "utf8") });
      else await page.addScriptTag({ content: AMD_SHIM });
      if (JQUERY) await page.addScriptTag({ content: await readFile(JQUERY, "utf8") });
    }
    return { page, errors };
  }

  for (const mode of ["notebook6", "lab"] as const) {
    it(`${mode === "lab" ? "JupyterLab / Notebook 7 (innerHTML, scripts re-created)" : "classic Notebook 6 (requirejs + jQuery append)"}: every figure draws, the live one ends at its last update`, async () => {
      const { page, errors } = await openFrontend(mode);
      const amdBefore = await page.evaluate(() => typeof (globalThis as unknown as BrowserState).define?.amd);
      expect(amdBefore).toBe(mode === "lab" ? "undefined" : "object");
      expect(await page.evaluate(insertOutputs, { outputs, mode })).toBe("object");
      await page.waitForFunction(
        () => {
          const plots = (globalThis as unknown as BrowserState).document.querySelectorAll(".js-plotly-plot");
          return (
            plots.length === 3 && Array.from(plots).every((p) => p.querySelectorAll(".main-svg").length > 0)
          );
        },
        undefined,
        { timeout: 60_000 },
      );
      // the live figure holds the last update (rounds up to 600), drawn with Plotly.react into the first div
      const lastRound = await page.waitForFunction(() => {
        const plots = (globalThis as unknown as BrowserState).document.querySelectorAll(".js-plotly-plot");
        const max = Math.max(...(plots[2].data ?? []).flatMap((t) => t.x));
        return max === 600 ? max : false;
      });
      expect(await lastRound.jsonValue()).toBe(600);
      const state = await page.evaluate(() => {
        const g = globalThis as unknown as BrowserState;
        return {
          plotly: typeof g.Plotly?.version,
          amd: typeof g.define?.amd, // requirejs left intact for the rest of the notebook
          bundles: g.document.querySelectorAll("script[data-plotly-version]").length,
          divs: g.document.querySelectorAll(".metacomp-figure").length,
        };
      });
      expect(state).toEqual({
        plotly: "string",
        amd: mode === "lab" ? "undefined" : "object",
        bundles: 1,
        divs: 3,
      });
      expect(errors).toEqual([]);
      await page.close();
    });
  }
});
