export interface TensorContract {
  name: string;
  type: "float32" | "int64";
  /** Symbolic dimensions are strings ("N"). */
  shape: ReadonlyArray<number | string>;
  description: string;
}

export interface ModelFile {
  name: string;
  sha256: string;
  bytes: number;
  /** Public URL of the upstream artifact, or undefined when it is only available from a model mirror. */
  url: string | undefined;
}

export interface ModelEntry {
  /** `<task>/<name>`, also the folder name in a mirror and the key prefix in the models bucket. */
  id: string;
  task: string;
  version: string;
  description: string;
  licence: string;
  /** Where the weights come from, in words (the upstream project and artifact). */
  source: string;
  files: readonly ModelFile[];
  inputs: readonly TensorContract[];
  outputs: readonly TensorContract[];
  preprocess: Readonly<Record<string, unknown>>;
  postprocess: Readonly<Record<string, unknown>>;
  labels: readonly string[];
}
