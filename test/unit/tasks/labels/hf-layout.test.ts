import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { registerModelFolder, runTask, type Services } from "@marquee/core";
import { labelsTask } from "@marquee/core/tasks/labels";
import { beforeAll, describe, expect, it } from "vitest";
import { hfImageClassifier } from "../../../../packages/core/src/media/hf-image-config.js";
import { readLabels } from "../../../../packages/core/src/tasks/labels/classifier.js";
import { hasPhotos, labelledPhotos, photoBytes } from "../../../support/photos.js";
import { memoryServices } from "../../../support/services.js";
import { hasShared, modelMirror } from "../../../support/shared.js";

const V2 = "image-classification/mobilenetv2-12-int8";
const HF = "image-classification/mobilenetv2-hf-layout";

/** mobilenetv2-12-int8 laid out as a Hugging Face image-classification export of the same recipe. */
function hfFolder(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "marquee-hf-image-"));
  const labels = readLabels(readFileSync(path.join(modelMirror, V2, "labels.txt"), "utf8"));
  writeFileSync(
    path.join(dir, "config.json"),
    JSON.stringify({ id2label: Object.fromEntries(labels.map((label, index) => [String(index), label])) }),
  );
  writeFileSync(
    path.join(dir, "preprocessor_config.json"),
    JSON.stringify({
      image_processor_type: "ConvNextImageProcessor",
      size: { shortest_edge: 224 },
      crop_pct: 0.875,
      resample: 2,
      do_rescale: true,
      rescale_factor: 1 / 255,
      do_normalize: true,
      image_mean: [0.485, 0.456, 0.406],
      image_std: [0.229, 0.224, 0.225],
    }),
  );
  mkdirSync(path.join(dir, "onnx"));
  copyFileSync(path.join(modelMirror, V2, "model.onnx"), path.join(dir, "onnx", "model.onnx"));
  return dir;
}

describe("Hugging Face preprocessor configs as recipes", () => {
  const labels = JSON.stringify({ id2label: { 1: "b", 0: "a" } });
  it("reads shortest_edge + crop_pct as torchvision's resize-then-crop, and id2label in index order", () => {
    const config = JSON.stringify({ size: { shortest_edge: 224 }, crop_pct: 0.875, resample: 3 });
    expect(hfImageClassifier(config, labels, "m")).toEqual({
      recipe: expect.objectContaining({
        resize: "crop",
        shorter: 256,
        width: 224,
        height: 224,
        filter: "bicubic",
      }),
      labels: ["a", "b"],
    });
  });
  it("reads a fixed size as a stretch, crop_size after shortest_edge as a crop, defaults as transformers'", () => {
    const vit = hfImageClassifier(JSON.stringify({ size: { height: 384, width: 384 } }), labels, "m").recipe;
    expect(vit).toMatchObject({ resize: "stretch", width: 384, filter: "bilinear", mean: [0.5, 0.5, 0.5] });
    const mobile = JSON.stringify({ size: { shortest_edge: 256 }, crop_size: { height: 224, width: 224 } });
    expect(hfImageClassifier(mobile, labels, "m").recipe).toMatchObject({ shorter: 256, width: 224 });
  });
  it("refuses what it cannot reproduce faithfully, naming the model and field", () => {
    const nearest = JSON.stringify({ size: { height: 224, width: 224 }, resample: 0 });
    expect(() => hfImageClassifier(nearest, labels, "org/m")).toThrow(/org\/m: resample 0/);
    const cropAfterFixed = JSON.stringify({
      size: { height: 256, width: 256 },
      do_center_crop: true,
      crop_size: 224,
    });
    expect(() => hfImageClassifier(cropAfterFixed, labels, "m")).toThrow(/centre crop/);
    expect(() => hfImageClassifier(JSON.stringify({ size: {} }), labels, "m")).toThrow(/preprocessor_config/);
  });
});

describe.skipIf(!hasShared || !hasPhotos)("a Hugging Face image-classification folder, registered", () => {
  let services: Services;
  beforeAll(async () => {
    const memory = await memoryServices([V2]);
    services = memory.services;
    await registerModelFolder(hfFolder(), { id: HF, format: "hf-image-classification" }, memory.modelsBucket);
  });

  it("gives the same top-5 labels and scores as the catalog entry it was laid out from", async () => {
    for (const photo of labelledPhotos) {
      const image = { kind: "inline" as const, bytes: photoBytes(photo.file) };
      const catalog = await runTask(labelsTask, { image }, services);
      const hf = await runTask(labelsTask, { image, model: HF }, services);
      expect(hf.models[0]).toMatchObject({ id: HF, version: expect.stringMatching(/^[0-9a-f]{12}$/) });
      expect(hf.labels).toEqual(catalog.labels);
    }
  });
});
