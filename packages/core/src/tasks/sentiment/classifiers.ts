import { InvalidInputError } from "../../errors.js";
import type { ModelEntry } from "../../model-store/catalog-types.js";
import { floatOutput } from "../../runtime/onnx-runtime.js";
import { HfTokenizer } from "../../text/hf-text.js";
import { perModel, requiredJson } from "../../text/model-files.js";
import { softmax } from "../../text/pool.js";
import type { SequenceBatch } from "../../text/run-sequences.js";
import type { ModelAccess } from "../types.js";
import { FastTextTokenizer } from "./fasttext-tokenizer.js";

/** How one classifier format turns texts into token windows and a batch's outputs into probabilities. */
export interface TextClassifier {
  labels: readonly string[];
  padId: number;
  /** One or more token-id windows per text (long texts are split; their scores are averaged). */
  windows(text: string): number[][];
  probabilities(batch: SequenceBatch): Float32Array[];
}

/** Overlap between consecutive windows of a text longer than the model's context, in tokens. */
export const WINDOW_STRIDE = 128;

function rowsOf(data: Float32Array, rows: number): Float32Array[] {
  const width = data.length / rows;
  return Array.from({ length: rows }, (_, row) => data.subarray(row * width, (row + 1) * width));
}

const fastText = perModel(async (entry, models): Promise<TextClassifier> => {
  const tokenizer = FastTextTokenizer.fromJson(await requiredJson(models, entry, "vocab.json"));
  const output = String(entry.postprocess.output ?? "probs");
  return {
    labels: entry.labels,
    padId: 0,
    windows: (text) => [tokenizer.ids(text)],
    probabilities: ({ result, dims }) => rowsOf(floatOutput(result, output), dims[0]),
  };
});

interface HfConfig {
  id2label?: Record<string, string>;
  max_position_embeddings?: number;
  pad_token_id?: number;
}

const hfClassifier = perModel(async (entry, models): Promise<TextClassifier> => {
  const [config, tokenizerJson, tokenizerConfig] = await Promise.all([
    requiredJson<HfConfig>(models, entry, "config.json"),
    requiredJson(models, entry, "tokenizer.json"),
    requiredJson(models, entry, "tokenizer_config.json"),
  ]);
  const labels = Object.entries(config.id2label ?? {})
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([, label]) => label);
  if (labels.length < 2) throw new InvalidInputError(`Model ${entry.id}: config.json has no id2label`);
  const tokenizer = HfTokenizer.fromFiles(tokenizerJson, tokenizerConfig);
  const maxLength = Math.min(tokenizer.maxLength, config.max_position_embeddings ?? 512);
  return {
    labels,
    padId: config.pad_token_id ?? 0,
    windows: (text) => tokenizer.windows(text, maxLength, WINDOW_STRIDE),
    probabilities: ({ result, dims }) =>
      rowsOf(floatOutput(result, "logits"), dims[0]).map((logits) => Float32Array.from(softmax(logits))),
  };
});

export function classifierFor(entry: ModelEntry, models: ModelAccess): Promise<TextClassifier> {
  if (entry.format === "fasttext") return fastText(entry, models);
  if (entry.format === "hf-text-classification") return hfClassifier(entry, models);
  throw new InvalidInputError(`Model ${entry.id} (${entry.format}) is not a text classifier`);
}
