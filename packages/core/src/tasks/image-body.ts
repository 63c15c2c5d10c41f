import { modelId, requestBody, z } from "../schema.js";

const IMAGE_MESSAGE = "must be base64-encoded bytes (or a data URL) or an object { s3Key }";

/** `image` of an image task's JSON body: base64 bytes, a data URL, or the key of an uploaded object. */
export const imageField = z
  .union([z.string(), z.strictObject({ s3Key: z.string().min(1).max(1024) })], { error: IMAGE_MESSAGE })
  .describe(
    'Base64 bytes of a JPEG, PNG or WebP image (a data URL is accepted), or { "s3Key": "uploads/…" } of an object uploaded with POST /v1/uploads',
  );

/** The JSON body shared by image tasks: `{ image, model?, options? }`. */
export function imageBody<O extends z.ZodType>(options: O) {
  return requestBody({ image: imageField, model: modelId.optional(), options: options.optional() });
}
