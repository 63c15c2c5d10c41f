/** A batch of frames through the S3 path: PutObject -> ObjectCreated -> SQS emulation -> frames.ts. */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { createS3Client, type JobSummary, resultKeys } from "@marquee/core";
import type { Twin } from "@marquee/core/twin";
import { FACES_DIR } from "./event.js";
import { withQuietLog } from "./warm.js";

export interface BatchResult {
  job: string;
  frames: number;
  /** First PutObject -> twin.idle(). */
  wallMs: number;
  putMs: number;
  framesPerSecond: number;
  perFrameMs: number;
  counts: JobSummary["counts"];
  status: JobSummary["status"];
  deadLetters: number;
  /** Sum over frames of decode + preprocess + inference + postprocess (job.json), and of session.run. */
  computeMs: number;
  modelMs: number;
  /** job.json's own timings: summed phases over all frames, and its marker-based wall time. */
  summaryTimings: Record<string, number>;
}

async function facePhotos(): Promise<Buffer[]> {
  const files = (await readdir(FACES_DIR)).filter((name) => name.endsWith(".jpg")).sort();
  if (files.length === 0) throw new Error(`no .jpg frames in ${FACES_DIR}`);
  return Promise.all(files.map((name) => readFile(path.join(FACES_DIR, name))));
}

/** `frames` uploads cycling through `images` (default the shared face photos), after `manifest` if given. */
export async function measureBatch(
  twin: Twin,
  frames: number,
  options: { manifest?: unknown; images?: Buffer[] } = {},
): Promise<BatchResult> {
  const images = options.images ?? (await facePhotos());
  const s3 = createS3Client({ region: "us-east-1", s3Endpoint: twin.s3Endpoint });
  const job = `bench-${Date.now()}`;
  if (options.manifest) {
    await s3.send(
      new PutObjectCommand({
        Bucket: twin.buckets.media,
        Key: `uploads/frames/${job}/manifest.json`,
        Body: JSON.stringify(options.manifest),
        ContentType: "application/json",
      }),
    );
  }
  const deadBefore = [...twin.queues.values()].reduce((sum, queue) => sum + queue.deadLetters.length, 0);

  const { started, putDone, idle } = await withQuietLog(async () => {
    const started = performance.now();
    for (let index = 0; index < frames; index++) {
      await s3.send(
        new PutObjectCommand({
          Bucket: twin.buckets.media,
          Key: `uploads/frames/${job}/frame-${String(index + 1).padStart(3, "0")}.jpg`,
          Body: images[index % images.length],
          ContentType: "image/jpeg",
        }),
      );
    }
    const putDone = performance.now();
    await twin.idle();
    return { started, putDone, idle: performance.now() };
  });

  const object = await s3.send(
    new GetObjectCommand({ Bucket: twin.buckets.results, Key: resultKeys.job(job) }),
  );
  const summary = JSON.parse((await object.Body?.transformToString()) ?? "{}") as JobSummary;
  s3.destroy();
  const wallMs = idle - started;
  const deadAfter = [...twin.queues.values()].reduce((sum, queue) => sum + queue.deadLetters.length, 0);
  const phases = summary.timings as Record<string, number>;
  const computeMs = ["decode", "preprocess", "inference", "postprocess"].reduce(
    (sum, phase) => sum + (phases[phase] ?? 0),
    0,
  );
  return {
    job,
    frames,
    wallMs,
    putMs: putDone - started,
    framesPerSecond: frames / (wallMs / 1000),
    perFrameMs: wallMs / frames,
    counts: summary.counts,
    status: summary.status,
    deadLetters: deadAfter - deadBefore,
    computeMs,
    modelMs: phases.modelMs ?? 0,
    summaryTimings: phases,
  };
}
