/**
 * The pinned plotly.js bundle (npm `plotly.js-dist-min`, read from node_modules, never from a CDN) and the
 * HTML snippets that load it and draw a figure. Used by the HTML report, the tslab display and the
 * Chromium image export, so all three draw with the same plotly.js.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { ErrorCode, err } from "../../errors.js";
import type { PlotlyFigure } from "../figure.js";

let cached: { source: string; version: string } | undefined;

/**
 * The plotly.js bundle source and its version, read once from the installed `plotly.js-dist-min`.
 *
 * @example
 * ```ts
 * plotlyBundle().version; // "4.1.2"
 * ```
 */
export function plotlyBundle(): { source: string; version: string } {
  if (cached) return cached;
  try {
    const require = createRequire(import.meta.url);
    const pkgPath = require.resolve("plotly.js-dist-min/package.json");
    const version = (JSON.parse(readFileSync(pkgPath, "utf8")) as { version: string }).version;
    const source = readFileSync(join(dirname(pkgPath), "plotly.min.js"), "utf8");
    cached = { source, version };
    return cached;
  } catch (e) {
    throw err(
      ErrorCode.NOT_FOUND,
      `cannot read the plotly.js bundle: ${(e as Error).message}; run \`npm ci\` so node_modules/plotly.js-dist-min exists`,
      e,
    );
  }
}

/** Browser JS: runs `fn` with AMD/CommonJS globals hidden (requirejs in Notebook 6 would capture UMD code). */
const RUN_GUARDED =
  "function (fn) {\n" +
  "  var w = window, saved = { define: w.define, module: w.module, exports: w.exports };\n" +
  "  w.define = undefined; w.module = undefined; w.exports = undefined;\n" +
  "  try { fn(); } finally { w.define = saved.define; w.module = saved.module; w.exports = saved.exports; }\n" +
  "}";

/** Browser JS: opens the IndexedDB store where notebook pages keep a copy of the plotly bundle. */
const OPEN_CACHE =
  "function (onStore, onFail) {\n" +
  "  try {\n" +
  "    var req = indexedDB.open('metacomp-plotly', 1);\n" +
  "    req.onupgradeneeded = function () { req.result.createObjectStore('bundles'); };\n" +
  "    req.onsuccess = function () { try { onStore(req.result); } catch (e) { onFail(); } };\n" +
  "    req.onerror = onFail;\n" +
  "  } catch (e) { onFail(); }\n" +
  "}";

/** Options of {@link plotlyScriptTag}. */
export interface PlotlyTagOptions {
  /**
   * Also keep a copy of the bundle in the page origin's IndexedDB, so notebook figures drawn after a page
   * reload (kernel still running, bundle not sent again) can restore plotly.js offline. Default false.
   */
  cache?: boolean;
}

/**
 * A `<script>` that defines `window.Plotly` once per page, offline. The bundle runs with `define`, `module`
 * and `exports` hidden, so in classic Notebook 6 (requirejs loaded) it still sets `window.Plotly` instead of
 * registering an anonymous AMD module; they are restored afterwards. A page that already has
 * `window.Plotly` skips it.
 *
 * @example
 * ```ts
 * const html = `<head>${plotlyScriptTag()}</head>`;
 * ```
 */
export function plotlyScriptTag(opts: PlotlyTagOptions = {}): string {
  const { source, version } = plotlyBundle();
  // A literal "</script" inside the bundle would end the tag early; none exists today, but stay safe.
  const safe = source.replace(/<\/script/gi, "<\\/script");
  const cache = opts.cache
    ? `  (${OPEN_CACHE})(function (db) {\n` +
      "    var store = db.transaction('bundles', 'readwrite').objectStore('bundles');\n" +
      `    var get = store.get(${scriptJson(version)});\n` +
      `    get.onsuccess = function () { if (get.result === undefined) store.put('(' + plotlyBundle.toString() + ')', ${scriptJson(version)}); };\n` +
      "  }, function () {});\n"
    : "";
  return (
    `<script type="text/javascript" data-plotly-version="${version}">\n` +
    `/* plotly.js ${version} from plotly.js-dist-min, inlined by metacomp */\n` +
    "(function () {\n" +
    "  if (typeof window === 'undefined') return;\n" +
    "  function plotlyBundle() {\n" +
    safe +
    "\n  }\n" +
    `  if (!window.Plotly) (${RUN_GUARDED})(plotlyBundle);\n` +
    cache +
    "})();\n" +
    "</script>"
  );
}

