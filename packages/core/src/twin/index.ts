import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { S3Event } from "aws-lambda";
import { s3Event, s3EventRecord } from "../adapters/s3-event.js";
import { generateApiKey, hashApiKey } from "../auth.js";
import { setLocalQueues } from "../batch/queues.js";
import { resetConfig } from "../config.js";
import { catalog } from "../model-store/catalog.js";
import { missingModelsMessage, pullModels } from "../model-store/pull.js";
import { defaultRoute, httpRoutes, streamRoutes, triggersFor } from "../routes.js";
import { services, setServices } from "../services.js";
import { S3BlobStore } from "../storage/s3-store.js";
import { installStreamingRuntime, type StreamingHandler, startFunctionUrl } from "./function-url.js";
import { type HttpHandler, startGateway } from "./gateway.js";
import { loadHandler } from "./load-handler.js";
import type { LocalQueue } from "./local-queue.js";
import { createQueues } from "./queues.js";
import { recoverQueues } from "./recovery.js";
import { startLocalS3 } from "./s3-server.js";

export { apiGatewayEvent, lambdaContext, type RawRequest } from "./api-event.js";

export interface TwinOptions {
  /** Repository root: handler paths in routes.ts are relative to it. */
  root: string;
  /** Where the S3 server keeps its objects, the queues their messages, and the model cache lives. */
  dataDir: string;
  port?: number;
  s3Port?: number;
  /** First port of the streaming function URLs (one per stream route); 0 = any free port. */
  streamPort?: number;
  apiKey?: string;
  retryDelayMs?: number;
  log?: (line: string) => void;
  onResponse?: Parameters<typeof startGateway>[0]["onResponse"];
}

export interface Twin {
  apiUrl: string;
  /** Function URL per stream route id (e.g. GenerateStream), as the stack outputs them in the cloud. */
  streamUrls: Record<string, string>;
  s3Endpoint: string;
  apiKey: string;
  buckets: { media: string; results: string; models: string };
  queues: Map<string, LocalQueue>;
  /** Waits until every queued S3 event has been handled. */
  idle(): Promise<void>;
  /** Sends the S3 events recorded for keys under a prefix again (S3 delivers at least once). */
  redeliver(prefix: string): number;
  close(): Promise<void>;
}

async function devApiKey(dataDir: string, given: string | undefined): Promise<string> {
  if (given) return given;
  const file = path.join(dataDir, "dev-api-key");
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const key = generateApiKey();
  await writeFile(file, `${key}\n`, { mode: 0o600 });
  return key;
}

/**
 * The local twin: the same handlers SST deploys, behind a local API Gateway v2 emulation and a real
 * S3-protocol server whose ObjectCreated events go through an SQS emulation to the batch handlers.
 */
export async function startTwin(options: TwinOptions): Promise<Twin> {
  const log = options.log ?? ((line: string) => console.log(line));
  await mkdir(options.dataDir, { recursive: true });
  const buckets = {
    media: "marquee-local-media",
    results: "marquee-local-results",
    models: "marquee-local-models",
  };
  const s3 = await startLocalS3({
    port: options.s3Port ?? 0,
    directory: path.join(options.dataDir, "s3"),
    buckets: Object.values(buckets),
  });
  const apiKey = await devApiKey(options.dataDir, options.apiKey);
  Object.assign(process.env, {
    MAAS_STAGE: "local",
    MAAS_S3_ENDPOINT: s3.endpoint,
    MAAS_MEDIA_BUCKET: buckets.media,
    MAAS_RESULTS_BUCKET: buckets.results,
    MAAS_MODELS_BUCKET: buckets.models,
    MAAS_MODEL_CACHE_DIR: path.join(options.dataDir, "model-cache"),
    MAAS_API_KEY_HASHES: hashApiKey(apiKey),
  });
  resetConfig();
  setServices(undefined);
  const shared = services();
  const pulled = await pullModels(catalog, {
    mirror: shared.config.modelMirror,
    target: new S3BlobStore(shared.s3, buckets.models),
    onMissing: "report",
  });
  const installed = pulled.filter((r) => r.outcome !== "missing").length;
  log(
    `models: ${pulled.filter((r) => r.outcome === "pulled").length} pulled, ${installed} files in the models bucket`,
  );
  const missing = missingModelsMessage(pulled);
  if (missing) log(missing);

  const handlers = new Map<string, HttpHandler>();
  for (const route of [...httpRoutes, defaultRoute]) {
    handlers.set(route.id, await loadHandler<HttpHandler>(options.root, route.handler));
  }
  installStreamingRuntime();
  const functionUrls = await Promise.all(
    streamRoutes.map(async (route, index) =>
      startFunctionUrl({
        route,
        handler: await loadHandler<StreamingHandler>(options.root, route.handler),
        port: options.streamPort ? options.streamPort + index : 0,
        log,
      }),
    ),
  );
  const queues = await createQueues({
    root: options.root,
    dataDir: options.dataDir,
    region: shared.config.region,
    retryDelayMs: options.retryDelayMs ?? 1000,
    log,
  });

  // POST /v1/jobs/{job}/reprocess enqueues here, as it sends to SQS in the cloud.
  setLocalQueues({ send: async (triggerId, body) => queues.get(triggerId)?.send(body) });

  const delivered = new Map<string, S3Event>();
  const dispatch = (event: S3Event, logicalBucket: string, key: string) => {
    for (const trigger of triggersFor(logicalBucket, key))
      queues.get(trigger.id)?.send(JSON.stringify(event));
  };
  s3.onObjectCreated((object) => {
    const logical = (Object.entries(buckets).find(([, name]) => name === object.bucket) ?? [])[0];
    if (!logical) return;
    const eventName =
      object.eventName === "ObjectCreated:Post" ? "ObjectCreated:CompleteMultipartUpload" : object.eventName;
    const event = s3Event([
      s3EventRecord({ ...object, eventName, etag: object.etag ?? "" }, shared.config.region),
    ]);
    delivered.set(`${object.bucket}/${object.key}`, event);
    dispatch(event, logical, object.key);
  });
  const recovery = await recoverQueues(shared, queues);
  for (const { key, event } of recovery.swept) delivered.set(`${buckets.media}/${key}`, event);
  if (recovery.redelivered || recovery.swept.length) {
    log(
      `queues: ${recovery.redelivered} messages redelivered, ${recovery.releasedClaims} stale claims released, ` +
        `${recovery.swept.length} unprocessed uploads queued`,
    );
  }

  const gateway = await startGateway({
    port: options.port ?? 0,
    handlers,
    log,
    ...(options.onResponse && { onResponse: options.onResponse }),
  });
  return {
    apiUrl: gateway.url,
    streamUrls: Object.fromEntries(
      streamRoutes.map((route, index) => [route.id, functionUrls[index]?.url ?? ""]),
    ),
    s3Endpoint: s3.endpoint,
    apiKey,
    buckets,
    queues,
    idle: async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      await Promise.all([...queues.values()].map((queue) => queue.idle()));
    },
    redeliver: (prefix) => {
      let count = 0;
      for (const [location, event] of delivered) {
        const key = location.slice(buckets.media.length + 1);
        if (location.startsWith(`${buckets.media}/`) && key.startsWith(prefix)) {
          dispatch(event, "media", key);
          count += 1;
        }
      }
      return count;
    },
    close: async () => {
      for (const { server } of [gateway, ...functionUrls]) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      await s3.close();
      setLocalQueues(undefined);
    },
  };
}
