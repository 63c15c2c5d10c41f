import type { Services } from "../../services.js";
import { getJson, putJson } from "../../storage/blob-store.js";
import { resultKeys } from "../keys.js";
import type { SourceRef } from "../records.js";

/** `results/<job>/items/<archive item>.json`: which item names one version of an archive produced. */
interface ItemList {
  job: string;
  source: SourceRef;
  items: string[];
}

const DELETE_CONCURRENCY = 16;

/**
 * Records the item names this version of an archive produces, first deleting the results (frame or
 * error record) of names the previous version produced and this one does not. Idempotent: a retry of
 * the same version finds its own list and does nothing; a crash before the list is written repeats
 * the deletes. Only keys under results/ are deleted.
 */
export async function replaceItemList(
  job: string,
  archiveItem: string,
  source: SourceRef,
  items: readonly string[],
  services: Services,
): Promise<void> {
  const key = resultKeys.items(job, archiveItem);
  const previous = await getJson<ItemList>(services.results, key);
  if (previous?.source.etag === source.etag && previous.source.key === source.key) return;
  const current = new Set(items);
  const stale = (previous?.items ?? [])
    .filter((item) => !current.has(item))
    .flatMap((item) => [resultKeys.frame(job, item), resultKeys.error(job, item)]);
  for (let at = 0; at < stale.length; at += DELETE_CONCURRENCY) {
    await Promise.all(
      stale.slice(at, at + DELETE_CONCURRENCY).map((stale) => services.results.delete(stale)),
    );
  }
  await putJson(services.results, key, { job, source, items: [...items] } satisfies ItemList);
}
