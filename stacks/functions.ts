/**
 * One factory for every Lambda in the app (HTTP routes and bucket triggers), so they all get the same
 * runtime, packaging and configuration, and each gets only the S3 access it needs.
 */
import type { BucketTrigger, HttpRoute } from "../packages/core/src/routes";
import { ORT_WASM_FILES } from "../packages/core/src/runtime/wasm-location";
import { queues, queueUrlsJson } from "./queues";
import { apiKeyHashes, media, models, pseudonymKey, results, webhookSecret } from "./storage";

type Entry = HttpRoute | BucketTrigger;

/** Where the models are cached inside a warm Lambda (the only writable path). */
const MODEL_CACHE_DIR = "/tmp/marquee-models";

/** Lambda's limits; API Gateway's HTTP API gives up on an integration after 30 seconds. */
const LIMITS = { minMemoryMb: 128, maxMemoryMb: 10_240, maxTimeoutSeconds: 900, maxHttpTimeoutSeconds: 29 };

type Grant =
  /** Read users' uploads (`uploads/*`) in the media bucket. */
  | "media:read-uploads"
  /** Presign PUTs under `uploads/*`: the URL carries the function's own s3:PutObject right. */
  | "media:presign-uploads"
  | "results:read"
  | "results:write"
  | "models:read"
  /** Send S3-event messages to the batch queues (re-enqueue uploads). */
  | "queues:send"
  /** Publish "Batch Job Finished" to the default EventBridge bus, and sign webhooks. */
  | "events:put"
  /** Write training job requests under `uploads/training/<kind>/<dataset>/jobs/`. */
  | "media:write-training-jobs"
  /** Publish trained versions and move aliases in the models bucket. */
  | "models:write"
  /** The pseudonymisation key, as an environment variable. */
  | "pseudonym:key";

/**
 * What each function may touch, by route or trigger id. Every id must be listed: a new route without an
 * entry fails the deploy instead of silently getting broad (or no) access.
 */
export const access: Readonly<Record<string, readonly Grant[]>> = {
  Health: [],
  Fallback: [],
  Models: ["models:read"],
  Faces: ["media:read-uploads", "models:read"],
  Labels: ["media:read-uploads", "models:read"],
  Moderation: ["media:read-uploads", "models:read"],
  ScreenText: ["media:read-uploads", "models:read"],
  Analyze: ["media:read-uploads", "models:read"],
  Uploads: ["media:presign-uploads"],
  Jobs: ["results:read", "media:read-uploads"],
  JobResults: ["results:read"],
  JobReprocess: ["media:read-uploads", "results:read", "queues:send"],
  Frames: ["media:read-uploads", "results:read", "results:write", "models:read", "events:put"],
  Sentiment: ["models:read"],
  Embeddings: ["models:read"],
  Search: ["results:read", "models:read"],
  CatalogBuild: ["results:read", "results:write", "models:read"],
  CatalogInfo: ["results:read"],
  OpenApi: [],
  Generate: ["models:read"],
  GenerateStream: ["models:read"],
  GenerateTemplates: [],
  Text: ["media:read-uploads", "results:read", "results:write", "models:read", "events:put"],
  Catalogs: ["media:read-uploads", "results:read", "results:write", "models:read", "events:put"],
  TrainingJobs: ["media:read-uploads", "media:write-training-jobs", "results:write"],
  TrainingJob: ["results:read"],
  ModelVersions: ["models:read"],
  Recommendations: ["models:read", "pseudonym:key"],
  SimilarItems: ["models:read"],
  Recommender: ["models:read"],
  RecsRequests: [
    "media:read-uploads",
    "results:read",
    "results:write",
    "models:read",
    "events:put",
    "pseudonym:key",
  ],
  ModelAlias: ["models:read", "models:write"],
  Training: [
    "media:read-uploads",
    "media:write-training-jobs",
    "results:read",
    "results:write",
    "models:read",
    "models:write",
    "pseudonym:key",
  ],
};

/**
 * Explicit IAM statements instead of `link`: linking a bucket grants `s3:*` on all of it.
 * s3:ListBucket is on the bucket itself (it takes no key prefix); without it S3 answers 403 instead of
 * 404 for a missing key, and the code relies on 404 ("model not installed", "no such upload", "no job").
 * It is left without an s3:prefix condition: a HEAD request carries no s3:prefix, so S3 would answer 403.
 */
