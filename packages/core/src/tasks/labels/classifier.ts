/**
 * One image classifier runner for every classification task (labels, moderation): the model's recipe
 * makes the input tensor, one session.run, softmax when the graph ends in logits. Two formats: the
 * catalog's `image-classifier` (recipe and output kind in the entry, names in `labels.txt`) and a Hugging
 * Face image-classification folder (`preprocessor_config.json`, `config.json` id2label, pixel_values → logits).
 */
import { InvalidInputError } from "../../errors.js";
import { hfImageClassifier } from "../../media/hf-image-config.js";
import type { RgbImage } from "../../media/image.js";
import { type ImageRecipe, imageTensor, recipeOf } from "../../media/recipe.js";
import type { ModelEntry } from "../../model-store/catalog-types.js";
import { floatOutput } from "../../runtime/onnx-runtime.js";
import { perModel } from "../../text/model-files.js";
import { softmax } from "../../text/pool.js";
import type { ModelAccess, TaskContext } from "../types.js";

export interface ImageClassifier {
  recipe: ImageRecipe;
  labels: readonly string[];
  /** The graph's input and output to use; undefined: its first (Hugging Face exports name them freely). */
  input?: string;
  output?: string;
  logits: boolean;
}

export interface Scored {
  label: string;
  score: number;
}

const text = async (models: ModelAccess, entry: ModelEntry, name: string) =>
  new TextDecoder().decode(await models.file(entry, name));

/** `labels.txt`: one class per line, an optional leading WordNet id (`n01440764 tench`) dropped. */
export const readLabels = (lines: string): string[] =>
  lines
    .split(/\r?\n/)
    .filter((line) => line.trim() !== "")
    .map((line) => line.replace(/^n\d{8}\s+/, "").trim());

const catalogClassifier = perModel(async (entry, models): Promise<ImageClassifier> => {
  const file = String(entry.postprocess.labelsFile ?? "");
  const labels = file ? readLabels(await text(models, entry, file)) : [...entry.labels];
  return {
    recipe: recipeOf(entry),
    labels,
    input: entry.inputs[0]?.name ?? "input",
    output: entry.outputs[0]?.name ?? "output",
    logits: entry.postprocess.output === "logits",
  };
});

const hfClassifier = perModel(async (entry, models): Promise<ImageClassifier> => {
  const [preprocessor, config] = await Promise.all([
    text(models, entry, "preprocessor_config.json"),
    text(models, entry, "config.json"),
  ]);
  const { recipe, labels } = hfImageClassifier(preprocessor, config, entry.id);
  return { recipe, labels, logits: true };
});

export function imageClassifier(entry: ModelEntry, models: ModelAccess): Promise<ImageClassifier> {
  if (entry.format === "image-classifier") return catalogClassifier(entry, models);
  if (entry.format === "hf-image-classification") return hfClassifier(entry, models);
  throw new InvalidInputError(`Model ${entry.id} (${entry.format}) is not an image classifier`);
}

/** Every class's probability, in the model's label order. */
export async function classify(image: RgbImage, entry: ModelEntry, context: TaskContext): Promise<Scored[]> {
  const { timings } = context;
  const classifier = await imageClassifier(entry, context.models);
  const input = classifier.input ?? ((await context.runtime.inputNames(entry))[0] as string);
  const feeds = await timings.measure("preprocess", () => ({
    [input]: imageTensor(image, classifier.recipe),
  }));
  const result = await timings.measure("inference", () => context.runtime.run(entry, feeds));
  timings.modelMs += result.modelMs;
  return timings.measure("postprocess", () => {
    const scores = floatOutput(result, classifier.output);
    const probabilities = classifier.logits ? softmax(scores) : Array.from(scores);
    if (probabilities.length !== classifier.labels.length) {
      throw new InvalidInputError(
        `Model ${entry.id} gives ${probabilities.length} scores for ${classifier.labels.length} labels`,
      );
    }
    return probabilities.map((score, index) => ({ label: classifier.labels[index] as string, score }));
  });
}

/** The `k` best, highest first (ties keep model order). */
export const topK = (scored: readonly Scored[], k: number): Scored[] =>
  [...scored].sort((a, b) => b.score - a.score).slice(0, k);
