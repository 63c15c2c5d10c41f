import { readdirSync } from "node:fs";
import path from "node:path";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { createS3Client, type JobSummary } from "@marquee/core";
import type { Twin } from "@marquee/core/twin";
import { zipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { facePhoto, hasShared, sharedDir } from "../support/shared.js";
import { authed, startTestTwin } from "../support/twin.js";

describe.skipIf(!hasShared)("frame batches uploaded to S3", () => {
  let twin: Twin;
  let s3: S3Client;
  const photos = readdirSync(path.join(sharedDir, "data/images/faces")).filter((name) =>
    name.endsWith(".jpg"),
  );

  beforeAll(async () => {
    twin = await startTestTwin();
    s3 = createS3Client({ region: "us-east-1", s3Endpoint: twin.s3Endpoint });
  });
  afterAll(() => twin?.close());

  const put = (key: string, body: Uint8Array) =>
    s3.send(new PutObjectCommand({ Bucket: twin.buckets.media, Key: key, Body: body }));
  const list = async (bucket: string, prefix: string) =>
    ((await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))).Contents ?? []).map(
      (item) => ({
        key: item.Key ?? "",
        etag: item.ETag,
      }),
    );
  const readJson = async <T>(key: string): Promise<T> => {
    const out = await s3.send(new GetObjectCommand({ Bucket: twin.buckets.results, Key: key }));
    return JSON.parse(await (out.Body?.transformToString() ?? "{}")) as T;
  };
  const jobApi = (job: string) => fetch(`${twin.apiUrl}/v1/jobs/${job}`, { headers: authed(twin) });

  it("processes 10 frames, one corrupt: 9 results, 1 error record, a completed job.json; replays add nothing", async () => {
    for (let i = 0; i < 10; i++) {
      const photo = facePhoto(photos[i % photos.length] as string);
      await put(
        `uploads/frames/job1/frame ${String(i).padStart(2, "0")}.jpg`,
        i === 7 ? photo.subarray(0, 3000) : photo,
      );
    }
    await twin.idle();
    const uploadsBefore = await list(twin.buckets.media, "uploads/frames/job1/");
    const frames = await list(twin.buckets.results, "results/job1/frames/");
    const errors = await list(twin.buckets.results, "results/job1/errors/");
    expect(frames).toHaveLength(9);
    expect(errors.map((item) => item.key)).toEqual(["results/job1/errors/frame 07.jpg.json"]);
    const errorRecord = await readJson<{ status: string; error: { code: string } }>(errors[0]?.key ?? "");
    expect(errorRecord).toMatchObject({ status: "failed", error: { code: "invalid_image" } });
    const frame = await readJson<{ result: { faces: unknown[] }; source: { etag: string } }>(
      frames[0]?.key ?? "",
    );
    expect(frame.result.faces.length).toBeGreaterThan(0);

    const summary = await readJson<JobSummary>("results/job1/job.json");
    expect(summary).toMatchObject({
      job: "job1",
      status: "completed_with_errors",
      uploads: { total: 10, processed: 10 },
      counts: { total: 10, ok: 9, failed: 1 },
      errors: [{ item: "frame 07.jpg", code: "invalid_image" }],
    });
    expect(summary.models.map((model) => model.id)).toContain("face-detection/ultraface-rfb-320");
    expect(summary.timings.modelMs).toBeGreaterThan(0);
    expect(await (await jobApi("job1")).json()).toMatchObject({
      status: "completed_with_errors",
      counts: { ok: 9, failed: 1 },
    });

    const resultsBefore = await list(twin.buckets.results, "results/job1/");
    expect(twin.redeliver("uploads/frames/job1/")).toBe(10);
    expect(twin.redeliver("uploads/frames/job1/")).toBe(10);
    await twin.idle();
    expect(await list(twin.buckets.results, "results/job1/")).toEqual(resultsBefore);
    expect(await list(twin.buckets.media, "uploads/frames/job1/")).toEqual(uploadsBefore);
    expect([...twin.queues.values()].flatMap((queue) => queue.deadLetters)).toEqual([]);
  });

  it("expands a zip of frames and records non-images and oversized files as errors", async () => {
    const zip = zipSync({
      "reel/001.jpg": facePhoto("2.jpg"),
      "reel/002.jpg": facePhoto("6.jpg"),
      "reel/notes.txt": new TextEncoder().encode("not a frame"),
    });
    await put("uploads/frames/job2/reel.zip", zip);
    await put("uploads/frames/job2/readme.txt", new TextEncoder().encode("hello"));
    await put("uploads/frames/job2/huge.jpg", new Uint8Array(21 * 1024 * 1024));
    await twin.idle();
    const summary = (await (await jobApi("job2")).json()) as JobSummary;
    expect(summary.status).toBe("completed_with_errors");
    expect(summary.counts).toEqual({ total: 5, ok: 2, failed: 3 });
    expect(Object.fromEntries(summary.errors.map((error) => [error.item, error.code]))).toEqual({
      "huge.jpg": "payload_too_large",
      "readme.txt": "unsupported_media",
      "reel.zip!/reel/notes.txt": "unsupported_media",
    });
    expect((await list(twin.buckets.results, "results/job2/frames/")).map((item) => item.key)).toEqual([
      "results/job2/frames/reel.zip!/reel/001.jpg.json",
      "results/job2/frames/reel.zip!/reel/002.jpg.json",
    ]);
  });

  it("ignores uploads outside the trigger prefix and answers 404 for unknown jobs", async () => {
    await put("uploads/media/x/2.jpg", facePhoto("2.jpg"));
    await twin.idle();
    expect(await list(twin.buckets.results, "results/x/")).toEqual([]);
    const response = await jobApi("no-such-job");
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
    expect((await jobApi("bad%2Fid")).status).toBe(400);
  });
});
