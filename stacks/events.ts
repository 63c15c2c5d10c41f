/**
 * Bucket triggers: S3 ObjectCreated -> SQS -> Lambda, one queue (and dead-letter queue) per
 * `bucketTriggers` entry. The queue absorbs bursts (a frame batch is thousands of PUTs), retries failed
 * messages, and caps how many functions drain it at once.
 *
 * Only the media bucket sends notifications, and only for `uploads/...`. The functions write to the
 * results bucket, which has no notifications at all, so their output can never trigger them again.
 */
import { type BucketTrigger, bucketTriggers } from "../packages/core/src/routes";
import { functionProps } from "./functions";
import { queues } from "./queues";
import { media } from "./storage";

function check(trigger: BucketTrigger): void {
  const fail = (message: string) => {
    throw new Error(`bucketTriggers "${trigger.id}": ${message}`);
  };
  if (trigger.bucket !== "media") fail("only the media bucket may send notifications");
  if (!trigger.prefix.startsWith("uploads/")) fail('prefix must be under "uploads/"');
  // Without a batching window Lambda takes at most 10 SQS messages per invocation.
  if (!Number.isInteger(trigger.batchSize) || trigger.batchSize < 1 || trigger.batchSize > 10) {
    fail("batchSize must be an integer in 1..10");
  }
  if (
    !Number.isInteger(trigger.maxConcurrency) ||
    trigger.maxConcurrency < 2 ||
    trigger.maxConcurrency > 1000
  ) {
    fail("maxConcurrency must be an integer in 2..1000 (SQS event source scaling limits)");
  }
  if (!Number.isInteger(trigger.maxReceiveCount) || trigger.maxReceiveCount < 1) {
    fail("maxReceiveCount must be a positive integer");
  }
}

type QueueNotification = {
  name: string;
  queue: sst.aws.Queue;
  events: "s3:ObjectCreated:*"[];
  filterPrefix: string;
};

const notifications: QueueNotification[] = [];

/** Queue URLs, returned as stack outputs (e.g. `framesQueue`, `framesDeadLetterQueue`). */
export const outputs: Record<string, $util.Output<string>> = {};

for (const trigger of bucketTriggers) {
  check(trigger);

  const { queue, deadLetters } = queues[trigger.id] as (typeof queues)[string];

  queue.subscribe(functionProps(trigger), {
    // The handler returns { batchItemFailures }: only the failed messages go back to the queue.
    batch: { size: trigger.batchSize, partialResponses: true },
    transform: {
      eventSourceMapping: { scalingConfig: { maximumConcurrency: trigger.maxConcurrency } },
    },
  });

  notifications.push({
    name: trigger.id,
    queue,
    events: ["s3:ObjectCreated:*"],
    filterPrefix: trigger.prefix,
  });

  const key = trigger.id.charAt(0).toLowerCase() + trigger.id.slice(1);
  outputs[`${key}Queue`] = queue.url;
  outputs[`${key}DeadLetterQueue`] = deadLetters.url;
}

// A bucket has exactly one notification configuration: every trigger goes into one `notify` call.
if (notifications.length > 0) {
  media.notify({ notifications });
}
