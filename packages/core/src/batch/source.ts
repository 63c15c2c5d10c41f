import { BusyError, DeadlineError } from "../errors.js";
import type { Services } from "../services.js";
import { getJson, putJson } from "../storage/blob-store.js";
import type { ModelRef } from "../tasks/types.js";
import { refreshJobSummary } from "./job-summary.js";
import { MANIFEST_NAME, parseUploadKey, resultKeys } from "./keys.js";
import type { BatchKind } from "./kinds/types.js";
import { notifyJobFinished } from "./notify.js";
import {
  type ItemError,
  isFinished,
  MAX_MARKER_ERRORS,
  type SourceMarker,
  type SourceRef,
} from "./records.js";

/** One uploaded object, as named by an S3 ObjectCreated record. */
export interface BatchItem {
  bucket: string;
  key: string;
  etag: string;
  size: number;
}

export type UploadOutcome = "processed" | "duplicate" | "superseded" | "ignored";

/** A claim on an upload while one delivery processes it, so a second delivery waits instead of also running. */
interface InProgress {
  etag: string;
  until: number;
}

/** How long a claim holds when the deadline is unknown: Lambda's longest invocation. */
const MAX_CLAIM_MS = 15 * 60_000;

/** The manifest as the kind sees it: what the runner handles itself (the webhook) taken out. */
function kindOptions(manifest: unknown): unknown {
  if (!manifest || typeof manifest !== "object" || Array.isArray(manifest)) return manifest;
  const { webhook: _webhook, ...rest } = manifest as Record<string, unknown>;
  return Object.keys(rest).length > 0 ? rest : undefined;
}

async function readManifest(kind: string, job: string, services: Services): Promise<unknown> {
  const blob = await services.media.get(`${resultKeys.uploadsPrefix(kind, job)}${MANIFEST_NAME}`);
  if (!blob) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(blob.bytes));
  } catch {
    return { invalid: "manifest.json is not valid JSON" };
  }
}

/**
 * The idempotent source wrapper every batch kind runs in. One upload is processed once per
 * bucket + key + ETag: a repeated event finds the upload's marker and does nothing; an event for an
 * object replaced since is "superseded". Items that fail on their own become error records; anything
 * else throws, so the queue retries the message. Past `deadline` (epoch ms) it stops between units with
 * DeadlineError, and the retry resumes (kinds skip the units they already recorded). The upload is
 * only ever read. When the job is complete, the kind's `finalize` runs.
 */
export async function processSource(
  item: BatchItem,
  kind: BatchKind,
  services: Services,
  deadline = Number.POSITIVE_INFINITY,
): Promise<UploadOutcome> {
  let parsed: ReturnType<typeof parseUploadKey>;
  try {
    parsed = parseUploadKey(item.key);
  } catch {
    return "ignored";
  }
  if (item.key.endsWith("/") || parsed.kind !== kind.id) return "ignored";
  const { job, name } = parsed;
  const manifest = await readManifest(kind.id, job, services);
  const options = kindOptions(manifest);
  if (name !== MANIFEST_NAME) {
    const markerKey = resultKeys.source(job, name);
    const existing = await getJson<SourceMarker>(services.results, markerKey);
    if (existing?.source.etag === item.etag) return "duplicate";
    const current = await services.media.head(item.key);
    if (!current || (current.etag && current.etag !== item.etag)) return "superseded";
    const claimKey = resultKeys.inflight(job, name);
    const claim = await getJson<InProgress>(services.results, claimKey);
    if (claim?.etag === item.etag && claim.until > Date.now()) {
      throw new BusyError(
        `${item.key} is being processed by another delivery until ${new Date(claim.until).toISOString()}`,
      );
    }
    const until = Math.min(
      Number.isFinite(deadline) ? deadline : Date.now() + MAX_CLAIM_MS,
      Date.now() + MAX_CLAIM_MS,
    );
    await putJson(services.results, claimKey, { etag: item.etag, until } satisfies InProgress);
    const source: SourceRef = { bucket: item.bucket, key: item.key, etag: item.etag };
    try {
      const marker = await runUnits(kind, { job, name, item, source, services, manifest: options }, deadline);
      await putJson(services.results, markerKey, marker);
    } finally {
      await services.results.delete(claimKey);
    }
  }
  const summary = await refreshJobSummary(job, kind.id, services);
  if (isFinished(summary.status)) {
    if (kind.finalize) {
      const outputs = await kind.finalize(job, services, options);
      await putJson(services.results, resultKeys.job(job), { ...summary, outputs });
    }
    await notifyJobFinished(summary, manifest, services);
  }
  return "processed";
}

async function runUnits(
  kind: BatchKind,
  context: Parameters<BatchKind["expand"]>[0],
  deadline: number,
): Promise<SourceMarker> {
  const startedAt = new Date().toISOString();
  const counts = { total: 0, ok: 0, failed: 0 };
  const errors: ItemError[] = [];
  const models = new Map<string, ModelRef>();
  const timings: Record<string, number> = {};
  for await (const unit of kind.expand(context)) {
    if (Date.now() > deadline) {
      throw new DeadlineError(
        `time budget spent after ${counts.total} items of ${context.item.key}; retrying resumes`,
      );
    }
    const outcome = await unit.process();
    counts.ok += outcome.ok;
    counts.failed += outcome.failed;
    counts.total += outcome.ok + outcome.failed;
    errors.push(...outcome.errors.slice(0, MAX_MARKER_ERRORS - errors.length));
    for (const model of outcome.models) models.set(`${model.id}@${model.version}`, model);
    for (const [phase, ms] of Object.entries(outcome.timings)) timings[phase] = (timings[phase] ?? 0) + ms;
  }
  return {
    job: context.job,
    kind: kind.id,
    source: context.source,
    size: context.item.size,
    counts,
    errors,
    models: [...models.values()],
    timings,
    startedAt,
    finishedAt: new Date().toISOString(),
  };
}
