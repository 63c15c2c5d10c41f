import { IntegrityError, ModelNotInstalledError } from "../errors.js";
import type { BlobStore } from "../storage/blob-store.js";
import { modelFileKey } from "./catalog.js";
import type { ModelEntry } from "./catalog-types.js";
import { sha256Hex } from "./sha256.js";

export type InstalledIn = "memory" | "cache" | "bucket";

/**
 * Model files, looked up memory -> local cache (/tmp) -> models bucket. Every byte that comes from
 * outside memory is checked against the catalog's sha256 before use.
 */
export class ModelStore {
  private readonly memory = new Map<string, Promise<Uint8Array>>();

  constructor(
    private readonly cache: BlobStore,
    private readonly bucket: BlobStore | undefined,
  ) {}

  file(entry: ModelEntry, fileName: string): Promise<Uint8Array> {
    const key = modelFileKey(entry, fileName);
    let pending = this.memory.get(key);
    if (!pending) {
      pending = this.load(entry, fileName, key);
      pending.catch(() => this.memory.delete(key));
      this.memory.set(key, pending);
    }
    return pending;
  }

  async installedIn(entry: ModelEntry): Promise<InstalledIn | undefined> {
    const keys = entry.files.map((file) => modelFileKey(entry, file.name));
    if (keys.every((key) => this.memory.has(key))) return "memory";
    if ((await Promise.all(keys.map((key) => this.cache.head(key)))).every(Boolean)) return "cache";
    if (this.bucket && (await Promise.all(keys.map((key) => this.bucket?.head(key)))).every(Boolean)) {
      return "bucket";
    }
    return undefined;
  }

  private async load(entry: ModelEntry, fileName: string, key: string): Promise<Uint8Array> {
    const expected = entry.files.find((file) => file.name === fileName);
    if (!expected) throw new IntegrityError(`model ${entry.id} has no file ${fileName}`);
    const cached = await this.cache.get(key);
    if (cached && sha256Hex(cached.bytes) === expected.sha256) return cached.bytes;
    const remote = this.bucket && (await this.bucket.get(key));
    if (!remote) {
      throw new ModelNotInstalledError(
        `Model ${entry.id}@${entry.version} is not installed. Run "npm run models:pull" to fetch it.`,
      );
    }
    const actual = sha256Hex(remote.bytes);
    if (actual !== expected.sha256) {
      throw new IntegrityError(`sha256 mismatch for ${key}: expected ${expected.sha256}, got ${actual}`);
    }
    await this.cache.put(key, remote.bytes);
    return remote.bytes;
  }
}
