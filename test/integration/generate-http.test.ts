import { spawn } from "node:child_process";
import { resetConfig } from "@marquee/core";
import type { Twin } from "@marquee/core/twin";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { KNIGHT, KNIGHT_GREEDY } from "../support/generation.js";
import { hasShared } from "../support/shared.js";
import { authed, startTestTwin } from "../support/twin.js";

interface Completion {
  index: number;
  text: string;
  finish_reason: string;
  tokens: number;
}
interface GenerateResponse {
  completions: Completion[];
  usage: { prompt_tokens: number; completion_tokens: number };
  seed: number;
}
interface Event {
  event: string;
  data: { completions?: Array<{ index: number; text: string }> } & Partial<GenerateResponse>;
}

const parseEvents = (text: string): Event[] =>
  text
    .split("\n\n")
    .filter((block) => block.trim())
    .map((block) => {
      const [eventLine, dataLine] = block.split("\n");
      return { event: eventLine?.slice(7) ?? "", data: JSON.parse(dataLine?.slice(6) ?? "null") };
    });

/** Concatenates each completion's streamed pieces. */
function joined(events: Event[]): string[] {
  const texts: string[] = [];
  for (const { event, data } of events) {
    if (event !== "tokens") continue;
    for (const piece of data.completions ?? []) texts[piece.index] = (texts[piece.index] ?? "") + piece.text;
  }
  return texts;
}

