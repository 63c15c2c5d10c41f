import { InvalidInputError } from "../../errors.js";
import type { ModelEntry } from "../../model-store/catalog-types.js";
import { floatOutput } from "../../runtime/onnx-runtime.js";
import { HfTokenizer } from "../../text/hf-text.js";
import { modelJson, perModel, requiredJson } from "../../text/model-files.js";
import { clsPool, hasNormalize, l2Normalise, maxPool, meanPool, readPoolingConfig } from "../../text/pool.js";
import type { SequenceBatch } from "../../text/run-sequences.js";
import type { ModelAccess } from "../types.js";
import { GloveTokenizer } from "./glove-tokenizer.js";

/** How one embedding format turns a text into token ids and a batch's outputs into vectors. */
export interface TextEmbedder {
  padId: number;
  /** Token ids of a text, truncated to the model's context; empty when the text has no known token. */
  ids(text: string): number[];
  vectors(batch: SequenceBatch): Float32Array[];
}

const glove = perModel(async (entry, models): Promise<TextEmbedder> => {
  const tokenizer = GloveTokenizer.fromJson(await requiredJson(models, entry, "vocab.json"));
  const output = String(entry.postprocess.output ?? "sentence_embedding");
  return {
    padId: 0,
    ids: (text) => tokenizer.ids(text),
    vectors: ({ result, dims }) => {
      const data = floatOutput(result, output);
      const width = data.length / dims[0];
      return Array.from({ length: dims[0] }, (_, row) => data.slice(row * width, (row + 1) * width));
    },
  };
});

const sentenceTransformer = perModel(async (entry, models): Promise<TextEmbedder> => {
  const [tokenizerJson, tokenizerConfig, pooling, modules, bertConfig] = await Promise.all([
    requiredJson(models, entry, "tokenizer.json"),
    requiredJson(models, entry, "tokenizer_config.json"),
    modelJson(models, entry, "1_Pooling/config.json"),
    modelJson(models, entry, "modules.json"),
    modelJson<{ max_seq_length?: number }>(models, entry, "sentence_bert_config.json"),
  ]);
  const tokenizer = HfTokenizer.fromFiles(tokenizerJson, tokenizerConfig);
  const maxLength = Math.min(tokenizer.maxLength, bertConfig?.max_seq_length ?? tokenizer.maxLength);
  const { mode } = pooling ? readPoolingConfig(pooling) : { mode: "mean" as const };
  const normalise = modules ? hasNormalize(modules) : false;
  const pool = mode === "cls" ? clsPool : mode === "max" ? maxPool : meanPool;
  return {
    padId: 0,
    ids: (text) => tokenizer.windows(text, maxLength, 0)[0] ?? tokenizer.encode(text).ids,
    vectors: ({ result, dims, mask }) => {
      const hidden = result.outputs.last_hidden_state ?? Object.values(result.outputs)[0];
      const width = (hidden?.dims[2] as number | undefined) ?? 0;
      const pooled = pool(floatOutput(result, "last_hidden_state"), [dims[0], dims[1], width], mask);
      return normalise ? pooled.map(l2Normalise) : pooled;
    },
  };
});

export function encoderFor(entry: ModelEntry, models: ModelAccess): Promise<TextEmbedder> {
  if (entry.format === "glove") return glove(entry, models);
  if (entry.format === "hf-feature-extraction") return sentenceTransformer(entry, models);
  throw new InvalidInputError(`Model ${entry.id} (${entry.format}) is not a text embedding model`);
}
