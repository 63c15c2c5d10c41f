import { MANIFEST_NAME, parseUploadKey, resultKeys } from "../batch/keys.js";
import type { SourceMarker } from "../batch/records.js";
import type { BatchItem } from "../batch/source.js";
import type { Services } from "../services.js";
import { getJson } from "../storage/blob-store.js";

/**
 * Uploads of a batch kind (one job, or every job of the kind) that have no processed marker for their
 * current ETag: what a missed or lost notification left behind. Re-enqueueing them is safe, as the
 * source runner is idempotent per bucket + key + ETag.
 */
export async function pendingUploads(services: Services, kind: string, job?: string): Promise<BatchItem[]> {
  const prefix = job ? resultKeys.uploadsPrefix(kind, job) : `uploads/${kind}/`;
  const uploads = await services.media.list(prefix);
  const markers = new Map<string, Map<string, string>>();
  const markerEtag = async (jobId: string, name: string) => {
    let byName = markers.get(jobId);
    if (!byName) {
      byName = new Map();
      markers.set(jobId, byName);
      for (const info of await services.results.list(resultKeys.sourcesPrefix(jobId))) {
        const marker = await getJson<SourceMarker>(services.results, info.key);
        if (marker) byName.set(info.key, marker.source.etag);
      }
    }
    return byName.get(resultKeys.source(jobId, name));
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
    if ((await markerEtag(parsed.job, parsed.name)) === upload.etag) continue;
    pending.push({
      bucket: services.config.mediaBucket,
      key: upload.key,
      etag: upload.etag ?? "",
      size: upload.size,
    });
  }
  return pending;
}
