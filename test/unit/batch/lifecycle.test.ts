import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  type BatchKind,
  BusyError,
  createServices,
  handleSqsBatch,
  itemsFromSqsBody,
  MemoryBlobStore,
  processSource,
  putJson,
  readConfig,
  readJobSummary,
  reprocessJob,
  setLocalQueues,
} from "@marquee/core";
import { describe, expect, it } from "vitest";

/** A kind whose every upload is one ok unit: enough to drive the runner. */
const countingKind: BatchKind = {
  id: "frames",
  async *expand({ name }) {
    yield { name, process: async () => ({ ok: 1, failed: 0, errors: [], models: [], timings: {} }) };
  },
};

function setup() {
  const media = new MemoryBlobStore();
  const results = new MemoryBlobStore();
  const services = createServices(
    readConfig({ MAAS_MODEL_CACHE_DIR: mkdtempSync(path.join(tmpdir(), "marquee-cache-")) }),
    { media, results, modelsBucket: new MemoryBlobStore() },
  );
  const upload = async (key: string) => {
    await media.put(key, "x");
    const info = await media.head(key);
    return { bucket: "media", key, etag: info?.etag ?? "", size: info?.size ?? 0 };
  };
  return { media, results, services, upload };
}

describe("the batch job lifecycle", () => {
  it("is queued before any upload is processed, then running, then completed; ignored keys are not counted", async () => {
    const { services, upload } = setup();
    const first = await upload("uploads/frames/j/a.jpg");
    await upload("uploads/frames/j/folder/");
    expect(await readJobSummary("j", services)).toMatchObject({
      status: "queued",
      uploads: { total: 1, processed: 0 },
    });
    const second = await upload("uploads/frames/j/b.jpg");
    await processSource(first, countingKind, services);
    expect(await readJobSummary("j", services)).toMatchObject({
      status: "running",
      uploads: { total: 2, processed: 1 },
    });
    await processSource(second, countingKind, services);
    expect(await readJobSummary("j", services)).toMatchObject({ status: "completed", counts: { ok: 2 } });
    expect(await readJobSummary("unknown", services)).toBeUndefined();
  });

  it("lets one delivery at a time process an upload, until its claim expires", async () => {
    const { results, services, upload } = setup();
    const item = await upload("uploads/frames/k/a.jpg");
    await putJson(results, "results/k/inflight/a.jpg.json", { etag: item.etag, until: Date.now() + 60_000 });
    await expect(processSource(item, countingKind, services)).rejects.toThrow(BusyError);
    await putJson(results, "results/k/inflight/a.jpg.json", { etag: item.etag, until: Date.now() - 1 });
    expect(await processSource(item, countingKind, services)).toBe("processed");
    expect(await results.head("results/k/inflight/a.jpg.json")).toBeUndefined();
  });

  it("drops message bodies that are not S3 events, without failing the batch", async () => {
    const logged: unknown[] = [];
    for (const body of [
      "not json",
      "null",
      "42",
      JSON.stringify({ Records: "nope" }),
      JSON.stringify({ Records: [{ eventName: "ObjectCreated:Put" }] }),
    ]) {
      expect(itemsFromSqsBody(body, (entry) => logged.push(entry))).toEqual([]);
    }
    expect(logged).toHaveLength(5);
    const response = await handleSqsBatch(
      { Records: [{ messageId: "m1", body: "{{{" }] } as never,
      async () => undefined,
      { log: () => undefined },
    );
    expect(response).toEqual({ batchItemFailures: [] });
  });

  it("re-enqueues exactly the uploads without a processed marker, as S3 events", async () => {
    const { services, upload } = setup();
    const done = await upload("uploads/frames/r/done.jpg");
    await upload("uploads/frames/r/missed one.jpg");
    await upload("uploads/text/r/reviews.csv");
    await processSource(done, countingKind, services);
    const sent: Array<{ trigger: string; body: string }> = [];
    setLocalQueues({ send: async (trigger, body) => void sent.push({ trigger, body }) });
    try {
      expect(await reprocessJob("r", services)).toEqual({
        job: "r",
        enqueued: 2,
        kinds: { frames: 1, text: 1 },
      });
      expect(sent.map((message) => message.trigger)).toEqual(["Frames", "Text"]);
      const record = JSON.parse(sent[0]?.body ?? "{}").Records[0];
      expect(record).toMatchObject({
        eventName: "ObjectCreated:Put",
        s3: { object: { key: "uploads/frames/r/missed+one.jpg" } },
      });
      await expect(reprocessJob("nothing", services)).rejects.toThrow('No uploads for job "nothing"');
    } finally {
      setLocalQueues(undefined);
    }
  });
});
