/** Spawns cold-start.ts in fresh node processes with a Lambda's environment, pointed at the twin. */
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { hashApiKey } from "@marquee/core";
import type { Twin } from "@marquee/core/twin";
import { build } from "esbuild";
import { bundleFunction } from "../../packages/core/scripts/bundle-function.js";
import type { ColdStartInput, ColdStartReport } from "./cold-start.js";
import { jsonEvent } from "./endpoint.js";
import { facesEvent, IMAGE } from "./event.js";
import { facesRoute, handlerLocation, ROOT, routeNamed } from "./handler.js";
import { median, round } from "./stats.js";

export interface ColdRun extends ColdStartReport {
  /** Parent's spawn() -> the child's first result in hand (child clock, same host). */
  totalMs: number;
  /** Parent's spawn() -> the child script's first line: node + tsx loader bootstrap. */
  bootMs: number;
  /** Parent's spawn() -> the result line read by the parent (includes the pipe). */
  observedMs: number;
}

export interface ColdResult {
  runs: ColdRun[];
  median: { bootMs: number; initMs: number; coreImportMs: number; firstInvokeMs: number; totalMs: number };
  maxRssMb: number;
  medianRssMb: number;
  env: Record<string, string>;
}

const SCRIPT = path.join(ROOT, "test/bench/cold-start.ts");

/** The harness as plain JS beside the bundle, so the child starts like Lambda's runtime: no tsx. */
async function bundleHarness(dir: string): Promise<string> {
  const outfile = path.join(dir, "harness.mjs");
  await build({
    entryPoints: [SCRIPT],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    logLevel: "silent",
  });
  return outfile;
}
const now = () => performance.timeOrigin + performance.now();

function lambdaEnv(twin: Twin, cacheDir: string, memoryMb: number, id: string): Record<string, string> {
  return {
    AWS_LAMBDA_FUNCTION_NAME: `marquee-bench-${id}`,
    AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memoryMb),
    AWS_EXECUTION_ENV: "AWS_Lambda_nodejs20.x",
    AWS_REGION: "us-east-1",
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    TZ: ":UTC",
    MAAS_STAGE: "local",
    MAAS_S3_ENDPOINT: twin.s3Endpoint,
    MAAS_MEDIA_BUCKET: twin.buckets.media,
    MAAS_RESULTS_BUCKET: twin.buckets.results,
    MAAS_MODELS_BUCKET: twin.buckets.models,
    // Empty, like /tmp in a new container: the models come from the twin's models bucket.
    MAAS_MODEL_CACHE_DIR: cacheDir,
    MAAS_API_KEY_HASHES: hashApiKey(twin.apiKey),
  };
}

/** Plain `node harness.mjs` for the bundle (as Lambda's runtime starts); node + tsx for the source. */
function runChild(
  command: string[],
  input: ColdStartInput,
  env: Record<string, string>,
  timeoutMs: number,
): Promise<ColdRun> {
  return new Promise((resolve, reject) => {
    const spawnedAt = now();
    let observedAt = 0;
    let stdout = "";
    let stderr = "";
    const child = spawn(process.execPath, [...command, JSON.stringify(input)], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      if (!observedAt && stdout.includes("BENCH_RESULT ")) observedAt = now();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      const line = stdout.split("\n").find((candidate) => candidate.startsWith("BENCH_RESULT "));
      if (code !== 0 || !line) {
        reject(new Error(`cold-start child exited ${code}: ${stderr.trim() || stdout.trim()}`));
        return;
      }
      const report = JSON.parse(line.slice("BENCH_RESULT ".length)) as ColdStartReport;
      resolve({
        ...report,
        totalMs: report.doneEpochMs - spawnedAt,
        bootMs: report.scriptStartEpochMs - spawnedAt,
        observedMs: (observedAt || now()) - spawnedAt,
      });
    });
  });
}

export interface ColdOptions {
  /** Added to the Lambda environment (e.g. MAAS_WASM_TIERING_BUDGET). */
  env?: Record<string, string>;
  /** Package another checkout's faces function (bundle mode), e.g. baseline.ts's earlier commit. */
  root?: string;
  /** Another HTTP route (by id) than Faces, called with this JSON body. */
  json?: { routeId: string; body: unknown };
}

/**
 * `source` imports functions/http/faces.ts through tsx; `bundle` imports the function packaged as SST
 * ships it (packages/core/scripts/bundle-function.ts) with LAMBDA_TASK_ROOT at the package, as on Lambda.
 */
export async function measureColdStarts(
  twin: Twin,
  repeats: number,
  mode: "source" | "bundle",
  options: ColdOptions = {},
): Promise<ColdResult> {
  const route = options.json ? routeNamed(options.json.routeId) : facesRoute();
  const { url, name } = handlerLocation(route.handler);
  // Inside the repository, so that the external sharp resolves from its node_modules.
  const bundleDir = path.join(ROOT, ".marquee", `bench-bundle-${process.pid}`);
  const handlerUrl =
    mode === "bundle" ? pathToFileURL(await bundleFunction(route, bundleDir, options.root)).href : url;
  const command = mode === "bundle" ? [await bundleHarness(bundleDir)] : ["--import", "tsx", SCRIPT];
  await mkdir(bundleDir, { recursive: true });
  const eventFile = path.join(bundleDir, "event.json");
  const event = options.json
    ? jsonEvent(route.path, options.json.body, twin.apiKey)
    : facesEvent(route, await readFile(IMAGE), twin.apiKey);
  await writeFile(eventFile, JSON.stringify(event));
  const input: ColdStartInput = { route, handlerUrl, handlerName: name, eventFile, mode };
  const runs: ColdRun[] = [];
  let env: Record<string, string> = {};
  for (let index = 0; index < repeats; index++) {
    const cacheDir = await mkdtemp(path.join(os.tmpdir(), "marquee-bench-cache-"));
    env = {
      ...lambdaEnv(twin, cacheDir, route.memoryMb, route.id),
      ...(mode === "bundle" && { LAMBDA_TASK_ROOT: bundleDir }),
      ...options.env,
    };
    try {
      const run = await runChild(command, input, env, 90_000);
      if (run.status !== 200) throw new Error(`cold-start invocation answered ${run.status}`);
      runs.push(run);
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  }
  await rm(bundleDir, { recursive: true, force: true });
  const pick = (field: keyof ColdResult["median"]) => round(median(runs.map((run) => run[field])));
  return {
    runs,
    median: {
      bootMs: pick("bootMs"),
      initMs: pick("initMs"),
      coreImportMs: pick("coreImportMs"),
      firstInvokeMs: pick("firstInvokeMs"),
      totalMs: pick("totalMs"),
    },
    maxRssMb: round(Math.max(...runs.map((run) => run.maxRssKb)) / 1024, 1),
    medianRssMb: round(median(runs.map((run) => run.maxRssKb)) / 1024, 1),
    env: { ...env, MAAS_MODEL_CACHE_DIR: "<fresh temp dir per run>", MAAS_API_KEY_HASHES: "<sha256>" },
  };
}
