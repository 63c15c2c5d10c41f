/** What S3 (or the twin, where it is stricter) refuses about a bucket name or an object key. */
export interface S3Refusal {
  status: number;
  code: string;
  message: string;
  detail?: Record<string, string>;
}

/** S3's limit on an object key, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;

/** A `.` or `..` segment, with `/` or `\` as separator (Windows paths split on both). */
export const hasDotSegment = (key: string): boolean =>
  key.split(/[\\/]/).some((segment) => segment === "." || segment === "..");

/** A bucket name that is one plain folder name (S3's naming rules are s3rver's to check on create). */
export function bucketRefusal(bucket: string): S3Refusal | undefined {
  if (bucket !== "" && !/[\\/]/.test(bucket) && !hasDotSegment(bucket)) return undefined;
  return {
    status: 400,
    code: "InvalidBucketName",
    message: "The specified bucket is not valid.",
    detail: { BucketName: bucket },
  };
}

/**
 * S3 refuses keys over 1,024 bytes. S3 stores keys with `.`/`..` segments literally; the twin's store
 * maps keys to file paths, so it refuses them (stricter than S3, as the batch kinds ignore such keys).
 */
export function keyRefusal(key: string): S3Refusal | undefined {
  if (Buffer.byteLength(key, "utf8") > MAX_KEY_BYTES) {
    return { status: 400, code: "KeyTooLongError", message: "Your key is too long" };
  }
  if (hasDotSegment(key)) {
    return {
      status: 400,
      code: "InvalidArgument",
      message: "The local twin does not store keys with '.' or '..' path segments.",
      detail: { ArgumentName: "key", ArgumentValue: key.slice(0, 200) },
    };
  }
  return undefined;
}

/** s3rver names multipart uploads with hex; anything else is not one of its uploads (nor a path). */
export function uploadIdRefusal(uploadId: string): S3Refusal | undefined {
  if (/^[A-Za-z0-9_-]{1,256}$/.test(uploadId)) return undefined;
  return {
    status: 404,
    code: "NoSuchUpload",
    message: "The specified upload does not exist.",
    detail: { UploadId: uploadId.slice(0, 200) },
  };
}
