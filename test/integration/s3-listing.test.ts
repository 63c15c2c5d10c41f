import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createS3Client, S3BlobStore } from "@marquee/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalS3, startLocalS3 } from "../../packages/core/src/twin/s3-server.js";

// Regression: s3rver's continuation tokens use single DES, which OpenSSL 3 refuses; listings of more
// than 1,000 keys failed with a 500 (a text job of over 512,000 rows has that many parts).
describe("the twin's S3 server", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "marquee-list-"));
  let s3: LocalS3;
  beforeAll(async () => {
    s3 = await startLocalS3({ port: 0, directory: dir, buckets: ["listing"] });
  });
  afterAll(async () => {
    await s3?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("pages listings beyond 1,000 keys with continuation tokens, as S3 does", async () => {
    const store = new S3BlobStore(
      createS3Client({ region: "us-east-1", s3Endpoint: s3.endpoint }),
      "listing",
    );
    const keys = Array.from({ length: 2_345 }, (_, i) => `parts/${String(i).padStart(6, "0")}.json`);
    for (let at = 0; at < keys.length; at += 100) {
      await Promise.all(keys.slice(at, at + 100).map((key) => store.put(key, "{}")));
    }
    const listed = await store.list("parts/");
    expect(listed.map((info) => info.key)).toEqual(keys);
  }, 120_000);
});
