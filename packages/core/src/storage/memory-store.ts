import { createHash } from "node:crypto";
import {
  type BlobInfo,
  type BlobStore,
  collect,
  type PutOptions,
  type StoredBlob,
  toBytes,
} from "./blob-store.js";

export class MemoryBlobStore implements BlobStore {
  readonly name = "memory";
  private readonly blobs = new Map<string, StoredBlob>();

  async get(key: string): Promise<StoredBlob | undefined> {
    return this.blobs.get(key);
  }

  async head(key: string): Promise<BlobInfo | undefined> {
    const blob = this.blobs.get(key);
    return blob && { key, size: blob.size, etag: blob.etag };
  }

  async put(key: string, body: Uint8Array | string, options: PutOptions = {}): Promise<void> {
    const bytes = toBytes(body);
    const etag = createHash("md5").update(bytes).digest("hex");
    this.blobs.set(key, { key, bytes, size: bytes.byteLength, etag, contentType: options.contentType });
  }

  async putIfAbsent(key: string, body: Uint8Array | string): Promise<boolean> {
    if (this.blobs.has(key)) return false;
    await this.put(key, body);
    return true;
  }

  async stream(key: string): Promise<AsyncIterable<Uint8Array> | undefined> {
    const blob = this.blobs.get(key);
    if (!blob) return undefined;
    const chunk = 64 * 1024;
    return (async function* () {
      for (let at = 0; at < blob.bytes.length; at += chunk) yield blob.bytes.subarray(at, at + chunk);
    })();
  }

  async putStream(key: string, chunks: AsyncIterable<Uint8Array | string>, options: PutOptions = {}) {
    await this.put(key, await collect(chunks), options);
  }

  async list(prefix: string): Promise<BlobInfo[]> {
    return [...this.blobs.values()]
      .filter((blob) => blob.key.startsWith(prefix))
      .map(({ key, size, etag }) => ({ key, size, etag }))
      .sort((a, b) => a.key.localeCompare(b.key));
  }

  async delete(key: string): Promise<void> {
    this.blobs.delete(key);
  }
}
