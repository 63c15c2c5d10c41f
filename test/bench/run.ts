/**
 * `npm run bench`: the faces task measured end to end on this machine. Starts a local twin (S3 server,
 * API Gateway v2 and SQS emulation), then measures, one thing at a time:
 *   1. cold start: new node processes with a Lambda's environment, importing functions/http/faces.ts;
 *   2. warm latency through the HTTP handler (in-process, and through the twin's gateway);
 *   3. model-only `session.run` time per model;
 *   4. a 50-frame batch through the S3 path;
 *   5. peak RSS; 6. Lambda cost per 1,000 frames.
 *   7. the text suite (test/bench/text.ts): sentiment, embeddings, search, a 4,000-review batch job;
 *   8. generation (test/bench/generate.ts): KV cache vs none, prefill, tokens/s, first token streamed;
 *   9. the image suite (test/bench/image.ts): faces 320/640/tiled, labels, moderation, text, analyze,
 *      a 100-frame batch with all four tasks, and packaged cold starts beside the baseline commit's.
 *  10. training (test/bench/training.ts): per-algorithm training time, an EASE job, top-10 latency.
 * Prints tables and writes bench-results/faces-<timestamp>.json, bench-results/latest.json,
 * bench-results/text-latest.json, bench-results/generate-latest.json and bench-results/image-latest.json.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { bucketTriggers, services } from "@marquee/core";
import { startTwin, type Twin } from "@marquee/core/twin";
import { measureBatch } from "./batch.js";
import { measureColdStarts } from "./cold.js";
import { costPer1000Frames } from "./cost.js";
import { IMAGE } from "./event.js";
import { benchGenerate, printGenerate } from "./generate.js";
import { facesRoute, loadHandler, ROOT } from "./handler.js";
import { benchImage, printImage } from "./image.js";
import { cpuSnapshot, hostCpu, machineInfo } from "./machine.js";
import { measureModels } from "./model.js";
import { type BenchResult, printReport, writeResults } from "./report.js";
import { mb, round, sum } from "./stats.js";
import { benchText, printText } from "./text.js";
import { benchTraining, printTraining } from "./training.js";
import { measureGateway, measureHandler } from "./warm.js";

const COLD_STARTS = 3;
const WARMUP = 3;
const REQUESTS = 50;
const MODEL_RUNS = 50;
const BATCH_FRAMES = 50;
const DEADLINE_MS = 15 * 60_000;

const progress = (line: string) => console.log(`> ${line}`);
/** `npm run bench -- --only=faces|text|generate|image|training` (`bench:text`, `bench:generate`, `bench:image`); default all. */
const ONLY = process.argv.find((arg) => arg.startsWith("--only="))?.slice("--only=".length);

