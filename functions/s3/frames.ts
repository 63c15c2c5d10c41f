import { framesKind } from "@marquee/core/batch/frames";
import { facesTask } from "@marquee/core/tasks/faces";
import { batchHandler } from "../batch.js";

/** Frames uploaded under uploads/frames/<job>/ arrive as S3 notifications through SQS. */
export const handler = await batchHandler(framesKind, facesTask);
