import type { ModelEntry } from "./catalog-types.js";

const kv = (io: "past_key_values" | "present", what: string) =>
  ({
    name: `${io}.N.key / .value`,
    type: "float32",
    shape: ["B", 4, what, 8],
    description: "per layer",
  }) as const;

/** Decoder models. stories260k was converted from llama2.c's checkpoint (no ONNX upstream): mirror only. */
export const generationModels: readonly ModelEntry[] = [
  {
    id: "text-generation/stories260k",
    task: "text-generation",
    format: "hf-causal-lm",
    version: "1.0.0",
    description:
      "llama2.c stories260K: a 260K-parameter Llama trained on TinyStories only. Childish short-story English that drifts and repeats: a real model for tests and demos, not for production plots.",
    licence: "MIT (llama2.c, Andrej Karpathy; trained on TinyStories)",
    source:
      "karpathy/tinyllamas stories260K/stories260K.bin + tok512.bin, converted to an Optimum-layout ONNX export with KV cache; from a model mirror",
    files: [
      {
        name: "config.json",
        sha256: "b8b05303f611da738ac9d05aa5d145ef6e39bbb165b2742707f4f0a59dd9f3da",
        bytes: 714,
        url: undefined,
      },
      {
        name: "generation_config.json",
        sha256: "ee471c0b59f06f72f5cfdd03610e1135fbe0e5aafbd7dcfbdd0ac278c09518cc",
        bytes: 114,
        url: undefined,
      },
      {
        name: "special_tokens_map.json",
        sha256: "d24d7ff8129b6ed7e10f800fbc53c52bb627d30ad9b78920e42b40fa7d790959",
        bytes: 95,
        url: undefined,
      },
      {
        name: "tokenizer.json",
        sha256: "122d22ca558413499eac24a0a4373c6ac76528aa97bd1f1a6a889214df0b254b",
        bytes: 15297,
        url: undefined,
      },
      {
        name: "tokenizer_config.json",
        sha256: "29a503e1ddd7b78a1f5ee11046ac94f858efacfc45538565d26493b9ae789823",
        bytes: 894,
        url: undefined,
      },
      {
        name: "onnx/model.onnx",
        sha256: "a95ccc02e0b9bfe672160504e328c3dfad5b0377f102fa00e4b5c4b02e503c74",
        bytes: 1206362,
        url: undefined,
      },
    ],
    graph: "onnx/model.onnx",
    inputs: [
      {
        name: "input_ids",
        type: "int64",
        shape: ["B", "S"],
        description: "new tokens (the prompt at prefill, then one per step)",
      },
      {
        name: "attention_mask",
        type: "int64",
        shape: ["B", "T"],
        description: "past + new; 0 for left padding",
      },
      {
        name: "position_ids",
        type: "int64",
        shape: ["B", "S"],
        description: "positions of the new tokens (< 512)",
      },
      kv("past_key_values", "P"),
    ],
    outputs: [
      { name: "logits", type: "float32", shape: ["B", "S", 512], description: "next-token scores" },
      kv("present", "T"),
    ],
    preprocess: { tokenizer: "tokenizer.json (BPE, byte fallback)", bos: 1, padding: "left" },
    postprocess: { eos: "generation_config.json eos_token_id ([1, 2])", contextLength: 512 },
    labels: [],
  },
];

/**
 * Public exports in the same layout (config.json, generation_config.json, tokenizer.json, onnx/model.onnx
 * with past_key_values) that a studio can bring with `npm run models:add -- --format hf-causal-lm`.
 * Not installed here and never run in this repository's tests.
 */
export const suggestedGenerationModels = [
  {
    id: "text-generation/smollm2-135m-instruct",
    repository: "https://huggingface.co/HuggingFaceTB/SmolLM2-135M-Instruct (onnx/model.onnx)",
    licence: "Apache-2.0",
    notes: "135M parameters, 8,192-token context; ~0.5 GB fp32, use a quantised export for Lambda.",
  },
  {
    id: "text-generation/smollm2-360m-instruct",
    repository:
      "https://huggingface.co/HuggingFaceTB/SmolLM2-360M-Instruct (onnx/model_q4f16.onnx or model_quantized.onnx)",
    licence: "Apache-2.0",
    notes: "360M parameters; quantised export fits a 3 GB function.",
  },
  {
    id: "text-generation/tinyllama-1.1b-chat",
    repository: "https://huggingface.co/Xenova/TinyLlama-1.1B-Chat-v1.0 (onnx/model_quantized.onnx)",
    licence: "Apache-2.0",
    notes:
      "1.1B parameters, 2,048-token context; int8 export ~1.1 GB, expect seconds per 10 tokens on 1 vCPU.",
  },
] as const;
