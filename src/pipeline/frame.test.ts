import { describe, expect, it } from "vitest";
import { isMetacompError, type MetacompError } from "../errors.js";
import { compress, DEFAULT_MAX_OUTPUT_BYTES, decompress, FRAME_VERSION, readFrameHeader } from "./frame.js";
import { createRegistry } from "./registry.js";
import { BUILTIN_STAGES } from "./stages.js";
import { textBytes } from "./test-utils/inputs.js";

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return isMetacompError(e) ? e.code : `uncoded ${(e as Error).name}: ${(e as Error).message}`;
  }
  return "no error";
}

const data = textBytes(5000, 9);

describe("frame layout", () => {
  it("writes the documented header", () => {
    const frame = compress(data, "delta:2>zstd");
    expect(Array.from(frame.subarray(0, 5))).toEqual([0x4d, 0x43, 0x4d, 0x50, FRAME_VERSION]);
    const h = readFrameHeader(frame);
    expect(h).toMatchObject({ formatVersion: 1, spec: "delta:2>zstd:3", originalLength: 5000 });
    expect(h.payloadOffset).toBe(4 + 1 + 1 + "delta:2>zstd:3".length + 2 + 4);
  });

  it("costs at most 16 bytes plus the spec length", () => {
    for (const n of [0, 1, 127, 128, 65_536, 1 << 20, 5_000_000]) {
      const input = new Uint8Array(n);
      const frame = compress(input, "store");
      const overhead = frame.length - n;
      expect(overhead, `n=${n}`).toBeLessThanOrEqual(16 + "store".length);
    }
  });

  it("pins golden frames: bytes written by format version 1 decode forever", () => {
    const hello = "hello, metacomp!";
    // Our own stages are deterministic: their encoded bytes are pinned too.
    const pinned: Record<string, string> = {
      store: "4d434d50010573746f72651015090a0c68656c6c6f2c206d657461636f6d7021",
      "delta:1>store": "4d434d50010d64656c74613a313e73746f72651015090a0c68fd070003bdf44df80fed020cfe03b1",
    };
    for (const [spec, hex] of Object.entries(pinned)) {
      expect(Buffer.from(compress(new TextEncoder().encode(hello), spec)).toString("hex"), spec).toBe(hex);
    }
    // Native encoders may change their output across library versions; frames they wrote must still decode.
    const decodeOnly = [
      "4d434d5001096465666c6174653a361015090a0ccb48cdc9c9d751c84d2d494ccecf2d500400",
      "4d434d5001067a7374643a331015090a0c28b52ffd201081000068656c6c6f2c206d657461636f6d7021",
      "4d434d50010c62726f746c693a31313a32321015090a0c8b078068656c6c6f2c206d657461636f6d702103",
      "4d434d500106677a69703a361015090a0c1f8b0800000000000003cb48cdc9c9d751c84d2d494ccecf2d50040015090a0c10000000",
      "4d434d5001036c7a341015090a0c04224d186040821000008068656c6c6f2c206d657461636f6d702100000000",
    ];
    for (const hex of [...Object.values(pinned), ...decodeOnly]) {
      expect(Buffer.from(decompress(Buffer.from(hex, "hex"))).toString(), hex).toBe(hello);
    }
  });
});

describe("bad frames get coded errors", () => {
  const frame = compress(data, "zstd:3");

  it("wrong magic", () => {
    const bad = frame.slice();
    bad[0] ^= 1;
    expect(codeOf(() => decompress(bad))).toBe("E_BAD_MAGIC");
    expect(codeOf(() => decompress(new TextEncoder().encode("hello world")))).toBe("E_BAD_MAGIC");
  });

  it("unsupported format version", () => {
    const bad = frame.slice();
    bad[4] = FRAME_VERSION + 1;
    expect(codeOf(() => decompress(bad))).toBe("E_UNSUPPORTED_VERSION");
  });

  it("truncated frames, at every header position and inside the payload", () => {
    for (let n = 0; n < 30; n++) {
      expect(
        codeOf(() => decompress(frame.subarray(0, n))),
        `n=${n}`,
      ).toMatch(/E_TRUNCATED|E_CORRUPT/);
    }
    expect(codeOf(() => decompress(frame.subarray(0, frame.length - 3)))).toMatch(/E_CORRUPT|E_TRUNCATED/);
  });

  it("an unknown codec id", () => {
    const onlyZstd = createRegistry(BUILTIN_STAGES.filter((s) => s.id !== "zstd"));
    const e = (() => {
      try {
        decompress(frame, { registry: onlyZstd });
      } catch (x) {
        return x as MetacompError;
      }
    })();
    expect(e?.code).toBe("E_UNKNOWN_STAGE");
    expect(e?.message).toContain('unknown stage "zstd"');
  });

  it("a length that lies", () => {
    const lie = compress(data, "store");
    const h = readFrameHeader(lie);
    const bad = lie.slice();
    bad[h.payloadOffset - 5] ^= 0x01; // low bits of the varint length
    expect(codeOf(() => decompress(bad))).toMatch(/E_LENGTH_MISMATCH|E_OUTPUT_LIMIT/);
    expect(codeOf(() => decompress(compress(data, "zstd").slice(0, -1)))).not.toBe("no error");
  });

  it("a flipped payload bit is caught by the codec or the checksum", () => {
    const stored = compress(data, "store");
    const bad = stored.slice();
    bad[stored.length - 10] ^= 0x10;
    expect(codeOf(() => decompress(bad))).toBe("E_CHECKSUM_MISMATCH");
    const z = frame.slice();
    z[z.length - 5] ^= 0x04;
    expect(codeOf(() => decompress(z))).toMatch(/E_CORRUPT|E_CHECKSUM_MISMATCH|E_LENGTH_MISMATCH/);
  });

  it("payloads that inflate past maxOutputBytes", () => {
    const zeros = new Uint8Array(4 << 20);
    for (const spec of ["deflate:9", "gzip:9", "brotli:5", "zstd:3", "lz4", "store", "delta:4>zstd:1"]) {
      const bomb = compress(zeros, spec);
      expect(
        codeOf(() => decompress(bomb, { maxOutputBytes: 1 << 20 })),
        spec,
      ).toBe("E_OUTPUT_LIMIT");
    }
    expect(DEFAULT_MAX_OUTPUT_BYTES).toBe(512 << 20);
  });

  it("rejects non-byte input", () => {
    expect(codeOf(() => decompress("MCMP" as unknown as Uint8Array))).toBe("E_CORRUPT");
  });
});
