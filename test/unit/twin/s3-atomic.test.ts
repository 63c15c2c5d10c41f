import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { createS3Client } from "@marquee/core";
import { afterAll, describe, expect, it } from "vitest";
import { startLocalS3 } from "../../../packages/core/src/twin/s3-server.js";

describe("the twin's S3 server writes objects whole", () => {
  const directory = mkdtempSync(path.join(tmpdir(), "marquee-atomic-"));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  const open = () => startLocalS3({ port: 0, directory, buckets: ["media"] });

  it("stores content, ETag and metadata by rename, leaves no partial file, and removes torn ones on start", async () => {
    let s3server = await open();
    const s3 = createS3Client({ region: "us-east-1", s3Endpoint: s3server.endpoint });
    const body = "x".repeat(100_000);
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: "media",
        Key: "a/b.json",
        Body: body,
        ContentType: "application/json",
        Metadata: { origin: "test" },
      }),
    );
    await s3.send(new PutObjectCommand({ Bucket: "media", Key: "a/b.json", Body: body.slice(0, 10) }));
    const got = await s3.send(new GetObjectCommand({ Bucket: "media", Key: "a/b.json" }));
    expect(await got.Body?.transformToString()).toBe("x".repeat(10));
    expect(got.ETag).not.toBe(put.ETag);
    const files = readdirSync(path.join(directory, "media", "a"));
    expect(files.some((name) => name.includes("partial"))).toBe(false);
    await s3.send(
      new PutObjectCommand({
        Bucket: "media",
        Key: "c.txt",
        Body: "c",
        ContentType: "text/plain",
        Metadata: { m: "1" },
      }),
    );
    const c = await s3.send(new GetObjectCommand({ Bucket: "media", Key: "c.txt" }));
    expect([c.ContentType, c.Metadata?.m]).toEqual(["text/plain", "1"]);

    // What a kill in the middle of a write leaves: partial files beside the real ones.
    await s3server.close();
    const torn = path.join(directory, "media", "a", "d.json._S3rver_metadata.json.marquee-partial-1");
    writeFileSync(torn, '{"content-ty');
    writeFileSync(path.join(directory, "media", "a", "d.json._S3rver_object.marquee-partial-1"), "half");
    s3server = await open();
    const again = createS3Client({ region: "us-east-1", s3Endpoint: s3server.endpoint });
    const listed = await again.send(new ListObjectsV2Command({ Bucket: "media", Prefix: "a/" }));
    expect(listed.Contents?.map((item) => item.Key)).toEqual(["a/b.json"]);
    expect(readdirSync(path.join(directory, "media", "a")).some((name) => name.includes("partial"))).toBe(
      false,
    );
    await s3server.close();
  });
});
