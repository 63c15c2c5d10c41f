import { runTask, type Services } from "@marquee/core";
import { textTask } from "@marquee/core/tasks/text";
import { beforeAll, describe, expect, it } from "vitest";
import { SUBTITLE, subtitleFrame } from "../../../support/ocr-frames.js";
import { memoryServices } from "../../../support/services.js";
import { facePhoto, hasShared } from "../../../support/shared.js";

const inline = (bytes: Uint8Array) => ({ kind: "inline" as const, bytes });

describe.skipIf(!hasShared)("on-screen text with PaddleOCR v4 (models from the npm package)", () => {
  let services: Services;
  beforeAll(async () => {
    ({ services } = await memoryServices(["ocr/ppocr-v4-det", "ocr/ppocr-v4-rec"]));
  });

  it("reads the burned-in subtitle exactly, on a dark still and on a busy photo, boxed where it is", async () => {
    for (const kind of ["dark", "busy"] as const) {
      const result = await runTask(textTask, { image: inline(await subtitleFrame(kind)) }, services);
      const line = result.lines.find((entry) => entry.text === SUBTITLE);
      expect(line, `${kind}: ${JSON.stringify(result.lines.map((entry) => entry.text))}`).toBeDefined();
      const ys = line?.box.map(([, y]) => y) ?? [];
      expect(Math.min(...ys)).toBeGreaterThan(900);
      expect(Math.max(...ys)).toBeLessThan(1000);
      expect(line?.confidence).toBeGreaterThan(0.9);
      expect(result.models.map((model) => model.id)).toEqual(["ocr/ppocr-v4-det", "ocr/ppocr-v4-rec"]);
    }
  });

  it("returns two subtitle lines in reading order, and nothing for a photo without text", async () => {
    const twoLines = ["Where were you last night?", SUBTITLE];
    const result = await runTask(
      textTask,
      { image: inline(await subtitleFrame("dark", twoLines)) },
      services,
    );
    const subtitles = result.lines.filter((line) => (line.box[0]?.[1] ?? 0) > 800).map((line) => line.text);
    expect(subtitles).toEqual(twoLines);
    const none = await runTask(textTask, { image: inline(facePhoto("2.jpg")) }, services);
    expect(none.lines).toEqual([]);
  });

  it("keeps no more than maxLines and refuses options out of range", async () => {
    const image = inline(await subtitleFrame("dark"));
    const one = await runTask(textTask, { image, options: { maxLines: 1 } } as never, services);
    expect(one.lines.length).toBeLessThanOrEqual(1);
    await expect(runTask(textTask, { image, options: { minScore: 2 } } as never, services)).rejects.toThrow(
      /options.minScore/,
    );
  });
});
