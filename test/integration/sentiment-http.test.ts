import type { Twin } from "@marquee/core/twin";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { imdbReviews } from "../support/reviews.js";
import { hasShared } from "../support/shared.js";
import { authed, startTestTwin } from "../support/twin.js";

interface SentimentResponse {
  results: Array<{ label: string; scores: Record<string, number> }>;
  models: Array<{ id: string; version: string }>;
  timings: Record<string, number>;
}

describe.skipIf(!hasShared)("POST /v1/sentiment through the local twin", () => {
  let twin: Twin;
  beforeAll(async () => {
    twin = await startTestTwin();
  });
  afterAll(() => twin?.close());

  const post = (body: unknown, headers = authed(twin, { "content-type": "application/json" })) =>
    fetch(`${twin.apiUrl}/v1/sentiment`, { method: "POST", body: JSON.stringify(body), headers });

  it("classifies the 4,000 IMDB reviews in batches of 32 with accuracy >= 0.87", async () => {
    const reviews = imdbReviews();
    expect(reviews).toHaveLength(4000);
    let correct = 0;
    for (let at = 0; at < reviews.length; at += 32) {
      const batch = reviews.slice(at, at + 32);
      const response = await post({ texts: batch.map((review) => review.text) });
      expect(response.status).toBe(200);
      const body = (await response.json()) as SentimentResponse;
      expect(body.results).toHaveLength(batch.length);
      body.results.forEach((result, index) => {
        if ((result.label === "positive") === batch[index]?.positive) correct += 1;
      });
    }
    const accuracy = correct / reviews.length;
    console.info(`IMDB-4000 accuracy through POST /v1/sentiment: ${accuracy.toFixed(4)}`);
    expect(accuracy).toBeGreaterThanOrEqual(0.87);
  });

  it("answers with probabilities per label, the model and timings", async () => {
    const response = await post({ texts: ["A wonderful, moving film.", "Dull, long and badly acted.", ""] });
    expect(response.status).toBe(200);
    expect(response.headers.get("server-timing")).toMatch(/^model;dur=\d/);
    const body = (await response.json()) as SentimentResponse;
    expect(body.results.map((result) => result.label)).toEqual(["positive", "negative", expect.any(String)]);
    for (const result of body.results) {
      expect(Object.keys(result.scores)).toEqual(["positive", "negative"]);
      expect((result.scores.positive ?? 0) + (result.scores.negative ?? 0)).toBeCloseTo(1, 5);
    }
    expect(body.models).toEqual([{ id: "sentiment/fasttext-amazon-polarity", version: "1.0.0" }]);
  });

  it.each([
    [{}, 400, "texts"],
    [{ texts: [] }, 400, "texts: must be an array of 1 to 256 strings"],
    [{ texts: Array(257).fill("a") }, 400, "1 to 256"],
    [{ texts: ["a".repeat(100_001)] }, 400, "texts[0]: must be at most 100000 characters"],
    [{ texts: ["ok", 3] }, 400, "texts[1]"],
    [{ texts: ["ok"], extra: true }, 400, '"extra"'],
    [{ texts: ["ok"], model: "sentiment/nope" }, 404, "Unknown model"],
    [{ texts: ["ok"], model: "face-detection/ultraface-rfb-320" }, 400, "is a face-detection model"],
  ])("rejects %j with %i", async (body, status, message) => {
    const response = await post(body);
    expect(response.status).toBe(status);
    const json = (await response.json()) as { error: { code: string; message: string } };
    expect(json.error.message).toContain(message);
  });

  it("refuses a missing key and non-JSON bodies", async () => {
    expect((await post({ texts: ["a"] }, { "content-type": "application/json" })).status).toBe(401);
    const text = await fetch(`${twin.apiUrl}/v1/sentiment`, {
      method: "POST",
      body: "great film",
      headers: authed(twin, { "content-type": "text/plain" }),
    });
    expect(text.status).toBe(415);
  });
});
