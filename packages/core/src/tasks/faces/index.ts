/**
 * faces: detect faces (UltraFace) and read each one's expression (mini-Xception, 7 labels).
 *
 * Input: a JPEG, PNG or WebP image (`image`); options `{ minScore?, iouThreshold?, maxFaces?, emotions?,
 * detector?, hdMinSide?, tiledMinSide? }`; `model` may name another face-detection or face-emotion model.
 * Detector `auto` (default) goes by the frame's longer side: RFB-320 below `hdMinSide` (1,280: photos up to
 * 1,024 pixels), RFB-640 from there (720p/1080p frames), tiled RFB-640 (2×2 or more overlapping tiles plus
 * a whole-frame pass, merged by NMS) from `tiledMinSide` (3,200: 4K); `standard`, `hd` and `tiled` force one. A named detector model is used
 * alone, on the whole frame.
 *
 * Output example (../shared/data/images/faces/2.jpg, abridged):
 * {
 *   "faces": [{ "box": { "x": 98, "y": 76, "width": 94, "height": 119 }, "score": 0.9998,
 *               "emotions": { "angry": 0.01, "happy": 0.93, ... }, "dominant": "happy" }, ...],
 *   "width": 1024, "height": 484,
 *   "models": [{ "id": "face-detection/ultraface-rfb-320", "version": "1.0.0" }, ...],
 *   "timings": { "decode": 9.1, "preprocess": 3.2, "inference": 41.0, "postprocess": 0.4 }
 * }
 */

import type { RgbImage } from "../../media/image.js";
import { syntheticJpeg } from "../../media/image.js";
import type { ModelEntry } from "../../model-store/catalog-types.js";
import { floatOutput } from "../../runtime/onnx-runtime.js";
import { bounded, modelRef, timingsShape, z } from "../../schema.js";
import { imageBody } from "../image-body.js";
import { type DecodedRequest, defineImageTask } from "../image-task.js";
import { chooseModels } from "../model-choice.js";
import { Timings } from "../timings.js";
import type { TaskContext, TaskResult } from "../types.js";
import { autoGrid, detectFaces, type TileGrid } from "./detect.js";
import { readEmotions } from "./postprocess.js";
import { emotionFeeds } from "./preprocess.js";

export const facesOptions = z
  .strictObject({
    minScore: bounded(0, 1).default(0.7).describe("Minimum detector score"),
    iouThreshold: bounded(0, 1).default(0.3).describe("Non-maximum suppression overlap"),
    maxFaces: bounded(1, 500, { integer: true }).default(100),
    emotions: z.boolean({ error: "must be a boolean" }).default(true).describe("Read each face's expression"),
    detector: z
      .enum(["auto", "standard", "hd", "tiled"], { error: "must be auto, standard, hd or tiled" })
      .default("auto")
      .describe("Detector by frame size (auto), RFB-320 (standard), RFB-640 (hd), or tiled RFB-640"),
    hdMinSide: bounded(1, 100_000, { integer: true })
      .default(1280)
      .describe("With detector auto: frames whose longer side is at least this use the HD detector"),
    tiledMinSide: bounded(1, 100_000, { integer: true })
      .default(3200)
      .describe("With detector auto: frames whose longer side is at least this use tiles"),
  })
  .meta({ id: "FacesOptions" });

const body = imageBody(facesOptions).meta({ id: "FacesRequest" });
type FacesBody = z.output<typeof body>;

const box = z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() });
const face = z.object({
  box,
  score: z.number(),
  emotions: z.record(z.string(), z.number()).optional(),
  dominant: z.string().optional(),
});
const result = z
  .object({
    faces: z.array(face),
    width: z.int(),
    height: z.int(),
    models: z.array(modelRef),
    timings: timingsShape,
  })
  .meta({ id: "FacesResponse" });

export type Face = z.output<typeof face>;
export type FacesResult = z.output<typeof result> & TaskResult;
export type FacesOptions = z.output<typeof facesOptions>;

const defaultModels = {
  detector: "face-detection/ultraface-rfb-320",
  hdDetector: "face-detection/ultraface-rfb-640",
  emotion: "face-emotion/mini-xception-fer2013",
} as const;

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

interface DetectorPlan {
  detector: ModelEntry;
  grid?: TileGrid;
}

