import type { Services } from "../../services.js";
import { getJson } from "../../storage/blob-store.js";
import { parseUploadKey, resultKeys } from "../keys.js";
import type { SourceMarker } from "../records.js";

/** The job's processed uploads in key order, with the ETag each was processed at (from their markers). */
export async function currentSources(job: string, services: Services) {
  const sources: Array<{ name: string; etag: string }> = [];
  for (const info of await services.results.list(resultKeys.sourcesPrefix(job))) {
    const marker = await getJson<SourceMarker>(services.results, info.key);
    if (marker) sources.push({ name: parseUploadKey(marker.source.key).name, etag: marker.source.etag });
  }
  return sources.sort((a, b) => a.name.localeCompare(b.name));
}
