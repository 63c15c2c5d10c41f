import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { createS3Client } from "@marquee/core";
import { startTwin, type Twin } from "@marquee/core/twin";
import { afterAll, beforeAll } from "vitest";
import { checkResponse } from "./conformance.js";
import { repoRoot } from "./shared.js";

/** A twin on random loopback ports with its own S3 folder, as the integration tests use it. */
export function startTestTwin(): Promise<Twin> {
  return startTwin({
    root: repoRoot,
    dataDir: mkdtempSync(path.join(tmpdir(), "marquee-twin-")),
    retryDelayMs: 50,
    log: () => undefined,
    onResponse: checkResponse,
  });
}

export function authed(twin: Twin, headers: Record<string, string> = {}): Record<string, string> {
  return { "x-api-key": twin.apiKey, ...headers };
}

/** The twin's buckets through a real S3 client: upload media, read results as text. */
export function twinBuckets(twin: Twin) {
  const s3 = createS3Client({ region: "us-east-1", s3Endpoint: twin.s3Endpoint });
  return {
    s3,
    putMedia: (key: string, body: Uint8Array | string) =>
      s3.send(new PutObjectCommand({ Bucket: twin.buckets.media, Key: key, Body: body })),
    resultText: async (key: string) => {
      const out = await s3.send(new GetObjectCommand({ Bucket: twin.buckets.results, Key: key }));
      return (await out.Body?.transformToString()) ?? "";
    },
  };
}

export type TwinBuckets = ReturnType<typeof twinBuckets>;

/** A twin for the enclosing describe: started before its tests (twin and buckets set then), closed after. */
export function useTwin(): { twin: Twin; buckets: TwinBuckets } {
  const suite = {} as { twin: Twin; buckets: TwinBuckets };
  beforeAll(async () => {
    suite.twin = await startTestTwin();
    suite.buckets = twinBuckets(suite.twin);
  });
  afterAll(() => suite.twin?.close());
  return suite;
}
