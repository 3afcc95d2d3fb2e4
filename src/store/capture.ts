/** What a run records about its code and machine, and the canonical config hash. */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpus } from "node:os";

/**
 * Hex sha256 of a string or bytes.
 *
 * @example
 * ```ts
 * sha256Hex(canonicalJson(config)).length; // 64
 * ```
 */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Git state of a working tree; every field is null outside a git checkout. */
export interface GitState {
  commit: string | null;
  branch: string | null;
  dirty: boolean | null;
}

function git(cwd: string, args: string[]): string | null {
  try {
    return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null;
  }
}

/**
 * Reads the commit, branch and dirty flag of the checkout at `cwd`.
 *
 * @example
 * ```ts
 * gitState(process.cwd()); // { commit: "c97cddf…", branch: "main", dirty: true }
 * ```
 */
export function gitState(cwd: string): GitState {
  const commit = git(cwd, ["rev-parse", "HEAD"]);
  if (commit === null) return { commit: null, branch: null, dirty: null };
  const status = git(cwd, ["status", "--porcelain", "--untracked-files=no"]);
  return {
    commit,
    branch: git(cwd, ["rev-parse", "--abbrev-ref", "HEAD"]),
    dirty: status === null ? null : status.length > 0,
  };
}

/** The machine facts stored with each run. */
export interface MachineState {
  nodeVersion: string;
  platform: string;
  cpuModel: string;
}

/**
 * Node version, `platform-arch` and CPU model of this process.
 *
 * @example
 * ```ts
 * machineState(); // { nodeVersion: "v20.20.0", platform: "linux-x64", cpuModel: "AMD EPYC …" }
 * ```
 */
export function machineState(): MachineState {
  return {
    nodeVersion: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpuModel: cpus()[0]?.model ?? "unknown",
  };
}
