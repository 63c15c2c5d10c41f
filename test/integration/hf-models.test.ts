import { readFileSync } from "node:fs";
import path from "node:path";
import { createS3Client, registerModelFolder, S3BlobStore } from "@marquee/core";
import type { Twin } from "@marquee/core/twin";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureDir, hasShared } from "../support/shared.js";
import { authed, startTestTwin } from "../support/twin.js";

const BERT = "sentiment/bert-tiny-random-sst2";
const MINILM = "embeddings/minilm-tiny-random";
const reference = (name: string) =>
  JSON.parse(readFileSync(path.join(fixtureDir(name), "reference.json"), "utf8")) as {
    inputs: string[];
    expected: Record<string, unknown>;
  };

describe.skipIf(!hasShared)("Hugging Face models registered with models:add, through the endpoints", () => {
  let twin: Twin;
  beforeAll(async () => {
    twin = await startTestTwin();
    const bucket = new S3BlobStore(
      createS3Client({ region: "us-east-1", s3Endpoint: twin.s3Endpoint }),
      twin.buckets.models,
    );
    await registerModelFolder(
      fixtureDir("bert-tiny-random-sst2"),
      { id: BERT, format: "hf-text-classification" },
      bucket,
    );
    await registerModelFolder(
      fixtureDir("minilm-tiny-random"),
      { id: MINILM, format: "hf-feature-extraction" },
      bucket,
    );
  });
  afterAll(() => twin?.close());

  const post = (route: string, body: unknown) =>
    fetch(`${twin.apiUrl}${route}`, {
      method: "POST",
      headers: authed(twin, { "content-type": "application/json" }),
      body: JSON.stringify(body),
    });

  it("lists them in the catalog as registered and installed, with a content-addressed version", async () => {
    const { models } = (await (
      await fetch(`${twin.apiUrl}/v1/models`, { headers: authed(twin) })
    ).json()) as {
      models: Array<{ id: string; origin: string; installed: boolean; version: string; format: string }>;
    };
    const bert = models.find((model) => model.id === BERT);
    expect(bert).toMatchObject({ origin: "registered", installed: true, format: "hf-text-classification" });
    expect(bert?.version).toMatch(/^[0-9a-f]{12}$/);
  });

  it("reproduces the BERT classifier's reference labels and scores within 1e-5 via POST /v1/sentiment", async () => {
    const { inputs, expected } = reference("bert-tiny-random-sst2");
    const response = await post("/v1/sentiment", { texts: inputs, model: BERT });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      results: Array<{ label: string; scores: Record<string, number> }>;
      models: Array<{ id: string }>;
    };
    const all = expected.pipeline_all_labels as Array<Array<{ label: string; score: number }>>;
    body.results.forEach((result, index) => {
      expect(result.label).toBe(all[index]?.[0]?.label);
      for (const { label, score } of all[index] ?? []) {
        expect(Math.abs((result.scores[label] ?? -1) - score)).toBeLessThan(1e-5);
      }
    });
    expect(body.models[0]?.id).toBe(BERT);
  });

  it("classifies a text longer than the 512-token context through overlapping windows", async () => {
    const long = Array.from({ length: 1500 }, (_, i) => (i % 2 ? "wonderful" : "film")).join(" ");
    const response = await post("/v1/sentiment", { texts: [long, "short"], model: BERT });
    expect(response.status).toBe(200);
    const { results } = (await response.json()) as { results: Array<{ scores: Record<string, number> }> };
    for (const result of results) {
      expect(Object.values(result.scores).reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 5);
    }
  });

  it("reproduces the MiniLM fixture's pooled, normalised embeddings within 1e-5 via POST /v1/embeddings", async () => {
    const { inputs, expected } = reference("minilm-tiny-random");
    const response = await post("/v1/embeddings", { texts: inputs, model: MINILM });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { embeddings: number[][]; dimensions: number };
    expect([body.embeddings.length, body.dimensions]).toEqual(expected.dims);
    (expected.first8 as number[][]).forEach((row, i) => {
      for (const [j, value] of row.entries()) {
        expect(Math.abs((body.embeddings[i]?.[j] ?? 99) - value)).toBeLessThan(1e-5);
      }
    });
  });
});
