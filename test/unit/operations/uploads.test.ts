import { S3Client } from "@aws-sdk/client-s3";
import { createServices, createUpload, InvalidInputError, MemoryBlobStore, readConfig } from "@marquee/core";
import { describe, expect, it } from "vitest";

// Presigning is local computation: no network is touched.
const services = createServices(readConfig({ MAAS_MEDIA_BUCKET: "media-bucket" }), {
  s3: new S3Client({
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
  }),
  media: new MemoryBlobStore(),
  results: new MemoryBlobStore(),
  modelsBucket: new MemoryBlobStore(),
});

describe("createUpload", () => {
  it("presigns a PUT for large media under uploads/media/", async () => {
    const ticket = await createUpload({ filename: "still 01.png", contentType: "image/png" }, services);
    expect(ticket.job).toBeUndefined();
    expect(ticket).toMatchObject({
      method: "PUT",
      expiresIn: 900,
      headers: { "content-type": "image/png" },
    });
    expect(ticket.key).toMatch(/^uploads\/media\/[0-9a-f-]{36}\/still 01\.png$/);
    const url = new URL(ticket.url);
    expect(url.pathname).toContain("still%2001.png");
    expect(url.searchParams.get("X-Amz-Expires")).toBe("900");
    expect(url.searchParams.get("X-Amz-Signature")).toMatch(/^[0-9a-f]{64}$/);
  });

  it("presigns frame uploads into a job folder, generating a job id when none is given", async () => {
    const named = await createUpload({ kind: "frames", job: "trailer-1", filename: "f1.jpg" }, services);
    expect(named.key).toBe("uploads/frames/trailer-1/f1.jpg");
    const generated = await createUpload(
      { kind: "frames", filename: "reel.zip", contentType: "application/zip" },
      services,
    );
    expect(generated.job).toMatch(/^[0-9a-f-]{36}$/);
    expect(generated.key).toBe(`uploads/frames/${generated.job}/reel.zip`);
    const reviews = await createUpload(
      { kind: "text", job: "reviews-1", filename: "imdb.csv", contentType: "text/csv" },
      services,
    );
    expect(reviews).toMatchObject({ key: "uploads/text/reviews-1/imdb.csv", job: "reviews-1" });
  });

  it.each([
    [null, "JSON object"],
    [{}, "filename"],
    [{ filename: "../x.jpg" }, "filename"],
    [{ filename: "a/b.jpg" }, "filename"],
    [{ filename: "a.jpg", kind: "audio" }, "kind"],
    [{ filename: "a.jpg", contentType: "text/html" }, "contentType"],
    [{ filename: "a.jpg", kind: "frames", job: "no/slash" }, "job"],
    [{ filename: "a.jpg", job: "j" }, "only for batch kinds"],
    [{ filename: "r.csv", kind: "text", contentType: "image/png" }, "text/csv"],
    [{ filename: "a.jpg", bucket: "other" }, 'Unknown field(s): "bucket"'],
  ])("rejects %j", async (body, message) => {
    await expect(createUpload(body, services)).rejects.toThrow(InvalidInputError);
    await expect(createUpload(body, services)).rejects.toThrow(message);
  });
});