async function plan(
  image: RgbImage,
  model: string | undefined,
  options: FacesOptions,
  context: TaskContext,
): Promise<{ detection: DetectorPlan; emotion: ModelEntry }> {
  const chosen = await chooseModels(defaultModels, model, context.models);
  const { detector, hdDetector, emotion } = chosen;
  if (!detector || !hdDetector || !emotion) throw new Error("faces needs detectors and an emotion model");
  const named = model !== undefined && detector.id === model;
  if (named) return { detection: { detector }, emotion };
  const side = Math.max(image.width, image.height);
  const mode =
    options.detector !== "auto"
      ? options.detector
      : side >= options.tiledMinSide
        ? "tiled"
        : side >= options.hdMinSide
          ? "hd"
          : "standard";
  if (mode === "standard") return { detection: { detector }, emotion };
  if (mode === "hd") return { detection: { detector: hdDetector }, emotion };
  return {
    detection: { detector: hdDetector, grid: autoGrid(image.width, image.height, hdDetector) },
    emotion,
  };
}

async function analyze(
  image: RgbImage,
  input: DecodedRequest<FacesBody>,
  context: TaskContext,
): Promise<FacesResult> {
  const options = facesOptions.parse(input.options ?? {});
  const { detection, emotion } = await plan(image, input.model, options, context);
  const { runtime, timings } = context;
  const detections = await detectFaces(image, detection.detector, options, context, detection.grid);
  const faces: Face[] = detections.map(({ box, score }) => ({
    box: {
      x: round(box.x1),
      y: round(box.y1),
      width: round(box.x2 - box.x1),
      height: round(box.y2 - box.y1),
    },
    score: round(score, 4),
  }));
  const used = [{ id: detection.detector.id, version: detection.detector.version }];
  if (options.emotions && detections.length > 0) {
    const boxes = detections.map((detected) => detected.box);
    const feeds = await timings.measure("preprocess", () => emotionFeeds(emotion, image, boxes));
    const classified = await timings.measure("inference", () => runtime.run(emotion, feeds));
    timings.modelMs += classified.modelMs;
    const read = await timings.measure("postprocess", () =>
      readEmotions(floatOutput(classified), emotion.labels, boxes.length),
    );
    read.forEach((emotions, index) => {
      Object.assign(faces[index] ?? {}, emotions);
    });
  }
  if (options.emotions) used.push({ id: emotion.id, version: emotion.version });
  return {
    faces,
    width: image.width,
    height: image.height,
    models: used,
    timings: timings.toJSON(),
    modelMs: timings.modelMs,
  };
}

/**
 * The whole path once on a synthetic photo (decode, resampling, detector), then the emotion model and
 * the HD detector. The models' downloads, the WASM compile and the sample JPEG's encoding overlap.
 */
async function warm(context: TaskContext): Promise<void> {
  const chosen = await chooseModels(defaultModels, undefined, context.models);
  const { detector, hdDetector, emotion } = chosen as Record<keyof typeof defaultModels, ModelEntry>;
  const [image] = await Promise.all([
    syntheticJpeg(640, 480),
    context.runtime.session(detector),
    context.runtime.session(emotion),
    context.runtime.session(hdDetector),
  ]);
  const warmContext = { ...context, timings: new Timings(), limits: { maxImagePixels: 640 * 480 } };
  await facesTask.run({ image }, warmContext);
  const crop: RgbImage = { data: new Uint8Array(48 * 48 * 3), width: 48, height: 48, format: "jpeg" };
  await context.runtime.run(emotion, emotionFeeds(emotion, crop, [{ x1: 0, y1: 0, x2: 48, y2: 48 }]));
  const hdOnly = facesOptions.parse({ detector: "hd", emotions: false });
  await facesTask.run({ image, options: hdOnly }, warmContext);
}

export const facesTask = defineImageTask({
  id: "faces",
  description: "Detect faces and read each face's emotion (7 labels).",
  body,
  result,
  defaultModels,
  example: {
    request: { image: "<base64 JPEG>", options: { minScore: 0.8, emotions: true } },
    response: {
      faces: [
        {
          box: { x: 136.2, y: 108.9, width: 87.8, height: 139.3 },
          score: 0.9977,
          emotions: {
            angry: 0.0013,
            disgust: 0,
            fear: 0.0002,
            happy: 0.9923,
            sad: 0,
            surprise: 0.0044,
            neutral: 0.0017,
          },
          dominant: "happy",
        },
      ],
      width: 1024,
      height: 484,
      models: [
        { id: "face-detection/ultraface-rfb-320", version: "1.0.0" },
        { id: "face-emotion/mini-xception-fer2013", version: "1.0.0" },
      ],
      timings: { decode: 4.1, preprocess: 2.6, inference: 30.5, postprocess: 0.3 },
    },
  },
  analyze,
  warm,
});
