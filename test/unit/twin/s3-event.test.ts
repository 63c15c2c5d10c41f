import { decodeS3Key } from "@marquee/core";
import { describe, expect, it } from "vitest";
import { encodeS3Key, s3EventRecord } from "../../../packages/core/src/adapters/s3-event.js";

describe("twin S3 events", () => {
  it("URL-encodes keys as S3 does, and the adapter decodes them back", () => {
    const key = "uploads/frames/job 1/scène+(1)*.jpg";
    expect(encodeS3Key(key)).toBe("uploads/frames/job+1/sc%C3%A8ne%2B%281%29%2A.jpg");
    expect(decodeS3Key(encodeS3Key(key))).toBe(key);
  });

  it("builds a full ObjectCreated record", () => {
    const record = s3EventRecord(
      { eventName: "ObjectCreated:Put", bucket: "b", key: "uploads/frames/j/a.jpg", size: 3, etag: "abc" },
      "eu-west-1",
    );
    expect(record).toMatchObject({
      eventVersion: "2.1",
      eventSource: "aws:s3",
      awsRegion: "eu-west-1",
      s3: {
        bucket: { name: "b", arn: "arn:aws:s3:::b" },
        object: { key: "uploads/frames/j/a.jpg", size: 3, eTag: "abc" },
      },
    });
  });
});
