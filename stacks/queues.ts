/**
 * One SQS queue (and dead-letter queue) per `bucketTriggers` entry. Created before any function, as
 * functions that re-enqueue uploads (POST /v1/jobs/{job}/reprocess) get the queue URLs in their environment;
 * stacks/events.ts subscribes each trigger's function and points the bucket's notifications at them.
 */
import { bucketTriggers } from "../packages/core/src/routes";

/** AWS's advice for SQS event sources: visibility timeout at least 6x the function timeout. */
const VISIBILITY_TIMEOUT_FACTOR = 6;
/** The maximum SQS allows, so a dead-lettered message can be inspected (and redriven) for two weeks. */
const DEAD_LETTER_RETENTION_SECONDS = 14 * 24 * 60 * 60;

export const queues: Record<string, { queue: sst.aws.Queue; deadLetters: sst.aws.Queue }> = {};

for (const trigger of bucketTriggers) {
  const deadLetters = new sst.aws.Queue(`${trigger.id}DeadLetterQueue`, {
    transform: {
      queue: { messageRetentionSeconds: DEAD_LETTER_RETENTION_SECONDS },
    },
  });
  const queue = new sst.aws.Queue(`${trigger.id}Queue`, {
    visibilityTimeout: `${trigger.timeoutSeconds * VISIBILITY_TIMEOUT_FACTOR} seconds`,
    dlq: { queue: deadLetters.arn, retry: trigger.maxReceiveCount },
  });
  queues[trigger.id] = { queue, deadLetters };
}

/** `MAAS_QUEUE_URLS` for the functions that enqueue: trigger id -> queue URL, as JSON. */
export const queueUrlsJson = $jsonStringify(
  Object.fromEntries(Object.entries(queues).map(([id, { queue }]) => [id, queue.url])),
);
