import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { createS3Client, createUpload, type Services } from "@marquee/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalS3, type ObjectCreated, startLocalS3 } from "../../packages/core/src/twin/s3-server.js";

const MEDIA = "marquee-local-media";
const RESULTS = "marquee-local-results";

/** A request sent exactly as written: fetch() and the URL class would resolve the dot segments first. */
function raw(method: string, target: string, headers: Record<string, string> = {}, body = "") {
  const { hostname, port } = new URL(target);
  const requestPath = target.slice(target.indexOf("/", "http://".length));
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({ hostname, port, path: requestPath, method, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("error", reject).end(body);
  });
}

const filesUnder = (folder: string): string[] =>
  readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)))
    .sort();

describe("the twin's S3 refuses what S3 refuses", () => {
  const outer = mkdtempSync(path.join(tmpdir(), "marquee-guard-"));
  const dataDir = path.join(outer, "twin");
  let s3: LocalS3;
  let client: S3Client;
  const created: ObjectCreated[] = [];

  beforeAll(async () => {
    s3 = await startLocalS3({ port: 0, directory: path.join(dataDir, "s3"), buckets: [MEDIA, RESULTS] });
    s3.onObjectCreated((object) => created.push(object));
    client = createS3Client({ region: "us-east-1", s3Endpoint: s3.endpoint });
    await client.send(new PutObjectCommand({ Bucket: RESULTS, Key: "results/other/job.json", Body: "{}" }));
    created.length = 0;
  });
  afterAll(async () => {
    await s3?.close();
    rmSync(outer, { recursive: true, force: true });
  });

  const read = async (bucket: string, key: string) =>
    (await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body?.transformToString();
  /** A presigned URL's query, for requests s3rver takes as signed (it does not check v4 signatures). */
  const signedQuery = async () =>
    new URL(await getSignedUrl(client, new PutObjectCommand({ Bucket: MEDIA, Key: "x" }))).search;

  it("refuses unsigned requests with 403 AccessDenied, as S3 does on a private bucket", async () => {
    const put = await raw("PUT", `${s3.endpoint}/${MEDIA}/uploads/frames/j/unsigned.jpg`, {}, "data");
    expect(put.status).toBe(403);
    expect(put.body).toContain("<Code>AccessDenied</Code>");
    expect((await raw("GET", `${s3.endpoint}/${MEDIA}?list-type=2`)).status).toBe(403);
    expect((await raw("GET", `${s3.endpoint}/${RESULTS}/results/other/job.json`)).status).toBe(403);
    const forged = await raw("PUT", `${s3.endpoint}/${MEDIA}/forged.jpg?X-Amz-Signature=00`, {}, "x");
    expect(forged.status).toBe(403);
    expect(filesUnder(path.join(dataDir, "s3", MEDIA))).toEqual([]);
    expect(created).toEqual([]);
  });

  it("takes presigned PUTs from POST /v1/uploads and SDK requests", async () => {
    const services = { s3: client, config: { mediaBucket: MEDIA, uploadUrlTtlSeconds: 60 } } as Services;
    const ticket = await createUpload(
      { kind: "frames", job: "j1", filename: "a.jpg", contentType: "image/jpeg" },
      services,
    );
    const response = await fetch(ticket.url, { method: "PUT", headers: ticket.headers, body: "jpeg bytes" });
    expect(response.status).toBe(200);
    expect(await read(MEDIA, ticket.key)).toBe("jpeg bytes");
    expect(created.map((object) => object.key)).toEqual([ticket.key]);
  });

  it("refuses keys over 1,024 UTF-8 bytes with 400 KeyTooLongError", async () => {
    const segment = `${"é".repeat(100)}/`; // 201 bytes
    const longest = `${segment.repeat(5)}${"k".repeat(1024 - 5 * 201)}`;
    await client.send(new PutObjectCommand({ Bucket: MEDIA, Key: longest, Body: "ok" }));
    expect(await read(MEDIA, longest)).toBe("ok");
    const tooLong = `${longest}k`;
    await expect(
      client.send(new PutObjectCommand({ Bucket: MEDIA, Key: tooLong, Body: "no" })),
    ).rejects.toMatchObject({ name: "KeyTooLongError", $metadata: { httpStatusCode: 400 } });
  });

  it("never lets a '.'/'..' segment reach another bucket or the disk outside the data folder", async () => {
    const before = filesUnder(outer);
    const query = await signedQuery();
    const attacks = [
      `/${MEDIA}/uploads/frames/j/../../../../${RESULTS}/results/other/job.json`,
      `/${MEDIA}/uploads/%2e%2e/%2E%2E/../../escaped-1`,
      `/${MEDIA}/uploads/frames/j%2F..%2F..%2F..%2F..%2F..%2Fescaped-2`,
      `/${MEDIA}/..%5C..%5C..%5Cescaped-3`,
      `/${MEDIA}/uploads/frames/j/./x.jpg`,
      `/%2e%2e/escaped-4`,
    ];
    for (const attack of attacks) {
      const response = await raw("PUT", `${s3.endpoint}${attack}${query}`, {}, "overwritten");
      expect(response.status, attack).toBe(400);
      expect(response.body, attack).toMatch(/<Code>(InvalidArgument|InvalidBucketName)<\/Code>/);
      expect((await raw("GET", `${s3.endpoint}${attack}${query}`)).status, attack).toBe(400);
    }
    const copy = await raw("PUT", `${s3.endpoint}/${MEDIA}/copied${query}`, {
      "x-amz-copy-source": `${MEDIA}/../${RESULTS}/results/other/job.json`,
    });
    expect(copy.status).toBe(400);
    const removal = `<Delete><Object><Key>../${RESULTS}/results/other/job.json</Key></Object></Delete>`;
    expect((await raw("POST", `${s3.endpoint}/${MEDIA}${query}&delete`, {}, removal)).status).toBe(400);
    const part = await raw(
      "PUT",
      `${s3.endpoint}/${MEDIA}/p${query}&partNumber=1&uploadId=..%2F..%2Fescaped-5`,
    );
    expect(part.status).toBe(404);

    expect(await read(RESULTS, "results/other/job.json")).toBe("{}");
    expect(filesUnder(outer)).toEqual(before);
    expect(created.filter((object) => object.key.includes(".."))).toEqual([]);
  });
});
