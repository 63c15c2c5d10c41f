import {
  type BatchKind,
  handleSqsBatch,
  logWarmupFailure,
  processSource,
  services,
  type Task,
  warmTask,
} from "@marquee/core";
import type { Context, SQSEvent } from "aws-lambda";

/** Stop starting new units this long before Lambda's timeout: the longest unit plus writing its records. */
const SAFETY_MS = 15_000;

/**
 * A batch kind's SQS consumer: the task's models are warmed during Init, then each message's S3 records
 * go through the idempotent source runner with a deadline, and failed messages are reported for retry.
 */
export async function batchHandler(kind: BatchKind, task: Pick<Task, "warm">) {
  await warmTask(task, services()).catch(logWarmupFailure);
  return (event: SQSEvent, context: Context) =>
    handleSqsBatch(event, (item, deadline) => processSource(item, kind, services(), deadline), {
      deadline: Date.now() + context.getRemainingTimeInMillis() - SAFETY_MS,
    });
}
