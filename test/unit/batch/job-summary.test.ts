import {
  createServices,
  MemoryBlobStore,
  readConfig,
  refreshJobSummary,
  type SourceMarker,
} from "@marquee/core";
import { describe, expect, it } from "vitest";
import { putJson } from "../../../packages/core/src/storage/blob-store.js";

function marker(name: string, etag: string, errors: SourceMarker["errors"]): SourceMarker {
  return {
    job: "j",
    kind: "frames",
    source: { bucket: "media", key: `uploads/frames/j/${name}`, etag },
    size: 1,
    counts: { total: 1, ok: 1 - errors.length, failed: errors.length },
    errors,
    models: [{ id: "m", version: "1" }],
    timings: { inference: 10, modelMs: 8 },
    startedAt: "2026-11-28T10:00:00.000Z",
    finishedAt: "2026-11-28T10:00:01.000Z",
  };
}

describe("refreshJobSummary", () => {
  it("counts items from the per-upload markers and is running until every upload has one", async () => {
    const media = new MemoryBlobStore();
    const results = new MemoryBlobStore();
    const services = createServices(readConfig({}), { media, results, modelsBucket: new MemoryBlobStore() });
    await media.put("uploads/frames/j/a.jpg", "a");
    await media.put("uploads/frames/j/b.jpg", "b");
    const etagA = (await media.head("uploads/frames/j/a.jpg"))?.etag ?? "";
    const etagB = (await media.head("uploads/frames/j/b.jpg"))?.etag ?? "";
    await putJson(results, "results/j/sources/a.jpg.json", marker("a.jpg", etagA, []));
    let summary = await refreshJobSummary("j", "frames", services);
    expect(summary).toMatchObject({
      status: "running",
      uploads: { total: 2, processed: 1 },
      counts: { ok: 1, failed: 0 },
    });

    const error = { code: "invalid_image", message: "corrupt" };
    await putJson(
      results,
      "results/j/sources/b.jpg.json",
      marker("b.jpg", etagB, [{ item: "b.jpg", ...error }]),
    );
    summary = await refreshJobSummary("j", "frames", services);
    expect(summary).toMatchObject({
      status: "completed_with_errors",
      counts: { total: 2, ok: 1, failed: 1 },
      errors: [{ item: "b.jpg", source: "uploads/frames/j/b.jpg", ...error }],
      models: [{ id: "m", version: "1" }],
      timings: { inference: 20, modelMs: 16, wallMs: 1000, framesPerSecond: 2 },
    });
    expect(
      JSON.parse(new TextDecoder().decode((await results.get("results/j/job.json"))?.bytes)),
    ).toMatchObject({
      status: "completed_with_errors",
    });
  });
});
