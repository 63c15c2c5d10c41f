import { InvalidInputError, runTask, type Services } from "@marquee/core";
import { moderationTask } from "@marquee/core/tasks/moderation";
import { beforeAll, describe, expect, it } from "vitest";
import { hasPhotos, labelledPhotos, photoBytes } from "../../../support/photos.js";
import { memoryServices } from "../../../support/services.js";
import { facePhoto, hasShared } from "../../../support/shared.js";

const NSFW = "moderation/nsfwjs-mobilenet-v2";
const inline = (bytes: Uint8Array) => ({ kind: "inline" as const, bytes });

describe.skipIf(!hasShared || !hasPhotos)("moderation on real photos", () => {
  let services: Services;
  beforeAll(async () => {
    ({ services } = await memoryServices([NSFW]));
  });

  it("calls the labelled photos and 2.jpg safe, with all five classes summing to 1", async () => {
    for (const bytes of [...labelledPhotos.map((photo) => photoBytes(photo.file)), facePhoto("2.jpg")]) {
      const result = await runTask(moderationTask, { image: inline(bytes) }, services);
      expect(result.classes.map((entry) => entry.label)).toEqual([
        "Drawing",
        "Hentai",
        "Neutral",
        "Porn",
        "Sexy",
      ]);
      expect(result.classes.reduce((sum, entry) => sum + entry.score, 0)).toBeCloseTo(1, 4);
      expect(result).toMatchObject({
        safe: true,
        flagged: [],
        thresholds: { Hentai: 0.5, Porn: 0.5, Sexy: 0.7 },
      });
      expect(result.models).toEqual([{ id: NSFW, version: "1.0.0" }]);
    }
  });

  it("applies the request's thresholds over the defaults, for any class of the model", async () => {
    const image = inline(facePhoto("2.jpg"));
    const strict = await runTask(moderationTask, { image, options: { thresholds: { Sexy: 0 } } }, services);
    expect(strict).toMatchObject({ safe: false, flagged: ["Sexy"] });
    expect(strict.thresholds).toEqual({ Hentai: 0.5, Porn: 0.5, Sexy: 0 });
    const neutral = await runTask(
      moderationTask,
      { image, options: { thresholds: { Neutral: 0.01 } } },
      services,
    );
    expect(neutral.flagged).toEqual(["Neutral"]);
    const relaxed = await runTask(moderationTask, { image, options: { thresholds: { Porn: 1 } } }, services);
    expect(relaxed.safe).toBe(true);
  });

  it("refuses thresholds outside 0–1 and classes the model does not have, naming them", async () => {
    const image = inline(facePhoto("2.jpg"));
    for (const thresholds of [{ Porn: 2 }, { Porn: -0.1 }, { Porn: "high" }]) {
      await expect(
        runTask(moderationTask, { image, options: { thresholds } } as never, services),
      ).rejects.toThrow(InvalidInputError);
    }
    await expect(
      runTask(moderationTask, { image, options: { thresholds: { Violence: 0.5 } } }, services),
    ).rejects.toThrow(/unknown class "Violence".*Drawing, Hentai, Neutral, Porn, Sexy/);
  });
});
