import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { catalog, createServices, MemoryBlobStore, pullModels, readConfig } from "@marquee/core";
import { modelMirror } from "./shared.js";

/** Services over in-memory buckets, with the catalog's models copied from ../shared (no network). */
export async function memoryServices(ids: string[]) {
  const media = new MemoryBlobStore();
  const results = new MemoryBlobStore();
  const modelsBucket = new MemoryBlobStore();
  await pullModels(
    catalog.filter((entry) => ids.includes(entry.id)),
    { mirror: modelMirror, target: modelsBucket },
  );
  const cache = mkdtempSync(path.join(tmpdir(), "marquee-cache-"));
  const services = createServices(readConfig({ MAAS_MODEL_CACHE_DIR: cache }), {
    media,
    results,
    modelsBucket,
  });
  return { services, media, results, modelsBucket };
}
