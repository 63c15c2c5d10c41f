/**
 * faces: detect faces (UltraFace) and read each one's expression (mini-Xception, 7 labels).
 *
 * Input: a JPEG, PNG or WebP image (`image`); options `{ minScore?, iouThreshold?, maxFaces?, emotions? }`;
 * `model` may name another face-detection or face-emotion model from the catalog.
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
import { decodeImage, syntheticJpeg } from "../../media/image.js";
import type { ModelEntry } from "../../model-store/catalog-types.js";
import { floatOutput } from "../../runtime/onnx-runtime.js";
import { bounded, modelRef, timingsShape, z } from "../../schema.js";
import { imageBody } from "../image-body.js";
import { chooseModels } from "../model-choice.js";
import { Timings } from "../timings.js";
import { defineTask, type Resolved, type TaskContext, type TaskResult } from "../types.js";
import { decodeDetections, readEmotions } from "./postprocess.js";
import { DETECTOR_HEIGHT, DETECTOR_WIDTH, detectorInput, EMOTION_SIZE, emotionInput } from "./preprocess.js";

export const facesOptions = z
  .strictObject({
    minScore: bounded(0, 1).default(0.7).describe("Minimum detector score"),
    iouThreshold: bounded(0, 1).default(0.3).describe("Non-maximum suppression overlap"),
    maxFaces: bounded(1, 500, { integer: true }).default(100),
    emotions: z.boolean({ error: "must be a boolean" }).default(true).describe("Read each face's expression"),
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

const defaultModels = {
  detector: "face-detection/ultraface-rfb-320",
  emotion: "face-emotion/mini-xception-fer2013",
} as const;

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

function emotionFeeds(entry: ModelEntry, data: Float32Array, count: number) {
  const name = entry.inputs[0]?.name ?? "input_1";
  return { [name]: { type: "float32" as const, data, dims: [count, EMOTION_SIZE, EMOTION_SIZE, 1] } };
}

function detectorFeeds(entry: ModelEntry, data: Float32Array) {
  const name = entry.inputs[0]?.name ?? "input";
  return { [name]: { type: "float32" as const, data, dims: [1, 3, DETECTOR_HEIGHT, DETECTOR_WIDTH] } };
}

async function models(model: string | undefined, context: TaskContext) {
  const { detector, emotion } = await chooseModels(defaultModels, model, context.models);
  if (!detector || !emotion) throw new Error("faces needs a detector and an emotion model");
  return { detector, emotion };
}

async function run(input: Resolved<FacesBody>, context: TaskContext): Promise<FacesResult> {
  const options = facesOptions.parse(input.options ?? {});
  const { detector, emotion } = await models(input.model, context);
  const { runtime, timings } = context;
  const image = await timings.measure("decode", () =>
    decodeImage(input.image, { maxPixels: context.limits.maxImagePixels }),
  );
  const detectorData = await timings.measure("preprocess", () => detectorInput(image));
  const detected = await timings.measure("inference", () =>
    runtime.run(detector, detectorFeeds(detector, detectorData)),
  );
  timings.modelMs += detected.modelMs;
  const detections = await timings.measure("postprocess", () =>
    decodeDetections(floatOutput(detected, "scores"), floatOutput(detected, "boxes"), {
      scoreThreshold: options.minScore,
      iouThreshold: options.iouThreshold,
      maxFaces: options.maxFaces,
      width: image.width,
      height: image.height,
    }),
  );
  const faces: Face[] = detections.map(({ box, score }) => ({
    box: {
      x: round(box.x1),
      y: round(box.y1),
      width: round(box.x2 - box.x1),
      height: round(box.y2 - box.y1),
    },
    score: round(score, 4),
  }));
  const used = [{ id: detector.id, version: detector.version }];
  if (options.emotions && detections.length > 0) {
    const boxes = detections.map((detection) => detection.box);
    const emotionData = await timings.measure("preprocess", () => emotionInput(image, boxes));
    const classified = await timings.measure("inference", () =>
      runtime.run(emotion, emotionFeeds(emotion, emotionData, boxes.length)),
    );
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
 * The whole path once on a synthetic photo (decode, resampling, detector), then the emotion model.
 * Both models' downloads, the WASM compile and the sample JPEG's encoding overlap.
 */
async function warm(context: TaskContext): Promise<void> {
  const { detector, emotion } = await models(undefined, context);
  const [image] = await Promise.all([
    syntheticJpeg(640, 480),
    context.runtime.session(detector),
    context.runtime.session(emotion),
  ]);
  await run({ image }, { ...context, timings: new Timings(), limits: { maxImagePixels: 640 * 480 } });
  const faceCrop = emotionInput(
    { data: new Uint8Array(48 * 48 * 3), width: 48, height: 48, format: "jpeg" },
    [{ x1: 0, y1: 0, x2: 48, y2: 48 }],
  );
  await context.runtime.run(emotion, emotionFeeds(emotion, faceCrop, 1));
}

export const facesTask = defineTask({
  id: "faces",
  description: "Detect faces and read each face's emotion (7 labels).",
  input: "image",
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
  run,
  warm,
});
