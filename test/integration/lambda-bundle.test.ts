import { execFile } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { hashApiKey, ORT_WASM_FILES } from "@marquee/core";
import type { Twin } from "@marquee/core/twin";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleFunction } from "../../packages/core/scripts/bundle-function.js";
import { hasShared, repoRoot, sharedDir } from "../support/shared.js";
import { startTestTwin } from "../support/twin.js";

// The faces function packaged as SST packages it: one ESM bundle, sharp left to npm, and only the
// onnxruntime-web .wasm/.mjs pair copied to the package root, found through LAMBDA_TASK_ROOT.
const INVOKE = `
import { readFileSync } from "node:fs";
const started = performance.now();
const { handler } = await import("./functions/http/faces.mjs");
const event = JSON.parse(readFileSync(process.env.EVENT_FILE, "utf8"));
const response = await handler(event, { awsRequestId: "bundle-test", getRemainingTimeInMillis: () => 29000 });
console.log(JSON.stringify({ ms: performance.now() - started, status: response.statusCode, body: JSON.parse(response.body) }));
`;

describe.skipIf(!hasShared)("the faces Lambda bundle", () => {
  let twin: Twin;
  const root = path.join(repoRoot, ".marquee", `bundle-${process.pid}`);

  beforeAll(async () => {
    twin = await startTestTwin();
    await bundleFunction("functions/http/faces.handler", root);
    writeFileSync(path.join(root, "invoke.mjs"), INVOKE);
  });
  afterAll(async () => {
    rmSync(root, { recursive: true, force: true });
    await twin?.close();
  });

  it("holds one JS file and the WASM pair, and answers a real API Gateway event", async () => {
    expect(readdirSync(root).sort()).toEqual(["functions", "invoke.mjs", ...ORT_WASM_FILES].sort());
    expect(statSync(path.join(root, "functions/http/faces.mjs")).size).toBeLessThan(4 * 1024 * 1024);

    const event = JSON.parse(
      readFileSync(path.join(repoRoot, "test/fixtures/events/apigw-v2-faces-raw.json"), "utf8"),
    );
    event.headers["x-api-key"] = twin.apiKey;
    event.body = readFileSync(path.join(sharedDir, "data/images/faces/2.jpg")).toString("base64");
    const eventFile = path.join(root, "event.json");
    writeFileSync(eventFile, JSON.stringify(event));
    mkdirSync(path.join(root, "tmp"), { recursive: true });
    // Asynchronous: the twin's S3 server runs in this process and must keep serving the child.
    const run = await promisify(execFile)(process.execPath, ["invoke.mjs"], {
      cwd: root,
      encoding: "utf8",
      timeout: 60_000,
      env: {
        PATH: process.env.PATH,
        EVENT_FILE: eventFile,
        LAMBDA_TASK_ROOT: root,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "1769",
        AWS_REGION: "us-east-1",
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
        MAAS_LOG_LEVEL: "warn",
        MAAS_S3_ENDPOINT: twin.s3Endpoint,
        MAAS_MEDIA_BUCKET: twin.buckets.media,
        MAAS_RESULTS_BUCKET: twin.buckets.results,
        MAAS_MODELS_BUCKET: twin.buckets.models,
        MAAS_MODEL_CACHE_DIR: path.join(root, "tmp"),
        MAAS_API_KEY_HASHES: hashApiKey(twin.apiKey),
      },
    });
    expect(run.stderr).toBe("");
    const result = JSON.parse(run.stdout.trim().split("\n").at(-1) ?? "{}");
    expect(result.status).toBe(200);
    expect(result.body.faces).toHaveLength(4);
    expect(result.body.models[0]).toEqual({ id: "face-detection/ultraface-slim-320", version: "1.0.0" });
  });
});
