import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  createServices,
  DeadlineError,
  getJson,
  type JobSummary,
  MemoryBlobStore,
  ModelNotInstalledError,
  processSource,
  readConfig,
} from "@marquee/core";
import { zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { framesKind } from "../../../packages/core/src/batch/kinds/frames.js";
import { syntheticJpeg } from "../../../packages/core/src/media/image.js";

// Entries that are not images fail before any model runs, so this needs no model files.
const text = (value: string) => new TextEncoder().encode(value);

async function setup() {
  const media = new MemoryBlobStore();
  const results = new MemoryBlobStore();
  const cache = mkdtempSync(path.join(tmpdir(), "marquee-cache-"));
  const services = createServices(readConfig({ MAAS_MODEL_CACHE_DIR: cache }), {
    media,
    results,
    modelsBucket: new MemoryBlobStore(),
  });
  const key = "uploads/frames/reel/notes.zip";
  await media.put(key, zipSync({ "a.txt": text("a"), "b.txt": text("b"), "c.txt": text("c") }));
  const info = await media.head(key);
  const item = { bucket: "media", key, etag: info?.etag ?? "", size: info?.size ?? 0 };
  return { media, results, services, item };
}

describe("processSource with the frames kind", () => {
  it("records one error per bad frame, a marker and job.json; a repeated event is a duplicate", async () => {
    const { media, results, services, item } = await setup();
    const uploadBefore = await media.get(item.key);
    expect(await processSource(item, framesKind, services)).toBe("processed");
    const errors = (await results.list("results/reel/errors/")).map((blob) => blob.key);
    expect(errors).toEqual([
      "results/reel/errors/notes.zip!/a.txt.json",
      "results/reel/errors/notes.zip!/b.txt.json",
      "results/reel/errors/notes.zip!/c.txt.json",
    ]);
    const summary = await getJson<JobSummary>(results, "results/reel/job.json");
    expect(summary).toMatchObject({ status: "failed", counts: { total: 3, ok: 0, failed: 3 } });
    expect(await processSource(item, framesKind, services)).toBe("duplicate");
    expect(await media.get(item.key)).toEqual(uploadBefore);
  });

  it("stops at the deadline without a marker, and the retry completes the upload", async () => {
    const { results, services, item } = await setup();
    await expect(processSource(item, framesKind, services, Date.now() - 1)).rejects.toThrow(DeadlineError);
    expect(await results.list("results/reel/sources/")).toEqual([]);
    expect(await processSource(item, framesKind, services)).toBe("processed");
    expect(await results.list("results/reel/sources/")).toHaveLength(1);
  });

  it("ignores keys outside the layout and uploads replaced since the event", async () => {
    const { services, item } = await setup();
    expect(await processSource({ ...item, key: "uploads/frames/x.jpg" }, framesKind, services)).toBe(
      "ignored",
    );
    expect(await processSource({ ...item, etag: "older" }, framesKind, services)).toBe("superseded");
  });

  it("does not record infrastructure failures as frame errors: the message is retried", async () => {
    const { media, results, services } = await setup();
    const key = "uploads/frames/reel/still.jpg";
    await media.put(key, await syntheticJpeg(64, 48));
    const info = await media.head(key);
    const item = { bucket: "media", key, etag: info?.etag ?? "", size: info?.size ?? 0 };
    // The models bucket is empty: the model is not installed.
    await expect(processSource(item, framesKind, services)).rejects.toThrow(ModelNotInstalledError);
    expect(await results.list("results/reel/")).toEqual([]);
  });

  it("replaces what an older version of a re-uploaded frame produced", async () => {
    const { media, results, services } = await setup();
    const key = "uploads/frames/reel/a.jpg";
    const old = { bucket: "media", key, etag: "old-etag" };
    await results.put("results/reel/frames/a.jpg.json", JSON.stringify({ status: "ok", source: old }));
    await media.put(key, "now this is not an image");
    const info = await media.head(key);
    const item = { bucket: "media", key, etag: info?.etag ?? "", size: info?.size ?? 0 };
    expect(await processSource(item, framesKind, services)).toBe("processed");
    expect(
      (await results.list("results/reel/")).map((blob) => blob.key).filter((k) => !k.includes("sources")),
    ).toEqual(["results/reel/errors/a.jpg.json", "results/reel/job.json"]);
  });
});
