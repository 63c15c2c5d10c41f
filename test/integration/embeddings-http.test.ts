import type { Twin } from "@marquee/core/twin";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasShared } from "../support/shared.js";
import { authed, startTestTwin } from "../support/twin.js";

const dot = (a: number[], b: number[]) => a.reduce((sum, value, index) => sum + value * (b[index] ?? 0), 0);

describe.skipIf(!hasShared)("POST /v1/embeddings through the local twin", () => {
  let twin: Twin;
  beforeAll(async () => {
    twin = await startTestTwin();
  });
  afterAll(() => twin?.close());

  const post = (body: unknown) =>
    fetch(`${twin.apiUrl}/v1/embeddings`, {
      method: "POST",
      headers: authed(twin, { "content-type": "application/json" }),
      body: JSON.stringify(body),
    });

  it("gives unit vectors whose dot products rank similar texts together", async () => {
    const response = await post({ texts: ["movie", "film", "car", "banana", "", "zxqv"] });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { embeddings: number[][]; dimensions: number; models: unknown[] };
    expect(body.dimensions).toBe(100);
    const [movie, film, car, banana, empty, unknown] = body.embeddings as number[][];
    expect(dot(movie ?? [], movie ?? [])).toBeCloseTo(1, 4);
    expect(dot(movie ?? [], film ?? [])).toBeCloseTo(0.91, 1);
    expect(dot(car ?? [], banana ?? [])).toBeLessThan(0.3);
    expect(empty?.every((value) => value === 0)).toBe(true);
    expect(unknown).toHaveLength(100);
    expect(body.models).toEqual([{ id: "embeddings/glove-100d-30k-int8", version: "1.0.0" }]);
  });

  it("gives a text the same vector alone and in a padded batch", async () => {
    const alone = (
      (await (await post({ texts: ["a heist film with a twist"] })).json()) as { embeddings: number[][] }
    ).embeddings[0];
    const batched = (
      (await (
        await post({ texts: ["x", "a heist film with a twist", "a much longer text about many films"] })
      ).json()) as {
        embeddings: number[][];
      }
    ).embeddings[1];
    for (const [index, value] of (alone ?? []).entries())
      expect(Math.abs(value - (batched?.[index] ?? 9))).toBeLessThan(1e-6);
  });

  it.each([
    [{ texts: "film" }, "texts: must be an array"],
    [{ texts: ["a"], model: "sentiment/fasttext-amazon-polarity" }, "is a sentiment model"],
  ])("rejects %j", async (body, message) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain(message);
  });
});
