/**
 * TensorFlow.js backend selection: tfjs-node ("tensorflow") where it truly loads, else wasm (SIMD), else cpu.
 * The backend that ran is returned so runs can record it. No top-level await: call {@link initBackend} first.
 */
import { createRequire } from "node:module";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { ErrorCode, err } from "../errors.js";

/** The backends metacomp knows, in order of preference. */
export type BackendName = "tensorflow" | "wasm" | "cpu";

/** What ran: record this with every run. */
export interface BackendInfo {
  readonly name: BackendName;
  /** wasm only: whether the SIMD build was used. */
  readonly simd: boolean;
  readonly tfjsVersion: string;
  /** Backends tried before this one, each with the reason it was skipped. */
  readonly skipped: readonly { name: BackendName; reason: string }[];
}

const require = createRequire(import.meta.url);
let wasmPathsSet = false;

function wasmDistDir(): string {
  const pkg = require.resolve("@tensorflow/tfjs-backend-wasm/package.json");
  return `${path.join(path.dirname(pkg), "dist")}${path.sep}`;
}

async function tryTensorflow(): Promise<string | undefined> {
  let name: string;
  try {
    name = require("@tensorflow/tfjs-node/package.json").name;
  } catch (e) {
    return `@tensorflow/tfjs-node is not installed (${(e as Error).message.split("\n")[0]})`;
  }
  // npm overrides alias tfjs-node to plain tfjs where libtensorflow cannot be downloaded.
  if (name !== "@tensorflow/tfjs-node") return `@tensorflow/tfjs-node resolves to ${name} (an npm alias)`;
  try {
    await import("@tensorflow/tfjs-node" as string);
  } catch (e) {
    return `@tensorflow/tfjs-node failed to load: ${(e as Error).message.split("\n")[0]}`;
  }
  if (!tf.findBackendFactory("tensorflow")) return "tfjs-node loaded but registered no 'tensorflow' backend";
  if (!(await tf.setBackend("tensorflow")) || tf.getBackend() !== "tensorflow") {
    return "the 'tensorflow' backend did not initialise";
  }
  return undefined;
}

async function tryWasm(): Promise<string | undefined> {
  try {
    if (!wasmPathsSet) {
      setWasmPaths(wasmDistDir());
      wasmPathsSet = true;
    }
    if (!(await tf.setBackend("wasm")) || tf.getBackend() !== "wasm")
      return "the wasm backend did not initialise";
    return undefined;
  } catch (e) {
    return `wasm failed: ${(e as Error).message.split("\n")[0]}`;
  }
}

/**
 * Selects and initialises a backend. `"auto"` tries tensorflow, then wasm, then cpu; naming one forces it
 * (and throws `E_BACKEND` if it cannot start). Safe to call repeatedly; switching backends keeps no tensors.
 *
 * @example
 * ```ts
 * const info = await initBackend(); // { name: "wasm", simd: true, … } on this machine
 * logParams({ backend: info.name });
 * ```
 */
export async function initBackend(prefer: BackendName | "auto" = "auto"): Promise<BackendInfo> {
  const order: BackendName[] = prefer === "auto" ? ["tensorflow", "wasm", "cpu"] : [prefer];
  const skipped: { name: BackendName; reason: string }[] = [];
  for (const name of order) {
    let reason: string | undefined;
    if (name === "tensorflow") reason = await tryTensorflow();
    else if (name === "wasm") reason = await tryWasm();
    else reason = (await tf.setBackend("cpu")) && tf.getBackend() === "cpu" ? undefined : "cpu did not start";
    if (reason === undefined) {
      await tf.ready();
      return {
        name,
        simd: name === "wasm" && (await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT")) === true,
        tfjsVersion: tf.version.tfjs,
        skipped,
      };
    }
    skipped.push({ name, reason });
  }
  throw err(
    ErrorCode.BACKEND,
    `no TensorFlow.js backend started (${skipped.map((s) => `${s.name}: ${s.reason}`).join("; ")}); use "auto"`,
  );
}

/**
 * The backend currently active, as recorded in runs.
 *
 * @example
 * ```ts
 * await initBackend("cpu");
 * currentBackend(); // "cpu"
 * ```
 */
export function currentBackend(): string {
  return tf.getBackend();
}
