import { DeadlineError, processSource } from "@marquee/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CHUNK_ROWS } from "../../../../packages/core/src/batch/kinds/row-chunks.js";
import { textKind } from "../../../../packages/core/src/batch/kinds/text.js";
import { imdbReviews } from "../../../support/reviews.js";
import { memoryServices } from "../../../support/services.js";
import { hasShared } from "../../../support/shared.js";

const csvField = (text: string) => `"${text.replace(/"/g, '""')}"`;

describe.skipIf(!hasShared)("the text batch kind", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("stops at the deadline between chunks and the retry completes without repeating or losing rows", async () => {
    const { services, media, results } = await memoryServices(["sentiment/fasttext-amazon-polarity"]);
    const reviews = imdbReviews().slice(0, CHUNK_ROWS * 2 + 100);
    const csv = [
      "id,text",
      ...reviews.map((review) => `${review.id},${csvField(review.text.slice(0, 300))}`),
    ].join("\n");
    const key = "uploads/text/resume/reviews.csv";
    await media.put(key, csv);
    const info = await media.head(key);
    const item = { bucket: "media", key, etag: info?.etag ?? "", size: info?.size ?? 0 };

    vi.useFakeTimers({ toFake: ["Date"] });
    const put = results.put.bind(results);
    const partWrites: string[] = [];
    results.put = async (name, body, options) => {
      if (name.includes("/parts/")) {
        partWrites.push(name);
        vi.setSystemTime(Date.now() + 60_000);
      }
      return put(name, body, options);
    };
    await expect(processSource(item, textKind, services, Date.now() + 30_000)).rejects.toThrow(DeadlineError);
    expect(partWrites).toHaveLength(1);
    expect(await results.get("results/resume/sentiment.jsonl")).toBeUndefined();

    expect(await processSource(item, textKind, services)).toBe("processed");
    expect(partWrites).toHaveLength(3);
    expect(new Set(partWrites).size).toBe(3);
    const lines = new TextDecoder()
      .decode((await results.get("results/resume/sentiment.jsonl"))?.bytes)
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { index: number; id: string; label: string });
    expect(lines.map((line) => line.id)).toEqual(reviews.map((review) => review.id));
    expect(lines.map((line) => line.index)).toEqual(reviews.map((_, index) => index));
    expect(await processSource(item, textKind, services)).toBe("duplicate");
    await expect(media.get(key)).resolves.toMatchObject({ size: info?.size });
  }, 120_000);

  it("records a file that is not CSV or JSONL, or has no text column, as one error", async () => {
    const { services, media, results } = await memoryServices(["sentiment/fasttext-amazon-polarity"]);
    for (const [name, body] of [
      ["notes.txt", "hello"],
      ["wrong.csv", "id,comment\n1,great"],
    ] as const) {
      const key = `uploads/text/bad/${name}`;
      await media.put(key, body);
      const info = await media.head(key);
      await processSource(
        { bucket: "media", key, etag: info?.etag ?? "", size: info?.size ?? 0 },
        textKind,
        services,
      );
    }
    const job = JSON.parse(new TextDecoder().decode((await results.get("results/bad/job.json"))?.bytes));
    expect(job).toMatchObject({ status: "failed", counts: { total: 2, ok: 0, failed: 2 } });
    expect(job.errors.map((error: { item: string }) => error.item).sort()).toEqual([
      "notes.txt",
      "wrong.csv",
    ]);
  });
});
