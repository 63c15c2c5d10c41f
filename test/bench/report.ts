/** Prints the bench result as tables and writes it to bench-results/. */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { BatchResult } from "./batch.js";
import type { ColdResult } from "./cold.js";
import type { CostEstimate } from "./cost.js";
import type { MachineInfo } from "./machine.js";
import type { ModelTimings } from "./model.js";
import { round, type Summary } from "./stats.js";
import type { GatewayResult, WarmResult } from "./warm.js";

export interface BenchResult {
  task: "faces";
  startedAt: string;
  durationS: number;
  twinStartS: number;
  image: string;
  memoryMb: number;
  machine: MachineInfo;
  coldStart: ColdResult;
  coldStartSource: ColdResult;
  warm: { handler: WarmResult; gateway: GatewayResult };
  models: ModelTimings;
  batch: BatchResult;
  peakRssMb: { coldStartChild: number; bench: number };
  cost: { http: CostEstimate; batch: CostEstimate; batchCompute: CostEstimate };
}

function printColdStart(title: string, cold: ColdResult): void {
  const rows: Record<string, Record<string, number>> = {};
  const line = (
    run: { bootMs: number; initMs: number; firstInvokeMs: number; totalMs: number },
    rssMb: number,
  ) => ({
    "boot ms": round(run.bootMs),
    "init ms": round(run.initMs),
    "1st invoke ms": round(run.firstInvokeMs),
    "init + 1st invoke ms": round(run.initMs + run.firstInvokeMs),
    "total ms": round(run.totalMs),
    "peak RSS MB": rssMb,
  });
  cold.runs.forEach((run, index) => {
    rows[`run ${index + 1}`] = line(run, round(run.maxRssKb / 1024, 1));
  });
  rows.median = line(cold.median, cold.medianRssMb);
  console.log(title);
  console.table(rows);
}

const row = (summary: Summary) => ({
  n: summary.n,
  "p50 ms": summary.p50,
  "p95 ms": summary.p95,
  "mean ms": summary.mean,
  "min ms": summary.min,
  "max ms": summary.max,
});

function heading(title: string): void {
  console.log(`\n== ${title} ==`);
}

