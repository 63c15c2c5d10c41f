import { decodeS3Key, handleSqsBatch, itemsFromSqsBody, toBatchItems } from "@marquee/core";
import type { S3Event, SQSEvent } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { eventFixture } from "../../support/shared.js";

describe("S3 and SQS adapters", () => {
  it("decodes S3's form-style key encoding", () => {
    expect(decodeS3Key("uploads/frames/j/scene+01%2Bb%C3%A9.jpg")).toBe("uploads/frames/j/scene 01+bé.jpg");
  });

  it("turns ObjectCreated records into batch items and ignores removals", () => {
    const items = toBatchItems(eventFixture<S3Event>("s3-object-created.json"));
    expect(items).toEqual([
      {
        bucket: "marquee-prod-media",
        key: "uploads/frames/trailer-2026/scene 01+bé.jpg",
        etag: "d41d8cd98f00b204e9800998ecf8427e",
        size: 49124,
      },
    ]);
  });

  it("ignores S3's test event", () => {
    const event = eventFixture<SQSEvent>("sqs-s3-notifications.json");
    expect(itemsFromSqsBody(event.Records[0]?.body ?? "")).toEqual([]);
  });

  it("drops a message that is not an S3 event (a retry cannot help), logging it", async () => {
    const event = eventFixture<SQSEvent>("sqs-s3-notifications.json");
    const seen: string[] = [];
    const logged: Array<Record<string, unknown>> = [];
    const response = await handleSqsBatch(event, async (item) => seen.push(item.key), {
      log: (entry) => logged.push(entry),
    });
    expect(seen).toEqual(["uploads/frames/job1/frame 001.jpg"]);
    expect(response.batchItemFailures).toEqual([]);
    expect(logged.some((entry) => String(entry.error).includes("not JSON"))).toBe(true);
  });

  it("retries a message whose processing throws", async () => {
    const event = eventFixture<SQSEvent>("sqs-s3-notifications.json");
    const response = await handleSqsBatch(
      event,
      async () => {
        throw new Error("S3 unavailable");
      },
      { log: () => undefined },
    );
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual([
      "2e1424d4-f796-459a-8184-9c92662be6da",
    ]);
  });

  it("starts no message once the time budget is spent, so it is retried later", async () => {
    const event = eventFixture<SQSEvent>("sqs-s3-notifications.json");
    let calls = 0;
    const response = await handleSqsBatch(event, async () => calls++, {
      deadline: Date.now() - 1,
      log: () => undefined,
    });
    expect(calls).toBe(0);
    expect(response.batchItemFailures).toHaveLength(3);
  });

  it("answers a non-SQS event with an empty partial-batch response instead of throwing", async () => {
    const logged: unknown[] = [];
    for (const event of [{}, { detail: "EventBridge" }, null]) {
      const response = await handleSqsBatch(event as unknown as SQSEvent, async () => 1, {
        log: (entry) => logged.push(entry),
      });
      expect(response).toEqual({ batchItemFailures: [] });
    }
    expect(logged).toHaveLength(3);
  });
});
