import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { defaultRoute, hashApiKey, httpRoutes, ORT_WASM_FILES, streamRoutes } from "@marquee/core";
import type { Twin } from "@marquee/core/twin";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleFunction } from "../../packages/core/scripts/bundle-function.js";
import { hasShared, repoRoot, sharedDir } from "../support/shared.js";
import { startTestTwin } from "../support/twin.js";

// Functions packaged as stacks/functions.ts has SST package them, run under plain node with a real
// API Gateway v2 event: one ESM bundle each; sharp and the onnxruntime-web .wasm/.mjs pair only where
// the function runs models.
const INVOKE = `
import { readFileSync } from "node:fs";
const { handler } = await import(process.env.HANDLER_FILE);
const event = JSON.parse(readFileSync(process.env.EVENT_FILE, "utf8"));
const response = await handler(event, { awsRequestId: "bundle-test", getRemainingTimeInMillis: () => 29000 });
console.log(JSON.stringify({ status: response.statusCode, body: JSON.parse(response.body) }));
`;

// Lambda's Node runtime for a streamed handler: the awslambda global, a response stream, and the
// HTTP prelude (JSON metadata, 8 NUL bytes) that HttpResponseStream.from writes before the body.
const INVOKE_STREAM = `
import { readFileSync } from "node:fs";
import { Writable } from "node:stream";
const chunks = [];
const stream = new Writable({ write(chunk, _encoding, done) { chunks.push(Buffer.from(chunk)); done(); } });
stream.setContentType = () => {};
globalThis.awslambda = Object.assign(globalThis.awslambda ?? {}, {
  streamifyResponse: (handler) => handler,
  HttpResponseStream: { from(target, prelude) { target.write(JSON.stringify(prelude)); target.write(Buffer.alloc(8)); return target; } },
});
const { handler } = await import(process.env.HANDLER_FILE);
const event = JSON.parse(readFileSync(process.env.EVENT_FILE, "utf8"));
await handler(event, stream, { awsRequestId: "bundle-test", getRemainingTimeInMillis: () => 29000 });
const bytes = Buffer.concat(chunks);
const end = bytes.indexOf(Buffer.alloc(8));
console.log(JSON.stringify({ prelude: JSON.parse(bytes.subarray(0, end)), body: bytes.subarray(end + 8).toString() }));
`;

const route = (id: string) =>
  [...httpRoutes, ...streamRoutes, defaultRoute].find(
    (candidate) => candidate.id === id,
  ) as (typeof httpRoutes)[number];

