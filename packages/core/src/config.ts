import { existsSync } from "node:fs";
import path from "node:path";
import { ConfigError } from "./errors.js";

export interface Config {
  stage: string;
  region: string;
  mediaBucket: string;
  resultsBucket: string;
  modelsBucket: string;
  /** Only set for the local twin: an S3-protocol server on loopback. */
  s3Endpoint: string | undefined;
  modelCacheDir: string;
  modelMirror: string | undefined;
  threads: number;
  /**
   * V8's WebAssembly tiering budget, set before onnxruntime compiles its WASM (`MAAS_WASM_TIERING_BUDGET`;
   * 0 leaves V8's default): a larger budget defers the background tier-up that stalls a cold start.
   */
  wasmTieringBudget: number;
  memoryMb: number;
  apiKeyHashes: ReadonlySet<string>;
  maxSyncImageBytes: number;
  maxFrameBytes: number;
  maxArchiveBytes: number;
  maxArchiveFrames: number;
  maxImagePixels: number;
  uploadUrlTtlSeconds: number;
  /** Signs job webhooks (HMAC-SHA256). The twin uses a fixed development secret. */
  webhookSecret: string | undefined;
  /** EventBridge bus for "Batch Job Finished" events; unset: none are sent (the twin). */
  eventBus: string | undefined;
  /** Batch trigger id → SQS queue URL, for functions that re-enqueue uploads (`MAAS_QUEUE_URLS`, JSON). */
  queueUrls: Readonly<Record<string, string>>;
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
  /**
   * Keys the HMAC that turns uploaded user ids into pseudonyms (`MAAS_PSEUDONYM_KEY`, ≥ 16 characters; an SST
   * secret in the cloud, a fixed development key in the twin). Training ratings refuses to run without it.
   */
  pseudonymKey: string | undefined;
  /** How long a served alias (e.g. a model's `default`) is cached before it is read again (`MAAS_ALIAS_TTL_MS`). */
  aliasTtlMs: number;
}

type Env = Record<string, string | undefined>;

const LAMBDA_MB_PER_VCPU = 1769;
/** ~55× V8's default (1,800,000): first faces run ~55 ms instead of ~200–370, warm runs unchanged (bench). */
const DEFAULT_WASM_TIERING_BUDGET = 100_000_000;

function intFrom(env: Env, name: string, fallback: number, min = 1): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigError(`${name} must be an integer >= ${min}, got "${raw}"`);
  }
  return value;
}

function required(env: Env, name: string, fallback?: string): string {
  const value = env[name] || fallback;
  if (!value) throw new ConfigError(`${name} is required`);
  return value;
}

function defaultMirror(): string | undefined {
  const sibling = path.resolve(process.cwd(), "../shared/models");
  return existsSync(sibling) ? sibling : undefined;
}

function parseQueueUrls(raw: string | undefined): Record<string, string> {
  if (!raw) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError("MAAS_QUEUE_URLS must be a JSON object of trigger id -> queue URL");
  }
  const entries = Object.entries(parsed && typeof parsed === "object" ? parsed : {});
  if (
    Array.isArray(parsed) ||
    entries.some(([, url]) => typeof url !== "string" || !/^https:\/\//.test(url))
  ) {
    throw new ConfigError("MAAS_QUEUE_URLS must map trigger ids to https:// queue URLs");
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

/** The local twin's webhook signing secret (documented; never used outside stage "local"). */
export const LOCAL_WEBHOOK_SECRET = "marquee-local-webhook-secret";
/** The local twin's pseudonymisation key (documented; never used outside stage "local"). */
export const LOCAL_PSEUDONYM_KEY = "marquee-local-pseudonym-key";

const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;

export function readConfig(env: Env = process.env): Config {
  const memoryMb = intFrom(env, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", LAMBDA_MB_PER_VCPU, 128);
  const logLevel = (env.MAAS_LOG_LEVEL ?? "info") as Config["logLevel"];
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`MAAS_LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}`);
  }
  const hashes = (env.MAAS_API_KEY_HASHES ?? "")
    .split(",")
    .map((hash) => hash.trim().toLowerCase())
    .filter(Boolean);
  for (const hash of hashes) {
    if (!/^[0-9a-f]{64}$/.test(hash))
      throw new ConfigError("MAAS_API_KEY_HASHES must hold sha256 hex digests");
  }
  const stage = env.MAAS_STAGE ?? "dev";
  const webhookSecret = env.MAAS_WEBHOOK_SECRET || (stage === "local" ? LOCAL_WEBHOOK_SECRET : undefined);
  if (webhookSecret !== undefined && webhookSecret.length < 16) {
    throw new ConfigError("MAAS_WEBHOOK_SECRET must be at least 16 characters");
  }
  const pseudonymKey = env.MAAS_PSEUDONYM_KEY || (stage === "local" ? LOCAL_PSEUDONYM_KEY : undefined);
  if (pseudonymKey !== undefined && pseudonymKey.length < 16) {
    throw new ConfigError("MAAS_PSEUDONYM_KEY must be at least 16 characters");
  }
  return Object.freeze({
    stage,
    region: env.AWS_REGION ?? "us-east-1",
    mediaBucket: required(env, "MAAS_MEDIA_BUCKET", "marquee-media"),
    resultsBucket: required(env, "MAAS_RESULTS_BUCKET", "marquee-results"),
    modelsBucket: required(env, "MAAS_MODELS_BUCKET", "marquee-models"),
    s3Endpoint: env.MAAS_S3_ENDPOINT || undefined,
    modelCacheDir: env.MAAS_MODEL_CACHE_DIR ?? "/tmp/marquee-models",
    modelMirror: env.MAAS_MODEL_MIRROR || defaultMirror(),
    threads: intFrom(env, "MAAS_THREADS", Math.max(1, Math.floor(memoryMb / LAMBDA_MB_PER_VCPU))),
    wasmTieringBudget: intFrom(env, "MAAS_WASM_TIERING_BUDGET", DEFAULT_WASM_TIERING_BUDGET, 0),
    memoryMb,
    apiKeyHashes: new Set(hashes),
    maxSyncImageBytes: intFrom(env, "MAAS_MAX_SYNC_IMAGE_BYTES", 4 * 1024 * 1024),
    maxFrameBytes: intFrom(env, "MAAS_MAX_FRAME_BYTES", 20 * 1024 * 1024),
    maxArchiveBytes: intFrom(env, "MAAS_MAX_ARCHIVE_BYTES", 256 * 1024 * 1024),
    maxArchiveFrames: intFrom(env, "MAAS_MAX_ARCHIVE_FRAMES", 5000),
    maxImagePixels: intFrom(env, "MAAS_MAX_IMAGE_PIXELS", 40_000_000),
    uploadUrlTtlSeconds: intFrom(env, "MAAS_UPLOAD_URL_TTL_SECONDS", 900),
    webhookSecret,
    eventBus: env.MAAS_EVENT_BUS || undefined,
    queueUrls: parseQueueUrls(env.MAAS_QUEUE_URLS),
    logLevel,
    pseudonymKey,
    aliasTtlMs: intFrom(env, "MAAS_ALIAS_TTL_MS", 5000, 0),
  });
}

let cached: Config | undefined;

/** The process-wide configuration, read once from the environment; throws ConfigError on bad values. */
export function config(): Config {
  cached ??= readConfig();
  return cached;
}

/** For tests and the twin, which set the environment before first use. */
export function resetConfig(): void {
  cached = undefined;
}
