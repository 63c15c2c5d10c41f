/** Warm latency of the Faces handler: in-process with real API Gateway v2 events, and through the twin. */
import { facesContext, facesEvent, type HttpHandler, type RouteInfo, readResponse } from "./event.js";
import { mean, round, type Summary, serverTiming, summarise } from "./stats.js";

export interface WarmOptions {
  warmup: number;
  requests: number;
}

export interface WarmResult {
  requests: number;
  faces: number;
  requestMs: Summary;
  modelMs: Summary;
  /** request p50 / model-only p50, and the mean of the per-request ratios. */
  overheadRatioP50: number;
  overheadRatioMean: number;
  /** Per-phase medians from the response's `timings`, plus the derived non-model parts. */
  breakdownP50: Record<string, number>;
  /** Every measured request, in order: request ms and model-only ms. */
  samples: { requestMs: number[]; modelMs: number[] };
}

const PHASES = ["decode", "preprocess", "inference", "postprocess"] as const;

/** The handler writes one JSON log line per request; keep the work but not the terminal noise. */
export async function withQuietLog<T>(work: () => Promise<T>): Promise<T> {
  const original = console.log;
  console.log = () => undefined;
  try {
    return await work();
  } finally {
    console.log = original;
  }
}

function ratios(requestMs: number[], modelMs: number[]) {
  const request = summarise(requestMs);
  const model = summarise(modelMs);
  return {
    requestMs: request,
    modelMs: model,
    overheadRatioP50: round(request.p50 / model.p50, 3),
    overheadRatioMean: round(mean(requestMs.map((ms, index) => ms / (modelMs[index] ?? Number.NaN))), 3),
  };
}

/** Sequential calls (onnxruntime-web runs one session at a time per process): no concurrency. */
export async function measureHandler(
  handler: HttpHandler,
  route: RouteInfo,
  image: Buffer,
  apiKey: string,
  options: WarmOptions,
): Promise<WarmResult> {
  const requestMs: number[] = [];
  const modelMs: number[] = [];
  const phases: Record<string, number[]> = {};
  let faces = 0;
  await withQuietLog(async () => {
    for (let index = 0; index < options.warmup + options.requests; index++) {
      const event = facesEvent(route, image, apiKey);
      const context = facesContext(route);
      const started = performance.now();
      const result = await handler(event, context);
      const elapsed = performance.now() - started;
      const response = readResponse(result);
      if (response.status !== 200) throw new Error(`POST /v1/faces answered ${response.status}`);
      if (index < options.warmup) continue;
      faces = response.faces;
      requestMs.push(elapsed);
      modelMs.push(response.modelMs);
      const timed = PHASES.reduce((sum, phase) => sum + (response.timings[phase] ?? 0), 0);
      const derived: Record<string, number> = {
        ...Object.fromEntries(PHASES.map((phase) => [phase, response.timings[phase] ?? 0])),
        "session.run (server-timing)": response.modelMs,
        "runtime wrapper (inference - session.run)": (response.timings.inference ?? 0) - response.modelMs,
        "handler rest (request - phases)": elapsed - timed,
      };
      for (const [name, ms] of Object.entries(derived)) phases[name] = [...(phases[name] ?? []), ms];
    }
  });
  const breakdownP50 = Object.fromEntries(
    Object.entries(phases).map(([name, values]) => [name, summarise(values).p50]),
  );
  const samples = { requestMs: requestMs.map((ms) => round(ms)), modelMs: modelMs.map((ms) => round(ms)) };
  return { requests: requestMs.length, faces, ...ratios(requestMs, modelMs), breakdownP50, samples };
}

export interface GatewayResult {
  requests: number;
  requestMs: Summary;
  modelMs: Summary;
  overheadRatioP50: number;
  overheadRatioMean: number;
}

/** The same request through the twin's local API Gateway emulation (HTTP on loopback, fetch). */
export async function measureGateway(
  apiUrl: string,
  image: Buffer,
  apiKey: string,
  options: WarmOptions,
): Promise<GatewayResult> {
  const requestMs: number[] = [];
  const modelMs: number[] = [];
  await withQuietLog(async () => {
    for (let index = 0; index < options.warmup + options.requests; index++) {
      const started = performance.now();
      const response = await fetch(`${apiUrl}/v1/faces`, {
        method: "POST",
        headers: { "content-type": "image/jpeg", "x-api-key": apiKey },
        body: image,
      });
      await response.arrayBuffer();
      const elapsed = performance.now() - started;
      if (response.status !== 200) throw new Error(`twin POST /v1/faces answered ${response.status}`);
      if (index < options.warmup) continue;
      requestMs.push(elapsed);
      modelMs.push(serverTiming(response.headers.get("server-timing") ?? undefined));
    }
  });
  return { requests: requestMs.length, ...ratios(requestMs, modelMs) };
}