describe.skipIf(!hasShared)("Lambda packages", () => {
  let twin: Twin;
  // Inside the repository, so the external sharp resolves from its node_modules as SST installs it.
  const faces = path.join(repoRoot, ".marquee", `bundle-${process.pid}`);
  // Outside it: a function that runs no model must start with neither sharp nor the WASM pair.
  const health = mkdtempSync(path.join(tmpdir(), "marquee-health-"));
  const sentiment = mkdtempSync(path.join(tmpdir(), "marquee-sentiment-"));

  const generate = mkdtempSync(path.join(tmpdir(), "marquee-generate-"));

  const invoke = async (dir: string, handlerFile: string, event: unknown, script = INVOKE) => {
    const eventFile = path.join(dir, "event.json");
    writeFileSync(eventFile, JSON.stringify(event));
    writeFileSync(path.join(dir, "invoke.mjs"), script);
    mkdirSync(path.join(dir, "tmp"), { recursive: true });
    // Asynchronous: the twin's S3 server runs in this process and must keep serving the child.
    const run = await promisify(execFile)(process.execPath, ["invoke.mjs"], {
      cwd: dir,
      encoding: "utf8",
      timeout: 60_000,
      env: {
        PATH: process.env.PATH,
        HANDLER_FILE: handlerFile,
        EVENT_FILE: eventFile,
        LAMBDA_TASK_ROOT: dir,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "1769",
        AWS_REGION: "us-east-1",
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
        MAAS_LOG_LEVEL: "warn",
        MAAS_S3_ENDPOINT: twin.s3Endpoint,
        MAAS_MEDIA_BUCKET: twin.buckets.media,
        MAAS_RESULTS_BUCKET: twin.buckets.results,
        MAAS_MODELS_BUCKET: twin.buckets.models,
        MAAS_MODEL_CACHE_DIR: path.join(dir, "tmp"),
        MAAS_API_KEY_HASHES: hashApiKey(twin.apiKey),
      },
    });
    expect(run.stderr).toBe("");
    return JSON.parse(run.stdout.trim().split("\n").at(-1) ?? "{}");
  };

  beforeAll(async () => {
    twin = await startTestTwin();
  });
  afterAll(async () => {
    for (const dir of [faces, health, sentiment, generate]) rmSync(dir, { recursive: true, force: true });
    await twin?.close();
  });

  it("faces: one JS file and the WASM pair, answering a real event", async () => {
    const file = await bundleFunction(route("Faces"), faces);
    expect(readdirSync(faces).sort()).toEqual(["functions", ...ORT_WASM_FILES].sort());
    expect(statSync(file).size).toBeLessThan(4 * 1024 * 1024);
    const event = JSON.parse(
      readFileSync(path.join(repoRoot, "test/fixtures/events/apigw-v2-faces-raw.json"), "utf8"),
    );
    event.headers["x-api-key"] = twin.apiKey;
    event.body = readFileSync(path.join(sharedDir, "data/images/faces/2.jpg")).toString("base64");
    const result = await invoke(faces, file, event);
    expect(result.status).toBe(200);
    expect(result.body.faces).toHaveLength(4);
    expect(result.body.models[0]).toEqual({ id: "face-detection/ultraface-slim-320", version: "1.0.0" });
  });

  it("health: no WASM pair and no sharp needed", async () => {
    const file = await bundleFunction(route("Health"), health);
    expect(readdirSync(health)).toEqual(["functions"]);
    const event = JSON.parse(
      readFileSync(path.join(repoRoot, "test/fixtures/events/apigw-v2-faces-json.json"), "utf8"),
    );
    Object.assign(event, { routeKey: "GET /v1/health", rawPath: "/v1/health", body: undefined });
    const result = await invoke(health, file, event);
    expect(result).toMatchObject({
      status: 200,
      body: {
        status: "ok",
        tasks: expect.arrayContaining(["faces", "analyze", "sentiment", "embeddings", "search", "generate"]),
      },
    });
  });

  it("sentiment: the WASM pair but no sharp, only its own task's code, answering a real event", async () => {
    const file = await bundleFunction(route("Sentiment"), sentiment);
    expect(readdirSync(sentiment).sort()).toEqual(["functions", ...ORT_WASM_FILES].sort());
    const code = readFileSync(file, "utf8");
    expect(code).toContain("FastTextTokenizer");
    expect(code).not.toContain("decodeDetections");
    expect(code).not.toContain("GloveTokenizer");
    const event = JSON.parse(
      readFileSync(path.join(repoRoot, "test/fixtures/events/apigw-v2-faces-json.json"), "utf8"),
    );
    Object.assign(event, {
      routeKey: "POST /v1/sentiment",
      rawPath: "/v1/sentiment",
      body: JSON.stringify({ texts: ["A moving, beautifully acted film.", "Boring and far too long."] }),
      isBase64Encoded: false,
    });
    event.headers["x-api-key"] = twin.apiKey;
    const result = await invoke(sentiment, file, event);
    expect(result.status).toBe(200);
    expect(result.body.results.map((entry: { label: string }) => entry.label)).toEqual([
      "positive",
      "negative",
    ]);
  });

  it("generate (function URL): streams server-sent events under plain node, with only its task's code", async () => {
    const file = await bundleFunction(route("GenerateStream"), generate);
    expect(readdirSync(generate).sort()).toEqual(["functions", ...ORT_WASM_FILES].sort());
    const code = readFileSync(file, "utf8");
    expect(code).toContain("KvCacheDecoder");
    for (const name of ["decodeDetections", "FastTextTokenizer", "GloveTokenizer"])
      expect(code, name).not.toContain(name);
    const event = JSON.parse(
      readFileSync(path.join(repoRoot, "test/fixtures/events/apigw-v2-faces-json.json"), "utf8"),
    );
    Object.assign(event, {
      routeKey: "$default",
      rawPath: "/v1/generate",
      body: JSON.stringify({
        prompt: "Once upon a time, a brave knight",
        max_tokens: 12,
        temperature: 0,
        stream: true,
      }),
      isBase64Encoded: false,
    });
    event.requestContext.http.path = "/v1/generate";
    event.headers["x-api-key"] = twin.apiKey;
    const result = await invoke(generate, file, event, INVOKE_STREAM);
    expect(result.prelude).toMatchObject({
      statusCode: 200,
      headers: { "content-type": "text/event-stream; charset=utf-8" },
    });
    const events = (result.body as string).split("\n\n").filter(Boolean);
    expect(events.length).toBeGreaterThan(3);
    expect(events.at(-1)).toContain("event: done");
    expect(events.at(-1)).toContain(" named Jack. Jack loved");
  });

  it("faces: carries no text-task code", async () => {
    const code = readFileSync(await bundleFunction(route("Faces"), faces), "utf8");
    for (const name of ["FastTextTokenizer", "GloveTokenizer", "HfTokenizer", "encodeCatalog"]) {
      expect(code, name).not.toContain(name);
    }
  });
});
