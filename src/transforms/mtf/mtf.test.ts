import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { codeOf } from "../../codecs/test-utils/errors.js";
import { expectEdgeRoundTrips, expectPropertyRoundTrips } from "../../codecs/test-utils/stage-checks.js";
import { ErrorCode } from "../../errors.js";
import { fuzzFrames } from "../../pipeline/test-utils/fuzz.js";
import { mtfDecodeKernel, mtfEncodeKernel } from "./kernel.js";
import { mtfTransform } from "./transform.js";

describe("mtf", () => {
  it("codes a known sequence", () => {
    const input = Uint8Array.of(98, 97, 110, 97, 110, 97, 0, 0, 255);
    const out = new Uint8Array(input.length);
    mtfEncodeKernel(input, out, new Uint8Array(256));
    // b→98, a→98 (a moved behind b), n→110, a→1, n→1, a→1, 0→3, 0→0, 255→255
    expect(Array.from(out)).toEqual([98, 98, 110, 1, 1, 1, 3, 0, 255]);
    const back = new Uint8Array(input.length);
    mtfDecodeKernel(out, back, new Uint8Array(256));
    expect(back).toEqual(input);
  });

  it("decode inverts encode and every byte string decodes (property)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (input) => {
        const coded = mtfTransform.encode(input, {});
        const back = mtfTransform.decode(coded, {}, { maxOutputBytes: input.length });
        const again = mtfTransform.encode(
          mtfTransform.decode(input, {}, { maxOutputBytes: input.length }),
          {},
        );
        return Buffer.compare(back, input) === 0 && Buffer.compare(again, input) === 0;
      }),
      { numRuns: 200, seed: 3 },
    );
  });

  it("round-trips edge inputs and arbitrary inputs through frames", () => {
    expectEdgeRoundTrips("mtf>store");
    expectPropertyRoundTrips("mtf>store");
  });

  it("respects the output limit", () => {
    expect(codeOf(() => mtfTransform.decode(new Uint8Array(10), {}, { maxOutputBytes: 9 }))).toBe(
      ErrorCode.OUTPUT_LIMIT,
    );
  });

  it("survives 10,000 mutated frames with exact output or coded errors", () => {
    const outcome = fuzzFrames("mtf>store", 10_000, 307);
    expect(outcome.failures).toEqual([]);
    expect(outcome.decodedExactly + outcome.codedErrors).toBe(10_000);
    expect(outcome.codedErrors).toBeGreaterThan(5_000);
  });
});