/** JSON that is safe inside an inline `<script>`: no `</script>`, no HTML comment openers, no U+2028/9. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** Sizes and options for drawing one figure into a page. */
export interface FigureDivOptions {
  /** The div id; must be unique in the page. */
  id: string;
  /** CSS height of the div when the layout has no height (default 480px). */
  height?: number;
}

/** Plotly config used everywhere: responsive, no plotly logo, PNG button with a readable size. */
export const PLOTLY_CONFIG = {
  responsive: true,
  displaylogo: false,
  toImageButtonOptions: { format: "png", scale: 2 },
} as const;

/**
 * A `<script>` that calls `Plotly.newPlot` (or `Plotly.react`, which updates in place) on the element `id`
 * once `window.Plotly` and the element exist. It retries for up to 10 s, then writes a message into the
 * element saying plotly.js is missing.
 *
 * @example
 * ```ts
 * const update = plotCallScript("fig-1", nextFigure, "react");
 * ```
 */
export function plotCallScript(
  id: string,
  figure: PlotlyFigure,
  method: "newPlot" | "react",
  opts: { restoreFromCache?: boolean } = {},
): string {
  const restore = opts.restoreFromCache
    ? "    if (tries === 4 && !window.Plotly) {\n" +
      `      (${OPEN_CACHE})(function (db) {\n` +
      `        var get = db.transaction('bundles').objectStore('bundles').get(${scriptJson(plotlyBundle().version)});\n` +
      `        get.onsuccess = function () { if (get.result && !window.Plotly) (${RUN_GUARDED})((0, eval)(get.result)); };\n` +
      "      }, function () {});\n" +
      "    }\n"
    : "";
  return (
    '<script type="text/javascript">\n' +
    "(function () {\n" +
    `  var id = ${scriptJson(id)}, fig = ${scriptJson(figure)}, config = ${scriptJson(PLOTLY_CONFIG)}, tries = 0;\n` +
    "  function draw() {\n" +
    "    var el = document.getElementById(id);\n" +
    `    if (window.Plotly && el) { window.Plotly.${method}(el, fig.data, fig.layout, config); return; }\n` +
    restore +
    "    if (++tries > 200) { if (el) el.textContent = 'plotly.js is not loaded in this page: call showPlotly({ force: true }) from metacomp, then display the figure again.'; return; }\n" +
    "    setTimeout(draw, 50);\n" +
    "  }\n" +
    "  draw();\n" +
    "})();\n" +
    "</script>"
  );
}

/**
 * A `<div>` plus a `<script>` that draws `figure` into it (see {@link plotCallScript}).
 *
 * @example
 * ```ts
 * const html = figureDivHtml(learningCurveFigure(rows), { id: "fig-1" });
 * ```
 */
export function figureDivHtml(
  figure: PlotlyFigure,
  opts: FigureDivOptions & { restoreFromCache?: boolean },
): string {
  const layoutHeight = typeof figure.layout.height === "number" ? figure.layout.height : undefined;
  const height = layoutHeight ?? opts.height ?? 480;
  return (
    `<div id="${escapeHtml(opts.id)}" class="metacomp-figure" style="width:100%;height:${height}px"></div>\n` +
    plotCallScript(opts.id, figure, "newPlot", { restoreFromCache: opts.restoreFromCache })
  );
}

/**
 * Escapes text for HTML element content and attribute values.
 *
 * @example
 * ```ts
 * escapeHtml("<b>&"); // "&lt;b&gt;&amp;"
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}
