/**
 * `json-logs`: newline-delimited JSON log records built from templates — increasing timestamps, levels, services,
 * request ids, users, messages and latencies — with an optional schema drift that switches the record layout
 * every `driftEvery` records.
 *
 * Entropy rate: an estimate (`exact: false`) — the mean self-information of the random choices per byte over a
 * 256 KiB sample (the records decode back to their choices).
 */
import { z } from "zod";
import { createRng, deriveSeed, type Rng } from "../../rng.js";
import { Chooser, categorical, estimateRate, zipfWeights } from "../choices.js";
import { chunkedSource, type FamilyModel, type FamilySource } from "../family.js";

/** Parameters of the `json-logs` family. */
export const jsonLogsParamsSchema = z.object({
  family: z.literal("json-logs"),
  services: z.number().int().min(1).max(1000).default(8).describe("distinct service names"),
  users: z.number().int().min(1).max(1e7).default(1000).describe("distinct user ids (Zipf 1.0)"),
  meanIntervalMs: z.number().min(0).max(1e7).default(50).describe("mean gap between timestamps (geometric)"),
  idHexChars: z.number().int().min(0).max(64).default(16).describe("hex digits of the request id"),
  driftEvery: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe("switch between two record layouts every this many records (schema drift)"),
});

/** Parameters of the `json-logs` family (parsed). */
export type JsonLogsParams = z.output<typeof jsonLogsParamsSchema>;

const LEVELS = ["DEBUG", "INFO", "WARN", "ERROR"];
const LEVEL_WEIGHTS = [15, 70, 10, 5];
const SERVICE_STEMS = ["auth", "billing", "search", "cart", "gateway", "profile", "inventory", "mailer"];
const RESOURCES = ["users", "orders", "items", "sessions", "invoices", "carts"];
const METHODS = ["GET", "GET", "GET", "POST", "PUT", "DELETE"];
const STATUSES = [200, 201, 204, 400, 401, 404, 500, 503];
const STATUS_WEIGHTS = [80, 5, 3, 4, 2, 4, 1, 1];
const REGIONS = ["eu-west-1", "us-east-1", "us-west-2", "ap-south-1"];
const START_MS = Date.UTC(2026, 0, 1);

/** A function writing the next record (with its newline) as a string. */
type RecordWriter = () => string;

function recordWriter(params: JsonLogsParams, c: Chooser): RecordWriter {
  const levels = categorical(LEVEL_WEIGHTS);
  const statuses = categorical(STATUS_WEIGHTS);
  const users = categorical(zipfWeights(params.users, 1));
  const services = Array.from(
    { length: params.services },
    (_, i) => `${SERVICE_STEMS[i % SERVICE_STEMS.length]}${i < SERVICE_STEMS.length ? "" : `-${i}`}`,
  );
  let ts = START_MS;
  let n = 0;
  return () => {
    ts += c.geometric(params.meanIntervalMs);
    const layout = params.driftEvery ? Math.floor(n / params.driftEvery) % 2 : 0;
    n++;
    const level = LEVELS[c.pick(levels)];
    const service = services[c.uniform(services.length)];
    const req = c.hex(params.idHexChars);
    const user = c.pick(users) + 1;
    const latency = c.geometric(40);
    const template = c.uniform(4);
    let msg: string;
    if (template === 0) {
      const method = METHODS[c.uniform(METHODS.length)];
      msg = `${method} /api/v1/${RESOURCES[c.uniform(RESOURCES.length)]}/${c.uniform(100000)} ${STATUSES[c.pick(statuses)]}`;
    } else if (template === 1)
      msg = `user ${user} logged in from 10.${c.uniform(256)}.${c.uniform(256)}.${c.uniform(256)}`;
    else if (template === 2)
      msg = `cache miss for key ${RESOURCES[c.uniform(RESOURCES.length)]}:${c.uniform(10000)}`;
    else msg = `retrying job ${c.hex(8)} (attempt ${1 + c.uniform(5)} of 5)`;
    const time = new Date(ts).toISOString();
    if (layout === 0) {
      return `{"ts":"${time}","level":"${level}","service":"${service}","req":"${req}","user":${user},"msg":"${msg}","latency_ms":${latency}}\n`;
    }
    const region = REGIONS[c.uniform(REGIONS.length)];
    return `{"@timestamp":"${time}","severity":"${level.toLowerCase()}","svc":"${service}","region":"${region}","trace_id":"${req}","user_id":"u${user}","message":"${msg}","duration_us":${latency * 1000}}\n`;
  };
}

/**
 * Builds the `json-logs` model.
 *
 * @example
 * ```ts
 * buildJsonLogs(jsonLogsParamsSchema.parse({ family: "json-logs", driftEvery: 1000 }), 1).entropy.exact; // false
 * ```
 */
export function buildJsonLogs(params: JsonLogsParams, seed: number): FamilyModel {
  const sampler = new Chooser(createRng(deriveSeed(seed, "json-logs-estimate")));
  const sample = recordWriter(params, sampler);
  const bits = estimateRate(sampler, () => sample().length, 1 << 18);
  return {
    entropy: { bitsPerByte: bits, exact: false },
    createSource(rng: Rng): FamilySource {
      const next = recordWriter(params, new Chooser(rng));
      const encoder = new TextEncoder();
      return chunkedSource(() => {
        let text = "";
        while (text.length < 4096) text += next();
        return encoder.encode(text);
      });
    },
  };
}
