/**
 * THE routing table: HTTP routes and bucket triggers. Imported by `stacks/` (what SST deploys) and by
 * the local twin (what it serves), so the two cannot drift. Handler paths are relative to the repo root.
 */
/** What a function's package ships besides its bundle: the onnxruntime-web WASM pair, sharp (native), Chart.js. */
export type Asset = "ort" | "sharp" | "chartjs";

export interface HttpRoute {
  id: string;
  method: "GET" | "POST";
  path: string;
  handler: string;
  auth: boolean;
  /** The task it serves, if any (its request and response schemas go into the API document). */
  task?: string;
  /**
   * Invoke mode: `api` through API Gateway (buffered: HTTP APIs cannot stream a response), or `stream`
   * through the function's own URL with Lambda response streaming (server-sent events).
   */
  invoke: "api" | "stream";
  assets: readonly Asset[];
  memoryMb: number;
  timeoutSeconds: number;
  description: string;
}

export interface BucketTrigger {
  id: string;
  bucket: "media";
  prefix: string;
  handler: string;
  /** The batch kind it runs (batch/kinds). */
  kind: string;
  assets: readonly Asset[];
  memoryMb: number;
  timeoutSeconds: number;
  /** SQS messages per invocation. */
  batchSize: number;
  /** Upper bound on concurrent invocations draining the queue. */
  maxConcurrency: number;
  /** Deliveries before a message goes to the dead-letter queue. */
  maxReceiveCount: number;
}

/** Lambda gives one vCPU per 1,769 MB; inference functions get exactly one. */
const ONE_VCPU_MB = 1769;

/** A synchronous image task: one vCPU, the WASM pair and sharp, API Gateway's 29 s. */
const imageRoute = (id: string, path: string, task: string, description: string): HttpRoute => ({
  id,
  method: "POST",
  path,
  handler: `functions/http/${task}.handler`,
  auth: true,
  task,
  invoke: "api",
  assets: ["ort", "sharp"],
  memoryMb: ONE_VCPU_MB,
  timeoutSeconds: 29,
  description,
});

