import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { createS3Client, type JobSummary, LOCAL_WEBHOOK_SECRET } from "@marquee/core";
import type { Twin } from "@marquee/core/twin";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signWebhook } from "../../packages/core/src/batch/notify.js";
import { facePhoto, hasShared } from "../support/shared.js";
import { authed, startTestTwin } from "../support/twin.js";
import { startWebhookReceiver, type WebhookCall } from "../support/webhook-receiver.js";

interface Page {
  items: Array<{ item: string; status: string; result?: { faces: unknown[] }; error?: { code: string } }>;
  files: Array<{ key: string; bytes: number; url?: string }>;
  next?: string;
}

describe.skipIf(!hasShared)("a batch job's lifecycle: status, results listing, webhook", () => {
  let twin: Twin;
  let s3: S3Client;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let hookUrl: string;
  let calls: WebhookCall[] = [];

  beforeAll(async () => {
    twin = await startTestTwin();
    s3 = createS3Client({ region: "us-east-1", s3Endpoint: twin.s3Endpoint });
    receiver = await startWebhookReceiver((call) => (call === 1 ? 503 : 204)); // the sender must retry
    hookUrl = receiver.url;
    calls = receiver.calls;
  });
  afterAll(async () => {
    await twin?.close();
    receiver?.close();
  });

  const put = (key: string, body: Uint8Array | string) =>
    s3.send(new PutObjectCommand({ Bucket: twin.buckets.media, Key: key, Body: body }));
  const notificationRecords = async (job: string) => {
    const prefix = `results/${job}/notifications/`;
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: twin.buckets.results, Prefix: prefix }));
    const keys = (listed.Contents ?? []).flatMap((object) =>
      object.Key?.endsWith(".json") ? [object.Key] : [],
    );
    return Promise.all(
      keys.map(async (Key) => {
        const object = await s3.send(new GetObjectCommand({ Bucket: twin.buckets.results, Key }));
        return JSON.parse((await object.Body?.transformToString()) ?? "null") as unknown;
      }),
    );
  };
  const get = (path: string) => fetch(`${twin.apiUrl}${path}`, { headers: authed(twin) });

  it("finishes completed_with_errors, lists every item page by page, and calls the webhook once, signed", async () => {
    await put("uploads/frames/life/manifest.json", JSON.stringify({ webhook: { url: hookUrl } }));
    await put("uploads/frames/life/a.jpg", facePhoto("2.jpg"));
    await put("uploads/frames/life/b.jpg", facePhoto("6.jpg"));
    await put("uploads/frames/life/c.jpg", new Uint8Array([0xff, 0xd8, 0xff, 0x00, 1, 2, 3]));
    // The twin refuses dot-segment keys outright (stricter than S3; the runner ignores them in the cloud).
    await expect(put("uploads/frames/life/.", "an ignored key")).rejects.toThrow();
    await twin.idle();

    const summary = (await (await get("/v1/jobs/life")).json()) as JobSummary;
    expect(summary).toMatchObject({
      status: "completed_with_errors",
      uploads: { total: 3, processed: 3 },
      counts: { total: 3, ok: 2, failed: 1 },
    });

    const seen: Page["items"] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const response = await get(`/v1/jobs/life/results?limit=2${next ? `&next=${next}` : ""}`);
      expect(response.status).toBe(200);
      const page = (await response.json()) as Page;
      if (pages === 0) {
        const job = page.files.find((file) => file.key === "results/life/job.json");
        expect(job?.url).toBeDefined();
        const fetched = (await (await fetch(job?.url as string)).json()) as JobSummary;
        expect(fetched.status).toBe("completed_with_errors");
      } else expect(page.files).toEqual([]);
      seen.push(...page.items);
      next = page.next;
      pages += 1;
    } while (next);
    expect(pages).toBe(2);
    expect(seen.map((item) => [item.item, item.status])).toEqual(
      expect.arrayContaining([
        [expect.stringContaining("a.jpg"), "ok"],
        [expect.stringContaining("b.jpg"), "ok"],
        [expect.stringContaining("c.jpg"), "failed"],
      ]),
    );
    expect(seen).toHaveLength(3);
    expect(seen.find((item) => item.status === "ok")?.result?.faces.length).toBeGreaterThan(0);

    // One failed attempt, then one delivery, as the job's notification record says; a replay of every
    // event sends nothing more.
    expect(await notificationRecords("life")).toEqual([
      expect.objectContaining({ url: hookUrl, attempts: 2, status: 204, delivered: true }),
    ]);
    expect(calls).toHaveLength(2);
    twin.redeliver("uploads/frames/life/");
    await twin.idle();
    expect(calls).toHaveLength(2);
    const delivered = calls[1] as WebhookCall;
    expect(delivered.body).toBe(calls[0]?.body);
    const event = JSON.parse(delivered.body) as {
      type: string;
      job: string;
      status: string;
      counts: unknown;
    };
    expect(event).toMatchObject({ type: "job.finished", job: "life", status: "completed_with_errors" });
    const signature = String(delivered.headers["marquee-signature"]);
    const timestamp = Number(/t=(\d+)/.exec(signature)?.[1]);
    expect(Math.abs(Date.now() / 1000 - timestamp)).toBeLessThan(60);
    expect(signature).toBe(signWebhook(LOCAL_WEBHOOK_SECRET, delivered.body, timestamp));
  }, 60_000);

  it("answers 404 for a job with nothing uploaded and 400 for a bad page size", async () => {
    expect((await get("/v1/jobs/nothing-here")).status).toBe(404);
    expect((await get("/v1/jobs/nothing-here/results")).status).toBe(404);
    const bad = await get("/v1/jobs/life/results?limit=5000");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain("query.limit");
  });
});
