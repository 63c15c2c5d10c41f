import { randomBytes } from "node:crypto";
import type { S3Event, S3EventRecord } from "aws-lambda";

/** S3 URL-encodes keys in notifications like a form value: spaces become '+'. */
export function encodeS3Key(key: string): string {
  return encodeURIComponent(key)
    .replace(/%20/g, "+")
    .replace(/%2F/g, "/")
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export interface CreatedObject {
  eventName: string;
  bucket: string;
  key: string;
  size: number;
  etag: string;
}

/** A notification record in exactly the shape S3 sends (event version 2.1), for the twin and for re-enqueueing. */
export function s3EventRecord(object: CreatedObject, region: string): S3EventRecord {
  return {
    eventVersion: "2.1",
    eventSource: "aws:s3",
    awsRegion: region,
    eventTime: new Date().toISOString(),
    eventName: object.eventName,
    userIdentity: { principalId: "AWS:LOCALTWIN" },
    requestParameters: { sourceIPAddress: "127.0.0.1" },
    responseElements: {
      "x-amz-request-id": randomBytes(8).toString("hex").toUpperCase(),
      "x-amz-id-2": randomBytes(32).toString("base64"),
    },
    s3: {
      s3SchemaVersion: "1.0",
      configurationId: "marquee-local-twin",
      bucket: {
        name: object.bucket,
        ownerIdentity: { principalId: "LOCALTWIN" },
        arn: `arn:aws:s3:::${object.bucket}`,
      },
      object: {
        key: encodeS3Key(object.key),
        size: object.size,
        eTag: object.etag,
        sequencer: Date.now().toString(16).toUpperCase().padStart(16, "0"),
      },
    },
  };
}

export function s3Event(records: S3EventRecord[]): S3Event {
  return { Records: records };
}
