import { execFileSync } from "node:child_process";
import { crc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parseSpec } from "../pipeline/spec.js";
import { textBytes } from "../pipeline/test-utils/inputs.js";

/** Runs a reference CLI tool with `input` on stdin and returns its stdout. */
function tool(cmd: string, args: string[], input: Uint8Array): Uint8Array {
  return execFileSync(cmd, args, { input, maxBuffer: 64 << 20 });
}

/** Wraps a raw DEFLATE stream in a minimal gzip member (RFC 1952) so that `gzip -d` can check it. */
function gzipWrap(deflate: Uint8Array, original: Uint8Array): Uint8Array {
  const out = new Uint8Array(10 + deflate.length + 8);
  out.set([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]);
  out.set(deflate, 10);
  const dv = new DataView(out.buffer);
  dv.setUint32(10 + deflate.length, crc32(original), true);
  dv.setUint32(14 + deflate.length, original.length >>> 0, true);
  return out;
}

function stage(spec: string) {
  const { stage, params } = parseSpec(spec).stages[0];
  return {
    encode: (u8: Uint8Array) => stage.encode(u8, params),
    decode: (u8: Uint8Array) => stage.decode(u8, params, { maxOutputBytes: 64 << 20 }),
  };
}

const data = textBytes(300_000, 11);

// Each reference tool decodes our payload, and our decoder reads the tool's output.
const cases: {
  spec: string;
  decodeArgs: [string, string[]];
  encodeArgs: [string, string[]];
  wrap?: boolean;
}[] = [
  { spec: "deflate:9", decodeArgs: ["gzip", ["-dc"]], encodeArgs: ["gzip", ["-9c"]], wrap: true },
  { spec: "gzip:6", decodeArgs: ["gzip", ["-dc"]], encodeArgs: ["gzip", ["-6c"]] },
  { spec: "zstd:19", decodeArgs: ["zstd", ["-dc"]], encodeArgs: ["zstd", ["-19c"]] },
  { spec: "lz4", decodeArgs: ["lz4", ["-dc"]], encodeArgs: ["lz4", ["-9c"]] },
  { spec: "brotli:11:22", decodeArgs: ["brotli", ["-dc"]], encodeArgs: ["brotli", ["-c", "-q", "9"]] },
];

describe("interop with the Debian reference CLI tools", () => {
  for (const c of cases) {
    it(`${c.spec}: our payload decodes with \`${c.decodeArgs.join(" ")}\`, and theirs with ours`, () => {
      const codec = stage(c.spec);
      const ours = codec.encode(data);
      const forTool = c.wrap ? gzipWrap(ours, data) : ours;
      expect(Buffer.compare(tool(c.decodeArgs[0], c.decodeArgs[1], forTool), data)).toBe(0);

      let theirs = tool(c.encodeArgs[0], c.encodeArgs[1], data);
      if (c.wrap) {
        // gzip's member: 10-byte header (no name when reading stdin), deflate body, 8-byte trailer.
        expect(theirs[3] & 0x08).toBe(0);
        theirs = theirs.subarray(10, theirs.length - 8);
      }
      expect(Buffer.compare(codec.decode(theirs), data)).toBe(0);
    });
  }
});
