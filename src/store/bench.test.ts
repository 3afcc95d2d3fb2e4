import { describe, expect, it } from "vitest";
import { TABLES } from "../schema/rows.js";
import { benchStore, syntheticTrials } from "./bench.js";

describe("bench:store harness (small sizes; speed is reported by `npm run bench:store`, not asserted here)", () => {
  it("produces valid, deterministic trial rows", () => {
    const rows = syntheticTrials(3, 500);
    expect(rows).toEqual(syntheticTrials(3, 500));
    for (const r of rows) expect(TABLES.trials.row.safeParse(r).success).toBe(true);
    expect(new Set(rows.map((r) => r.pipeline)).size).toBe(6);
  });

  it("measures both paths on real files and verifies the row counts", async () => {
    const r = await benchStore({ appendRows: 3000, rowByRowRows: 40, batch: 1000 });
    expect(r.appendRows).toBe(3000);
    expect(r.rowByRowRows).toBe(40);
    for (const rate of [
      r.appendRowsPerSec,
      r.appendRowsPerCpuSec,
      r.rowByRowRowsPerSec,
      r.rowByRowTxRowsPerSec,
    ]) {
      expect(rate).toBeGreaterThan(0);
      expect(Number.isFinite(rate)).toBe(true);
    }
    expect(r.speedup).toBeCloseTo(r.appendRowsPerSec / r.rowByRowRowsPerSec, 6);
    expect(r.speedupVsTx).toBeCloseTo(r.appendRowsPerSec / r.rowByRowTxRowsPerSec, 6);
  });
});
