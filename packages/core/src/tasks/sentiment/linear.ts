/**
 * A trained hashed-linear sentiment version at serving time: features.json read once per version, each
 * text's hashed features as the trainer made them, its base model's logit when stacked, and the linear
 * graph on the shared runtime in batches of similar feature counts.
 */
import { InvalidInputError } from "../../errors.js";
import type { ModelEntry } from "../../model-store/catalog-types.js";
import { VERSION } from "../../model-store/versions.js";
import { floatOutput, type TensorInput } from "../../runtime/onnx-runtime.js";
import { perModel } from "../../text/model-files.js";
import { lengthSortedBatches } from "../../text/padding.js";
import { featureFeeds, featuresOf } from "../../training/sentiment/features.js";
import { type LinearFile, readLinearFile, stackFeature } from "../../training/sentiment/linear-file.js";
import type { TaskContext } from "../types.js";
import type { Probabilities } from "./probabilities.js";

const MAX_BATCH = 64;
const MAX_BATCH_FEATURES = 64 * 1024;

const linearFile = perModel(async (entry, models) =>
  readLinearFile(await models.file(entry, "features.json")),
);

type Pretrained = (
  entry: ModelEntry,
  texts: readonly string[],
  context: TaskContext,
) => Promise<Probabilities>;

async function baseLogits(
  stack: NonNullable<LinearFile["stack"]>,
  texts: readonly string[],
  context: TaskContext,
  pretrained: Pretrained,
): Promise<{ logits: Float32Array; base: ModelEntry }> {
  const pinned = VERSION.test(stack.version) ? `${stack.model}@${stack.version}` : stack.model;
  const base = await context.models.resolve(pinned);
  if (base.version !== stack.version || base.format === "hashed-linear") {
    throw new InvalidInputError(
      `This version is stacked on ${stack.model}@${stack.version}, which is not available (found ${base.version})`,
    );
  }
  const scored = await pretrained(base, texts, context);
  const column = scored.labels.indexOf(stack.label);
  return {
    logits: Float32Array.from(scored.rows, (row) => stackFeature(row[column] as number)),
    base,
  };
}

export async function linearProbabilities(
  entry: ModelEntry,
  texts: readonly string[],
  context: TaskContext,
  pretrained: Pretrained,
): Promise<Probabilities> {
  const file = await linearFile(entry, context.models);
  const stacked = file.stack ? await baseLogits(file.stack, texts, context, pretrained) : undefined;
  const features = await context.timings.measure("preprocess", () =>
    texts.map((text) => featuresOf(text, file.features)),
  );
  const rows: Float64Array[] = new Array(texts.length);
  const batches = lengthSortedBatches(features, (f) => f.ids.length, MAX_BATCH, MAX_BATCH_FEATURES);
  for (const { indices } of batches) {
    const feeds: Record<string, TensorInput> = {
      ...featureFeeds(indices.map((index) => features[index] as (typeof features)[number])),
    };
    if (stacked) {
      feeds.extra_features = {
        type: "float32",
        data: Float32Array.from(indices, (index) => stacked.logits[index] as number),
        dims: [indices.length, 1],
      };
    }
    const result = await context.timings.measure("inference", () => context.runtime.run(entry, feeds));
    context.timings.modelMs += result.modelMs;
    const probs = floatOutput(result, "probs");
    const width = file.labels.length;
    indices.forEach((index, row) => {
      rows[index] = Float64Array.from(probs.subarray(row * width, (row + 1) * width));
    });
  }
  return { labels: file.labels, rows, used: stacked ? [entry, stacked.base] : [entry] };
}
