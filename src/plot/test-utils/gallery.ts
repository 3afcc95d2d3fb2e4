/**
 * Renders every figure builder on sample rows to PNG (and one SVG) for eyeballing legibility.
 * Run: `npx tsx src/plot/test-utils/gallery.ts [outDir]` (default /tmp/metacomp-gallery).
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { confusionFigure } from "../figures/confusion.js";
import { entropyEfficiencyFigure } from "../figures/entropy-efficiency.js";
import { featureImportanceFigure } from "../figures/feature-importance.js";
import { gapClosedFigure } from "../figures/gap-closed.js";
import { learningCurveFigure } from "../figures/learning-curve.js";
import { metaImprovementFigure } from "../figures/meta-improvement.js";
import { paretoFigure } from "../figures/pareto.js";
import { portfolioHeatmapFigure } from "../figures/portfolio.js";
import { systemMetricsFigure } from "../figures/system-metrics.js";
import { openFigureRenderer, writeFigureImage } from "../render/image.js";
import * as s from "./samples.js";

export function sampleFigures() {
  const meta = s.sampleMetaImprovement();
  return {
    "learning-curve": learningCurveFigure(s.sampleLearningCurve()),
    "meta-improvement": metaImprovementFigure(meta.rows, { rates: meta.rates }),
    "gap-closed": gapClosedFigure(s.sampleGapClosed()),
    pareto: paretoFigure(s.sampleSpeedRatio()),
    confusion: confusionFigure(s.sampleSelections()),
    portfolio: portfolioHeatmapFigure(s.samplePortfolio()),
    "feature-importance": featureImportanceFigure(s.sampleFeatureImportance()),
    "entropy-efficiency": entropyEfficiencyFigure(s.sampleEntropyEfficiency()),
    "system-metrics": systemMetricsFigure(s.sampleSystemMetrics()),
  };
}

async function main(outDir: string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const renderer = await openFigureRenderer();
  try {
    for (const [name, fig] of Object.entries(sampleFigures())) {
      await writeFigureImage(join(outDir, `${name}.png`), fig, { renderer, scale: 1 });
      process.stderr.write(`wrote ${join(outDir, `${name}.png`)}\n`);
    }
    await writeFigureImage(join(outDir, "learning-curve.svg"), sampleFigures()["learning-curve"], {
      renderer,
    });
  } finally {
    await renderer.close();
  }
}

if (process.argv[1]?.endsWith("gallery.ts")) {
  main(process.argv[2] ?? "/tmp/metacomp-gallery").catch((e) => {
    process.stderr.write(`${(e as Error).stack}\n`);
    process.exitCode = 1;
  });
}
