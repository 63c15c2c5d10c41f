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
import { runSequences } from "../../text/run-sequences.js";
import { chooseModel } from "../model-choice.js";
import { Timings } from "../timings.js";
import { defineTask, resultEnvelope, type TaskContext, type TaskResult } from "../types.js";
import { classifierFor } from "./classifiers.js";

export const MAX_TEXTS = 256;
export const MAX_TEXT_CHARS = 100_000;
/** Sequences per session.run: large enough to amortise the call, small enough to bound padding. */
export const MAX_BATCH = 32;
/** Padded positions per session.run: long and short reviews do not share a batch. */
export const MAX_BATCH_TOKENS = 8192;
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

async function run(input: z.output<typeof body>, context: TaskContext): Promise<SentimentResult> {
  const entry = await chooseModel(DEFAULT_MODEL, input.model, context.models);
  const classifier = await classifierFor(entry, context.models);
  const owners: number[] = [];
  const windows: number[][] = [];
  await context.timings.measure("preprocess", () => {
    input.texts.forEach((text, index) => {
      for (const window of classifier.windows(text)) {
        owners.push(index);
        windows.push(window);
      }
    });
  });
  const rows = await runSequences(context, entry, windows, {
    padId: classifier.padId,
    maxBatch: MAX_BATCH,
    maxTokens: MAX_BATCH_TOKENS,
    rows: classifier.probabilities,
  });
  const results = await context.timings.measure("postprocess", () => {
    const sums = input.texts.map(() => new Float64Array(classifier.labels.length));
    const counts = new Uint32Array(input.texts.length);
    rows.forEach((row, index) => {
      const owner = owners[index] as number;
      counts[owner] = (counts[owner] ?? 0) + 1;
      row.forEach((p, label) => {
        (sums[owner] as Float64Array)[label] = ((sums[owner] as Float64Array)[label] ?? 0) + p;
      });
    });
    return sums.map((sum, index) => {
      const scores: Record<string, number> = {};
      let label = classifier.labels[0] ?? "";
      let best = -1;
      classifier.labels.forEach((name, position) => {
        const p = (sum[position] ?? 0) / Math.max(1, counts[index] ?? 1);
        scores[name] = round(p);
        if (p > best) [best, label] = [p, name];
      });
      return { label, scores };
    });
  });
  return {
    results,
    ...resultEnvelope(context, [entry]),
  };
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
