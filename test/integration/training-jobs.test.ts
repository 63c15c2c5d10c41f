import { readFileSync } from "node:fs";
import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { createS3Client } from "@marquee/core";
import type { Twin } from "@marquee/core/twin";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasShared, sharedData } from "../support/shared.js";
import { syntheticRows } from "../support/synthetic-ratings.js";
import { authed, startTestTwin } from "../support/twin.js";

interface Status {
  id: string;
  state: string;
  algorithm: string;
  metrics?: Record<string, number>;
  model?: { id: string; version: string; promoted: boolean };
  report: { json: string; html: string };
  error?: { code: string; message: string };
}

describe("training jobs through the twin (S3 upload → SQS → training function; HTTP API)", () => {
  let twin: Twin;
  let s3: S3Client;
  beforeAll(async () => {
    twin = await startTestTwin();
    s3 = createS3Client({ region: "us-east-1", s3Endpoint: twin.s3Endpoint });
  });
  afterAll(() => twin?.close());

  const put = (key: string, body: Uint8Array | string) =>
    s3.send(new PutObjectCommand({ Bucket: twin.buckets.media, Key: key, Body: body }));
  const resultText = async (key: string) => {
    const out = await s3.send(new GetObjectCommand({ Bucket: twin.buckets.results, Key: key }));
    return (await out.Body?.transformToString()) ?? "";
  };
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${twin.apiUrl}${path}`, {
      ...init,
      headers: authed(twin, { "content-type": "application/json" }),
    });
  const status = async (id: string) => (await (await api(`/v1/training-jobs/${id}`)).json()) as Status;

  it("rejects a bad request and a data set that was never uploaded with clear 4xx errors", async () => {
    const bad = await api("/v1/training-jobs", { method: "POST", body: JSON.stringify({ kind: "ratings" }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("invalid_input");
    const missing = await api("/v1/training-jobs", {
      method: "POST",
      body: JSON.stringify({ kind: "ratings", dataset: "nothing-here", algorithm: "ease" }),
    });
    expect(missing.status).toBe(404);
    expect((await api("/v1/training-jobs/no-such-job")).status).toBe(404);
  });

  it("train.json trains one job per listed algorithm; each has a status, a report and a version", async () => {
    const { raw } = syntheticRows();
    await put(
      "uploads/training/ratings/synthetic/ratings.csv",
      `user,item,rating,timestamp\n${raw.map((r) => `${r.user},${r.item},${r.value},${r.timestamp}`).join("\n")}\n`,
    );
    await put(
      "uploads/training/ratings/synthetic/train.json",
      JSON.stringify({ algorithms: ["popularity", "mf-als"] }),
    );
    await twin.idle();
    const listing = await resultText("results/training/").catch(() => "");
    void listing;
    const jobs = await Promise.all(
      ["popularity", "mf-als"].map(async (algorithm) => {
        const started = await api("/v1/training-jobs", {
          method: "POST",
          body: JSON.stringify({ kind: "ratings", dataset: "synthetic", algorithm }),
        });
        expect(started.status).toBe(202);
        return status(((await started.json()) as { id: string }).id);
      }),
    );
    // The POST of the same request on the same data is the job train.json already ran.
    for (const job of jobs) {
      expect(job.state).toBe("succeeded");
      expect(job.model?.id).toBe(`recommender/synthetic-${job.algorithm}`);
      expect(JSON.parse(await resultText(job.report.json)).job.id).toBe(job.id);
      expect(await resultText(job.report.html)).toContain("<canvas");
    }
    expect(jobs[1]?.metrics?.rmse).toBeLessThan(jobs[0]?.metrics?.rmse as number);
  });

  it("a bad file fails its job, and the status says why", async () => {
    await put("uploads/training/ratings/broken/ratings.csv", "user,item,rating\na,1,5\nb,1,five\n");
    const started = await api("/v1/training-jobs", {
      method: "POST",
      body: JSON.stringify({ kind: "ratings", dataset: "broken", algorithm: "popularity" }),
    });
    const { id } = (await started.json()) as { id: string };
    await twin.idle();
    const failed = await status(id);
    expect(failed.state).toBe("failed");
    expect(failed.error?.code).toBe("bad_data");
  });

  it.runIf(hasShared)(
    "MovieLens-100k u.data + u.item: an EASE job beats popularity by ≥ 1.6× NDCG@10",
    {
      timeout: 120_000,
    },
    async () => {
      await put("uploads/training/ratings/ml100k/u.data", readFileSync(sharedData("movielens-100k/u.data")));
      await put("uploads/training/ratings/ml100k/u.item", readFileSync(sharedData("movielens-100k/u.item")));
      const started = await api("/v1/training-jobs", {
        method: "POST",
        body: JSON.stringify({ kind: "ratings", dataset: "ml100k", algorithm: "ease" }),
      });
      const { id } = (await started.json()) as { id: string };
      await twin.idle();
      const done = await status(id);
      expect(done.state).toBe("succeeded");
      expect(done.metrics?.["ndcg@10"]).toBeGreaterThanOrEqual(
        1.6 * (done.metrics?.["popularity.ndcg@10"] ?? 1),
      );
    },
  );
});
