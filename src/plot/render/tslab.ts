/**
 * Figures inside a tslab notebook (JupyterLab, Notebook 7 and classic Notebook 6), offline.
 *
 * - The first figure shown in a kernel session carries the pinned plotly.js bundle in the same output
 *   (guarded so requirejs in Notebook 6 does not capture it); later figures reuse `window.Plotly`. The bundle
 *   also keeps a copy in the page origin's IndexedDB, so after a browser reload with the kernel still running
 *   (the kernel does not send the bundle again) new figures restore plotly.js from it, still offline.
 * - A live figure is one `<div>` drawn once, plus one tslab display (`newDisplay()`, which Jupyter rewrites in
 *   place through `update_display_data`) holding a tiny script that calls `Plotly.react` on that div. Updates
 *   are throttled to at most one per `minIntervalMs` (1 s), the last one always lands (`flush()`), and the
 *   saved notebook ends up with the final figure.
 *
 * tslab is loaded lazily, through the kernel's own `require` hook, so importing metacomp never needs it.
 */
import { createRequire } from "node:module";
import { ErrorCode, err } from "../../errors.js";
import type { PlotlyFigure } from "../figure.js";
import { figureDivHtml, plotCallScript, plotlyScriptTag } from "./bundle.js";

/** The part of tslab's `Display` that figures use. */
export interface HtmlDisplay {
  html(s: string): void;
}

interface TslabModule {
  display: HtmlDisplay;
  newDisplay(): HtmlDisplay;
}

let plotlyShown = false;
let figureCounter = 0;
const sessionTag = `${process.pid.toString(36)}${Date.now().toString(36)}`;

function nextFigureId(): string {
  return `metacomp-fig-${sessionTag}-${++figureCounter}`;
}

/** The kernel's tslab: `__tslab__.require("tslab")` inside a tslab kernel, else the installed package. */
function loadTslab(): TslabModule {
  const hooked = (globalThis as { __tslab__?: { require?: (id: string) => unknown } }).__tslab__?.require;
  try {
    return (hooked ?? createRequire(import.meta.url))("tslab") as TslabModule;
  } catch (e) {
    throw err(
      ErrorCode.RENDER,
      "tslab is not available: show figures inline only in a tslab notebook kernel; elsewhere use renderHtmlReport or writeFigureImage",
      e,
    );
  }
}

function show(display: HtmlDisplay, html: string): void {
  try {
    display.html(html);
  } catch (e) {
    throw err(
      ErrorCode.RENDER,
      `cannot display in a notebook (${(e as Error).message}): this code is not running in a tslab kernel cell; elsewhere use renderHtmlReport or writeFigureImage`,
      e,
    );
  }
}

/** The plotly bundle tag the first time it is asked for in this kernel session (or when forced), else "". */
function bundleOnce(force = false): string {
  if (plotlyShown && !force) return "";
  return plotlyScriptTag({ cache: true });
}

/**
 * Inlines plotly.js into the notebook now. Figures do this by themselves the first time; call it with
 * `force: true` after reloading the notebook page without restarting the kernel.
 *
 * @example
 * ```ts
 * showPlotly({ force: true });
 * ```
 */
export function showPlotly(opts: { force?: boolean } = {}): void {
  const tag = bundleOnce(opts.force);
  if (tag === "") return;
  show(loadTslab().display, tag);
  plotlyShown = true;
}

/**
 * Displays `figure` inline in a tslab notebook cell.
 *
 * @example
 * ```ts
 * import { displayFigure, learningCurveFigure } from "metacomp";
 * displayFigure(learningCurveFigure(rows));
 * ```
 */
export function displayFigure(figure: PlotlyFigure, opts: { height?: number } = {}): void {
  show(
    loadTslab().display,
    bundleOnce() + figureDivHtml(figure, { id: nextFigureId(), height: opts.height, restoreFromCache: true }),
  );
  plotlyShown = true;
}

/** A figure that redraws in place while, for example, a learner trains. */
export interface LiveFigure {
  /** Replaces the figure; drawn now if the last draw is ≥ `minIntervalMs` old, else at most that much later. */
  update(figure: PlotlyFigure): void;
  /** Draws the latest figure now if it has not been drawn (call it when training ends). */
  flush(): void;
  /** Flushes and stops the pending timer; later updates are ignored. */
  close(): void;
  /** Draws sent so far, the initial one included. */
  readonly renders: number;
  /** The latest figure passed in. */
  readonly figure: PlotlyFigure;
}

/** Options of {@link createLiveFigure}. */
export interface LiveFigureOptions {
  /** Minimum time between two draws, in ms (default 1000). */
  minIntervalMs?: number;
  height?: number;
  /** Where to draw; default: the notebook through tslab. Must offer tslab's `newDisplay` behaviour. */
  displays?: { display: HtmlDisplay; newDisplay(): HtmlDisplay };
  /** Clock in ms (default `Date.now`). */
  now?: () => number;
}

/**
 * Shows `initial` and returns a handle whose `update(figure)` rewrites the same plot in place, at most once
 * per second, with `Plotly.react`. Only one extra (empty-looking) output is used for all updates.
 *
 * @example
 * ```ts
 * const live = createLiveFigure(learningCurveFigure(rows));
 * for await (const checkpoint of trainer) {
 *   rows.push(...checkpoint.rows);
 *   live.update(learningCurveFigure(rows));
 * }
 * live.close();
 * ```
 */
export function createLiveFigure(initial: PlotlyFigure, opts: LiveFigureOptions = {}): LiveFigure {
  const minIntervalMs = opts.minIntervalMs ?? 1000;
  const now = opts.now ?? Date.now;
  const displays = opts.displays ?? loadTslab();
  const id = nextFigureId();
  show(
    displays.display,
    bundleOnce() + figureDivHtml(initial, { id, height: opts.height, restoreFromCache: true }),
  );
  plotlyShown = true;
  const updater = displays.newDisplay();
  let latest = initial;
  let dirty = false;
  let closed = false;
  let renders = 1;
  let lastDraw = now();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const draw = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!dirty) return;
    dirty = false;
    lastDraw = now();
    renders++;
    show(updater, plotCallScript(id, latest, "react", { restoreFromCache: true }));
  };

  return {
    update(figure) {
      if (closed) return;
      latest = figure;
      dirty = true;
      const wait = lastDraw + minIntervalMs - now();
      if (wait <= 0) draw();
      else if (!timer) {
        timer = setTimeout(draw, wait);
        timer.unref?.();
      }
    },
    flush: draw,
    close() {
      draw();
      closed = true;
    },
    get renders() {
      return renders;
    },
    get figure() {
      return latest;
    },
  };
}
