import { describe, expect, it } from "vitest";
import { toDataFrame } from "./dataframe.js";

describe("toDataFrame maxRows", () => {
  const rows = Array.from({ length: 14 }, (_, i) => ({ i, name: `row-${i}` }));

  it("prints danfo's default 10 rows without the option, and all asked-for rows with it", async () => {
    const short = (await toDataFrame(rows)).toString();
    const full = (await toDataFrame(rows, { maxRows: 20 })).toString();
    expect(short).not.toContain("row-13");
    expect(full).toContain("row-13");
    expect((await toDataFrame(rows, { maxRows: 20 })).shape).toEqual([14, 2]);
  });
});