export function printReport(result: BenchResult): void {
  const { machine, coldStart, warm, models, batch, cost } = result;
  heading(
    `Marquee bench: task "${result.task}", ${path.basename(result.image)} (${warm.handler.faces} faces)`,
  );
  console.log(
    `${machine.cpus} x ${machine.cpuModel} | ${machine.platform} | ${machine.totalMemMb} MB | node ${machine.node}`,
  );
  console.log(
    `onnxruntime-web ${machine.onnxruntimeWeb} wasm numThreads=${machine.threads.ortWasmNumThreads} ` +
      `(config threads=${machine.threads.configThreads} for ${machine.threads.configMemoryMb} MB) | ` +
      `sharp ${machine.sharp} concurrency=${machine.threads.sharpConcurrency} | UV_THREADPOOL_SIZE=${machine.threads.uvThreadpoolSize}`,
  );

  const { benchPct, otherProcessesPct } = machine.hostCpu;
  console.log(
    `host CPU during the bench: ${benchPct}% bench (+ children), ${otherProcessesPct}% other processes`,
  );
  if (otherProcessesPct > 10) {
    console.log(
      `WARNING: other processes used ${otherProcessesPct}% of the host's CPU; timings are inflated.`,
    );
  }

  heading("1. Cold start (fresh node process, Lambda env, empty model cache -> twin S3)");
  console.log(
    "init = import of the handler module (Lambda's Init phase); boot = node + the bench harness (plain node for the bundle, tsx for the source)",
  );
  printColdStart("packaged bundle, as on Lambda (headline)", coldStart);
  printColdStart("TypeScript source through tsx", result.coldStartSource);

  heading("2-3. Warm latency (sequential; one session.run at a time)");
  console.table({
    "handler in-process (API GW v2 event)": row(warm.handler.requestMs),
    "  model-only, same requests (server-timing)": row(warm.handler.modelMs),
    "twin HTTP gateway (fetch, loopback)": row(warm.gateway.requestMs),
    "  model-only, same requests (server-timing)  ": row(warm.gateway.modelMs),
    [`session.run detector ${models.detector.dims.join("x")} zeros`]: row(models.detector.sessionRunMs),
    [`session.run detector ${models.detectorReal.dims.join("x")} real 2.jpg`]: row(
      models.detectorReal.sessionRunMs,
    ),
    [`session.run emotion ${models.emotion.dims.join("x")}`]: row(models.emotion.sessionRunMs),
    [`session.run emotion ${models.emotionBatch.dims.join("x")}`]: row(models.emotionBatch.sessionRunMs),
    [`runtime.run detector ${models.detectorReal.dims.join("x")} real`]: row(
      models.detectorReal.runtimeRunMs,
    ),
  });
  console.log(
    `overhead ratio (request p50 / model p50): handler ${warm.handler.overheadRatioP50}` +
      ` (mean of per-request ratios ${warm.handler.overheadRatioMean}); twin gateway ${warm.gateway.overheadRatioP50}` +
      ` (mean ${warm.gateway.overheadRatioMean})`,
  );

  heading("Where a warm request goes (p50 per part, from the response's timings)");
  const request = warm.handler.requestMs.p50;
  console.table(
    Object.fromEntries(
      Object.entries(warm.handler.breakdownP50).map(([part, ms]) => [
        part,
        { "p50 ms": ms, "% of request p50": round((ms / request) * 100, 1) },
      ]),
    ),
  );

  heading("4. Batch through S3 (PutObject -> ObjectCreated -> SQS emulation -> functions/s3/frames.ts)");
  console.table({
    [batch.job]: {
      frames: batch.frames,
      "wall s": round(batch.wallMs / 1000),
      "put s": round(batch.putMs / 1000),
      "frames/s": round(batch.framesPerSecond),
      "ms/frame": round(batch.perFrameMs),
      "compute s": round(batch.computeMs / 1000),
      "model s": round(batch.modelMs / 1000),
      ok: batch.counts.ok,
      failed: batch.counts.failed,
      status: batch.status,
      "dead letters": batch.deadLetters,
    },
  });

  heading("5-6. Peak RSS and Lambda cost (arm64, us-east-1, $0.0000133334/GB-s + $0.20/1M requests)");
  console.table({
    "peak RSS cold-start child (max of runs)": { value: result.peakRssMb.coldStartChild, unit: "MB" },
    "peak RSS bench process (twin + all)": { value: result.peakRssMb.bench, unit: "MB" },
    [`cost / 1,000 frames, HTTP (${cost.http.basis})`]: {
      value: round(cost.http.usdPer1000Frames, 6),
      unit: "USD",
    },
    [`cost / 1,000 frames, batch (${cost.batch.basis})`]: {
      value: round(cost.batch.usdPer1000Frames, 6),
      unit: "USD",
    },
    [`cost / 1,000 frames, batch (${cost.batchCompute.basis})`]: {
      value: round(cost.batchCompute.usdPer1000Frames, 6),
      unit: "USD",
    },
  });
  console.log(`\ntotal bench time ${result.durationS} s (twin start ${result.twinStartS} s)`);
}

export async function writeResults(root: string, result: BenchResult): Promise<string[]> {
  const dir = path.join(root, "bench-results");
  await mkdir(dir, { recursive: true });
  const stamp = result.startedAt.replace(/[:.]/g, "-");
  const files = [path.join(dir, `faces-${stamp}.json`), path.join(dir, "latest.json")];
  const json = `${JSON.stringify(result, null, 2)}\n`;
  for (const file of files) await writeFile(file, json);
  return files;
}