function permissions(grants: readonly Grant[]): sst.aws.FunctionPermissionArgs[] {
  const statements: Record<Grant, sst.aws.FunctionPermissionArgs[]> = {
    "media:read-uploads": [
      { actions: ["s3:GetObject"], resources: [$interpolate`${media.arn}/uploads/*`] },
      { actions: ["s3:ListBucket"], resources: [media.arn] },
    ],
    "media:presign-uploads": [
      { actions: ["s3:PutObject"], resources: [$interpolate`${media.arn}/uploads/*`] },
    ],
    // Job requests only: a training job is started by its request landing in the data set's jobs/ folder.
    "media:write-training-jobs": [
      { actions: ["s3:PutObject"], resources: [$interpolate`${media.arn}/uploads/training/*/*/jobs/*`] },
    ],
    // Trained versions: immutable files, manifests and alias histories are created, never deleted.
    "models:write": [{ actions: ["s3:PutObject"], resources: [$interpolate`${models.arn}/models/*`] }],
    "pseudonym:key": [],
    "results:read": [
      { actions: ["s3:GetObject"], resources: [$interpolate`${results.arn}/results/*`] },
      { actions: ["s3:ListBucket"], resources: [results.arn] },
    ],
    // Delete replaces what an older version of a re-uploaded frame produced (results only, never uploads).
    "results:write": [
      { actions: ["s3:PutObject", "s3:DeleteObject"], resources: [$interpolate`${results.arn}/results/*`] },
    ],
    "models:read": [
      { actions: ["s3:GetObject"], resources: [$interpolate`${models.arn}/*`] },
      { actions: ["s3:ListBucket"], resources: [models.arn] },
    ],
    "queues:send": [
      { actions: ["sqs:SendMessage"], resources: Object.values(queues).map(({ queue }) => queue.arn) },
    ],
    "events:put": [
      {
        actions: ["events:PutEvents"],
        resources: [
          $interpolate`arn:aws:events:${aws.getRegionOutput().name}:${aws.getCallerIdentityOutput().accountId}:event-bus/default`,
        ],
      },
    ],
  };
  return grants.flatMap((grant) => statements[grant]);
}

function check(entry: Entry): readonly Grant[] {
  const grants = access[entry.id];
  if (!grants) {
    throw new Error(`stacks/functions.ts: no S3 access declared for "${entry.id}"; add it to \`access\``);
  }
  const { minMemoryMb, maxMemoryMb, maxTimeoutSeconds, maxHttpTimeoutSeconds } = LIMITS;
  if (!Number.isInteger(entry.memoryMb) || entry.memoryMb < minMemoryMb || entry.memoryMb > maxMemoryMb) {
    throw new Error(`${entry.id}: memoryMb must be an integer in ${minMemoryMb}..${maxMemoryMb}`);
  }
  // Only API Gateway cuts a request at 29 s; a function URL lets the function run to its own timeout.
  const maxTimeout = "invoke" in entry && entry.invoke === "api" ? maxHttpTimeoutSeconds : maxTimeoutSeconds;
  if (
    !Number.isInteger(entry.timeoutSeconds) ||
    entry.timeoutSeconds < 1 ||
    entry.timeoutSeconds > maxTimeout
  ) {
    throw new Error(`${entry.id}: timeoutSeconds must be an integer in 1..${maxTimeout}`);
  }
  return grants;
}

/** The props for one route's or trigger's function (`handler` is relative to the repo root, like sst.config.ts). */
export function functionProps(entry: Entry): sst.aws.FunctionArgs {
  const isHttp = "method" in entry;
  const grants = check(entry);
  return {
    handler: entry.handler,
    description: isHttp
      ? `${entry.description} (${entry.id})`
      : `${entry.bucket} ${entry.prefix} (${entry.id})`,
    architecture: "arm64",
    runtime: "nodejs22.x",
    memory: `${entry.memoryMb} MB`,
    timeout: `${entry.timeoutSeconds} seconds`,
    nodejs: {
      // faces.ts and frames.ts warm their models with top-level await (Lambda's Init phase): ESM only.
      format: "esm",
      // sharp is a native module and cannot be bundled. Listing it here makes SST leave it external and
      // npm-install it into the function package for the function's platform: SST 4.17.1 runs npm with
      // `--os=linux --cpu=arm64` for arm64 functions, so the package gets @img/sharp-linux-arm64 and its
      // libvips, not the build machine's binaries. Core loads it on first use, so only functions that
      // run models ship it.
      ...(entry.assets.includes("sharp") && { install: ["sharp"] }),
      // Never bundled: core imports it lazily, and functions without models never load it.
      esbuild: { external: ["sharp"] },
    },
    // onnxruntime-web loads its WASM pair at run time from a file path, so it cannot be bundled either;
    // packages/core/src/runtime/wasm-location.ts looks for it in $LAMBDA_TASK_ROOT (the package root).
    ...(entry.assets.some((asset) => asset === "ort" || asset === "chartjs") && {
      copyFiles: [
        ...(entry.assets.includes("ort")
          ? ORT_WASM_FILES.map((file) => ({ from: `node_modules/onnxruntime-web/dist/${file}`, to: file }))
          : []),
        // report.html inlines Chart.js, read from beside the bundle.
        ...(entry.assets.includes("chartjs")
          ? [{ from: "node_modules/chart.js/dist/chart.umd.min.js", to: "chart.umd.min.js" }]
          : []),
      ],
    }),
    environment: {
      MAAS_STAGE: $app.stage,
      MAAS_LOG_LEVEL: "info",
      MAAS_MEDIA_BUCKET: media.name,
      MAAS_RESULTS_BUCKET: results.name,
      MAAS_MODELS_BUCKET: models.name,
      MAAS_MODEL_CACHE_DIR: MODEL_CACHE_DIR,
      // Only functions that check API keys get the hashes.
      ...(isHttp && entry.auth ? { MAAS_API_KEY_HASHES: apiKeyHashes.value } : {}),
      ...(grants.includes("queues:send") ? { MAAS_QUEUE_URLS: queueUrlsJson } : {}),
      ...(grants.includes("events:put")
        ? { MAAS_EVENT_BUS: "default", MAAS_WEBHOOK_SECRET: webhookSecret.value }
        : {}),
      ...(grants.includes("pseudonym:key") ? { MAAS_PSEUDONYM_KEY: pseudonymKey.value } : {}),
    },
    permissions: permissions(grants),
  };
}
