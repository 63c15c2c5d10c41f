import { InvalidInputError } from "../../errors.js";
import type { ModelEntry } from "../../model-store/catalog-types.js";
import { HfTokenizer } from "../../text/hf-text.js";
import { modelJson, perModel, requiredJson } from "../../text/model-files.js";
import type { ModelAccess } from "../types.js";

interface ModelConfig {
  max_position_embeddings?: number;
  n_positions?: number;
  bos_token_id?: number;
  eos_token_id?: number | number[];
  pad_token_id?: number | null;
}

interface GenerationConfig {
  bos_token_id?: number;
  eos_token_id?: number | number[];
  pad_token_id?: number | null;
  max_length?: number;
}

/** What the generation loop needs from a Hugging Face causal-LM folder. */
export interface Generator {
  tokenizer: HfTokenizer;
  /** Prompt plus completion must fit in this many positions. */
  contextLength: number;
  eos: ReadonlySet<number>;
  padId: number;
  /** Ids of a prompt: the tokenizer's own special tokens (BOS for Llama), or BOS alone for "". */
  promptIds(prompt: string): number[];
}

const ids = (value: number | number[] | undefined) =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** Tokenizer, EOS ids and context length from config.json, generation_config.json and tokenizer.json. */
export const generatorFor = perModel(async (entry: ModelEntry, models: ModelAccess): Promise<Generator> => {
  if (entry.format !== "hf-causal-lm") {
    throw new InvalidInputError(`Model ${entry.id} (${entry.format}) is not a text generation model`);
  }
  const [config, generation, tokenizerJson, tokenizerConfig] = await Promise.all([
    requiredJson<ModelConfig>(models, entry, "config.json"),
    modelJson<GenerationConfig>(models, entry, "generation_config.json"),
    requiredJson(models, entry, "tokenizer.json"),
    modelJson(models, entry, "tokenizer_config.json"),
  ]);
  const tokenizer = HfTokenizer.fromFiles(tokenizerJson, tokenizerConfig);
  const contextLength = config.max_position_embeddings ?? config.n_positions ?? tokenizer.maxLength;
  const eos = new Set([...ids(generation?.eos_token_id ?? config.eos_token_id)]);
  const bos = generation?.bos_token_id ?? config.bos_token_id;
  const padId = generation?.pad_token_id ?? config.pad_token_id ?? [...eos][0] ?? 0;
  return {
    tokenizer,
    contextLength,
    eos,
    padId,
    promptIds: (prompt) => {
      const encoded = tokenizer.encode(prompt).ids;
      if (encoded.length > 0) return encoded;
      if (bos === undefined) throw new InvalidInputError("prompt must not be empty for this model");
      return [bos];
    },
  };
});
