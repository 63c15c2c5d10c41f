/**
 * moderation: is an image safe for a general audience.
 *
 * Input: a JPEG, PNG or WebP image (`image`); options `{ thresholds? }`: per class, the score from which
 * the class flags the image (0–1). Defaults (NSFWJS's classes): Porn 0.5 and Hentai 0.5 (the model's own
 * decision point for explicit content), Sexy 0.7 (suggestive but not explicit: flagged only when the
 * model is fairly sure, as trailers and posters often come close); Drawing and Neutral never flag unless
 * a threshold is given for them. A class the model does not have is a 400.
 *
 * Output example (../shared/data/images/faces/2.jpg):
 * { "classes": [{ "label": "Drawing", "score": 0.004 }, { "label": "Hentai", "score": 0.001 },
 *               { "label": "Neutral", "score": 0.97 }, { "label": "Porn", "score": 0.004 },
 *               { "label": "Sexy", "score": 0.021 }],
 *   "safe": true, "flagged": [], "thresholds": { "Hentai": 0.5, "Porn": 0.5, "Sexy": 0.7 },
 *   "models": [{ "id": "moderation/nsfwjs-mobilenet-v2", "version": "1.0.0" }], "timings": { … } }
 */
import { InvalidInputError } from "../../errors.js";
import type { RgbImage } from "../../media/image.js";
import { syntheticJpeg } from "../../media/image.js";
import { bounded, modelRef, parseWith, timingsShape, z } from "../../schema.js";
import { imageBody } from "../image-body.js";
import { type DecodedRequest, defineImageTask } from "../image-task.js";
import { classify } from "../labels/classifier.js";
import { chooseModel } from "../model-choice.js";
import { Timings } from "../timings.js";
import { resultEnvelope, type TaskContext, type TaskResult } from "../types.js";

export const DEFAULT_THRESHOLDS: Readonly<Record<string, number>> = { Hentai: 0.5, Porn: 0.5, Sexy: 0.7 };

export const moderationOptions = z
  .strictObject({
    thresholds: z
      .record(z.string().min(1).max(100), bounded(0, 1))
      .optional()
      .describe("Per class, the score from which it flags the image; replaces that class's default"),
  })
  .meta({ id: "ModerationOptions" });

const body = imageBody(moderationOptions).meta({ id: "ModerationRequest" });
const scored = z.object({ label: z.string(), score: z.number() });
const result = z
  .object({
    classes: z.array(scored).describe("Every class of the model, in its order"),
    safe: z.boolean(),
    flagged: z.array(z.string()),
    thresholds: z.record(z.string(), z.number()).describe("The thresholds applied"),
    models: z.array(modelRef),
    timings: timingsShape,
  })
  .meta({ id: "ModerationResponse" });

export type ModerationResult = z.output<typeof result> & TaskResult;

const defaultModels = { classifier: "moderation/nsfwjs-mobilenet-v2" } as const;

/** The defaults of the classes the model has, with the request's thresholds over them. */
function effectiveThresholds(labels: readonly string[], requested: Record<string, number> = {}) {
  const unknown = Object.keys(requested).filter((label) => !labels.includes(label));
  if (unknown.length > 0) {
    throw new InvalidInputError(
      `options.thresholds: unknown class ${unknown.map((label) => `"${label}"`).join(", ")}; the model's classes are ${labels.join(", ")}`,
    );
  }
  const defaults = Object.entries(DEFAULT_THRESHOLDS).filter(([label]) => labels.includes(label));
  return { ...Object.fromEntries(defaults), ...requested };
}

async function analyze(
  image: RgbImage,
  input: DecodedRequest<z.output<typeof body>>,
  context: TaskContext,
): Promise<ModerationResult> {
  const options = parseWith(moderationOptions, input.options ?? {}, "options");
  const entry = await chooseModel(defaultModels.classifier, input.model, context.models);
  const classes = await classify(image, entry, context);
  const thresholds = effectiveThresholds(
    classes.map((entry_) => entry_.label),
    options.thresholds,
  );
  const flagged = classes
    .filter(({ label, score }) => thresholds[label] !== undefined && score >= (thresholds[label] as number))
    .map(({ label }) => label);
  const round = (score: number) => Math.round(score * 1e6) / 1e6;
  return {
    classes: classes.map(({ label, score }) => ({ label, score: round(score) })),
    safe: flagged.length === 0,
    flagged,
    thresholds,
    ...resultEnvelope(context, [entry]),
  };
}

export const moderationTask = defineImageTask({
  id: "moderation",
  description: "Per-class moderation scores (Drawing, Hentai, Neutral, Porn, Sexy) and a safe verdict.",
  body,
  result,
  defaultModels,
  example: {
    request: { image: "<base64 JPEG>", options: { thresholds: { Sexy: 0.5 } } },
    response: {
      classes: [
        { label: "Drawing", score: 0.004 },
        { label: "Hentai", score: 0.001 },
        { label: "Neutral", score: 0.97 },
        { label: "Porn", score: 0.004 },
        { label: "Sexy", score: 0.021 },
      ],
      safe: true,
      flagged: [],
      thresholds: { Hentai: 0.5, Porn: 0.5, Sexy: 0.5 },
      models: [{ id: defaultModels.classifier, version: "1.0.0" }],
      timings: { decode: 3.9, preprocess: 1.2, inference: 70.0, postprocess: 0.1 },
    },
  },
  analyze,
  async warm(context) {
    const image = await syntheticJpeg(320, 240);
    await moderationTask.run({ image }, { ...context, timings: new Timings() });
  },
});
