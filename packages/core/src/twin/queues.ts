import path from "node:path";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { bucketTriggers } from "../routes.js";
import { loadHandler } from "./load-handler.js";
import { LocalQueue } from "./local-queue.js";

type BatchHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/** One durable queue per bucket trigger, by trigger id, keeping its messages under `<dataDir>/queues/`. */
export async function createQueues(options: {
  root: string;
  dataDir: string;
  region: string;
  retryDelayMs: number;
  log: (line: string) => void;
}): Promise<Map<string, LocalQueue>> {
  const queues = new Map<string, LocalQueue>();
  for (const trigger of bucketTriggers) {
    const name = `marquee-local-${trigger.id}`;
    queues.set(
      trigger.id,
      new LocalQueue({
        name,
        region: options.region,
        batchSize: trigger.batchSize,
        maxConcurrency: trigger.maxConcurrency,
        maxReceiveCount: trigger.maxReceiveCount,
        retryDelayMs: options.retryDelayMs,
        memoryMb: trigger.memoryMb,
        timeoutSeconds: trigger.timeoutSeconds,
        consumer: await loadHandler<BatchHandler>(options.root, trigger.handler),
        log: options.log,
        directory: path.join(options.dataDir, "queues", name),
      }),
    );
  }
  return queues;
}
