import { s3Event, s3EventRecord } from "../adapters/s3-event.js";
import { batchQueues } from "../batch/queues.js";
import { NotFoundError } from "../errors.js";
import { batchTriggers } from "../routes.js";
import { z } from "../schema.js";
import type { Services } from "../services.js";
import { pendingUploads } from "./reconcile.js";

export const reprocessResult = z
  .object({
    job: z.string(),
    enqueued: z.int().describe("Uploads sent to their queue again (those without a processed marker)"),
    kinds: z.record(z.string(), z.int()),
  })
  .meta({ id: "ReprocessResult" });

/**
 * Sends every upload of the job that has no processed marker for its current ETag to its trigger's
 * queue again, as the S3 notification it should have had: covers missed notifications and lost work.
 * Safe to repeat, as processing is idempotent per key and ETag.
 */
export async function reprocessJob(
  job: string,
  services: Services,
): Promise<z.output<typeof reprocessResult>> {
  const queues = batchQueues(services);
  const kinds: Record<string, number> = {};
  for (const trigger of batchTriggers) {
    const pending = await pendingUploads(services, trigger.kind, job);
    for (const item of pending) {
      const record = s3EventRecord(
        {
          eventName: "ObjectCreated:Put",
          bucket: item.bucket,
          key: item.key,
          size: item.size,
          etag: item.etag,
        },
        services.config.region,
      );
      await queues.send(trigger.id, JSON.stringify(s3Event([record])));
    }
    if (pending.length > 0) kinds[trigger.kind] = pending.length;
  }
  const enqueued = Object.values(kinds).reduce((sum, count) => sum + count, 0);
  if (enqueued === 0 && !(await hasUploads(job, services))) {
    throw new NotFoundError(`No uploads for job "${job}"`);
  }
  return { job, enqueued, kinds };
}

async function hasUploads(job: string, services: Services): Promise<boolean> {
  for (const trigger of batchTriggers) {
    if ((await services.media.list(`uploads/${trigger.kind}/${job}/`)).length > 0) return true;
  }
  return false;
}