describe.skipIf(!hasShared)("POST /v1/generate through the local twin", () => {
  let twin: Twin;
  let streamUrl: string;
  beforeAll(async () => {
    twin = await startTestTwin();
    streamUrl = `${twin.streamUrls.GenerateStream}/v1/generate`;
  });
  afterAll(() => twin?.close());

  const json = () => authed(twin, { "content-type": "application/json" });
  const post = (url: string, body: unknown, headers = json()) =>
    fetch(url, { method: "POST", body: JSON.stringify(body), headers });

  it("answers llama2.c's greedy continuation through API Gateway", async () => {
    const response = await post(`${twin.apiUrl}/v1/generate`, {
      prompt: KNIGHT,
      max_tokens: 40,
      temperature: 0,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("server-timing")).toMatch(/^model;dur=\d/);
    const body = (await response.json()) as GenerateResponse;
    expect(body.completions[0]?.text.trim().startsWith(KNIGHT_GREEDY)).toBe(true);
    expect(body.usage).toEqual({ prompt_tokens: 16, completion_tokens: 40 });
  });

  it.each([
    [{}, "give either prompt or template"],
    [{ prompt: "a", template: "logline" }, "give either prompt or template"],
    [{ prompt: "a", n: 9 }, "n: must be an integer from 1 to 8"],
    [{ prompt: ["a", "b", "c"], n: 6 }, "prompts × n must be at most 16"],
    [{ prompt: "a", temperature: -1 }, "temperature: must be a number from 0 to 2"],
    [{ prompt: "a", stop: [""] }, "stop"],
    [{ prompt: "a", seed: 1.5 }, "seed: must be an integer"],
    [
      { prompt: "a", max_tokens: 600 },
      "prompt is 2 tokens and max_tokens is 600: 602 is more than the model's context of 512 tokens",
    ],
    [{ prompt: "a", stream: true }, "stream: API Gateway buffers responses"],
    [{ template: "logline" }, 'fields.characters: required by template "logline"'],
    [{ prompt: "a", color: 1 }, 'Unknown field(s): "color"'],
    [
      { prompt: "a", model: "sentiment/fasttext-amazon-polarity" },
      "is a sentiment model; this task takes text-generation",
    ],
  ])("400 for %j", async (body, message) => {
    const response = await post(`${twin.apiUrl}/v1/generate`, body);
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe("invalid_input");
    expect(error.message).toContain(message);
  });

  it("lists the templates", async () => {
    const response = await fetch(`${twin.apiUrl}/v1/generate/templates`, { headers: authed(twin) });
    expect(response.status).toBe(200);
    const { templates } = (await response.json()) as { templates: Array<{ id: string }> };
    expect(templates.map((template) => template.id)).toEqual([
      "logline",
      "plot-outline",
      "quest",
      "character-bark",
    ]);
  });

  it("streams server-sent events whose text equals the buffered completion with the same seed", async () => {
    const request = {
      prompt: ["Tom had a red ball", KNIGHT],
      n: 2,
      max_tokens: 60,
      temperature: 0.8,
      top_p: 0.95,
      seed: 99,
      stop: ["park"],
    };
    const buffered = (await (await post(`${twin.apiUrl}/v1/generate`, request)).json()) as GenerateResponse;
    const response = await post(streamUrl, { ...request, stream: true });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const events = parseEvents(await response.text());
    const done = events.at(-1);
    expect(done?.event).toBe("done");
    expect(events.slice(0, -1).every((event) => event.event === "tokens")).toBe(true);
    expect(joined(events)).toEqual(buffered.completions.map((completion) => completion.text));
    expect(done?.data.completions).toEqual(buffered.completions);
    expect(done?.data.usage).toEqual(buffered.usage);
  });

  it("delivers the first token to curl -N long before the last (timings printed)", async () => {
    const started = performance.now();
    const times: number[] = [];
    let output = "";
    await new Promise<void>((resolve, reject) => {
      const curl = spawn("curl", [
        "-sN",
        "-H",
        `x-api-key: ${twin.apiKey}`,
        "-H",
        "content-type: application/json",
        "-d",
        JSON.stringify({
          prompt: "Once upon a time",
          max_tokens: 300,
          temperature: 0.7,
          seed: 5,
          stream: true,
        }),
        streamUrl,
      ]);
      curl.stdout.on("data", (chunk: Buffer) => {
        times.push(performance.now() - started);
        output += chunk.toString();
      });
      curl.on("error", reject);
      curl.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`curl exited ${code}`))));
    });
    const events = parseEvents(output);
    const first = times[0] as number;
    const last = times.at(-1) as number;
    console.info(
      `curl -N: first chunk at ${first.toFixed(0)} ms, last at ${last.toFixed(0)} ms, ${events.length} events`,
    );
    expect(events.at(-1)?.event).toBe("done");
    expect(times.length).toBeGreaterThan(10);
    expect(first).toBeLessThan(last / 2);
  });

  it("stops generating when the client disconnects", async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, "log").mockImplementation((line: string) => {
      lines.push(String(line));
    });
    process.env.MAAS_LOG_LEVEL = "info";
    resetConfig();
    try {
      const controller = new AbortController();
      const response = await fetch(streamUrl, {
        method: "POST",
        headers: json(),
        body: JSON.stringify({
          prompt: "Once upon a time",
          max_tokens: 500,
          n: 8,
          temperature: 1,
          seed: 3,
          stream: true,
        }),
        signal: controller.signal,
      });
      const reader = response.body?.getReader();
      await reader?.read();
      controller.abort();
      await vi.waitFor(() => expect(lines.some((line) => line.includes('"stream":"aborted"'))).toBe(true), {
        timeout: 10_000,
      });
      const aborted = JSON.parse(lines.find((line) => line.includes('"stream":"aborted"')) as string) as {
        ms: number;
      };
      // 8 × 500 tokens take seconds; the run stopped within a step or two of the disconnect.
      expect(aborted.ms).toBeLessThan(1000);
    } finally {
      process.env.MAAS_LOG_LEVEL = "silent";
      resetConfig();
      spy.mockRestore();
    }
  });

  it("answers the function URL's other paths, methods and missing keys as the API would", async () => {
    expect((await post(streamUrl, { prompt: "a" }, { "content-type": "application/json" })).status).toBe(401);
    expect((await post(`${twin.streamUrls.GenerateStream}/v1/other`, { prompt: "a" })).status).toBe(404);
    const get = await fetch(streamUrl, { headers: authed(twin) });
    expect(get.status).toBe(405);
    const invalid = await post(streamUrl, { prompt: "a", n: 0, stream: true });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { error: { message: string } }).error.message).toContain("n: must be");
  });
});
