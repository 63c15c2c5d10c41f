import { textKind } from "@marquee/core/batch/text";
import { sentimentTask } from "@marquee/core/tasks/sentiment";
import { batchHandler } from "../batch.js";

/** Review files (CSV, JSONL) uploaded under uploads/text/<job>/ arrive as S3 notifications through SQS. */
export const handler = await batchHandler(textKind, sentimentTask);
