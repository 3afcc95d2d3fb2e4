/**
 * PNG and SVG export of figures through headless Debian Chromium (`/usr/bin/chromium`) driven by
 * playwright-core, with `Plotly.toImage` inside the page. Works offline: plotly.js is inlined, and Chromium
 * is started with every background-networking feature off and a fresh, temporary profile.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { ErrorCode, err } from "../../errors.js";
import type { PlotlyFigure } from "../figure.js";
import { plotlyScriptTag } from "./bundle.js";

/** Where Debian installs Chromium; override with the `METACOMP_CHROMIUM` environment variable. */
export const DEFAULT_CHROMIUM = "/usr/bin/chromium";

/** Flags that keep headless Chromium offline, quiet and sandbox-free (root in containers). */
export const CHROMIUM_ARGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * The Chromium executable metacomp uses: `$METACOMP_CHROMIUM` or `/usr/bin/chromium`.
 *
 * @example
 * ```ts
 * if (!existsSync(chromiumPath())) console.warn("PNG export needs: apt-get install -y chromium");
 * ```
 */
export function chromiumPath(): string {
  return process.env.METACOMP_CHROMIUM || DEFAULT_CHROMIUM;
}

/**
 * True when the Chromium executable exists (tests skip PNG/HTML-in-browser checks when it does not).
 *
 * @example
 * ```ts
 * it.skipIf(!chromiumAvailable())("renders PNG", async () => { … });
 * ```
 */
export function chromiumAvailable(): boolean {
  return existsSync(chromiumPath());
}

/** A running headless Chromium with a temporary profile; `close()` stops it and deletes the profile. */
export interface ChromiumSession {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Starts headless Chromium through playwright-core with {@link CHROMIUM_ARGS} and a fresh `--user-data-dir`.
 * Throws `E_RENDER` naming the fix when Chromium is missing or fails to start.
 *
 * @example
 * ```ts
 * const chrome = await launchChromium();
 * try { const page = await chrome.context.newPage(); await page.goto("file:///tmp/report.html"); }
 * finally { await chrome.close(); }
 * ```
 */
export async function launchChromium(opts: { executablePath?: string } = {}): Promise<ChromiumSession> {
  const executablePath = opts.executablePath ?? chromiumPath();
  if (!existsSync(executablePath)) {
    throw err(
      ErrorCode.RENDER,
      `Chromium not found at ${executablePath}; install it (Debian: apt-get install -y chromium fonts-dejavu-core fonts-liberation) or set METACOMP_CHROMIUM to its path`,
    );
  }
  const { chromium } = await import("playwright-core");
  const profile = await mkdtemp(join(tmpdir(), "metacomp-chromium-"));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: [...CHROMIUM_ARGS],
      offline: true,
    });
  } catch (e) {
    await rm(profile, { recursive: true, force: true });
    throw err(ErrorCode.RENDER, `Chromium at ${executablePath} failed to start: ${(e as Error).message}`, e);
  }
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Image size: CSS pixels of the plot (`width` × `height`) times `scale` pixels per CSS pixel. */
export interface ImageOptions {
  /** Default: the layout's width, else 900. */
  width?: number;
  /** Default: the layout's height, else 520. */
  height?: number;
  /** Device pixels per CSS pixel for PNG (default 2, print quality). */
  scale?: number;
}

/** Renders figures to images in one Chromium page; reuse it for many figures, then `close()`. */
export interface FigureRenderer {
  /** PNG bytes of `figure`, (width·scale) × (height·scale) pixels. */
  png(figure: PlotlyFigure, opts?: ImageOptions): Promise<Uint8Array>;
  /** SVG text of `figure`. */
  svg(figure: PlotlyFigure, opts?: ImageOptions): Promise<string>;
  close(): Promise<void>;
}

