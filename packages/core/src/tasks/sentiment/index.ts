/**
 * sentiment: the polarity of each of 1–256 texts (reviews).
 *
 * Input: `{ texts: ["…"], model? }`. Models: `sentiment/fasttext-amazon-polarity` (default; fastText
 * word + hashed bigram ids) or any Hugging Face BERT-family classifier registered with `models:add`
 * (WordPiece/BPE through tokenizer.json; texts longer than the context are split into overlapping
 * windows whose probabilities are averaged). Texts run as padded batches sorted by length.
 *
 * Output example:
 * { "results": [{ "label": "positive", "scores": { "positive": 0.9731, "negative": 0.0269 } }],
 *   "models": [{ "id": "sentiment/fasttext-amazon-polarity", "version": "1.0.0" }],
 *   "timings": { "decode": 0, "preprocess": 0.7, "inference": 0.4, "postprocess": 0.05 } }
 */
import { modelId, modelRef, requestBody, textList, timingsShape, z } from "../../schema.js";
import { chooseModel } from "../model-choice.js";
import { Timings } from "../timings.js";
import { defineTask, resultEnvelope, type TaskContext, type TaskResult } from "../types.js";
import { probabilitiesOf } from "./probabilities.js";

export const MAX_TEXTS = 256;
export const MAX_TEXT_CHARS = 100_000;
const DEFAULT_MODEL = "sentiment/fasttext-amazon-polarity";

const body = requestBody({
  texts: textList(MAX_TEXTS, MAX_TEXT_CHARS).describe("1-256 texts, each at most 100,000 characters"),
  model: modelId.optional(),
}).meta({ id: "SentimentRequest" });

const prediction = z.object({
  label: z.string().describe("The most likely label"),
  scores: z.record(z.string(), z.number()).describe("Probability per label"),
});
const result = z
  .object({ results: z.array(prediction), models: z.array(modelRef), timings: timingsShape })
  .meta({ id: "SentimentResponse" });

export type Prediction = z.output<typeof prediction>;
export type SentimentResult = z.output<typeof result> & TaskResult;

const round = (value: number) => Math.round(value * 1e6) / 1e6;

/** The model a trained sentiment job publishes by default; its `default` alias is what is served. */
export const TRAINED_SENTIMENT_MODEL = "sentiment/reviews";

/** The requested model; else the promoted trained model (or what its alias was rolled back to); else fastText. */
async function modelFor(requested: string | undefined, context: TaskContext) {
  if (requested !== undefined) return chooseModel(DEFAULT_MODEL, requested, context.models);
  const promoted = await context.models.promoted?.(TRAINED_SENTIMENT_MODEL);
  return promoted ?? chooseModel(DEFAULT_MODEL, undefined, context.models);
}

async function run(input: z.output<typeof body>, context: TaskContext): Promise<SentimentResult> {
  const entry = await modelFor(input.model, context);
  const { labels, rows, used } = await probabilitiesOf(entry, input.texts, context);
  const results = await context.timings.measure("postprocess", () =>
    rows.map((row) => {
      const scores: Record<string, number> = {};
      let label = labels[0] ?? "";
      let best = -1;
      labels.forEach((name, position) => {
        const p = row[position] ?? 0;
        scores[name] = round(p);
        if (p > best) [best, label] = [p, name];
      });
      return { label, scores };
    }),
  );
  return { results, ...resultEnvelope(context, used) };
}

export const sentimentTask = defineTask({
  id: "sentiment",
  description: "Sentiment (polarity) of 1-256 texts such as movie reviews.",
  input: "json",
  body,
  result,
  defaultModels: { main: DEFAULT_MODEL },
  example: {
    request: { texts: ["A gripping, beautifully shot film.", "Two hours I will never get back."] },
    response: {
      results: [
        { label: "positive", scores: { positive: 0.9731, negative: 0.0269 } },
        { label: "negative", scores: { positive: 0.0412, negative: 0.9588 } },
      ],
      models: [{ id: DEFAULT_MODEL, version: "1.0.0" }],
      timings: { decode: 0, preprocess: 0.7, inference: 0.4, postprocess: 0.05 },
    },
  },
  run,
  warm: async (context) => {
    await run(
      { texts: ["A warm-up review: great film, terrible ending."] },
      { ...context, timings: new Timings() },
    );
  },
});
