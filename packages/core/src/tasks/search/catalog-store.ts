import { createHash } from "node:crypto";
import { NotFoundError } from "../../errors.js";
import type { BlobStore } from "../../storage/blob-store.js";
import { getJson, putJson } from "../../storage/blob-store.js";
import { type CatalogIndex, decodeCatalog } from "./catalog-index.js";
import type { CatalogInfo } from "./catalog-schemas.js";

/**
 * Catalogues live in the results bucket, versioned: `results/catalogs/<name>/<version>/index.bin` is
 * immutable (the version is its content hash), and `results/catalogs/<name>/catalog.json` points at the
 * current one. Replacing the pointer is one PUT, so a reader sees the old index or the new, never half.
 */
export const catalogKeys = {
  pointer: (name: string) => `results/catalogs/${name}/catalog.json`,
  index: (name: string, version: string) => `results/catalogs/${name}/${version}/index.bin`,
};

export const versionOf = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex").slice(0, 16);

export async function saveCatalog(
  store: BlobStore,
  info: Omit<CatalogInfo, "version" | "indexBytes">,
  bytes: Uint8Array,
) {
  const version = versionOf(bytes);
  const full: CatalogInfo = { ...info, version, indexBytes: bytes.byteLength };
  await store.put(catalogKeys.index(info.name, version), bytes, { contentType: "application/octet-stream" });
  await putJson(store, catalogKeys.pointer(info.name), full);
  return full;
}

export async function readCatalogInfo(store: BlobStore, name: string): Promise<CatalogInfo> {
  const info = await getJson<CatalogInfo>(store, catalogKeys.pointer(name));
  if (!info) throw new NotFoundError(`No catalogue "${name}": build one with POST /v1/catalogs/${name}`);
  return info;
}

export interface LoadedCatalog {
  info: CatalogInfo;
  index: CatalogIndex;
}

/**
 * Loads catalogues for search, one decoded index per version in memory. The pointer is re-read at most
 * every `ttlMs`, so a rebuilt catalogue is served within that time without a redeploy.
 */
export class CatalogCache {
  private readonly pointers = new Map<string, { info: Promise<CatalogInfo>; at: number }>();
  private readonly indexes = new Map<string, Promise<CatalogIndex>>();

  constructor(
    private readonly store: BlobStore,
    private readonly ttlMs = 10_000,
  ) {}

  async load(name: string): Promise<LoadedCatalog> {
    let pointer = this.pointers.get(name);
    if (!pointer || Date.now() - pointer.at > this.ttlMs) {
      pointer = { info: readCatalogInfo(this.store, name), at: Date.now() };
      pointer.info.catch(() => this.pointers.delete(name));
      this.pointers.set(name, pointer);
    }
    const info = await pointer.info;
    const key = catalogKeys.index(name, info.version);
    let index = this.indexes.get(key);
    if (!index) {
      index = this.store.get(key).then((blob) => {
        if (!blob)
          throw new NotFoundError(`Catalogue "${name}" version ${info.version} is missing its index`);
        return decodeCatalog(blob.bytes);
      });
      index.catch(() => this.indexes.delete(key));
      if (this.indexes.size >= 8) this.indexes.clear();
      this.indexes.set(key, index);
    }
    return { info, index: await index };
  }
}
