import { recsRequestsKind } from "@marquee/core/batch/recs-requests";
import { recommendationsTask } from "@marquee/core/tasks/recommendations";
import { batchHandler } from "../batch.js";

/** Users uploaded under uploads/recs-requests/<job>/ arrive as S3 notifications through SQS. */
export const handler = await batchHandler(recsRequestsKind, recommendationsTask);
