export interface TensorContract {
  name: string;
  type: "float32" | "int64";
  /** Symbolic dimensions are strings ("N"). */
  shape: ReadonlyArray<number | string>;
  description: string;
}

export interface ModelFile {
  /** Path inside the model folder, e.g. `model.onnx`, `vocab.json` or `onnx/model.onnx`. */
  name: string;
  sha256: string;
  bytes: number;
  /** Public URL of the upstream artifact, or undefined when it is only available from a model mirror. */
  url: string | undefined;
}

/**
 * How a model's files are read and its tensors prepared; each task supports a few formats.
 * The `hf-*` formats are Hugging Face folders (config.json, tokenizer.json, onnx/model.onnx).
 */
export type ModelFormat =
  | "ultraface"
  | "mini-xception"
  | "fasttext"
  | "glove"
  | "hf-text-classification"
  | "hf-feature-extraction"
  | "hf-causal-lm"
  | "image-classifier"
  | "hf-image-classification"
  | "paddleocr-det"
  | "paddleocr-rec"
  | "marquee-recommender"
  | "hashed-linear";

export interface ModelEntry {
  /** `<task>/<name>`, also the folder name in a mirror and the key prefix in the models bucket. */
  id: string;
  task: string;
  format: ModelFormat;
  version: string;
  description: string;
  licence: string;
  /** Where the weights come from, in words (the upstream project and artifact). */
  source: string;
  files: readonly ModelFile[];
  /** The ONNX graph to run; default `model.onnx`. */
  graph?: string;
  inputs: readonly TensorContract[];
  outputs: readonly TensorContract[];
  /** For vision models, an image recipe (`media/recipe.ts`): how pixels become the input tensor. */
  preprocess: Readonly<Record<string, unknown>>;
  postprocess: Readonly<Record<string, unknown>>;
  labels: readonly string[];
  /** Where the entry comes from: the built-in catalog, or a manifest registered in the models bucket. */
  origin?: "catalog" | "registered";
}

export const graphOf = (entry: ModelEntry): string => entry.graph ?? "model.onnx";
