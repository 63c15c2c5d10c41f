/**
 * embeddings: one vector per text, for similarity and search.
 *
 * Input: `{ texts: ["…"], model? }`. Models: `embeddings/glove-100d-30k-int8` (default; 100-d, a bag of
 * words) or a Hugging Face sentence-transformers export registered with `models:add` (pooling as
 * `1_Pooling/config.json` says, L2-normalised when modules.json has a Normalize step).
 *
 * Output example:
 * { "embeddings": [[0.0123, -0.0831, …]], "dimensions": 100,
 *   "models": [{ "id": "embeddings/glove-100d-30k-int8", "version": "1.0.0" }], "timings": { … } }
 */
import type { ModelEntry } from "../../model-store/catalog-types.js";
import { modelId, modelRef, requestBody, textList, timingsShape, z } from "../../schema.js";
import { runSequences } from "../../text/run-sequences.js";
import { chooseModel } from "../model-choice.js";
import { Timings } from "../timings.js";
import { defineTask, resultEnvelope, type TaskContext, type TaskResult } from "../types.js";
import { encoderFor } from "./encoders.js";

export const MAX_BATCH = 32;
export const DEFAULT_EMBEDDING_MODEL = "embeddings/glove-100d-30k-int8";

const body = requestBody({
  texts: textList(256, 100_000).describe("1-256 texts, each at most 100,000 characters"),
  model: modelId.optional(),
}).meta({ id: "EmbeddingsRequest" });

const result = z
  .object({
    embeddings: z.array(z.array(z.number())).describe("One vector per text, in input order"),
    dimensions: z.int(),
    models: z.array(modelRef),
    timings: timingsShape,
  })
  .meta({ id: "EmbeddingsResponse" });

export type EmbeddingsResult = z.output<typeof result> & TaskResult;

/**
 * Vectors of `texts` with `entry`, as Float32Arrays. A text with no known token (empty, or only unknown
 * symbols for a word-vector model) gets a zero vector: it is similar to nothing.
 */
export async function embedTexts(texts: readonly string[], entry: ModelEntry, context: TaskContext) {
  const encoder = await encoderFor(entry, context.models);
  const ids = await context.timings.measure("preprocess", () => texts.map((text) => encoder.ids(text)));
  const present = ids.flatMap((sequence, index) => (sequence.length > 0 ? [index] : []));
  const rows = await runSequences(
    context,
    entry,
    present.map((index) => ids[index] as number[]),
    { padId: encoder.padId, maxBatch: MAX_BATCH, rows: encoder.vectors },
  );
  const dimensions = rows[0]?.length ?? (Number(entry.outputs[0]?.shape[1]) || 0);
  const vectors: Float32Array[] = texts.map(() => new Float32Array(dimensions));
  present.forEach((index, position) => {
    vectors[index] = rows[position] as Float32Array;
  });
  return { vectors, dimensions };
}

const round = (value: number) => Math.round(value * 1e6) / 1e6;

async function run(input: z.output<typeof body>, context: TaskContext): Promise<EmbeddingsResult> {
  const entry = await chooseModel(DEFAULT_EMBEDDING_MODEL, input.model, context.models);
  const { vectors, dimensions } = await embedTexts(input.texts, entry, context);
  const embeddings = await context.timings.measure("postprocess", () =>
    vectors.map((vector) => Array.from(vector, round)),
  );
  return {
    embeddings,
    dimensions,
    ...resultEnvelope(context, [entry]),
  };
}

export const embeddingsTask = defineTask({
  id: "embeddings",
  description: "One embedding vector per text (cosine similarity = dot product).",
  input: "json",
  body,
  result,
  defaultModels: { main: DEFAULT_EMBEDDING_MODEL },
  example: {
    request: { texts: ["a heist film with a twist"] },
    response: {
      embeddings: [[0.0123, -0.0831, 0.0467]],
      dimensions: 100,
      models: [{ id: DEFAULT_EMBEDDING_MODEL, version: "1.0.0" }],
      timings: { decode: 0, preprocess: 0.1, inference: 0.5, postprocess: 0.1 },
    },
  },
  run,
  warm: async (context) => {
    await run({ texts: ["warm-up: a film about a film"] }, { ...context, timings: new Timings() });
  },
});
