export interface BlobInfo {
  key: string;
  size: number;
  etag: string | undefined;
}

export interface StoredBlob extends BlobInfo {
  bytes: Uint8Array;
  contentType: string | undefined;
}

export interface PutOptions {
  contentType?: string;
}

/** Storage behind one interface: in memory for tests, a folder for the /tmp cache, S3 in the cloud and twin. */
export interface BlobStore {
  readonly name: string;
  get(key: string): Promise<StoredBlob | undefined>;
  head(key: string): Promise<BlobInfo | undefined>;
  put(key: string, bytes: Uint8Array | string, options?: PutOptions): Promise<void>;
  /** The object's bytes as a stream of chunks, never held whole; undefined if there is no such key. */
  stream(key: string): Promise<AsyncIterable<Uint8Array> | undefined>;
  /** Writes a stream of chunks as one object without holding it whole (multipart in S3). */
  putStream(key: string, chunks: AsyncIterable<Uint8Array | string>, options?: PutOptions): Promise<void>;
  list(prefix: string): Promise<BlobInfo[]>;
  /** Removes a key; a missing key is not an error. */
  delete(key: string): Promise<void>;
  /**
   * Creates the key only if it does not exist (S3's conditional PUT, `If-None-Match: *`); false when it
   * already did. The one write that decides who does something once.
   */
  putIfAbsent(key: string, bytes: Uint8Array | string): Promise<boolean>;
  /** A URL that GETs the object for `seconds` without credentials; only stores behind HTTP have one. */
  presignGet?(key: string, seconds: number): Promise<string>;
}

export function toBytes(body: Uint8Array | string): Uint8Array {
  return typeof body === "string" ? new TextEncoder().encode(body) : body;
}

export async function getJson<T>(store: BlobStore, key: string): Promise<T | undefined> {
  const blob = await store.get(key);
  return blob ? (JSON.parse(new TextDecoder().decode(blob.bytes)) as T) : undefined;
}

export function putJson(store: BlobStore, key: string, value: unknown): Promise<void> {
  return store.put(key, `${JSON.stringify(value, null, 2)}\n`, { contentType: "application/json" });
}

/** Collects a stream into one buffer: for stores whose writes are not streamed. */
export async function collect(chunks: AsyncIterable<Uint8Array | string>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(toBytes(chunk));
  return Buffer.concat(parts);
}

/**
 * True for exactly one of several concurrent callers: the conditional create decides, and reading the
 * claim back guards servers that ignore the condition (the later writer's token is what both read).
 */
export async function claimOnce(store: BlobStore, key: string, settleMs = 100): Promise<boolean> {
  const token = `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  if (!(await store.putIfAbsent(key, token))) return false;
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  const stored = await store.get(key);
  return stored !== undefined && new TextDecoder().decode(stored.bytes) === token;
}
