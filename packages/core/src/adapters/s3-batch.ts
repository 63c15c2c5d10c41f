import type { S3Event, S3EventRecord, SQSBatchResponse, SQSEvent } from "aws-lambda";
import type { BatchItem } from "../batch/source.js";
import { DeadlineError } from "../errors.js";
import { log as writeLog } from "../log.js";

/** S3 URL-encodes keys in event records, with '+' for spaces. */
export function decodeS3Key(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, " "));
}

export function toBatchItems(event: S3Event): BatchItem[] {
  return (event.Records ?? [])
    .filter((record: S3EventRecord) => record.eventName?.startsWith("ObjectCreated:"))
    .map((record) => ({
      bucket: record.s3.bucket.name,
      key: decodeS3Key(record.s3.object.key),
      etag: (record.s3.object.eTag ?? "").replace(/"/g, ""),
      size: record.s3.object.size ?? 0,
    }));
}

/**
 * An SQS message body holds one S3 event notification (or S3's one-off s3:TestEvent). A body that is
 * not one can never succeed on a retry: it is logged and yields nothing.
 */
export function itemsFromSqsBody(
  body: string,
  log: (entry: Record<string, unknown>) => void = () => undefined,
): BatchItem[] {
  let parsed: S3Event | { Event?: string };
  try {
    parsed = JSON.parse(body) as S3Event | { Event?: string };
  } catch {
    log({ error: "SQS message body is not JSON; dropped", body: body.slice(0, 200) });
    return [];
  }
  if (parsed === null || typeof parsed !== "object") {
    log({ error: "SQS message body is not an S3 event; dropped", body: body.slice(0, 200) });
    return [];
  }
  if ("Event" in parsed && parsed.Event === "s3:TestEvent") return [];
  try {
    return toBatchItems(parsed as S3Event);
  } catch (error) {
    log({
      error: `SQS message body is not an S3 event (${String(error)}); dropped`,
      body: body.slice(0, 200),
    });
    return [];
  }
}

export interface SqsBatchOptions {
  /** Epoch ms after which no new message is started; it is reported as failed and retried later. */
  deadline?: number;
  log?: (entry: Record<string, unknown>) => void;
}

/**
 * Runs every message of an SQS batch; a message whose processing throws is reported in
 * batchItemFailures so that only it is retried (and dead-lettered after maxReceiveCount).
 */
export async function handleSqsBatch(
  event: SQSEvent,
  process: (item: BatchItem, deadline: number) => Promise<unknown>,
  options: SqsBatchOptions = {},
): Promise<SQSBatchResponse> {
  const deadline = options.deadline ?? Number.POSITIVE_INFINITY;
  const log = options.log ?? ((entry) => writeLog(entry.error ? "error" : "info", entry));
  const batchItemFailures: SQSBatchResponse["batchItemFailures"] = [];
  if (!Array.isArray(event?.Records)) {
    log({ error: "not an SQS event: no Records; nothing to process" });
    return { batchItemFailures };
  }
  for (const record of event.Records) {
    try {
      if (Date.now() > deadline) throw new DeadlineError("time budget spent before this message started");
      for (const item of itemsFromSqsBody(record.body, log)) {
        const outcome = await process(item, deadline);
        log({ messageId: record.messageId, key: item.key, etag: item.etag, outcome });
      }
    } catch (error) {
      log({ messageId: record.messageId, error: String(error) });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}
