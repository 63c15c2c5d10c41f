/**
 * A trained text classifier's `features.json`, beside its `model.onnx` (the linear classifier graph): how
 * texts become hashed features, the labels in output order, and the base model stacked under it (its
 * logit of one label is the graph's one extra feature). Written by the training job, read by serving.
 */
import { checkSpec, type FeatureSpec } from "./features.js";

export interface StackSpec {
  /** The base classifier, run first (a built-in or a pinned trained version). */
  model: string;
  version: string;
  feature: "logit";
  /** ln(p / (1 − p)) of this label of the base model, p clipped to [1e-6, 1 − 1e-6]. */
  label: string;
}

export interface LinearFile {
  format: "marquee-hashed-linear";
  version: 1;
  features: FeatureSpec;
  labels: string[];
  stack: StackSpec | null;
}

const P_FLOOR = 1e-6;

export function stackFeature(probability: number): number {
  const p = Math.min(1 - P_FLOOR, Math.max(P_FLOOR, probability));
  return Math.log(p / (1 - p));
}

export function readLinearFile(bytes: Uint8Array): LinearFile {
  const file = JSON.parse(new TextDecoder().decode(bytes)) as LinearFile;
  if (file.format !== "marquee-hashed-linear" || file.version !== 1 || !Array.isArray(file.labels)) {
    throw new Error("features.json: not a marquee-hashed-linear v1 file");
  }
  checkSpec(file.features);
  return file;
}
