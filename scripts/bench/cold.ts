/** Spawns cold-start.ts in fresh node processes with a Lambda's environment, pointed at the twin. */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { hashApiKey } from "@marquee/core";
import type { Twin } from "@marquee/core/twin";
import type { ColdStartInput, ColdStartReport } from "./cold-start.js";
import { IMAGE } from "./event.js";
import { facesRoute, handlerLocation, ROOT } from "./handler.js";
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

const SCRIPT = path.join(ROOT, "scripts/bench/cold-start.ts");
const now = () => performance.timeOrigin + performance.now();

function lambdaEnv(twin: Twin, cacheDir: string, memoryMb: number): Record<string, string> {
  return {
    AWS_LAMBDA_FUNCTION_NAME: "marquee-bench-Faces",
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

function runChild(input: ColdStartInput, env: Record<string, string>, timeoutMs: number): Promise<ColdRun> {
  return new Promise((resolve, reject) => {
    const spawnedAt = now();
    let observedAt = 0;
    let stdout = "";
    let stderr = "";
    const child = spawn(process.execPath, ["--import", "tsx", SCRIPT, JSON.stringify(input)], {
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

export async function measureColdStarts(twin: Twin, repeats: number): Promise<ColdResult> {
  const route = facesRoute();
  const { url, name } = handlerLocation(route.handler);
  const input: ColdStartInput = {
    route,
    handlerUrl: url,
    handlerName: name,
    image: IMAGE,
    apiKey: twin.apiKey,
  };
  const runs: ColdRun[] = [];
  let env: Record<string, string> = {};
  for (let index = 0; index < repeats; index++) {
    const cacheDir = await mkdtemp(path.join(os.tmpdir(), "marquee-bench-cache-"));
    env = lambdaEnv(twin, cacheDir, route.memoryMb);
    try {
      const run = await runChild(input, env, 90_000);
      if (run.status !== 200) throw new Error(`cold-start invocation answered ${run.status}`);
      runs.push(run);
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  }
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
