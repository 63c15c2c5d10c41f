/**
 * Generation measured on this machine (part of `npm run bench`; alone: `npm run bench:generate`):
 * ms per token with and without the KV cache at 100 tokens of context, prefill ms per 100 prompt tokens,
 * tokens/s for n = 1 and n = 8 through the API handler, a minimal script (core's runTask) and bare
 * session.run, time to first token streamed through the twin's function URL, and the overhead ratios.
 */
import { runTask, type Services, services } from "@marquee/core";
import { generateTask } from "@marquee/core/tasks/generate";
import { apiGatewayEvent, lambdaContext, type Twin } from "@marquee/core/twin";
import { decoderLayout, KvCacheDecoder } from "../../packages/core/src/runtime/decode-loop.js";
import { storiesEntry, storiesTokenizer } from "../support/generation.js";
import { loadHandler } from "./handler.js";
import { round, type Summary, serverTiming, summarise } from "./stats.js";
import { withQuietLog } from "./warm.js";

const RUNS = 15;
const WARMUP = 2;
const STEPS = 30;
const PROMPT = "Once upon a time, a brave knight";

const argmax = (logits: Float32Array) => logits.indexOf(Math.max(...logits));

/**
 * Ms per decode step at `context` tokens, with or without the cache (bare decoder, greedy): the wall
 * time per step and the part inside session.run. Best of 5 runs of STEPS steps.
 */
async function perToken(shared: Services, context: number, cache: boolean) {
  const layout = await decoderLayout(shared.runtime, storiesEntry);
  const tokenizer = storiesTokenizer();
  const prompt = tokenizer.encode("Lily and Tom went to the park. ".repeat(20)).ids.slice(0, context);
  const wall: number[] = [];
  const model: number[] = [];
  for (let run = 0; run < 5; run += 1) {
    const decoder = new KvCacheDecoder(shared.runtime, storiesEntry, layout, { padId: 0, cache });
    let logits = (await decoder.prefill([prompt]))[0] as Float32Array;
    const before = decoder.modelMs;
    const started = performance.now();
    for (let step = 0; step < STEPS; step += 1) {
      logits = (await decoder.step([argmax(logits)]))[0] as Float32Array;
    }
    wall.push((performance.now() - started) / STEPS);
    model.push((decoder.modelMs - before) / STEPS);
  }
  return { msPerToken: round(Math.min(...wall), 3), modelMsPerToken: round(Math.min(...model), 3) };
}

/**
 * V8 compiles WASM with Liftoff first and tiers up to TurboFan in the background: until then a step
 * costs 3-4x more. A warm Lambda is past that; so is the bench after this.
 */
async function tierUp(shared: Services) {
  const layout = await decoderLayout(shared.runtime, storiesEntry);
  for (let run = 0; run < 3; run += 1) {
    const decoder = new KvCacheDecoder(shared.runtime, storiesEntry, layout, { padId: 0 });
    let logits = (await decoder.prefill([[1, 403, 407]]))[0] as Float32Array;
    for (let step = 0; step < 150; step += 1) {
      logits = (await decoder.step([argmax(logits)]))[0] as Float32Array;
    }
  }
}

async function prefillPer100(shared: Services) {
  const layout = await decoderLayout(shared.runtime, storiesEntry);
  const prompt = storiesTokenizer()
    .encode("The little dog ran to the big tree. ".repeat(40))
    .ids.slice(0, 400);
  const times: number[] = [];
  for (let run = 0; run < 6; run += 1) {
    const decoder = new KvCacheDecoder(shared.runtime, storiesEntry, layout, { padId: 0 });
    const started = performance.now();
    await decoder.prefill([prompt]);
    if (run > 0) times.push(performance.now() - started);
  }
  return round((Math.min(...times) / prompt.length) * 100, 2);
}

interface GenerationBench {
  name: string;
  requestMs: Summary;
  minimalMs: Summary;
  modelMs: Summary;
  tokensPerSecond: number;
  overheadRatioP50: number;
  handlerOverMinimalP50: number;
}

