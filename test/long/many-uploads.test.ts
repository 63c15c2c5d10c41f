import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { createS3Client, type JobSummary, LOCAL_WEBHOOK_SECRET } from "@marquee/core";
import type { Twin } from "@marquee/core/twin";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signWebhook } from "../../packages/core/src/batch/notify.js";
import { syntheticJpeg } from "../../packages/core/src/media/image.js";
import { hasShared } from "../support/shared.js";
import { authed, startTestTwin } from "../support/twin.js";
import { startWebhookReceiver } from "../support/webhook-receiver.js";

const UPLOADS = Number(process.env.MANY_UPLOADS ?? 1500);

describe.skipIf(!hasShared)(`a job of ${UPLOADS} single-frame uploads`, () => {
  let twin: Twin;
  let s3: S3Client;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

  beforeAll(async () => {
    twin = await startTestTwin();
    s3 = createS3Client({ region: "us-east-1", s3Endpoint: twin.s3Endpoint });
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await twin?.close();
    receiver?.close();
  });

  it("completes with correct counts, pages through every item and calls the webhook once", async () => {
    const { url, calls } = receiver;
    const put = (key: string, body: Uint8Array | string) =>
      s3.send(new PutObjectCommand({ Bucket: twin.buckets.media, Key: key, Body: body }));
    const get = async <T>(path: string) =>
      (await (await fetch(`${twin.apiUrl}${path}`, { headers: authed(twin) })).json()) as T;
    await put("uploads/frames/many/manifest.json", JSON.stringify({ webhook: { url } }));
    const frame = await syntheticJpeg(96, 64);
    const started = performance.now();
    for (let index = 0; index < UPLOADS; index += 1) {
      await put(`uploads/frames/many/frame-${String(index).padStart(5, "0")}.jpg`, frame);
      if (index === 0) {
        const first = await get<JobSummary>("/v1/jobs/many");
        console.info(`right after the first upload: ${first.status}`, first.uploads);
        expect(["queued", "running"]).toContain(first.status);
      }
    }
    await twin.idle();
    const seconds = (performance.now() - started) / 1000;
    const summary = await get<JobSummary>("/v1/jobs/many");
    console.info(
      `${UPLOADS} uploads: ${summary.status} in ${seconds.toFixed(1)} s`,
      summary.counts,
      summary.uploads,
    );
    expect(summary).toMatchObject({
      status: "completed",
      uploads: { total: UPLOADS, processed: UPLOADS },
      counts: { total: UPLOADS, ok: UPLOADS, failed: 0 },
    });
    const names = new Set<string>();
    let next: string | undefined;
    let pages = 0;
    do {
      const page = await get<{ items: Array<{ item: string; status: string }>; next?: string }>(
        `/v1/jobs/many/results?limit=500${next ? `&next=${next}` : ""}`,
      );
      for (const item of page.items) {
        expect(item.status).toBe("ok");
        names.add(item.item);
      }
      next = page.next;
      pages += 1;
    } while (next);
    expect(names.size).toBe(UPLOADS);
    expect(pages).toBe(Math.ceil(UPLOADS / 500));
    expect(calls).toHaveLength(1);
    const signature = String(calls[0]?.headers["marquee-signature"]);
    const timestamp = Number(/t=(\d+)/.exec(signature)?.[1]);
    expect(signature).toBe(signWebhook(LOCAL_WEBHOOK_SECRET, calls[0]?.body ?? "", timestamp));
  });
});
