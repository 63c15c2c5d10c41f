import { handleSqsBatch, log, processUpload, services, warmTask } from "@marquee/core";
import type { SQSEvent } from "aws-lambda";

const TASK = "faces";
await warmTask(TASK, services()).catch((error) => log("error", { warmup: String(error) }));

/** Frames uploaded under uploads/frames/<job>/ arrive as S3 notifications through SQS. */
export const handler = (event: SQSEvent) =>
  handleSqsBatch(event, (item) => processUpload(item, TASK, services()));