async function bench(twin: Twin, twinStartS: number, startedAt: Date, began: number): Promise<BenchResult> {
  const cpuAtStart = cpuSnapshot();
  const shared = services();
  const route = facesRoute();
  const image = await readFile(IMAGE);

  progress(`cold start x${COLD_STARTS} (new node processes, packaged bundle as on Lambda)`);
  const coldStart = await measureColdStarts(twin, COLD_STARTS, "bundle");
  progress(`cold start x${COLD_STARTS} (new node processes, TypeScript source through tsx)`);
  const coldStartSource = await measureColdStarts(twin, COLD_STARTS, "source");

  progress(`warm handler: ${WARMUP} warmup + ${REQUESTS} requests in-process`);
  const handler = await loadHandler(route.handler);
  const warmHandler = await measureHandler(handler, route, image, twin.apiKey, {
    warmup: WARMUP,
    requests: REQUESTS,
  });

  progress(`model-only: ${MODEL_RUNS} session.run per model`);
  const models = await measureModels(shared, image, warmHandler.faces, { warmup: WARMUP, runs: MODEL_RUNS });

  progress(`twin gateway: ${WARMUP} warmup + ${REQUESTS} requests over HTTP`);
  const gateway = await measureGateway(twin.apiUrl, image, twin.apiKey, {
    warmup: WARMUP,
    requests: REQUESTS,
  });

  progress(`batch: ${BATCH_FRAMES} frames through S3`);
  const batch = await measureBatch(twin, BATCH_FRAMES);

  const frames = bucketTriggers.find((trigger) => trigger.id === "Frames");
  const cost = {
    http: costPer1000Frames(
      warmHandler.requestMs.p50,
      route.memoryMb,
      1,
      "warm handler p50, 1 frame/request",
    ),
    batch: costPer1000Frames(
      batch.perFrameMs,
      frames?.memoryMb ?? route.memoryMb,
      frames?.batchSize ?? 1,
      `batch wall/frame, ${frames?.batchSize ?? 1} frames/invocation`,
    ),
    batchCompute: costPer1000Frames(
      batch.computeMs / batch.frames,
      frames?.memoryMb ?? route.memoryMb,
      frames?.batchSize ?? 1,
      "batch compute/frame from job.json, lower bound",
    ),
  };
  return {
    task: "faces",
    startedAt: startedAt.toISOString(),
    twinStartS,
    image: IMAGE,
    memoryMb: route.memoryMb,
    machine: machineInfo(
      shared.config,
      hostCpu(
        cpuAtStart,
        cpuSnapshot(),
        sum([...coldStart.runs, ...coldStartSource.runs].map((run) => run.cpuMs)),
      ),
    ),
    coldStart,
    coldStartSource,
    warm: { handler: warmHandler, gateway },
    models,
    batch,
    peakRssMb: { coldStartChild: coldStart.maxRssMb, bench: mb(process.resourceUsage().maxRSS) },
    cost,
    durationS: round((performance.now() - began) / 1000, 1),
  };
}

async function main(): Promise<number> {
  const began = performance.now();
  const startedAt = new Date();
  const deadline = setTimeout(() => {
    console.error(`bench: still running after ${DEADLINE_MS / 1000} s, giving up`);
    process.exit(1);
  }, DEADLINE_MS);
  deadline.unref();
  // Read when the first S3 client is built (the twin's), so setting it here is early enough.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

  const dataDir = await mkdtemp(path.join(os.tmpdir(), "marquee-bench-"));
  let twin: Twin | undefined;
  try {
    progress(`starting the twin in ${dataDir}`);
    const twinStart = performance.now();
    const running = await startTwin({ root: ROOT, dataDir, port: 0, s3Port: 0, log: () => undefined });
    twin = running;
    const twinStartS = round((performance.now() - twinStart) / 1000, 1);
    if (ONLY === undefined || ONLY === "faces") {
      const result = await bench(running, twinStartS, startedAt, began);
      printReport(result);
      const files = await writeResults(ROOT, result);
      console.log(`wrote ${files.map((file) => path.relative(ROOT, file)).join(", ")}`);
    }
    const suite = async <T extends object>(
      id: string,
      run: (on: Twin, log: typeof progress) => Promise<T>,
      print: (result: T) => void,
    ) => {
      if (ONLY !== undefined && ONLY !== id) return;
      const result = await run(running, progress);
      print(result);
      const file = path.join(ROOT, "bench-results", `${id}-latest.json`);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(
        file,
        `${JSON.stringify({ startedAt: startedAt.toISOString(), ...result }, null, 2)}\n`,
      );
      console.log(`wrote ${path.relative(ROOT, file)}`);
    };
    await suite("generate", benchGenerate, printGenerate);
    await suite("text", benchText, printText);
    await suite("image", benchImage, printImage);
    await suite("training", benchTraining, printTraining);
    return 0;
  } catch (error) {
    console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  } finally {
    await twin?.close().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  }
}

// The S3 client's sockets and onnxruntime's WASM instance keep the loop alive: exit explicitly.
process.exit(await main());
