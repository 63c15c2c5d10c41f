import type { Services } from "../services.js";
import type { BlobInfo } from "../storage/blob-store.js";
import { getJson, putJson } from "../storage/blob-store.js";
import { resultKeys } from "./keys.js";
import type { JobSummary, SourceMarker } from "./records.js";

const MAX_LISTED_ERRORS = 1000;
/** Markers never change once written (the key carries its ETag): cached per warm container, bounded. */
const markerCache = new Map<string, SourceMarker>();
const MARKER_CACHE_LIMIT = 20_000;

async function readMarkers(
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

function summarise(job: string, markers: SourceMarker[], uploads: BlobInfo[]): JobSummary {
  const processed = new Set(markers.map((marker) => `${marker.source.key}#${marker.source.etag}`));
  const pending = uploads.filter((upload) => !processed.has(`${upload.key}#${upload.etag}`));
  const items = markers.flatMap((marker) =>
    marker.items.map((item) => ({ ...item, source: marker.source.key })),
  );
  const failed = items.filter((item) => item.status === "failed");
  const timings: Record<string, number> = {};
  for (const marker of markers) {
    for (const [phase, ms] of Object.entries(marker.timings)) timings[phase] = (timings[phase] ?? 0) + ms;
  }
  const starts = markers.map((marker) => marker.startedAt).sort();
  const ends = markers.map((marker) => marker.finishedAt).sort();
  const wallMs = starts[0] && ends.at(-1) ? Date.parse(ends.at(-1) as string) - Date.parse(starts[0]) : 0;
  const models = new Map(
    markers.flatMap((marker) => marker.models).map((model) => [`${model.id}@${model.version}`, model]),
  );
  return {
    job,
    status: pending.length === 0 && markers.length > 0 ? "completed" : "running",
    uploads: { total: Math.max(uploads.length, markers.length), processed: markers.length },
    counts: { total: items.length, ok: items.length - failed.length, failed: failed.length },
    errors: failed.slice(0, MAX_LISTED_ERRORS).map((item) => ({
      item: item.item,
      source: item.source,
      code: item.error?.code ?? "internal_error",
      message: item.error?.message ?? "",
    })),
    models: [...models.values()],
    timings: {
      ...Object.fromEntries(Object.entries(timings).map(([phase, ms]) => [phase, Math.round(ms)])),
      wallMs,
      framesPerSecond: wallMs > 0 ? Math.round((items.length / wallMs) * 100000) / 100 : 0,
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
    const uploads = (await services.media.list(resultKeys.uploadsPrefix(kind, job))).filter(
      (upload) => !upload.key.endsWith("/"),
    );
    const summary = summarise(job, markers, uploads);
    await putJson(services.results, resultKeys.job(job), summary);
    const next = await readMarkers(job, services);
    if (next.fingerprint === fingerprint || attempt >= 5) return summary;
    ({ markers, fingerprint } = next);
  }
}

export function readJobSummary(job: string, services: Services): Promise<JobSummary | undefined> {
  return getJson<JobSummary>(services.results, resultKeys.job(job));
}
