/** File and stream helpers shared by CLI commands. `-` means stdin or stdout. */
import { readFile, writeFile } from "node:fs/promises";
import { ErrorCode, err } from "../errors.js";

/** Reads a whole file, or stdin for `-`, as bytes. Unreadable paths get `E_IO` naming the path. */
export async function readBytes(path: string): Promise<Uint8Array> {
  if (path === "-") {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    const all = Buffer.concat(chunks);
    return new Uint8Array(all.buffer, all.byteOffset, all.byteLength);
  }
  try {
    const buf = await readFile(path);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    throw err(
      ErrorCode.IO,
      `cannot read "${path}": ${(e as Error).message}; check the path and permissions`,
      e,
    );
  }
}

/** Writes bytes to a file, or stdout for `-`. */
export async function writeBytes(path: string, bytes: Uint8Array): Promise<void> {
  if (path === "-") {
    await new Promise<void>((resolve, reject) =>
      process.stdout.write(bytes, (e) => (e ? reject(e) : resolve())),
    );
    return;
  }
  try {
    await writeFile(path, bytes);
  } catch (e) {
    throw err(ErrorCode.IO, `cannot write "${path}": ${(e as Error).message}; check the folder exists`, e);
  }
}

/** Throws `E_USAGE` with the message when a required CLI argument is missing. */
export function requireArg(value: string | undefined, message: string): string {
  if (value === undefined || value === "") throw err(ErrorCode.USAGE, message);
  return value;
}
