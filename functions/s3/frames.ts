import { handleSqsBatch, log, processUpload, services, warmTask } from "@marquee/core";
import type { Context, SQSEvent } from "aws-lambda";

const TASK = "faces";
await warmTask(TASK, services()).catch((error) => log("error", { warmup: String(error) }));

/** Stop starting new frames this long before Lambda's timeout: the longest frame plus writing its marker. */
const SAFETY_MS = 15_000;

/** Frames uploaded under uploads/frames/<job>/ arrive as S3 notifications through SQS. */
export const handler = (event: SQSEvent, context: Context) =>
  handleSqsBatch(event, (item, deadline) => processUpload(item, TASK, services(), deadline), {
    deadline: Date.now() + context.getRemainingTimeInMillis() - SAFETY_MS,
  });
