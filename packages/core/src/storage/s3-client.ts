import { S3Client } from "@aws-sdk/client-s3";
import type { Config } from "../config.js";

/**
 * One S3 client per process. Against a local S3-protocol server (the twin) the SDK's default
 * flexible checksums must be off: s3rver stores aws-chunked streamed bodies with their chunk
 * signatures inside, silently corrupting the object.
 */
export function createS3Client(config: Pick<Config, "region" | "s3Endpoint">): S3Client {
  if (!config.s3Endpoint) return new S3Client({ region: config.region });
  return new S3Client({
    region: config.region,
    endpoint: config.s3Endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}
