import type { S3Event } from "aws-lambda";
import { itemsFromSqsBody } from "../adapters/s3-batch.js";
import { s3Event, s3EventRecord } from "../adapters/s3-event.js";
import { parseUploadKey, resultKeys } from "../batch/keys.js";
import type { BatchItem } from "../batch/source.js";
import { pendingUploads } from "../operations/reconcile.js";
import { batchTriggers } from "../routes.js";
import type { Services } from "../services.js";
import type { LocalQueue } from "./local-queue.js";

/** Where processSource (batch/source.ts) and the job summary keep the claims of running deliveries. */
const claimsPrefix = resultKeys.inflightPrefix;

const identity = (item: { bucket: string; key: string; etag: string }) =>
  `${item.bucket}\n${item.key}\n${item.etag.replace(/"/g, "")}`;

const jobOf = (key: string): string | undefined => {
  try {
    return parseUploadKey(key).job;
  } catch {
    return undefined;
  }
};

export interface Recovery {
  /** Messages an earlier process left unsettled, queued again. */
  redelivered: number;
  /** Claims on uploads held by deliveries that died with the earlier process, released. */
  releasedClaims: number;
  /** Events sent for uploads that had no processed marker and no message on its way. */
  swept: Array<{ key: string; event: S3Event }>;
}

/**
 * The twin's queues have one consumer, the twin process: when it starts, no delivery of an earlier
 * process is running any more. So their claims are released (in the cloud the SQS visibility timeout,
 * longer than any claim, hides a message until its claim has expired; the twin does not wait that
 * long), the queues' unsettled messages are delivered again, and every upload with no processed
 * marker for its ETag and no message on its way gets an ObjectCreated event: its own was lost
 * between the object being stored and the event being queued.
 */
export async function recoverQueues(services: Services, queues: Map<string, LocalQueue>): Promise<Recovery> {
  const stored = [...queues.values()].flatMap((queue) =>
    queue.storedBodies().flatMap((body) => itemsFromSqsBody(body)),
  );
  const pending = new Map<string, BatchItem[]>();
  for (const trigger of batchTriggers) {
    const uploads = await pendingUploads(services, trigger.kind);
    pending.set(
      trigger.id,
      uploads.filter((upload) => upload.key.startsWith(trigger.prefix)),
    );
  }
  const releasedClaims = await releaseClaims(services, [...stored, ...[...pending.values()].flat()]);

  let redelivered = 0;
  for (const queue of queues.values()) redelivered += queue.recover();
  const swept: Recovery["swept"] = [];
  for (const [triggerId, uploads] of pending) {
    const queue = queues.get(triggerId);
    if (!queue) continue;
    const onTheirWay = new Set(
      queue.unsettledBodies().flatMap((body) => itemsFromSqsBody(body).map(identity)),
    );
    for (const upload of uploads.filter((candidate) => !onTheirWay.has(identity(candidate)))) {
      const event = s3Event([
        s3EventRecord({ eventName: "ObjectCreated:Put", ...upload }, services.config.region),
      ]);
      queue.send(JSON.stringify(event));
      swept.push({ key: upload.key, event });
    }
  }
  return { redelivered, releasedClaims, swept };
}

async function releaseClaims(services: Services, items: BatchItem[]): Promise<number> {
  const jobs = new Set(items.map((item) => jobOf(item.key)).filter((job) => job !== undefined));
  let released = 0;
  for (const job of jobs) {
    for (const claim of await services.results.list(claimsPrefix(job))) {
      await services.results.delete(claim.key);
      released += 1;
    }
  }
  return released;
}
