/**
 * labels: what is in a frame, as ImageNet-1k classes.
 *
 * Input: a JPEG, PNG or WebP image (`image`); options `{ topK? }` (1–50, default 5); `model` may name the
 * other catalog classifier (`image-classification/mobilenet-v1-0.75-224`) or a registered Hugging Face
 * image-classification folder. Default: mobilenetv2-12-int8 (see the README for the two models' top-1
 * agreement and ms on this runtime).
 *
 * Output example (Debian darknet's dog.jpg, abridged):
 * { "labels": [{ "label": "malamute", "score": 0.41 }, { "label": "Siberian husky", "score": 0.22 }, …],
 *   "models": [{ "id": "image-classification/mobilenetv2-12-int8", "version": "1.0.0" }],
 *   "timings": { "decode": 3.9, "preprocess": 2.1, "inference": 62.0, "postprocess": 0.2 } }
 */
import type { RgbImage } from "../../media/image.js";
import { syntheticJpeg } from "../../media/image.js";
import { bounded, modelRef, parseWith, timingsShape, z } from "../../schema.js";
import { imageBody } from "../image-body.js";
import { type DecodedRequest, defineImageTask } from "../image-task.js";
import { chooseModel } from "../model-choice.js";
import { Timings } from "../timings.js";
import { resultEnvelope, type TaskContext, type TaskResult } from "../types.js";
import { classify, topK } from "./classifier.js";

export const labelsOptions = z
  .strictObject({
    topK: bounded(1, 50, { integer: true }).default(5).describe("How many labels, best first"),
  })
  .meta({ id: "LabelsOptions" });

const body = imageBody(labelsOptions).meta({ id: "LabelsRequest" });
const scored = z.object({ label: z.string(), score: z.number() });
const result = z
  .object({ labels: z.array(scored), models: z.array(modelRef), timings: timingsShape })
  .meta({ id: "LabelsResponse" });

export type LabelsResult = z.output<typeof result> & TaskResult;

const defaultModels = { classifier: "image-classification/mobilenetv2-12-int8" } as const;

async function analyze(
  image: RgbImage,
  input: DecodedRequest<z.output<typeof body>>,
  context: TaskContext,
): Promise<LabelsResult> {
  const options = parseWith(labelsOptions, input.options ?? {}, "options");
  const entry = await chooseModel(defaultModels.classifier, input.model, context.models);
  const all = await classify(image, entry, context);
  const round = (score: number) => Math.round(score * 1e6) / 1e6;
  return {
    labels: topK(all, options.topK).map(({ label, score }) => ({ label, score: round(score) })),
    ...resultEnvelope(context, [entry]),
  };
}

export const labelsTask = defineImageTask({
  id: "labels",
  description: "ImageNet-1k labels of an image, best first.",
  body,
  result,
  defaultModels,
  example: {
    request: { image: "<base64 JPEG>", options: { topK: 3 } },
    response: {
      labels: [
        { label: "malamute", score: 0.41 },
        { label: "Siberian husky", score: 0.22 },
        { label: "Eskimo dog", score: 0.18 },
      ],
      models: [{ id: defaultModels.classifier, version: "1.0.0" }],
      timings: { decode: 3.9, preprocess: 2.1, inference: 62.0, postprocess: 0.2 },
    },
  },
  analyze,
  async warm(context) {
    const image = await syntheticJpeg(320, 240);
    await labelsTask.run({ image }, { ...context, timings: new Timings() });
  },
});
