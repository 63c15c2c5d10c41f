import { batchTriggers } from "../routes.js";
import type { Services } from "../services.js";
import type { BlobInfo } from "../storage/blob-store.js";
import { getJson, putJson } from "../storage/blob-store.js";
import { MANIFEST_NAME, parseUploadKey, resultKeys } from "./keys.js";
import type { JobStatus, JobSummary, SourceMarker } from "./records.js";

const MAX_LISTED_ERRORS = 1000;
/** Markers never change once written (the key carries its ETag): cached per warm container, bounded. */
const markerCache = new Map<string, SourceMarker>();
const MARKER_CACHE_LIMIT = 20_000;

/** A job's upload markers (cached per warm container), and a fingerprint of the listing. */
export async function readMarkers(
  job: string,
  services: Services,
): Promise<{ markers: SourceMarker[]; fingerprint: string }> {
  const listed: BlobInfo[] = await services.results.list(resultKeys.sourcesPrefix(job));
  const markers: SourceMarker[] = [];
  for (const info of listed) {
    const cacheKey = `${info.key}#${info.etag ?? ""}`;
    let marker = info.etag ? markerCache.get(cacheKey) : undefined;
    if (!marker) {
      marker = await getJson<SourceMarker>(services.results, info.key);
      if (markerCache.size >= MARKER_CACHE_LIMIT) markerCache.clear();
      if (marker && info.etag) markerCache.set(cacheKey, marker);
    }
    if (marker) markers.push(marker);
  }
  return { markers, fingerprint: listed.map((info) => `${info.key}#${info.etag}#${info.size}`).join("|") };
}

/** What a job's items are called in its throughput figure (`framesPerSecond`, `rowsPerSecond`…). */
const ITEM_NOUN: Readonly<Record<string, string>> = { frames: "frames", text: "rows", catalogs: "items" };

function statusOf(
  pending: number,
  markers: SourceMarker[],
  claimed: boolean,
  failed: number,
  ok: number,
): JobStatus {
  if (markers.length === 0) return claimed ? "running" : "queued";
  if (pending > 0) return "running";
  if (failed === 0) return "completed";
  return ok === 0 ? "failed" : "completed_with_errors";
}

function summarise(
  job: string,
  kind: string,
  markers: SourceMarker[],
  uploads: BlobInfo[],
  claimed = false,
): JobSummary {
  const processed = new Set(markers.map((marker) => `${marker.source.key}#${marker.source.etag}`));
  const pending = uploads.filter((upload) => !processed.has(`${upload.key}#${upload.etag}`));
  const counts = { total: 0, ok: 0, failed: 0 };
  const timings: Record<string, number> = {};
  for (const marker of markers) {
    counts.total += marker.counts.total;
    counts.ok += marker.counts.ok;
    counts.failed += marker.counts.failed;
    for (const [phase, ms] of Object.entries(marker.timings)) timings[phase] = (timings[phase] ?? 0) + ms;
  }
  const errors = markers
    .flatMap((marker) => marker.errors.map((error) => ({ ...error, source: marker.source.key })))
    .slice(0, MAX_LISTED_ERRORS);
  const starts = markers.map((marker) => marker.startedAt).sort();
  const ends = markers.map((marker) => marker.finishedAt).sort();
  const wallMs = starts[0] && ends.at(-1) ? Date.parse(ends.at(-1) as string) - Date.parse(starts[0]) : 0;
  const models = new Map(
    markers.flatMap((marker) => marker.models).map((model) => [`${model.id}@${model.version}`, model]),
  );
  const perSecond = `${ITEM_NOUN[kind] ?? "items"}PerSecond`;
  return {
    job,
    kind,
    status: statusOf(pending.length, markers, claimed, counts.failed, counts.ok),
    uploads: { total: Math.max(uploads.length, markers.length), processed: markers.length },
    counts,
    errors,
    models: [...models.values()],
    timings: {
      ...Object.fromEntries(Object.entries(timings).map(([phase, ms]) => [phase, Math.round(ms)])),
      wallMs,
      [perSecond]: wallMs > 0 ? Math.round((counts.total / wallMs) * 100000) / 100 : 0,
    },
    startedAt: starts[0],
    updatedAt: new Date().toISOString(),
    resultsPrefix: `results/${job}/`,
  };
}

/**
 * Recomputes job.json from the per-upload markers. Writers re-read after writing until the markers stop
 * changing, so the last writer always leaves a summary that includes every marker written before it.
 */
export async function refreshJobSummary(job: string, kind: string, services: Services): Promise<JobSummary> {
  let { markers, fingerprint } = await readMarkers(job, services);
  for (let attempt = 0; ; attempt++) {
    const uploads = await jobUploads(job, kind, services);
    // A claim only tells `running` from `queued`, before any upload has a marker.
    const claimed =
      markers.length === 0 && (await services.results.list(resultKeys.inflightPrefix(job))).length > 0;
    const summary = summarise(job, kind, markers, uploads, claimed);
    await putJson(services.results, resultKeys.job(job), summary);
    const next = await readMarkers(job, services);
    if (next.fingerprint === fingerprint || attempt >= 5) return summary;
    ({ markers, fingerprint } = next);
  }
}

/** The uploads the source runner processes: not folders, not the manifest, not keys it ignores. */
async function jobUploads(job: string, kind: string, services: Services): Promise<BlobInfo[]> {
  const prefix = resultKeys.uploadsPrefix(kind, job);
  return (await services.media.list(prefix)).filter((upload) => {
    if (upload.key.endsWith("/") || upload.key === `${prefix}${MANIFEST_NAME}`) return false;
    try {
      return parseUploadKey(upload.key).kind === kind;
    } catch {
      return false;
    }
  });
}

/** job.json, or, before the first upload was processed, a `queued` summary of the uploads present. */
export async function readJobSummary(job: string, services: Services): Promise<JobSummary | undefined> {
  const written = await getJson<JobSummary>(services.results, resultKeys.job(job));
  if (written) return written;
  for (const kind of new Set(batchTriggers.map((trigger) => trigger.kind))) {
    const uploads = await jobUploads(job, kind, services);
    if (uploads.length > 0) return summarise(job, kind, [], uploads);
  }
  return undefined;
}
