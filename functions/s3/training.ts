import { handleSqsBatch, services, trainingUpload } from "@marquee/core";
import type { SQSEvent } from "aws-lambda";

/** Uploads under uploads/training/ (job requests, train.json, data files) arrive through SQS. */
export const handler = (event: SQSEvent) => handleSqsBatch(event, (item) => trainingUpload(item, services()));
