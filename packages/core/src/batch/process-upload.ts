import {
  DeadlineError,
  InvalidInputError,
  isInputError,
  PayloadTooLargeError,
  publicError,
} from "../errors.js";
import { runInference } from "../operations/inference.js";
import type { Services } from "../services.js";
import { getJson, putJson } from "../storage/blob-store.js";
import type { ModelRef } from "../tasks/types.js";
import { type ArchiveEntry, looksLikeArchive, readArchive } from "./archive/index.js";
import { refreshJobSummary } from "./job-summary.js";
import { parseUploadKey, resultKeys } from "./keys.js";
import type { ItemOutcome, SourceMarker, SourceRef } from "./records.js";

/** One uploaded object, as named by an S3 ObjectCreated record. */
export interface BatchItem {
  bucket: string;
  key: string;
  etag: string;
  size: number;
}

export type UploadOutcome = "processed" | "duplicate" | "superseded" | "ignored";

interface Frame {
  item: string;
  /** The frame's bytes; throws (an input error) when this frame cannot be had. */
  load(): Uint8Array;
}

const failing = (item: string, error: Error): Frame => ({
  item,
  load: () => {
    throw error;
  },
});

async function framesOf(item: BatchItem, name: string, services: Services): Promise<Frame[]> {
  const limits = services.config;
  const archive = looksLikeArchive(name);
  const limit = archive ? limits.maxArchiveBytes : limits.maxFrameBytes;
  if (item.size > limit)
    return [failing(name, new PayloadTooLargeError(`${item.size} bytes; the limit is ${limit}`))];
  const blob = await services.media.get(item.key);
  if (!blob) return [];
  if (!archive) return [{ item: name, load: () => blob.bytes }];
  let entries: ArchiveEntry[];
  try {
    entries = readArchive(blob.bytes, {
      maxEntries: limits.maxArchiveFrames,
      maxEntryBytes: limits.maxFrameBytes,
    });
  } catch (error) {
    if (!isInputError(error)) throw error;
    return [failing(name, error as Error)];
  }
  if (entries.length === 0) return [failing(name, new InvalidInputError("The archive holds no frames"))];
  return entries.map((entry) => ({ item: `${name}/${entry.name}`, load: () => entry.read() }));
}

interface ItemRecord {
  source?: SourceRef;
  status: ItemOutcome["status"];
  error?: ItemOutcome["error"];
}

/** This source's earlier record of the frame (a retried message), and keys left by older uploads. */
async function previousRecords(job: string, frame: string, source: SourceRef, services: Services) {
  let current: ItemRecord | undefined;
  const stale: string[] = [];
  for (const key of [resultKeys.frame(job, frame), resultKeys.error(job, frame)]) {
    const record = await getJson<ItemRecord>(services.results, key);
    if (!record) continue;
    if (record.source?.etag === source.etag && record.source.key === source.key) current = record;
    else stale.push(key);
  }
  return { current, stale };
}

async function processFrame(job: string, frame: Frame, source: SourceRef, task: string, services: Services) {
  const { current, stale } = await previousRecords(job, frame.item, source, services);
  if (current)
    return { outcome: { item: frame.item, status: current.status, error: current.error } as ItemOutcome };
  // A re-upload replaces what an older version of the frame produced, success or error alike.
  await Promise.all(stale.map((key) => services.results.delete(key)));
  const processedAt = new Date().toISOString();
  try {
    const { modelMs, ...result } = await runInference(
      { task, media: { kind: "inline", bytes: frame.load() }, model: undefined, options: undefined },
      services,
    );
    await putJson(services.results, resultKeys.frame(job, frame.item), {
      job,
      item: frame.item,
      status: "ok",
      source,
      processedAt,
      result,
    });
    return { outcome: { item: frame.item, status: "ok" } as ItemOutcome, result: { ...result, modelMs } };
  } catch (error) {
    // Anything not caused by the frame itself (S3, a missing model, a bug) is retried, not recorded.
    if (!isInputError(error)) throw error;
    const details = publicError(error);
    await putJson(services.results, resultKeys.error(job, frame.item), {
      job,
      item: frame.item,
      status: "failed",
      source,
      processedAt,
      error: details,
    });
    return { outcome: { item: frame.item, status: "failed", error: details } as ItemOutcome };
  }
}

/**
 * Processes one uploaded frame or archive of frames. Idempotent on bucket + key + etag: a repeated
 * event finds the upload's marker and does nothing. Bad frames become error records; the upload is
 * only ever read. Infrastructure failures throw, so the queue retries the message. Past `deadline`
 * (epoch ms) it stops between frames with DeadlineError; the retry skips the frames already recorded.
 */
export async function processUpload(
  item: BatchItem,
  task: string,
  services: Services,
  deadline = Number.POSITIVE_INFINITY,
): Promise<UploadOutcome> {
  let parsed: ReturnType<typeof parseUploadKey>;
  try {
    parsed = parseUploadKey(item.key);
  } catch {
    return "ignored";
  }
  if (item.key.endsWith("/")) return "ignored";
  const { job, name, kind } = parsed;
  const markerKey = resultKeys.source(job, name);
  const existing = await getJson<SourceMarker>(services.results, markerKey);
  if (existing?.source.etag === item.etag) return "duplicate";
  const current = await services.media.head(item.key);
  if (!current || (current.etag && current.etag !== item.etag)) return "superseded";

  const source: SourceRef = { bucket: item.bucket, key: item.key, etag: item.etag };
  const startedAt = new Date().toISOString();
  const items: ItemOutcome[] = [];
  const models = new Map<string, ModelRef>();
  const timings: Record<string, number> = {};
  for (const frame of await framesOf(item, name, services)) {
    if (Date.now() > deadline) {
      throw new DeadlineError(
        `time budget spent after ${items.length} frames of ${item.key}; retrying resumes`,
      );
    }
    const { outcome, result } = await processFrame(job, frame, source, task, services);
    items.push(outcome);
    if (!result) continue;
    for (const model of result.models) models.set(`${model.id}@${model.version}`, model);
    const phases: Record<string, number> = { ...result.timings, modelMs: result.modelMs };
    for (const [phase, ms] of Object.entries(phases)) timings[phase] = (timings[phase] ?? 0) + ms;
  }
  const marker: SourceMarker = {
    job,
    source,
    size: item.size,
    items,
    models: [...models.values()],
    timings,
    startedAt,
    finishedAt: new Date().toISOString(),
  };
  await putJson(services.results, markerKey, marker);
  await refreshJobSummary(job, kind, services);
  return "processed";
}
