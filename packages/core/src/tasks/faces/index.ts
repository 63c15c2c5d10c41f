/**
 * faces: detect faces (UltraFace) and read each one's expression (mini-Xception, 7 labels).
 *
 * Input: a JPEG, PNG or WebP image; options `{ minScore?, iouThreshold?, maxFaces?, emotions? }`;
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
import type { OnnxRuntime } from "../../runtime/onnx-runtime.js";
import { chooseModels } from "../model-choice.js";
import { parseOptions } from "../options.js";
import { Timings } from "../timings.js";
import type { Task, TaskContext, TaskInput, TaskResult } from "../types.js";
import { decodeDetections, readEmotions } from "./postprocess.js";
import { DETECTOR_HEIGHT, DETECTOR_WIDTH, detectorInput, EMOTION_SIZE, emotionInput } from "./preprocess.js";

export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Face {
  box: FaceBox;
  score: number;
  emotions?: Record<string, number>;
  dominant?: string;
}

export interface FacesResult extends TaskResult {
  faces: Face[];
  width: number;
  height: number;
}

const defaults = { minScore: 0.7, iouThreshold: 0.3, maxFaces: 100, emotions: true };
type FacesOptions = typeof defaults;

const optionSpec = {
  minScore: { type: "number", min: 0, max: 1 },
  iouThreshold: { type: "number", min: 0, max: 1 },
  maxFaces: { type: "number", min: 1, max: 500, integer: true },
  emotions: { type: "boolean" },
} as const;

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

function validate(input: TaskInput): { options: FacesOptions; detector: ModelEntry; emotion: ModelEntry } {
  const options = parseOptions<FacesOptions>(input.options, optionSpec, defaults);
  const { detector, emotion } = chooseModels(defaultModels, input.model);
  if (!detector || !emotion) throw new Error("faces needs a detector and an emotion model");
  return { options, detector, emotion };
}

async function run(input: TaskInput, context: TaskContext): Promise<FacesResult> {
  const { options, detector, emotion } = validate(input);
  const { runtime, timings } = context;
  const image = await timings.measure("decode", () =>
    decodeImage(input.bytes, { maxPixels: context.maxImagePixels }),
  );
  const detectorData = await timings.measure("preprocess", () => detectorInput(image));
  const detected = await timings.measure("inference", () =>
    runtime.run(detector, detectorFeeds(detector, detectorData)),
  );
  timings.modelMs += detected.modelMs;
  const detections = await timings.measure("postprocess", () =>
    decodeDetections(
      detected.outputs.scores?.data ?? new Float32Array(),
      detected.outputs.boxes?.data ?? new Float32Array(),
      {
        scoreThreshold: options.minScore,
        iouThreshold: options.iouThreshold,
        maxFaces: options.maxFaces,
        width: image.width,
        height: image.height,
      },
    ),
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
  const models = [{ id: detector.id, version: detector.version }];
  if (options.emotions && detections.length > 0) {
    const boxes = detections.map((detection) => detection.box);
    const emotionData = await timings.measure("preprocess", () => emotionInput(image, boxes));
    const classified = await timings.measure("inference", () =>
      runtime.run(emotion, emotionFeeds(emotion, emotionData, boxes.length)),
    );
    timings.modelMs += classified.modelMs;
    const predictions = Object.values(classified.outputs)[0]?.data ?? new Float32Array();
    const read = await timings.measure("postprocess", () =>
      readEmotions(predictions, emotion.labels, boxes.length),
    );
    read.forEach((result, index) => {
      Object.assign(faces[index] ?? {}, result);
    });
  }
  if (options.emotions) models.push({ id: emotion.id, version: emotion.version });
  return {
    faces,
    width: image.width,
    height: image.height,
    models,
    timings: timings.toJSON(),
    modelMs: timings.modelMs,
  };
}

/**
 * The whole path once on a synthetic photo (decode, resampling, detector), then the emotion model.
 * Both models' downloads, the WASM compile and the sample JPEG's encoding overlap.
 */
async function warm(runtime: OnnxRuntime): Promise<void> {
  const { detector, emotion } = validate({ bytes: new Uint8Array(), model: undefined, options: undefined });
  const [bytes] = await Promise.all([
    syntheticJpeg(640, 480),
    runtime.session(detector),
    runtime.session(emotion),
  ]);
  await run(
    { bytes, model: undefined, options: undefined },
    { runtime, timings: new Timings(), maxImagePixels: 640 * 480 },
  );
  const faceCrop = emotionInput(
    { data: new Uint8Array(48 * 48 * 3), width: 48, height: 48, format: "jpeg" },
    [{ x1: 0, y1: 0, x2: 48, y2: 48 }],
  );
  await runtime.run(emotion, emotionFeeds(emotion, faceCrop, 1));
}

export const facesTask: Task<FacesResult> = Object.freeze({
  id: "faces",
  description: "Detect faces and read each face's emotion (7 labels).",
  defaultModels,
  validate: (input: TaskInput) => void validate(input),
  run,
  warm,
});