async function throughput(twin: Twin, shared: Services, n: number): Promise<GenerationBench> {
  const handler = await loadHandler("functions/http/generate.handler");
  const body = { prompt: PROMPT, max_tokens: 64, n, temperature: 0.8, top_k: 40, seed: 11 };
  const requestMs: number[] = [];
  const modelMs: number[] = [];
  const minimalMs: number[] = [];
  let tokens = 0;
  await withQuietLog(async () => {
    for (let run = 0; run < WARMUP + RUNS; run += 1) {
      const event = apiGatewayEvent(
        {
          method: "POST",
          url: "/v1/generate",
          headers: { "content-type": "application/json", "x-api-key": twin.apiKey, host: "bench.local" },
          body: Buffer.from(JSON.stringify({ ...body, seed: run })),
          sourceIp: "127.0.0.1",
        },
        "POST /v1/generate",
        {},
      );
      const started = performance.now();
      const result = (await handler(event, lambdaContext("Generate", 1769, 29))) as {
        statusCode: number;
        headers: Record<string, string>;
        body: string;
      };
      const elapsed = performance.now() - started;
      if (result.statusCode !== 200) throw new Error(`generate: status ${result.statusCode}`);
      const inner = performance.now();
      await runTask(
        generateTask,
        { ...body, seed: run, top_p: 1, repetition_penalty: 1, stream: false } as never,
        shared,
      );
      const minimal = performance.now() - inner;
      if (run < WARMUP) continue;
      requestMs.push(elapsed);
      minimalMs.push(minimal);
      modelMs.push(serverTiming(result.headers["server-timing"]));
      tokens += (JSON.parse(result.body) as { usage: { completion_tokens: number } }).usage.completion_tokens;
    }
  });
  const request = summarise(requestMs);
  const model = summarise(modelMs);
  const minimal = summarise(minimalMs);
  return {
    name: `generate n=${n}, 64 tokens`,
    requestMs: request,
    minimalMs: minimal,
    modelMs: model,
    tokensPerSecond: round(tokens / (requestMs.reduce((a, b) => a + b, 0) / 1000), 1),
    overheadRatioP50: round(request.p50 / model.p50, 3),
    handlerOverMinimalP50: round(request.p50 / minimal.p50, 3),
  };
}

/** Time to the first `tokens` event and to the end, through the twin's function URL over HTTP. */
async function firstToken(twin: Twin) {
  const first: number[] = [];
  const total: number[] = [];
  for (let run = 0; run < WARMUP + RUNS; run += 1) {
    const started = performance.now();
    const response = await fetch(`${twin.streamUrls.GenerateStream}/v1/generate`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": twin.apiKey },
      body: JSON.stringify({ prompt: PROMPT, max_tokens: 128, temperature: 0.8, seed: run, stream: true }),
    });
    const reader = response.body?.getReader();
    const decoder = new TextDecoder();
    let seen = "";
    let firstAt = Number.NaN;
    for (;;) {
      const { done, value } = (await reader?.read()) ?? { done: true, value: undefined };
      if (done) break;
      seen += decoder.decode(value, { stream: true });
      if (Number.isNaN(firstAt) && seen.includes("event: tokens")) firstAt = performance.now() - started;
    }
    if (run < WARMUP) continue;
    first.push(firstAt);
    total.push(performance.now() - started);
  }
  return { firstTokenMs: summarise(first), completeMs: summarise(total), maxTokens: 128 };
}

export async function benchGenerate(twin: Twin, progress: (line: string) => void) {
  const shared = services();
  progress("generate: ms per token with and without the KV cache at 100 tokens of context");
  await tierUp(shared);
  const cached = await perToken(shared, 100, true);
  const uncached = await perToken(shared, 100, false);
  progress("generate: prefill, tokens/s for n = 1 and n = 8, first token streamed");
  const prefill = await prefillPer100(shared);
  const endpoints = [await throughput(twin, shared, 1), await throughput(twin, shared, 8)];
  const streamed = await withQuietLog(() => firstToken(twin));
  return {
    decodeAt100: { cached, uncached, speedup: round(uncached.msPerToken / cached.msPerToken, 1) },
    prefillMsPer100Tokens: prefill,
    endpoints,
    streamed,
  };
}

export function printGenerate(result: Awaited<ReturnType<typeof benchGenerate>>): void {
  const { decodeAt100: d } = result;
  console.log("\nGeneration (text-generation/stories260k, 1 thread)");
  console.log(
    `  per token at 100 tokens of context: cached ${d.cached.msPerToken} ms (session.run ${d.cached.modelMsPerToken}), uncached ${d.uncached.msPerToken} ms (session.run ${d.uncached.modelMsPerToken}): ${d.speedup}x (goal >= 5x)`,
  );
  console.log(`  prefill: ${result.prefillMsPer100Tokens} ms per 100 prompt tokens`);
  console.table(
    result.endpoints.map((e) => ({
      endpoint: e.name,
      "request p50": e.requestMs.p50,
      "request p95": e.requestMs.p95,
      "minimal p50": e.minimalMs.p50,
      "model p50": e.modelMs.p50,
      "tokens/s": e.tokensPerSecond,
      "request/model": e.overheadRatioP50,
      "request/minimal": e.handlerOverMinimalP50,
    })),
  );
  const s = result.streamed;
  console.log(
    `  streamed (function URL over HTTP, ${s.maxTokens} tokens): first token p50 ${s.firstTokenMs.p50} ms / p95 ${s.firstTokenMs.p95} ms, complete p50 ${s.completeMs.p50} ms`,
  );
}
