import { readFileSync } from "node:fs";
import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { createS3Client, type JobSummary } from "@marquee/core";
import type { Twin } from "@marquee/core/twin";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { imdbReviews } from "../support/reviews.js";
import { hasShared, sharedData } from "../support/shared.js";
import { authed, startTestTwin } from "../support/twin.js";

interface Line {
  index: number;
  line: number;
  id?: string | null;
  title?: string | null;
  label?: string;
  scores?: Record<string, number>;
  error?: { code: string; message: string };
}

describe.skipIf(!hasShared)("text batch jobs uploaded to S3", () => {
  let twin: Twin;
  let s3: S3Client;
  beforeAll(async () => {
    twin = await startTestTwin();
    s3 = createS3Client({ region: "us-east-1", s3Endpoint: twin.s3Endpoint });
  });
  afterAll(() => twin?.close());

  const put = (key: string, body: Uint8Array | string) =>
    s3.send(new PutObjectCommand({ Bucket: twin.buckets.media, Key: key, Body: body }));
  const read = async (key: string) => {
    const out = await s3.send(new GetObjectCommand({ Bucket: twin.buckets.results, Key: key }));
    return (await out.Body?.transformToString()) ?? "";
  };
  const lines = async (job: string) =>
    (await read(`results/${job}/sentiment.jsonl`))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Line);
  const job = async (id: string) =>
    (await (await fetch(`${twin.apiUrl}/v1/jobs/${id}`, { headers: authed(twin) })).json()) as JobSummary;

  it("labels imdb-4000.csv as POST /v1/sentiment does, in input order, and completes the job", async () => {
    const csv = readFileSync(sharedData("reviews/imdb-4000.csv"));
    await put("uploads/text/imdb/imdb-4000.csv", csv);
    await twin.idle();
    const summary = await job("imdb");
    expect(summary).toMatchObject({
      kind: "text",
      status: "completed",
      counts: { total: 4000, ok: 4000, failed: 0 },
    });
    expect(summary.outputs).toEqual(["results/imdb/sentiment.jsonl", "results/imdb/titles.json"]);
    expect(summary.timings.rowsPerSecond).toBeGreaterThan(0);
    const reviews = imdbReviews();
    const rows = await lines("imdb");
    expect(rows.map((row) => row.id)).toEqual(reviews.map((review) => review.id));
    expect(rows.map((row) => row.index)).toEqual(reviews.map((_, index) => index));

    const labels: string[] = [];
    for (let at = 0; at < reviews.length; at += 32) {
      const response = await fetch(`${twin.apiUrl}/v1/sentiment`, {
        method: "POST",
        headers: authed(twin, { "content-type": "application/json" }),
        body: JSON.stringify({ texts: reviews.slice(at, at + 32).map((review) => review.text) }),
      });
      const body = (await response.json()) as { results: Array<{ label: string }> };
      labels.push(...body.results.map((result) => result.label));
    }
    expect(rows.map((row) => row.label)).toEqual(labels);
    const titles = JSON.parse(await read("results/imdb/titles.json")) as {
      titles: Array<{ title: string; count: number }>;
    };
    expect(titles.titles).toEqual([expect.objectContaining({ title: "(untitled)", count: 4000 })]);

    twin.redeliver("uploads/text/imdb/");
    await twin.idle();
    expect((await lines("imdb")).length).toBe(4000);
    expect((await job("imdb")).counts.total).toBe(4000);
  });

  it("gives malformed rows error records with their line numbers, aggregates titles, and keeps the rest", async () => {
    const csv = [
      "id,title,text",
      'r1,Heat,"A tense, brilliant heist film."',
      'r2,Heat,"Tedious.\nToo long, and the ending drags."',
      "r3,Heat",
      'r4,Cats,"Awful, boring, a waste of time."',
      "r5,Cats,",
      'r6,Cats,"Surprisingly charming, I loved it."',
    ].join("\n");
    await put("uploads/text/titles/reviews.csv", csv);
    await twin.idle();
    const summary = await job("titles");
    expect(summary).toMatchObject({
      status: "completed_with_errors",
      counts: { total: 6, ok: 4, failed: 2 },
    });
    expect(summary.errors.map((error) => error.line)).toEqual([5, 7]);
    const rows = await lines("titles");
    expect(rows.map((row) => [row.line, row.id ?? null, row.error ? "error" : row.label])).toEqual([
      [2, "r1", "positive"],
      [3, "r2", "negative"],
      [5, null, "error"],
      [6, "r4", "negative"],
      [7, null, "error"],
      [8, "r6", "positive"],
    ]);
    const titles = JSON.parse(await read("results/titles/titles.json")) as {
      titles: Array<{
        title: string;
        count: number;
        meanPositive: number;
        labels: Record<string, number>;
        mostPositive: Array<{ id: string }>;
        mostNegative: Array<{ id: string }>;
      }>;
    };
    expect(titles.titles.map((title) => [title.title, title.count])).toEqual([
      ["Cats", 2],
      ["Heat", 2],
    ]);
    const heat = titles.titles.find((title) => title.title === "Heat");
    expect(heat?.labels).toEqual({ positive: 1, negative: 1 });
    expect(heat?.mostPositive[0]?.id).toBe("r1");
    expect(heat?.mostNegative[0]?.id).toBe("r2");
  });
});
