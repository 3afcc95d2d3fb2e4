import { defineConfig } from "vitest/config";

const critical = { lines: 90 };

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts"],
      exclude: ["src/**/*.test.ts", "src/**/test-utils/**", "src/cli/**"],
      reporter: ["text-summary", "json-summary"],
      thresholds: {
        "src/codecs/**": critical,
        "src/transforms/**": critical,
        "src/pipeline/**": critical,
        "src/store/**": critical,
        "src/bench/metrics/**": critical,
        "src/learner/metrics/**": critical,
        "src/stats.ts": critical,
      },
    },
  },
});
