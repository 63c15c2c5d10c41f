import { readMarkers } from "../batch/job-summary.js";
import { MANIFEST_NAME, parseUploadKey, resultKeys } from "../batch/keys.js";
import type { BatchItem } from "../batch/source.js";
import type { Services } from "../services.js";

/**
 * Uploads of a batch kind (one job, or every job of the kind) that have no processed marker for their
 * current ETag: what a missed or lost notification left behind. Re-enqueueing them is safe, as the
 * source runner is idempotent per bucket + key + ETag.
 */
export async function pendingUploads(services: Services, kind: string, job?: string): Promise<BatchItem[]> {
  const prefix = job ? resultKeys.uploadsPrefix(kind, job) : `uploads/${kind}/`;
  const uploads = await services.media.list(prefix);
  // Per job: the uploads processed, as key + ETag, from its markers.
  const processed = new Map<string, Set<string>>();
  const isProcessed = async (jobId: string, key: string, etag: string | undefined) => {
    let done = processed.get(jobId);
    if (!done) {
      const { markers } = await readMarkers(jobId, services);
      done = new Set(markers.map((marker) => `${marker.source.key}#${marker.source.etag}`));
      processed.set(jobId, done);
    }
    return done.has(`${key}#${etag}`);
  };
  const pending: BatchItem[] = [];
  for (const upload of uploads) {
    let parsed: ReturnType<typeof parseUploadKey>;
    try {
      parsed = parseUploadKey(upload.key);
    } catch {
      continue;
    }
    if (upload.key.endsWith("/") || parsed.name === MANIFEST_NAME || parsed.kind !== kind) continue;
    if (await isProcessed(parsed.job, upload.key, upload.etag)) continue;
    pending.push({
      bucket: services.config.mediaBucket,
      key: upload.key,
      etag: upload.etag ?? "",
      size: upload.size,
    });
  }
  return pending;
}
