import type { SQSEvent } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { LocalQueue } from "../../../packages/core/src/twin/local-queue.js";

const options = {
  name: "q",
  region: "us-east-1",
  batchSize: 2,
  maxConcurrency: 1,
  retryDelayMs: 1,
  memoryMb: 1769,
  timeoutSeconds: 300,
  log: () => undefined,
};

describe("LocalQueue (SQS emulation)", () => {
  it("delivers in batches and retries only the failed messages", async () => {
    const deliveries: string[][] = [];
    let failedOnce = false;
    const queue = new LocalQueue({
      ...options,
      maxReceiveCount: 3,
      consumer: async (event: SQSEvent) => {
        deliveries.push(event.Records.map((record) => record.body));
        const bad = event.Records.find((record) => record.body === "b" && !failedOnce);
        if (bad) failedOnce = true;
        return { batchItemFailures: bad ? [{ itemIdentifier: bad.messageId }] : [] };
      },
    });
    for (const body of ["a", "b", "c"]) queue.send(body);
    await queue.idle();
    expect(deliveries.flat().sort()).toEqual(["a", "b", "b", "c"]);
    expect(deliveries.every((batch) => batch.length <= 2)).toBe(true);
    expect(queue.deadLetters).toEqual([]);
  });

  it("dead-letters a message after maxReceiveCount deliveries", async () => {
    let attempts = 0;
    const queue = new LocalQueue({
      ...options,
      maxReceiveCount: 3,
      consumer: async (event) => {
        attempts += 1;
        expect(event.Records[0]?.attributes.ApproximateReceiveCount).toBe(String(attempts));
        throw new Error("always fails");
      },
    });
    queue.send("poison");
    await queue.idle();
    expect(attempts).toBe(3);
    expect(queue.deadLetters.map((message) => message.body)).toEqual(["poison"]);
  });
});
