import { Readable } from "node:stream";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { createS3Client } from "@marquee/core";
import type { Twin } from "@marquee/core/twin";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestTwin } from "../support/twin.js";

// Regression: with the SDK's default flexible checksums, s3rver stores a streamed put's aws-chunked
// framing inside the object. The local client must use WHEN_REQUIRED.
describe("the local S3 client against s3rver", () => {
  let twin: Twin;
  beforeAll(async () => {
    twin = await startTestTwin();
  });
  afterAll(() => twin?.close());

  const body = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 251));
  const roundTrip = async (client: S3Client, key: string) => {
    await client.send(
      new PutObjectCommand({
        Bucket: twin.buckets.media,
        Key: key,
        Body: Readable.from([body]),
        ContentLength: body.length,
      }),
    );
    const out = await client.send(new GetObjectCommand({ Bucket: twin.buckets.media, Key: key }));
    return Buffer.from((await out.Body?.transformToByteArray()) ?? []);
  };

  it("stores streamed puts intact with the project's client", async () => {
    const stored = await roundTrip(
      createS3Client({ region: "us-east-1", s3Endpoint: twin.s3Endpoint }),
      "uploads/check/a.bin",
    );
    expect(stored.equals(body)).toBe(true);
  });

  it("documents why: the SDK defaults corrupt the same put", async () => {
    const defaults = new S3Client({
      region: "us-east-1",
      endpoint: twin.s3Endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    });
    const stored = await roundTrip(defaults, "uploads/check/b.bin").catch(() => undefined);
    expect(stored?.equals(body)).not.toBe(true);
  });
});