function imageSize(
  figure: PlotlyFigure,
  opts: ImageOptions,
): { width: number; height: number; scale: number } {
  const width = opts.width ?? (typeof figure.layout.width === "number" ? figure.layout.width : 900);
  const height = opts.height ?? (typeof figure.layout.height === "number" ? figure.layout.height : 520);
  const scale = opts.scale ?? 2;
  for (const [k, v] of Object.entries({ width, height, scale })) {
    if (!(Number.isFinite(v) && v > 0))
      throw err(ErrorCode.INVALID_CONFIG, `image ${k} must be a positive number, got ${v}`);
  }
  return { width, height, scale };
}

async function plotlyPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.setContent(
    `<!DOCTYPE html><html><head><meta charset="utf-8">${plotlyScriptTag()}</head><body></body></html>`,
  );
  await page.waitForFunction(
    () => typeof (globalThis as { Plotly?: unknown }).Plotly === "object",
    undefined,
    { timeout: 30_000 },
  );
  return page;
}

async function toImage(
  page: Page,
  figure: PlotlyFigure,
  format: "png" | "svg",
  opts: ImageOptions,
): Promise<string> {
  const size = imageSize(figure, opts);
  try {
    return await page.evaluate(
      async ({ fig, format, size }) => {
        const Plotly = (
          globalThis as unknown as { Plotly: { toImage(f: unknown, o: unknown): Promise<string> } }
        ).Plotly;
        return Plotly.toImage(
          { data: fig.data, layout: { ...fig.layout, width: size.width, height: size.height } },
          { format, width: size.width, height: size.height, scale: size.scale },
        );
      },
      { fig: figure, format, size },
    );
  } catch (e) {
    throw err(
      ErrorCode.RENDER,
      `Plotly.toImage failed for figure "${figure.layout.title?.text}": ${(e as Error).message}`,
      e,
    );
  }
}

/**
 * Opens headless Chromium with plotly.js loaded, ready to turn many figures into PNG or SVG.
 *
 * @example
 * ```ts
 * const renderer = await openFigureRenderer();
 * try { await writeFile("curve.png", await renderer.png(fig)); } finally { await renderer.close(); }
 * ```
 */
export async function openFigureRenderer(opts: { executablePath?: string } = {}): Promise<FigureRenderer> {
  const chrome = await launchChromium(opts);
  let page: Page;
  try {
    page = await plotlyPage(chrome.context);
  } catch (e) {
    await chrome.close();
    throw err(ErrorCode.RENDER, `plotly.js did not load in Chromium: ${(e as Error).message}`, e);
  }
  return {
    async png(figure, o = {}) {
      const url = await toImage(page, figure, "png", o);
      return new Uint8Array(Buffer.from(url.slice(url.indexOf(",") + 1), "base64"));
    },
    async svg(figure, o = {}) {
      const url = await toImage(page, figure, "svg", o);
      const body = url.slice(url.indexOf(",") + 1);
      return url.slice(0, url.indexOf(",")).endsWith(";base64")
        ? Buffer.from(body, "base64").toString("utf8")
        : decodeURIComponent(body);
    },
    close: () => chrome.close(),
  };
}

/**
 * Writes `figure` as PNG or SVG, chosen by the file extension. Pass a `renderer` to reuse one Chromium for
 * many figures; otherwise one is started and stopped for this call.
 *
 * @example
 * ```ts
 * await writeFigureImage("figures/pareto.svg", paretoFigure(rows));
 * ```
 */
export async function writeFigureImage(
  path: string,
  figure: PlotlyFigure,
  opts: ImageOptions & { renderer?: FigureRenderer } = {},
): Promise<void> {
  const ext = extname(path).toLowerCase();
  if (ext !== ".png" && ext !== ".svg") {
    throw err(
      ErrorCode.USAGE,
      `cannot tell the image format of "${path}"; end the file name with .png or .svg`,
    );
  }
  const renderer = opts.renderer ?? (await openFigureRenderer());
  try {
    const content = ext === ".png" ? await renderer.png(figure, opts) : await renderer.svg(figure, opts);
    await writeFile(path, content);
  } catch (e) {
    if ((e as { code?: string }).code?.startsWith("E_")) throw e;
    throw err(ErrorCode.IO, `cannot write image "${path}": ${(e as Error).message}`, e);
  } finally {
    if (!opts.renderer) await renderer.close();
  }
}
