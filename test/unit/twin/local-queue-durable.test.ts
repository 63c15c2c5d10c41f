import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { SQSEvent } from "aws-lambda";
import { afterEach, describe, expect, it } from "vitest";
import { LocalQueue, type QueueOptions } from "../../../packages/core/src/twin/local-queue.js";

const directories: string[] = [];
const newDirectory = () => {
  const directory = mkdtempSync(path.join(tmpdir(), "marquee-queue-"));
  directories.push(directory);
  return directory;
};
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

const queueIn = (directory: string, consumer: QueueOptions["consumer"], maxReceiveCount = 3) =>
  new LocalQueue({
    name: "q",
    region: "us-east-1",
    batchSize: 2,
    maxConcurrency: 1,
    maxReceiveCount,
    retryDelayMs: 1,
    memoryMb: 1769,
    timeoutSeconds: 300,
    log: () => undefined,
    consumer,
    directory,
  });

const messageFiles = (directory: string) => readdirSync(directory).filter((name) => name.endsWith(".json"));
const never = () => new Promise<never>(() => undefined);

describe("LocalQueue with a directory (durable, like SQS)", () => {
  it("stores a message before send returns; a new process delivers it again; deletion removes it", async () => {
    const directory = newDirectory();
    const killed = queueIn(directory, never);
    killed.send("a");
    killed.send("b");
    expect(messageFiles(directory)).toHaveLength(2);

    const received: string[] = [];
    const restarted = queueIn(directory, async (event: SQSEvent) => {
      received.push(...event.Records.map((r) => `${r.body} ${r.attributes.ApproximateReceiveCount}`));
      return { batchItemFailures: [] };
    });
    expect(restarted.recover()).toBe(2);
    expect(restarted.recover()).toBe(0);
    await restarted.idle();
    // "a" was being processed when the process died, "b" was waiting: SQS counts receives the same way.
    expect(received).toEqual(["a 2", "b 1"]);
    expect(messageFiles(directory)).toEqual([]);
    expect(restarted.unsettledBodies()).toEqual([]);
  });

  it("keeps dead letters across restarts and does not deliver them again", async () => {
    const directory = newDirectory();
    const first = queueIn(directory, async () => {
      throw new Error("always fails");
    });
    first.send("poison");
    await first.idle();
    expect(first.deadLetters.map((message) => message.body)).toEqual(["poison"]);
    expect(messageFiles(directory)).toEqual([]);

    let deliveries = 0;
    const second = queueIn(directory, async () => {
      deliveries += 1;
      return { batchItemFailures: [] };
    });
    expect(second.recover()).toBe(0);
    await second.idle();
    expect(deliveries).toBe(0);
    expect(second.deadLetters.map((message) => message.body)).toEqual(["poison"]);
  });

  it("dead-letters a recovered message already received maxReceiveCount times (it may kill the process)", async () => {
    const directory = newDirectory();
    for (let attempt = 0; attempt < 2; attempt++) {
      const crashing = queueIn(directory, never, 2);
      if (attempt === 0) crashing.send("kills the consumer");
      else crashing.recover();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    let deliveries = 0;
    const last = queueIn(
      directory,
      async () => {
        deliveries += 1;
        return { batchItemFailures: [] };
      },
      2,
    );
    last.recover();
    await last.idle();
    expect(deliveries).toBe(0);
    expect(last.deadLetters.map((message) => message.body)).toEqual(["kills the consumer"]);
  });

  it("ignores a half-written file and starts cleanly in an existing folder", async () => {
    const directory = newDirectory();
    writeFileSync(path.join(directory, "000000000000001-x.json.tmp"), '{"messageId":');
    writeFileSync(path.join(directory, "000000000000002-y.json"), "not json");
    const queue = queueIn(directory, async () => ({ batchItemFailures: [] }));
    expect(queue.recover()).toBe(0);
    expect(readdirSync(directory)).toEqual(["dead"]);
  });
});