export const httpRoutes: readonly HttpRoute[] = Object.freeze([
  {
    id: "Health",
    method: "GET",
    path: "/v1/health",
    handler: "functions/http/health.handler",
    auth: false,
    invoke: "api",
    assets: [],
    memoryMb: 256,
    timeoutSeconds: 5,
    description: "Liveness and version",
  },
  {
    id: "Models",
    method: "GET",
    path: "/v1/models",
    handler: "functions/http/models.handler",
    auth: true,
    invoke: "api",
    assets: [],
    memoryMb: 512,
    timeoutSeconds: 10,
    description: "Model catalog with installed state",
  },
  {
    id: "ModelVersions",
    method: "GET",
    path: "/v1/models/{family}/{name}/versions",
    handler: "functions/http/model-versions.handler",
    auth: true,
    invoke: "api",
    assets: [],
    memoryMb: 256,
    timeoutSeconds: 10,
    description: "A trained model's versions (training info, metrics, parent) and its aliases",
  },
  {
    id: "ModelAlias",
    method: "POST",
    path: "/v1/models/{family}/{name}/aliases/{alias}",
    handler: "functions/http/model-alias.handler",
    auth: true,
    invoke: "api",
    assets: [],
    memoryMb: 256,
    timeoutSeconds: 10,
    description: "Point an alias (default, staging…) at a version: promotion and rollback",
  },
  imageRoute("Faces", "/v1/faces", "faces", "Faces and their emotions in one image"),
  imageRoute("Labels", "/v1/labels", "labels", "ImageNet labels of an image (frame description)"),
  imageRoute(
    "Moderation",
    "/v1/moderation",
    "moderation",
    "Is an image safe for an audience: per-class scores",
  ),
  imageRoute("ScreenText", "/v1/text", "text", "On-screen text (subtitles, signs, credits), line by line"),
  imageRoute(
    "Analyze",
    "/v1/analyze",
    "analyze",
    "Several image tasks on one image, decoded once (faces, labels, moderation, text)",
  ),
  {
    id: "Uploads",
    method: "POST",
    path: "/v1/uploads",
    handler: "functions/http/uploads.handler",
    auth: true,
    invoke: "api",
    assets: [],
    memoryMb: 256,
    timeoutSeconds: 10,
    description: "Presigned PUT URL for large media or frame batches",
  },
  {
    id: "Jobs",
    method: "GET",
    path: "/v1/jobs/{job}",
    handler: "functions/http/jobs.handler",
    auth: true,
    invoke: "api",
    assets: [],
    memoryMb: 256,
    timeoutSeconds: 10,
    description: "Summary of a batch job",
  },
  {
    id: "JobResults",
    method: "GET",
    path: "/v1/jobs/{job}/results",
    handler: "functions/http/job-results.handler",
    auth: true,
    invoke: "api",
    assets: [],
    memoryMb: 512,
    timeoutSeconds: 15,
    description: "A batch job's per-item records (paginated) and files, with presigned URLs",
  },
  {
    id: "JobReprocess",
    method: "POST",
    path: "/v1/jobs/{job}/reprocess",
    handler: "functions/http/job-reprocess.handler",
    auth: true,
    invoke: "api",
    assets: [],
    memoryMb: 512,
    timeoutSeconds: 29,
    description: "Re-enqueue the job's uploads that were never processed (missed notifications, lost work)",
  },
  {
    id: "Sentiment",
    method: "POST",
    path: "/v1/sentiment",
    handler: "functions/http/sentiment.handler",
    auth: true,
    task: "sentiment",
    invoke: "api",
    assets: ["ort"],
    memoryMb: ONE_VCPU_MB,
    timeoutSeconds: 29,
    description: "Sentiment of 1-256 texts (reviews)",
  },
  {
    id: "Embeddings",
    method: "POST",
    path: "/v1/embeddings",
    handler: "functions/http/embeddings.handler",
    auth: true,
    task: "embeddings",
    invoke: "api",
    assets: ["ort"],
    memoryMb: ONE_VCPU_MB,
    timeoutSeconds: 29,
    description: "Sentence embeddings of 1-256 texts",
  },
  {
    id: "Search",
    method: "POST",
    path: "/v1/search",
    handler: "functions/http/search.handler",
    auth: true,
    task: "search",
    invoke: "api",
    assets: ["ort"],
    memoryMb: ONE_VCPU_MB,
    timeoutSeconds: 29,
    description: "Hybrid, semantic or keyword search of a catalogue",
  },
  {
    id: "CatalogBuild",
    method: "POST",
    path: "/v1/catalogs/{name}",
    handler: "functions/http/catalog-build.handler",
    auth: true,
    invoke: "api",
    assets: ["ort"],
    memoryMb: ONE_VCPU_MB,
    timeoutSeconds: 29,
    description: "Build (or replace) a small catalogue from items in the request",
  },
  {
    id: "CatalogInfo",
    method: "GET",
    path: "/v1/catalogs/{name}",
    handler: "functions/http/catalog-info.handler",
    auth: true,
    invoke: "api",
    assets: [],
    memoryMb: 256,
    timeoutSeconds: 10,
    description: "A catalogue's size, model and build time",
  },
  {
    id: "Generate",
    method: "POST",
    path: "/v1/generate",
    handler: "functions/http/generate.handler",
    auth: true,
    task: "generate",
    invoke: "api",
    assets: ["ort"],
    memoryMb: ONE_VCPU_MB,
    timeoutSeconds: 29,
    description: "Text generation (plot, logline, quest text); stream: true goes to the streaming URL",
  },
  {
    id: "GenerateTemplates",
    method: "GET",
    path: "/v1/generate/templates",
    handler: "functions/http/generate-templates.handler",
    auth: true,
    invoke: "api",
    assets: [],
    memoryMb: 256,
    timeoutSeconds: 5,
    description: "Prompt templates for POST /v1/generate (logline, plot-outline, quest, character-bark)",
  },
  {
    id: "Recommendations",
    method: "POST",
    path: "/v1/recommendations",
    handler: "functions/http/recommendations.handler",
    auth: true,
    task: "recommendations",
    invoke: "api",
    assets: ["ort"],
    memoryMb: ONE_VCPU_MB,
    timeoutSeconds: 29,
    description: "Top-k items for a user of a trained recommender",
  },
  {
    id: "SimilarItems",
    method: "POST",
    path: "/v1/similar-items",
    handler: "functions/http/similar-items.handler",
    auth: true,
    task: "similar-items",
    invoke: "api",
    assets: ["ort"],
    memoryMb: ONE_VCPU_MB,
    timeoutSeconds: 29,
    description: "Items that go with an item, in a trained recommender",
  },
  {
    id: "Recommender",
    method: "GET",
    path: "/v1/recommenders/{name}",
    handler: "functions/http/recommender.handler",
    auth: true,
    invoke: "api",
    assets: [],
    memoryMb: 256,
    timeoutSeconds: 10,
    description: "A recommender's served version (algorithm, metrics) and all its versions",
  },
  {
    id: "TrainingJobs",
    method: "POST",
    path: "/v1/training-jobs",
    handler: "functions/http/training-jobs.handler",
    auth: true,
    invoke: "api",
    assets: [],
    memoryMb: 256,
    timeoutSeconds: 10,
    description: "Start a training job on a data set uploaded under uploads/training/<kind>/<dataset>/",
  },
  {
    id: "TrainingJob",
    method: "GET",
    path: "/v1/training-jobs/{id}",
    handler: "functions/http/training-job.handler",
    auth: true,
    invoke: "api",
    assets: [],
    memoryMb: 256,
    timeoutSeconds: 10,
    description: "A training job's state, stage, timings, metrics, problems and model version",
  },
  {
    id: "OpenApi",
    method: "GET",
    path: "/v1/openapi.json",
    handler: "functions/http/openapi.handler",
    auth: false,
    invoke: "api",
    assets: [],
    memoryMb: 256,
    timeoutSeconds: 10,
    description: "This API's OpenAPI 3.1 document",
  },
]);

