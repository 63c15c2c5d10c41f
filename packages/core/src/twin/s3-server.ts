import crypto from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import S3rver, { type S3rverEventRecord } from "s3rver";
import { atomicWrites, removeTornWrites } from "./s3-atomic.js";
import { guarded } from "./s3-guard.js";
import { guardStore } from "./s3-store-guard.js";

/**
 * s3rver encrypts ListObjectsV2 continuation tokens with single DES, which OpenSSL 3 refuses, so every
 * listing of more than 1,000 keys failed. Triple DES with three equal keys is DES, and OpenSSL 3 still
 * has it: the twin maps the one to the other, so paginated listings work as in S3.
 */
function allowSingleDes(): void {
  type Factory = (algorithm: string, key: crypto.CipherKey, iv: crypto.BinaryLike | null) => unknown;
  const wrap =
    (original: Factory): Factory =>
    (algorithm, key, iv) =>
      algorithm === "des" && Buffer.isBuffer(key) && key.length === 8
        ? original("des-ede3-cbc", Buffer.concat([key, key, key]), iv)
        : original(algorithm, key, iv);
  const target = crypto as unknown as {
    createCipheriv: Factory;
    createDecipheriv: Factory;
    __marqueeDes?: true;
  };
  if (target.__marqueeDes) return;
  target.createCipheriv = wrap(target.createCipheriv.bind(crypto));
  target.createDecipheriv = wrap(target.createDecipheriv.bind(crypto));
  target.__marqueeDes = true;
}

export interface LocalS3 {
  endpoint: string;
  close(): Promise<void>;
  onObjectCreated(listener: (record: ObjectCreated) => void): void;
}

export interface ObjectCreated {
  eventName: string;
  bucket: string;
  /** The key as stored (not URL-encoded). */
  key: string;
  size: number;
  etag: string | undefined;
}

/**
 * A real S3-protocol server on loopback (s3rver), storing objects under `directory`, behind guards
 * for what S3 refuses and s3rver does not: unsigned requests, keys over 1,024 bytes, and names that
 * would resolve outside their bucket's folder.
 */
export async function startLocalS3(options: {
  port: number;
  directory: string;
  buckets: string[];
}): Promise<LocalS3> {
  allowSingleDes();
  const server = new S3rver({
    silent: true,
    directory: path.resolve(options.directory),
    configureBuckets: options.buckets.map((name) => ({ name })),
  });
  guardStore(server.store);
  atomicWrites(server.store);
  await removeTornWrites(path.resolve(options.directory));
  await server.configureBuckets();
  const http = createServer(guarded(server.callback()));
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject).listen(options.port, "127.0.0.1", () => resolve());
  });
  const address = http.address() as AddressInfo;
  const listeners: Array<(record: ObjectCreated) => void> = [];
  server.on("event", (event) => {
    for (const record of event.Records as S3rverEventRecord[]) {
      if (!record.eventName.startsWith("ObjectCreated:")) continue;
      const created: ObjectCreated = {
        // s3rver reports multipart completion as Post; S3 calls it CompleteMultipartUpload.
        eventName: record.eventName,
        bucket: record.s3.bucket.name,
        key: record.s3.object.key,
        size: record.s3.object.size ?? 0,
        etag: record.s3.object.eTag,
      };
      for (const listener of listeners) listener(created);
    }
  });
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        http.closeAllConnections();
        http.close((error) => (error ? reject(error) : resolve()));
      }),
    onObjectCreated: (listener) => listeners.push(listener),
  };
}
