/**
 * text: on-screen text (subtitles, signs, credits), line by line, with PaddleOCR v4.
 *
 * Input: a JPEG, PNG or WebP image (`image`); options `{ minScore? (box score, 0.6), minConfidence?
 * (recognition, 0.5), maxLines? (100), margin? (0.5) }`. The detector sees the frame with its longest
 * side ≤ 960 px (both sides multiples of 32); each box found is cut out upright, `margin` × its height
 * longer at each end, and read by the recogniser. The margin departs from PaddleOCR's tight crop: at
 * 1080p the detector often stops short of a one-letter first word ("I never…"); with 0.5 the leading
 * "I" was read in 15 of 16 subtitle renderings (2 fonts × 4 sizes × dark/busy), with 0 in 11.
 *
 * Output example (a 1080p still with a burned-in subtitle):
 * { "lines": [{ "text": "I never said she stole my money", "confidence": 0.981,
 *               "box": [[634, 926], [1286, 926], [1286, 984], [634, 984]] }],
 *   "width": 1920, "height": 1080,
 *   "models": [{ "id": "ocr/ppocr-v4-det", "version": "1.0.0" }, { "id": "ocr/ppocr-v4-rec", "version": "1.0.0" }],
 *   "timings": { "decode": 14.2, "preprocess": 9.8, "inference": 160.3, "postprocess": 12.0 } }
 * Boxes are the four corners (top-left, top-right, bottom-right, bottom-left) in image pixels; lines
 * come in reading order: top to bottom, left to right within a row.
 */
import type { RgbImage } from "../../media/image.js";
import { syntheticJpeg } from "../../media/image.js";
import { bounded, modelRef, parseWith, timingsShape, z } from "../../schema.js";
import { perModel } from "../../text/model-files.js";
import { imageBody } from "../image-body.js";
import { type DecodedRequest, defineImageTask } from "../image-task.js";
import { chooseModels } from "../model-choice.js";
import { Timings } from "../timings.js";
import { resultEnvelope, type TaskContext, type TaskResult } from "../types.js";
import { detectText } from "./detect.js";
import { readingOrder } from "./reading-order.js";
import { cropQuad, recogniseLines, widen } from "./recognise.js";

export const textOptions = z
  .strictObject({
    minScore: bounded(0, 1).default(0.6).describe("Minimum mean detector probability inside a text box"),
    minConfidence: bounded(0, 1).default(0.5).describe("Minimum recognition confidence of a line"),
    maxLines: bounded(1, 1000, { integer: true }).default(100),
    margin: bounded(0, 2)
      .default(0.5)
      .describe("Context read beyond each end of a box, × its height (0: PaddleOCR's tight crop)"),
  })
  .meta({ id: "TextOptions" });

const body = imageBody(textOptions).meta({ id: "TextRequest" });
const point = z.tuple([z.number(), z.number()]);
const line = z.object({ text: z.string(), confidence: z.number(), box: z.array(point).length(4) });
const result = z
  .object({
    lines: z.array(line),
    width: z.int(),
    height: z.int(),
    models: z.array(modelRef),
    timings: timingsShape,
  })
  .meta({ id: "TextResponse" });

export type TextResult = z.output<typeof result> & TaskResult;

const defaultModels = { detector: "ocr/ppocr-v4-det", recogniser: "ocr/ppocr-v4-rec" } as const;

/** The recogniser's dictionary: one character per line (no trailing newline in the file). */
const dictionary = perModel(async (entry, models) => {
  const name = String(entry.postprocess.dictionary ?? "ppocr_keys_v1.txt");
  const lines = new TextDecoder().decode(await models.file(entry, name)).split("\n");
  return lines[lines.length - 1] === "" ? lines.slice(0, -1) : lines;
});

async function analyze(
  image: RgbImage,
  input: DecodedRequest<z.output<typeof body>>,
  context: TaskContext,
): Promise<TextResult> {
  const options = parseWith(textOptions, input.options ?? {}, "options");
  const { detector, recogniser } = await chooseModels(defaultModels, input.model, context.models);
  if (!detector || !recogniser) throw new Error("text needs a detector and a recogniser");
  const post = detector.postprocess as Record<string, number>;
  const boxes = await detectText(
    image,
    detector,
    {
      threshold: post.threshold ?? 0.3,
      boxScore: options.minScore,
      unclipRatio: post.unclipRatio ?? 1.5,
      maxSide: post.maxSide ?? 960,
      minSide: 3,
      maxCandidates: 1000,
    },
    context,
  );
  const ordered = readingOrder(boxes).slice(0, options.maxLines);
  const strips = await context.timings.measure("preprocess", () =>
    ordered.map((box) => cropQuad(image, widen(box.quad, options.margin, image))),
  );
  const keys = await dictionary(recogniser, context.models);
  const read = strips.length > 0 ? await recogniseLines(strips, recogniser, keys, context) : [];
  const round = (value: number) => Math.round(value * 1000) / 1000;
  const lines = ordered
    .map((box, index) => ({ ...(read[index] ?? { text: "", confidence: 0 }), box: box.quad }))
    .filter((entry) => entry.text.trim() !== "" && entry.confidence >= options.minConfidence)
    .map(({ text, confidence, box }) => ({
      text: text.trim(),
      confidence: round(confidence),
      box: box.map(([x, y]) => [x, y] as [number, number]),
    }));
  return {
    lines,
    width: image.width,
    height: image.height,
    ...resultEnvelope(context, [detector, recogniser]),
  };
}

export const textTask = defineImageTask({
  id: "text",
  description: "On-screen text (subtitles, signs, credits), line by line, in reading order.",
  body,
  result,
  defaultModels,
  example: {
    request: { image: "<base64 JPEG>", options: { minConfidence: 0.8 } },
    response: {
      lines: [
        {
          text: "I never said she stole my money",
          confidence: 0.981,
          box: [
            [634, 926],
            [1286, 926],
            [1286, 984],
            [634, 984],
          ],
        },
      ],
      width: 1920,
      height: 1080,
      models: [
        { id: defaultModels.detector, version: "1.0.0" },
        { id: defaultModels.recogniser, version: "1.0.0" },
      ],
      timings: { decode: 14.2, preprocess: 9.8, inference: 160.3, postprocess: 12.0 },
    },
  },
  analyze,
  /** Both sessions, a run of the whole path, and the recogniser on a blank line (a still has no text). */
  async warm(context) {
    const own = { ...context, timings: new Timings() };
    const image = await syntheticJpeg(320, 240);
    await textTask.run({ image }, own);
    const { recogniser } = await chooseModels(defaultModels, undefined, context.models);
    if (!recogniser) return;
    const blank: RgbImage = { data: new Uint8Array(320 * 48 * 3), width: 320, height: 48, format: "jpeg" };
    await recogniseLines([blank], recogniser, await dictionary(recogniser, context.models), own);
  },
});
