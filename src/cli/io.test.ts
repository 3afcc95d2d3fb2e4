import { describe, expect, it } from "vitest";
import { ErrorCode } from "../errors.js";
import { numberArg, numberListArg } from "./io.js";

function usageMessage(read: () => unknown): string {
  try {
    read();
  } catch (e) {
    expect((e as { code?: string }).code).toBe(ErrorCode.USAGE);
    return (e as Error).message;
  }
  throw new Error("expected a usage error");
}

describe("numberArg", () => {
  it("returns numbers the rule accepts, bounds included", () => {
    expect(numberArg("5", "repeats", { integer: true, min: 1 })).toBe(5);
    expect(numberArg("0.25", "test-fraction", { min: 0, max: 1 })).toBe(0.25);
    expect(numberArg("1", "test-fraction", { min: 0, max: 1 })).toBe(1);
    expect(numberArg("-3.5", "shift")).toBe(-3.5);
  });

  it("names the option, the value and what it accepts", () => {
    expect(usageMessage(() => numberArg("abc", "repeats", { integer: true, min: 1 }))).toBe(
      '--repeats "abc" must be an integer ≥ 1',
    );
    expect(usageMessage(() => numberArg("2.5", "workers", { integer: true, min: 1 }))).toMatch(/an integer/);
    expect(usageMessage(() => numberArg("0", "workers", { integer: true, min: 1 }))).toMatch(/≥ 1/);
    expect(usageMessage(() => numberArg("1.5", "test-fraction", { min: 0, max: 1 }))).toMatch(/from 0 to 1/);
    expect(usageMessage(() => numberArg("7", "epsilon", { max: 1 }))).toMatch(/a number ≤ 1/);
    expect(numberArg("0.003", "lr", { above: 0 })).toBe(0.003);
    expect(usageMessage(() => numberArg("0", "lr", { above: 0 }))).toBe('--lr "0" must be a number > 0');
    expect(usageMessage(() => numberArg("2", "tau", { above: 0, max: 1 }))).toMatch(/> 0 and ≤ 1/);
    expect(usageMessage(() => numberArg("", "lr"))).toBe('--lr "" must be a number');
    expect(usageMessage(() => numberArg("Infinity", "lr"))).toMatch(/a number/);
    expect(usageMessage(() => numberArg("1e300", "seed", { integer: true }))).toMatch(/an integer/);
  });
});

describe("numberListArg", () => {
  it("splits on the separator and checks every item", () => {
    expect(numberListArg("128x64", "hidden", { integer: true, min: 1 }, "x")).toEqual([128, 64]);
    expect(numberListArg("0.9,0.97", "novelty", { min: 0, max: 1 })).toEqual([0.9, 0.97]);
    expect(numberListArg("", "novelty")).toEqual([]);
    expect(usageMessage(() => numberListArg("64xq", "hidden", { integer: true, min: 1 }, "x"))).toBe(
      '--hidden "64xq": each "x"-separated item must be an integer ≥ 1 (got "q")',
    );
    expect(usageMessage(() => numberListArg("0.9,,1", "novelty", { min: 0, max: 1 }))).toMatch(/got ""/);
  });
});
