import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { createS3Client, type JobSummary } from "@marquee/core";
import type { Twin } from "@marquee/core/twin";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { subtitleFrame } from "../support/ocr-frames.js";
import { facePhoto, hasShared } from "../support/shared.js";
import { authed, startTestTwin } from "../support/twin.js";

const SENTENCE = "I never said she stole my money";
const ALL_TASKS = ["faces", "labels", "moderation", "text"];

interface Analysis {
  width: number;
  height: number;
  results: {
    faces: { faces: Array<{ dominant: string }>; timings: Record<string, number> };
    labels: { labels: Array<{ label: string; score: number }>; timings: Record<string, number> };
    moderation: { safe: boolean; flagged: string[]; timings: Record<string, number> };
    text: { lines: Array<{ text: string }>; timings: Record<string, number> };
  };
  models: Array<{ id: string }>;
  timings: Record<string, number>;
}

describe.skipIf(!hasShared)("the image suite through the local twin", () => {
  let twin: Twin;
  let s3: S3Client;
  beforeAll(async () => {
    twin = await startTestTwin();
    s3 = createS3Client({ region: "us-east-1", s3Endpoint: twin.s3Endpoint });
  });
  afterAll(() => twin?.close());

  const post = (path: string, body: unknown) =>
    fetch(`${twin.apiUrl}${path}`, {
      method: "POST",
      body: JSON.stringify(body),
      headers: authed(twin, { "content-type": "application/json" }),
    });
  const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

  it("analyzes 2.jpg with all four tasks, decoding once: 4 happy faces, labels, safe, no text", async () => {
    const response = await post("/v1/analyze", { image: base64(facePhoto("2.jpg")), tasks: ALL_TASKS });
    expect(response.status).toBe(200);
    const result = (await response.json()) as Analysis;
    expect([result.width, result.height]).toEqual([1024, 484]);
    expect(Object.keys(result.results)).toEqual(ALL_TASKS);
    expect(result.results.faces.faces.map((face) => face.dominant)).toEqual(Array(4).fill("happy"));
    expect(result.results.labels.labels).toHaveLength(5);
    expect(result.results.moderation).toMatchObject({ safe: true, flagged: [] });
    expect(result.results.text.lines).toEqual([]);
    // One decode, counted once at the top; each task reports its own phases without one.
    expect(result.timings.decode).toBeGreaterThan(0);
    for (const task of ALL_TASKS) {
      const own = result.results[task as keyof Analysis["results"]].timings;
      expect(own.decode ?? 0).toBe(0);
      expect(own.inference).toBeGreaterThan(0);
    }
    expect(result.models.map((model) => model.id)).toEqual(
      expect.arrayContaining(["face-detection/ultraface-rfb-320", "moderation/nsfwjs-mobilenet-v2"]),
    );
  });

  it("reads the burned-in subtitle back exactly from /v1/text, on a dark still and on a busy photo", async () => {
    for (const kind of ["dark", "busy"] as const) {
      const response = await post("/v1/text", { image: base64(await subtitleFrame(kind)) });
      expect(response.status).toBe(200);
      const { lines } = (await response.json()) as { lines: Array<{ text: string; box: number[][] }> };
      expect(lines.map((line) => line.text)).toContain(SENTENCE);
      expect(lines.find((line) => line.text === SENTENCE)?.box).toHaveLength(4);
    }
  });

  it("labels and moderation answer on their own routes; bad options are 400s naming the field", async () => {
    const dog = { image: base64(facePhoto("2.jpg")) };
    const labels = await post("/v1/labels", { ...dog, options: { topK: 3 } });
    expect(labels.status).toBe(200);
    expect(((await labels.json()) as { labels: unknown[] }).labels).toHaveLength(3);
    const moderation = await post("/v1/moderation", dog);
    expect(moderation.status).toBe(200);
    expect(await moderation.json()).toMatchObject({ safe: true, flagged: [] });

    const badTopK = await post("/v1/labels", { ...dog, options: { topK: 0 } });
    expect(badTopK.status).toBe(400);
    expect(JSON.stringify(await badTopK.json())).toContain("topK");
    const badTask = await post("/v1/analyze", { ...dog, tasks: ["faces", "palmistry"] });
    expect(badTask.status).toBe(400);
    expect(JSON.stringify(await badTask.json())).toContain("tasks");
  });

  it("runs every task on each frame of a batch whose manifest lists them", async () => {
    const put = (key: string, body: Uint8Array | string) =>
      s3.send(new PutObjectCommand({ Bucket: twin.buckets.media, Key: key, Body: body }));
    await put("uploads/frames/suite/manifest.json", JSON.stringify({ tasks: ALL_TASKS }));
    await put("uploads/frames/suite/a.jpg", facePhoto("2.jpg"));
    await put("uploads/frames/suite/subtitle.jpg", await subtitleFrame("dark"));
    await twin.idle();
    const read = async <T>(key: string) => {
      const object = await s3.send(new GetObjectCommand({ Bucket: twin.buckets.results, Key: key }));
      return JSON.parse((await object.Body?.transformToString()) ?? "null") as T;
    };
    const summary = await read<JobSummary>("results/suite/job.json");
    expect(summary).toMatchObject({ status: "completed", counts: { total: 2, ok: 2, failed: 0 } });
    const photo = await read<{ result: Analysis }>("results/suite/frames/a.jpg.json");
    expect(Object.keys(photo.result.results)).toEqual(ALL_TASKS);
    expect(photo.result.results.faces.faces).toHaveLength(4);
    const subtitle = await read<{ result: Analysis }>("results/suite/frames/subtitle.jpg.json");
    expect(subtitle.result.results.text.lines.map((line) => line.text)).toContain(SENTENCE);
  });
});
