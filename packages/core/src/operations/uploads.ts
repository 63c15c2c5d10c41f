import { randomUUID } from "node:crypto";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { assertJobId } from "../batch/keys.js";
import { InvalidInputError } from "../errors.js";
import { parseWith, requestBody, z } from "../schema.js";
import type { Services } from "../services.js";

const FILENAME = /^[\w][\w.\- ]{0,199}$/;

/** Content types each upload kind accepts (the presigned URL is bound to the one requested). */
const TYPES_BY_KIND = {
  media: ["image/jpeg", "image/png", "image/webp", "application/octet-stream"],
  frames: [
    "image/jpeg",
    "image/png",
    "image/webp",
    "application/zip",
    "application/x-tar",
    "application/octet-stream",
  ],
  text: [
    "text/csv",
    "application/x-ndjson",
    "application/jsonl",
    "application/json",
    "application/octet-stream",
  ],
  catalogs: [
    "text/csv",
    "application/x-ndjson",
    "application/jsonl",
    "application/json",
    "application/octet-stream",
  ],
} as const;
type UploadKind = keyof typeof TYPES_BY_KIND;
const BATCH_KINDS: readonly UploadKind[] = ["frames", "text", "catalogs"];

export const uploadRequest = requestBody({
  filename: z
    .string({ error: "must be a file name" })
    .regex(FILENAME, { error: "must be 1-200 letters, digits, spaces, '.', '_' or '-'" })
    .refine((name) => !name.includes(".."), { error: "must not contain '..'" }),
  kind: z
    .enum(["media", "frames", "text", "catalogs"], {
      error: 'must be "media", "frames", "text" or "catalogs"',
    })
    .default("media")
    .describe("media: one large file for a synchronous call; frames/text/catalogs: a batch job upload"),
  job: z.string().optional().describe("Job id (or catalogue name) for batch kinds; generated if absent"),
  contentType: z.string().default("application/octet-stream"),
}).meta({ id: "UploadRequest" });

export const uploadTicket = z
  .object({
    method: z.literal("PUT"),
    url: z.string(),
    key: z.string(),
    job: z.string().optional(),
    expiresIn: z.int(),
    headers: z.record(z.string(), z.string()),
  })
  .meta({ id: "UploadTicket" });

export type UploadTicket = z.output<typeof uploadTicket>;

/**
 * A presigned PUT for media too large for a synchronous call (`kind: "media"`, then pass the key as
 * `{ image: { s3Key } }`) or for a batch job (`frames`, `text`, `catalogs`: processed when it lands).
 */
export async function createUpload(body: unknown, services: Services): Promise<UploadTicket> {
  const fields = parseWith(uploadRequest, body);
  const accepted: readonly string[] = TYPES_BY_KIND[fields.kind];
  if (!accepted.includes(fields.contentType)) {
    throw new InvalidInputError(
      `contentType for kind "${fields.kind}" must be one of ${accepted.join(", ")}`,
    );
  }
  let job: string | undefined;
  let key: string;
  if (BATCH_KINDS.includes(fields.kind)) {
    job = fields.job === undefined ? randomUUID() : assertJobId(fields.job);
    key = `uploads/${fields.kind}/${job}/${fields.filename}`;
  } else {
    if (fields.job !== undefined)
      throw new InvalidInputError("job is only for batch kinds (frames, text, catalogs)");
    key = `uploads/media/${randomUUID()}/${fields.filename}`;
  }
  const expiresIn = services.config.uploadUrlTtlSeconds;
  const url = await getSignedUrl(
    services.s3,
    new PutObjectCommand({ Bucket: services.config.mediaBucket, Key: key, ContentType: fields.contentType }),
    { expiresIn },
  );
  return {
    method: "PUT",
    url,
    key,
    ...(job !== undefined && { job }),
    expiresIn,
    headers: { "content-type": fields.contentType },
  };
}
