import { randomUUID } from "node:crypto";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { assertJobId } from "../batch/keys.js";
import { InvalidInputError } from "../errors.js";
import type { Services } from "../services.js";
import { fieldsOf } from "../validation.js";

const FILENAME = /^[\w][\w.\- ]{0,199}$/;
const UPLOAD_TYPES = /^(image\/(jpeg|png|webp)|application\/(zip|x-tar|octet-stream))$/;
const FIELDS = ["kind", "job", "filename", "contentType"];

export interface UploadTicket {
  method: "PUT";
  url: string;
  key: string;
  job: string | undefined;
  expiresIn: number;
  headers: Record<string, string>;
}

/**
 * A presigned PUT for media too large for a synchronous call (`kind: "media"`, then pass the key as
 * `{ image: { s3Key } }`) or for a frame batch (`kind: "frames"`, processed when the upload lands).
 */
export async function createUpload(body: unknown, services: Services): Promise<UploadTicket> {
  const fields = fieldsOf(
    body,
    FIELDS,
    '{ "filename": ..., "kind"?: "media" | "frames", "job"?, "contentType"? }',
  );
  const kind = fields.kind ?? "media";
  if (kind !== "media" && kind !== "frames") throw new InvalidInputError('kind must be "media" or "frames"');
  if (
    typeof fields.filename !== "string" ||
    !FILENAME.test(fields.filename) ||
    fields.filename.includes("..")
  ) {
    throw new InvalidInputError("filename must be 1-200 letters, digits, spaces, '.', '_' or '-'");
  }
  const contentType = fields.contentType ?? "application/octet-stream";
  if (typeof contentType !== "string" || !UPLOAD_TYPES.test(contentType)) {
    throw new InvalidInputError(
      "contentType must be image/jpeg, image/png, image/webp, application/zip or application/x-tar",
    );
  }
  let job: string | undefined;
  let key: string;
  if (kind === "frames") {
    job = fields.job === undefined ? randomUUID() : assertJobId(String(fields.job));
    key = `uploads/frames/${job}/${fields.filename}`;
  } else {
    if (fields.job !== undefined) throw new InvalidInputError('job is only for kind "frames"');
    key = `uploads/media/${randomUUID()}/${fields.filename}`;
  }
  const expiresIn = services.config.uploadUrlTtlSeconds;
  const url = await getSignedUrl(
    services.s3,
    new PutObjectCommand({ Bucket: services.config.mediaBucket, Key: key, ContentType: contentType }),
    { expiresIn },
  );
  return { method: "PUT", url, key, job, expiresIn, headers: { "content-type": contentType } };
}
