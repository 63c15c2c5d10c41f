/**
 * One endpoint measured three ways in one loop: the in-process handler (API Gateway v2 event through the
 * middy chain), a minimal script doing the same work on the same runtime (core's runTask, no edge), and
 * bare session.run (the handler's Server-Timing), so both request ÷ model and handler ÷ minimal show.
 */
import { apiGatewayEvent, lambdaContext } from "@marquee/core/twin";
import type { HttpHandler } from "./response.js";
import { round, type Summary, serverTiming, summarise } from "./stats.js";
import { withQuietLog } from "./warm.js";

const RUNS = 40;
const WARMUP = 3;

export interface EndpointBench {
  name: string;
  itemsPerCall: number;
  requestMs: Summary;
  minimalMs: Summary;
  modelMs: Summary;
  itemsPerSecond: number;
  overheadRatioP50: number;
  handlerOverMinimalP50: number;
}

export function jsonEvent(path: string, body: unknown, apiKey: string, params: Record<string, string> = {}) {
  return apiGatewayEvent(
    {
      method: "POST",
      url: path,
      headers: { "content-type": "application/json", "x-api-key": apiKey, host: "bench.local" },
      body: Buffer.from(JSON.stringify(body)),
      sourceIp: "127.0.0.1",
    },
    `POST ${path}`,
    params,
  );
}

export async function measure(
  name: string,
  handler: HttpHandler,
  path: string,
  bodies: unknown[],
  minimal: (body: unknown) => Promise<{ modelMs: number }>,
  apiKey: string,
  itemsPerCall: number,
  runs = RUNS,
): Promise<EndpointBench> {
  const requestMs: number[] = [];
  const modelMs: number[] = [];
  const minimalMs: number[] = [];
  await withQuietLog(async () => {
    for (let run = 0; run < WARMUP + runs; run++) {
      const body = bodies[run % bodies.length];
      const event = jsonEvent(path, body, apiKey);
      const started = performance.now();
      const result = (await handler(event, lambdaContext(name, 1769, 29))) as {
        statusCode: number;
        headers: Record<string, string>;
      };
      const elapsed = performance.now() - started;
      if (result.statusCode !== 200) throw new Error(`${name}: status ${result.statusCode}`);
      const inner = performance.now();
      await minimal(body);
      const minimalElapsed = performance.now() - inner;
      if (run < WARMUP) continue;
      requestMs.push(elapsed);
      modelMs.push(serverTiming(result.headers["server-timing"]));
      minimalMs.push(minimalElapsed);
    }
  });
  const request = summarise(requestMs);
  const model = summarise(modelMs);
  const min = summarise(minimalMs);
  return {
    name,
    itemsPerCall,
    requestMs: request,
    minimalMs: min,
    modelMs: model,
    itemsPerSecond: round((itemsPerCall * 1000) / request.p50, 1),
    // Keyword search runs no model: no ratio.
    overheadRatioP50: model.p50 > 0 ? round(request.p50 / model.p50, 3) : Number.NaN,
    handlerOverMinimalP50: round(request.p50 / min.p50, 3),
  };
}
