import path from "node:path";
import type { S3rverStore } from "s3rver";
import S3Error from "s3rver/lib/models/error.js";
import { bucketRefusal, keyRefusal, type S3Refusal, uploadIdRefusal } from "./s3-key-policy.js";

function refuse(refusal: S3Refusal | undefined): void {
  if (refusal) throw new S3Error(refusal.code, refusal.message, refusal.detail);
}

function assertInside(folder: string, candidate: string): string {
  const relative = path.relative(folder, candidate);
  if (relative === "" || relative.startsWith("..") || path.isAbsolute(relative)) {
    throw new S3Error("InvalidArgument", "The name does not resolve inside the store's folder.");
  }
  return candidate;
}

/**
 * Checks every bucket name, key and upload id where s3rver's store turns it into a file path,
 * whether it came from the URL, a copy source header, a multi-object delete body or a multipart
 * upload: refused names never reach the disk, and no path can leave its bucket's folder.
 */
export function guardStore(store: S3rverStore): void {
  const root = path.resolve(store.rootDirectory);
  const bucketPath = store.getBucketPath.bind(store);
  const resourcePath = store.getResourcePath.bind(store);
  const initiateUpload = store.initiateUpload.bind(store);
  const putPart = store.putPart.bind(store);
  const putObjectMultipart = store.putObjectMultipart.bind(store);
  store.getBucketPath = (bucket) => {
    refuse(bucketRefusal(bucket));
    return assertInside(root, bucketPath(bucket));
  };
  store.getResourcePath = (bucket, key, resource) => {
    if (key) refuse(keyRefusal(key));
    return assertInside(store.getBucketPath(bucket), resourcePath(bucket, key, resource));
  };
  store.initiateUpload = async (bucket, key, uploadId, metadata) => {
    refuse(keyRefusal(key));
    return initiateUpload(bucket, key, uploadId, metadata);
  };
  store.putPart = async (bucket, uploadId, ...rest) => {
    refuse(uploadIdRefusal(uploadId));
    return putPart(bucket, uploadId, ...rest);
  };
  store.putObjectMultipart = async (bucket, uploadId, parts) => {
    refuse(uploadIdRefusal(uploadId));
    return putObjectMultipart(bucket, uploadId, parts);
  };
}