/**
 * Routes served by a Lambda function URL in RESPONSE_STREAM mode instead of API Gateway, which buffers
 * every response (and gives up after 29 s). The URL is the stack output `generateStreamUrl` (the twin
 * prints its own); the path is checked by the handler, as a function URL accepts any path.
 */
export const streamRoutes: readonly HttpRoute[] = Object.freeze([
  {
    id: "GenerateStream",
    method: "POST",
    path: "/v1/generate",
    handler: "functions/stream/generate.handler",
    auth: true,
    task: "generate",
    invoke: "stream",
    assets: ["ort"],
    memoryMb: ONE_VCPU_MB,
    timeoutSeconds: 300,
    description: "Text generation with tokens streamed as server-sent events",
  },
]);

/** API Gateway's `$default` route: every request no other route matches (404, or 405 on a known path). */
export const defaultRoute: HttpRoute = Object.freeze({
  id: "Fallback",
  method: "GET",
  path: "$default",
  handler: "functions/http/fallback.handler",
  auth: true,
  invoke: "api",
  assets: [],
  memoryMb: 256,
  timeoutSeconds: 5,
  description: "JSON 404/405 for unknown routes and methods",
});

export const bucketTriggers: readonly BucketTrigger[] = Object.freeze([
  {
    id: "Frames",
    bucket: "media",
    prefix: "uploads/frames/",
    handler: "functions/s3/frames.handler",
    kind: "frames",
    assets: ["ort", "sharp"],
    memoryMb: ONE_VCPU_MB,
    timeoutSeconds: 300,
    batchSize: 5,
    maxConcurrency: 10,
    maxReceiveCount: 5,
  },
  {
    id: "Text",
    bucket: "media",
    prefix: "uploads/text/",
    handler: "functions/s3/text.handler",
    kind: "text",
    assets: ["ort"],
    memoryMb: ONE_VCPU_MB,
    timeoutSeconds: 900,
    batchSize: 1,
    maxConcurrency: 5,
    maxReceiveCount: 10,
  },
  {
    id: "Catalogs",
    bucket: "media",
    prefix: "uploads/catalogs/",
    handler: "functions/s3/catalogs.handler",
    kind: "catalogs",
    assets: ["ort"],
    memoryMb: ONE_VCPU_MB,
    timeoutSeconds: 900,
    batchSize: 1,
    maxConcurrency: 2,
    maxReceiveCount: 10,
  },
  {
    id: "RecsRequests",
    bucket: "media",
    prefix: "uploads/recs-requests/",
    handler: "functions/s3/recs-requests.handler",
    kind: "recs-requests",
    assets: ["ort"],
    memoryMb: ONE_VCPU_MB,
    timeoutSeconds: 900,
    batchSize: 1,
    maxConcurrency: 5,
    maxReceiveCount: 10,
  },
  {
    id: "Training",
    bucket: "media",
    prefix: "uploads/training/",
    handler: "functions/s3/training.handler",
    kind: "training",
    // ort: a sentiment job scores texts with the current default (and stacks on fastText's score).
    assets: ["chartjs", "ort"],
    // Training holds the data and dense matrices (EASE: items² floats) in memory; 4 GB is about 2.3 vCPUs.
    memoryMb: 4096,
    timeoutSeconds: 900,
    batchSize: 1,
    maxConcurrency: 2,
    maxReceiveCount: 3,
  },
]);

/** Triggers run by the batch runner (per-item markers, job summaries, reprocessing); training has its own. */
export const batchTriggers: readonly BucketTrigger[] = bucketTriggers.filter(
  (trigger) => trigger.kind !== "training",
);

export interface RouteMatch {
  route: HttpRoute;
  params: Record<string, string>;
}

function pattern(path: string): RegExp {
  const source = path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{(\w+)\}/g, "(?<$1>[^/]+)");
  return new RegExp(`^${source}$`);
}

const compiled = httpRoutes.map((route) => ({ route, regex: pattern(route.path) }));

/** Finds the route for a method and path, as API Gateway would; `allowed` lists methods for a known path. */
export function matchRoute(
  method: string,
  path: string,
): RouteMatch | { route: undefined; allowed: string[] } {
  const onPath = compiled.filter(({ regex }) => regex.test(path));
  const hit = onPath.find(({ route }) => route.method === method.toUpperCase());
  if (!hit) return { route: undefined, allowed: onPath.map(({ route }) => route.method) };
  const params = { ...(hit.regex.exec(path)?.groups ?? {}) };
  return {
    route: hit.route,
    params: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, decodeOr(v)])),
  };
}

/** API Gateway passes undecodable escapes through as they are; handlers then reject them as input. */
function decodeOr(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export function triggersFor(bucket: string, key: string): BucketTrigger[] {
  return bucketTriggers.filter((trigger) => trigger.bucket === bucket && key.startsWith(trigger.prefix));
}
